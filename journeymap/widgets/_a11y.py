"""Accessible names for ipywidgets controls that ship without them (an invisible helper widget).

ipywidgets 8 draws a slider's handle as ``<div role="slider">`` with no accessible name: its
description is a separate ``<label>`` that screen readers do not tie to the handle (axe-core:
"aria-input-field-name", serious). Put :func:`accessible` around a box: an invisible anywidget inside it
copies each slider's description (or tooltip) onto its handle as ``aria-label``, now and whenever the box
redraws, and the box's tab labels get full-contrast text. Works offline (the module ships here).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

SCOPE = "jm-a11y-scope"

_ESM = """
const SCOPE = ".jm-a11y-scope";
function name(slider) {
  const label = slider.querySelector(".widget-label");
  const text = (label && label.textContent.trim()) || slider.getAttribute("title") || "";
  return text;
}
function apply(root, alts) {
  for (const [cls, text] of Object.entries(alts || {})) {
    for (const node of root.querySelectorAll("." + cls)) {
      const img = node.tagName === "IMG" ? node : node.querySelector("img");
      if (img && img.getAttribute("alt") !== text) img.setAttribute("alt", text);
    }
  }
  for (const handle of root.querySelectorAll(".noUi-handle[role=slider]")) {
    const slider = handle.closest(".widget-slider, .jupyter-widget-slider, .widget-hslider, .widget-vslider");
    const text = slider ? name(slider) : "";
    if (text && handle.getAttribute("aria-label") !== text) handle.setAttribute("aria-label", text);
  }
}
export default {
  render({ model, el }) {
    el.style.display = "none";
    let observer = null, tries = 0;
    const start = () => {
      const root = el.closest(SCOPE);
      if (!root) { if (tries++ < 200) setTimeout(start, 50); return; }
      const again = () => apply(root, model.get("alts"));
      again();
      model.on("change:alts", again);
      observer = new MutationObserver(again);
      observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["title"] });
    };
    start();
    return () => observer && observer.disconnect();
  },
};
"""

_CSS = """
.jm-a11y-scope .lm-TabBar-tab, .jm-a11y-scope .lm-TabBar-tabLabel { color: #1F2933; opacity: 1; }
.jm-a11y-scope .widget-label, .jm-a11y-scope .widget-label-basic { color: #1F2933; }
"""


@lru_cache(maxsize=1)
def _helper_class() -> type:
    import anywidget
    import traitlets

    class AccessibleNames(anywidget.AnyWidget):
        """Invisible: names slider handles after their description, and gives images their ``alt`` text."""

        _esm = _ESM
        _css = _CSS
        alts = traitlets.Dict().tag(sync=True)  # CSS class of an Image widget → its alt text

        def describe(self, image: Any, text: str) -> None:
            """Give the ipywidgets ``Image`` the alt text ``text`` (ipywidgets has no alt; its tooltip breaks
            the image view in ipywidgets 8.1)."""
            cls = f"jm-alt-{image.model_id}"
            if cls not in image._dom_classes:
                image.add_class(cls)
            self.alts = {**self.alts, cls: text}

    return AccessibleNames


def accessible(box: Any) -> Any:
    """Mark ``box`` (an ipywidgets Box) so its sliders get names and its tabs readable text.

    Returns the helper widget (added as the box's last child): ``helper.describe(image, text)`` sets an
    image's alt text.
    """
    helper = _helper_class()()
    box.add_class(SCOPE)
    box.children = (*box.children, helper)
    return helper

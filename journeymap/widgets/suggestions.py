"""Evidence suggestions beside the canvas: accept or reject each one, nothing changes without a click.

:class:`SuggestionsPanel` lists :class:`~journeymap.evidence.suggest.Suggestion` objects (from
:func:`journeymap.evidence.suggest`) under a :class:`~journeymap.widgets.canvas.widget.JourneyCanvas`: the
touchpoint, what would change (now → proposed), why, and up to three customer quotes. **Accept** applies
:func:`journeymap.evidence.suggest.accept` through the canvas' :class:`~journeymap.widgets.session.EditSession`
— one undoable step, so the canvas' Undo takes it back and its Save writes it. **Reject** hides the row and
keeps the suggestion in :attr:`SuggestionsPanel.rejected` for the session.

It is its own small anywidget (not ipywidgets buttons): every button carries an accessible name saying what it
accepts, user text is set as text (never markup), and the canvas' own modules stay untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from journeymap.evidence.suggest import Suggestion, accept
from journeymap.i18n import t
from journeymap.model import Journey, PainPoint

if TYPE_CHECKING:
    from journeymap.widgets.canvas.widget import JourneyCanvas

#: How many quotes a row shows.
QUOTES = 3
_LABELS = ("sg_title", "sg_intro", "sg_accept", "sg_reject", "sg_accepted", "sg_gone", "sg_none", "sg_quotes",
           "sg_rejected_count")

_ESM = r"""
function h(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) n.addEventListener(k.slice(2), v); else n.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) n.append(kid);  // strings become text
  return n;
}
let PANELS = 0;
function render({ model, el }) {
  const uid = `jmsg${++PANELS}`;
  const log = (window.__jmSuggestions = window.__jmSuggestions || { sent: [], acked: [] });
  const root = h("section", { class: "jm-sg", "aria-labelledby": `${uid}-title`,
                              "data-lm-suppress-shortcuts": "true" });
  const head = h("div"), body = h("div");
  const status = h("p", { class: "jm-sg-status", role: "status", "aria-live": "polite" });
  root.append(head, status, body);  // the live region stays one node: only its text changes
  el.append(root);
  const waiting = new Set();
  const L = (k) => (model.get("labels") || {})[k] || k;
  const send = (type, id) => {
    if (waiting.has(id)) return;
    waiting.add(id);
    log.sent.push({ type, id });
    model.send({ type, id });
    draw();
  };
  const onMsg = (msg) => {
    if (!msg || msg.type !== "done") return;
    waiting.delete(msg.id);
    log.acked.push(msg);
    draw();
  };
  const button = (op, label, id, busy) => h("button", {
    class: `jm-sg-btn jm-sg-${op}`, type: "button", "aria-label": label, "data-focus": `${op}:${id}`,
    "aria-disabled": busy ? "true" : null, onclick: () => send(op, id) }, L(`sg_${op}`));
  function row(r, i) {
    const title = `${uid}-r${i}`;
    const quotes = (r.quotes || []).map((q) => h("li", { class: "jm-sg-quote" },
      h("blockquote", {}, `“${q.text}”`),
      h("span", { class: "jm-sg-cite" }, [q.source, q.date].filter(Boolean).join(", "))));
    const busy = waiting.has(r.id);
    const actions = r.status === "accepted"
      ? h("p", { class: "jm-sg-done" }, `✓ ${L("sg_accepted")}`)
      : h("div", { class: "jm-sg-actions" },
          button("accept", r.accept_label, r.id, busy), button("reject", r.reject_label, r.id, busy));
    return h("li", { class: `jm-sg-row jm-sg-${r.status}`, "data-id": r.id, "data-status": r.status },
      h("article", { "aria-labelledby": title },
        h("h4", { class: "jm-sg-name", id: title }, r.name),
        h("p", { class: "jm-sg-change" }, r.change),
        h("p", { class: "jm-sg-reason" }, r.reason),
        r.status === "gone" ? h("p", { class: "jm-sg-gone" }, L("sg_gone")) : null,
        quotes.length ? h("ul", { class: "jm-sg-quotes", "aria-label": L("sg_quotes") }, quotes) : null,
        actions));
  }
  function draw() {
    const active = document.activeElement;
    const focusKey = active && root.contains(active) ? active.dataset.focus : null;
    const rowAt = focusKey ? [...root.querySelectorAll(".jm-sg-row")].indexOf(active.closest(".jm-sg-row")) : -1;
    const rows = model.get("rows") || [];
    const pending = rows.filter((r) => r.status !== "accepted").length;
    const heading = h("h3", { class: "jm-sg-title", id: `${uid}-title`, tabindex: "-1",
                                "data-focus": "heading" },
      `${L("sg_title")} (${pending})`);
    const rejected = model.get("rejected_count") || 0;
    head.replaceChildren(heading, h("p", { class: "jm-sg-intro" }, L("sg_intro")));
    const message = model.get("message") || "";
    if (status.textContent !== message) status.textContent = message;
    body.replaceChildren(...[  // (replaceChildren would write a null as the text "null")
      rows.length ? h("ul", { class: "jm-sg-list" }, rows.map(row)) : h("p", { class: "jm-sg-none" }, L("sg_none")),
      rejected ? h("p", { class: "jm-sg-rejected" }, L("sg_rejected_count").replace("{}", rejected)) : null,
    ].filter(Boolean));
    if (!focusKey) return;
    let next = root.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`);
    if (!next) {  // its row was accepted or hidden: the Accept now in its place (or the last), else the heading
      const accepts = [...root.querySelectorAll(".jm-sg-row")].map((n) => n.querySelector(".jm-sg-accept"));
      next = accepts.slice(Math.max(rowAt, 0)).find(Boolean) || accepts.reverse().find(Boolean) || heading;
    }
    next.focus();
  }
  model.on("change:rows", draw);
  model.on("change:message", draw);
  model.on("change:labels", draw);
  model.on("msg:custom", onMsg);
  draw();
  return () => { model.off("change:rows", draw); model.off("change:message", draw); model.off("change:labels", draw);
                 model.off("msg:custom", onMsg); };
}
export default { render };
"""

# Every text/background pair is >= 4.5:1 (ink #1f2937 on white 14.7:1, muted #4b5563 7.6:1, white on #1e40af 8.7:1,
# green #166534 on #f0fdf4 6.8:1).
_CSS = """
.jm-sg { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2937; background: #ffffff; font-size: 16px; line-height: 1.35; padding: 0.5em 0.25em; }
.jm-sg *, .jm-sg *::before, .jm-sg *::after { box-sizing: border-box; }
.jm-sg :focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.jm-sg-title { font-size: 1.15em; margin: 0 0 0.25em; }
.jm-sg-intro, .jm-sg-rejected, .jm-sg-none { color: #4b5563; font-size: 14px; margin: 0 0 0.4em; }
.jm-sg-status { font-size: 14px; margin: 0 0 0.5em; min-height: 1.35em; font-weight: 600; }
.jm-sg-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75em;
  grid-template-columns: repeat(auto-fill, minmax(22em, 1fr)); }
.jm-sg-row { border: 1px solid #9ca3af; border-left: 0.4em solid #1e40af; border-radius: 0.5em; padding: 0.6em 0.75em;
  background: #ffffff; min-width: 0; overflow-wrap: anywhere; }
.jm-sg-row.jm-sg-accepted { border-left-color: #166534; background: #f0fdf4; }
.jm-sg-row.jm-sg-gone { border-left-color: #9a3412; }
.jm-sg-name { font-size: 1em; margin: 0 0 0.2em; }
.jm-sg-change { margin: 0 0 0.2em; font-weight: 600; }
.jm-sg-reason, .jm-sg-gone { margin: 0 0 0.3em; font-size: 14px; color: #4b5563; }
.jm-sg-gone { color: #9a3412; }
.jm-sg-quotes { list-style: none; margin: 0 0 0.5em; padding: 0; display: grid; gap: 0.35em; }
.jm-sg-quote blockquote { margin: 0; font-style: italic; font-size: 14px; }
.jm-sg-cite { display: block; font-size: 14px; color: #4b5563; }
.jm-sg-actions { display: flex; gap: 0.5em; flex-wrap: wrap; }
.jm-sg-btn { font: inherit; font-size: 14px; border-radius: 0.4em; padding: 0.3em 0.9em; min-height: 2.2em;
  cursor: pointer; border: 1px solid #6b7280; background: #ffffff; color: #1f2937; }
.jm-sg-accept { background: #1e40af; border-color: #1e40af; color: #ffffff; }
.jm-sg-btn[aria-disabled] { cursor: progress; }
.jm-sg-accept[aria-disabled] { background: #e5e7eb; border-color: #9ca3af; color: #374151; }
.jm-sg-accept:hover:not([aria-disabled]) { background: #1e3a8a; }
.jm-sg-reject:hover:not([aria-disabled]) { background: #eef2ff; }
.jm-sg-done { margin: 0; color: #166534; font-weight: 600; }
"""


def _number(value: float | int | None) -> str:
    if value is None:
        return "–"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace("-", "−")


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def is_applied(journey: Journey, suggestion: Suggestion) -> bool:
    """Does ``journey`` hold what accepting ``suggestion`` set (its value, marked measured / its pain point)?"""
    tp = next((tp for tp in journey.touchpoints if tp.id == suggestion.target), None)
    if tp is None:
        return False
    if isinstance(suggestion.value, PainPoint):
        return any(p.text == suggestion.value.text and p.evidence == "observed" for p in tp.pain_points)
    return getattr(tp, suggestion.kind, None) == suggestion.value and suggestion.kind in tp.measured


class SuggestionsPanel(anywidget.AnyWidget):
    """Suggestions for ``canvas``'s journey, each with Accept / Reject (display it under the canvas, or use
    :meth:`with_canvas`). ``lang``: "en" or "es" (default: the canvas's, else the journey's)."""

    _esm = _ESM
    _css = _CSS
    rows: Any = traitlets.List().tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    rejected_count = traitlets.Int(0).tag(sync=True)

    def __init__(self, canvas: JourneyCanvas, suggestions: Iterable[Suggestion], lang: str | None = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.canvas = canvas
        self.suggestions: list[Suggestion] = list(suggestions)
        #: Suggestions rejected in this session (hidden from the list), in the order they were rejected.
        self.rejected: list[Suggestion] = []
        self._clicked: set[str] = set()
        self._before: dict[str, Any] = {}  # the value a suggestion replaced, when it was accepted
        self.lang = lang or canvas.lang or canvas.journey.lang
        self._session = canvas.session
        self._session.listeners.append(self._changed)
        self._draw()
        self.on_msg(self._on_msg)

    # -- what the user does -------------------------------------------------------------
    def accept(self, suggestion_id: str) -> str | None:
        """Apply one suggestion through the canvas' session (one undoable step); the reason if it was not."""
        s = self._find(suggestion_id)
        if s is None:
            return self._say(f"no suggestion '{suggestion_id}'")
        if self.canvas.controller.readonly:
            return self._say(t("sg_not_applied", self.lang).format("this map is read-only"))
        if s.id in self._clicked and is_applied(self.canvas.journey, s):
            return self._say(None, f"{t('sg_accepted', self.lang)}: {self._name(s)}")
        what = f"{_short(self._name(s))} — {self._change(s)}"
        before = self._now(s)
        problems = self.canvas.session.apply(lambda data: _accept_data(data, s))
        if problems:
            reason = " ".join(problems[0].message.split())
            return self._say(t("sg_not_applied", self.lang).format(reason))
        self._clicked.add(s.id)
        self._before[s.id] = before
        self.canvas.refresh()  # a new revision: redraw the map, Undo takes this back, Save writes it
        self.canvas.flush_backup()
        return self._say(None, t("sg_applied", self.lang).format(what))

    def reject(self, suggestion_id: str) -> None:
        """Hide one suggestion (kept in :attr:`rejected`); the journey is not touched."""
        s = self._find(suggestion_id)
        if s is None or s in self.rejected:
            return
        self.rejected.append(s)
        self._say(None, t("sg_rejected_one", self.lang).format(f"{_short(self._name(s))} — {self._change(s)}"))

    @property
    def pending(self) -> list[Suggestion]:
        """Suggestions shown and not (or no longer) applied."""
        return [s for s in self._shown() if not self._accepted(s)]

    @property
    def accepted(self) -> list[Suggestion]:
        """Suggestions accepted here whose change is in the journey now (an undone one is pending again)."""
        return [s for s in self._shown() if self._accepted(s)]

    def set_lang(self, lang: str) -> None:
        """Show the panel in ``lang`` ("en" or "es")."""
        self.lang = lang
        self._draw()

    def with_canvas(self) -> Any:
        """The canvas with this panel under it (an ipywidgets ``VBox``)."""
        import ipywidgets

        return ipywidgets.VBox([self.canvas, self])

    # -- drawing ----------------------------------------------------------------------------
    def _find(self, suggestion_id: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.id == suggestion_id), None)

    def _shown(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s not in self.rejected]

    def _accepted(self, s: Suggestion) -> bool:
        return s.id in self._clicked and is_applied(self.canvas.journey, s)

    def _say(self, error: str | None, note: str | None = None) -> str | None:
        self.message = f"⚠ {error}" if error else (note or "")
        self._draw()
        return error

    def _changed(self, _session: Any) -> None:  # undo/redo/any edit on the canvas: statuses follow the journey
        self._draw()

    def _name(self, s: Suggestion) -> str:
        tp = next((tp for tp in self.canvas.journey.touchpoints if tp.id == s.target), None)
        return tp.action if tp is not None else s.target

    def _change(self, s: Suggestion) -> str:
        lang = self.lang
        if isinstance(s.value, PainPoint):
            p = s.value
            return (f"{t('sg_new_pain', lang)}: “{p.text}” ({t('sg_severity', lang)} {p.severity}/5, "
                    f"{round(p.frequency * 100)} % {t('sg_affected', lang)})")
        now = self._before.get(s.id) if self._accepted(s) else self._now(s)
        return f"{t(s.kind, lang).capitalize()}: {_number(now)} → {_number(s.value)}"

    def _now(self, s: Suggestion) -> Any:
        tp = next((tp for tp in self.canvas.journey.touchpoints if tp.id == s.target), None)
        return getattr(tp, s.kind, None) if tp is not None else s.current

    def _draw(self) -> None:
        lang = self.lang
        accept_word, reject_word = t("sg_accept", lang), t("sg_reject", lang)
        ids = {tp.id for tp in self.canvas.journey.touchpoints}
        rows = []
        for s in self._shown():
            name, change = self._name(s), self._change(s)
            status = "accepted" if self._accepted(s) else ("gone" if s.target not in ids else "pending")
            rows.append({
                "id": s.id, "kind": s.kind, "target": s.target, "name": name, "change": change,
                "reason": s.reason_es if lang == "es" and s.reason_es else s.reason, "status": status,
                "quotes": [{"text": q.text, "source": q.source, "date": q.date or ""} for q in s.quotes[:QUOTES]],
                "accept_label": f"{accept_word}: {_short(name)} — {change}",
                "reject_label": f"{reject_word}: {_short(name)} — {change}",
            })
        with self.hold_sync():
            self.labels = {key: t(key, lang) for key in _LABELS}
            self.rows = rows
            self.rejected_count = len(self.rejected)

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("type") not in ("accept", "reject"):
            return
        sid = str(content.get("id", ""))
        if content["type"] == "accept":
            error = self.accept(sid)
        else:
            self.reject(sid)
            error = None
        self.send({"type": "done", "id": sid, "op": content["type"], "ok": error is None, "error": error})


def _accept_data(data: dict[str, Any], s: Suggestion) -> None:
    """The session change for ``s``: the journey's plain data replaced by that of ``accept(journey, s)``."""
    new = accept(Journey.model_validate(data), s)
    data.clear()
    data.update(new.model_dump(by_alias=True))

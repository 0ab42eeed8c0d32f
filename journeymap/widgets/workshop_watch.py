"""The kernel watch of the workshop app: a banner with "Reload and restore" when the page's kernel has stopped."""

from __future__ import annotations

from typing import Any

from journeymap.i18n import t

#: Seconds without an answer from the kernel (while it is not busy) before the page says it has stopped.
SILENCE_S = 6
WATCH_KEYS = ("ws_stopped", "ws_stopped_label", "ws_reload", "ws_why_closed", "ws_why_gone", "ws_why_unreachable",
              "ws_why_died", "ws_why_restarted", "ws_why_silent")


def watch_labels(lang: str | None) -> dict[str, str]:
    """The banner's words in ``lang`` (the page fills in why the app stopped)."""
    return {key: t(key, lang or "en") for key in WATCH_KEYS}


WATCH_ESM = """
function render({ model, el }) {
  const node = document.getElementById("jupyter-config-data");
  const config = node ? JSON.parse(node.textContent) : {};
  const silence = model.get("silence_s") * 1000;
  const L = (key) => (model.get("labels") || {})[key] || key;
  let lastPong = Date.now(), state = "idle", dead = false;
  el.classList.add("jm-kernel-watch");
  model.on("msg:custom", (msg) => { if (msg && msg.type === "pong") lastPong = Date.now(); });
  function die(why) {
    if (dead) return;
    dead = true;
    const box = document.createElement("div");
    box.className = "jm-kernel-dead";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", L("ws_stopped_label"));
    box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:10000;padding:16px 24px;" +
      "background:#7a1010;color:#fff;font:18px/1.4 sans-serif;display:flex;gap:16px;align-items:center";
    const text = document.createElement("span");
    text.textContent = L("ws_stopped").replace("{}", L(why));
    const button = document.createElement("button");
    button.textContent = L("ws_reload");
    button.style.cssText = "font:bold 18px sans-serif;padding:6px 14px;background:#fff;color:#7a1010;" +
      "border:0;border-radius:4px;cursor:pointer";
    button.onclick = () => {
      const path = model.get("path");
      window.location.href = window.location.pathname + (path ? "?restore=" + encodeURIComponent(path) : "");
    };
    box.append(text, button);
    document.body.append(box);
    button.focus();
  }
  async function poll() {
    if (dead) return;
    const query = window.location.search.replace(/^\\?/, "");
    try { model.send({ type: "ping", query }); } catch (e) { die("ws_why_closed"); return; }
    if (config.kernelId) {
      try {
        const r = await fetch((config.baseUrl || "/") + "api/kernels/" + config.kernelId,
                              { credentials: "same-origin", cache: "no-store" });
        if (r.status === 404) { die("ws_why_gone"); return; }
        if (r.ok) state = (await r.json()).execution_state;
      } catch (e) { die("ws_why_unreachable"); return; }
      if (state === "dead" || state === "restarting") {
        die(state === "dead" ? "ws_why_died" : "ws_why_restarted");
        return;
      }
    }
    if (Date.now() - lastPong > silence && state !== "busy") die("ws_why_silent");
  }
  poll();
  const timer = setInterval(poll, 2000);
  return () => clearInterval(timer);
}
export default { render };
"""


def kernel_watch(silence_s: float = SILENCE_S, on_connect: Any = None, lang: str = "en") -> Any:
    """A small widget that says so, with a "Reload and restore" button, when the page's kernel has stopped.

    The page pings the kernel every 2 s and, in Voilà, asks the server for the kernel's state: gone (404),
    dead or restarting, or silent for ``silence_s`` seconds while not busy, means stopped. The first ping
    calls ``on_connect(query)`` with the page's query string: Voilà runs the notebook before the page exists
    when it keeps kernels ready ("preheat"), so what depends on the page or on the moment it opens goes there.
    """
    import anywidget
    import traitlets

    class KernelWatch(anywidget.AnyWidget):
        _esm = WATCH_ESM
        path = traitlets.Unicode("").tag(sync=True)
        silence_s = traitlets.Float(SILENCE_S).tag(sync=True)
        labels = traitlets.Dict().tag(sync=True)

    watch = KernelWatch(silence_s=silence_s, labels=watch_labels(lang))
    connected: list[bool] = []

    def answer(widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "ping":
            return
        widget.send({"type": "pong"})
        if not connected:
            connected.append(True)
            if on_connect is not None:
                on_connect(str(content.get("query") or ""))

    watch.on_msg(answer)
    return watch

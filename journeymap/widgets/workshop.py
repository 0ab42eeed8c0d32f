"""The workshop app (``make workshop``): a start screen, then the canvas, the friction explorer and export.

>>> from journeymap.widgets.workshop import open_existing, ChoiceError
>>> try:
...     open_existing("no/such/journey.yaml")
... except ChoiceError as exc:
...     print(exc)
There is no file at no/such/journey.yaml.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from journeymap.errors import JourneyError
from journeymap.io import load, save
from journeymap.paths import JOURNEYS_DIR
from journeymap.safety import suggest
from journeymap.templates import from_template, names

SUFFIXES = (".yaml", ".yml", ".json")
#: Seconds without an answer from the kernel (while it is not busy) before the page says it has stopped.
SILENCE_S = 6


class ChoiceError(ValueError):
    """The start screen's choice cannot be opened; the message says why, in one sentence."""


def journey_files(folder: str | os.PathLike[str] = "workshop") -> list[Path]:
    """Journey files to offer: the room's folder first, then the shipped journeys (``data/journeys``)."""
    found = [p for p in sorted(Path(folder).glob("*")) if p.suffix in SUFFIXES and p.is_file()]
    return found + sorted(JOURNEYS_DIR.glob("*.yaml"))


def new_from_template(template: str, file_name: str = "", folder: str | os.PathLike[str] = "workshop") -> Path:
    """Create ``folder/file_name`` (default: ``<template>.yaml``) from a template; its path.

    Never overwrites: an existing file is refused with a message saying to open it instead.
    """
    template = (template or "").strip()
    if template not in names():
        raise ChoiceError(f"There is no template '{template}': {suggest(template, names())}")
    file_name = (file_name or "").strip() or f"{template}.yaml"
    if Path(file_name).suffix not in SUFFIXES:
        file_name += ".yaml"
    if Path(file_name).name != file_name or file_name.startswith("."):
        raise ChoiceError(f"Give a file name without folders (got '{file_name}').")
    target = Path(folder) / file_name
    if target.exists():
        raise ChoiceError(f"{target} already exists: open it on the right, or choose another file name.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        save(from_template(template), target)
    except OSError as exc:
        raise ChoiceError(f"Cannot write {target}: {exc.strerror or exc}.") from exc
    return target


def open_existing(path: str | os.PathLike[str]) -> Path:
    """Check that ``path`` is a journey file that loads; its path (``ChoiceError`` saying why not)."""
    text = str(path).strip()
    if not text:
        raise ChoiceError("Pick a journey file in the list, or type its path.")
    target = Path(text).expanduser()
    if not target.exists():
        hint = suggest(target.name, [p.name for p in journey_files(target.parent)])
        known = f" ({hint})" if "did you mean" in hint else ""
        raise ChoiceError(f"There is no file at {text}.{known}")
    if target.is_dir():
        raise ChoiceError(f"{text} is a folder: pick a journey file (.yaml) inside it.")
    if target.suffix not in SUFFIXES:
        raise ChoiceError(f"{text} is not a journey file: expected .yaml, .yml or .json.")
    try:
        load(target)
    except JourneyError as exc:
        first = exc.problems[0] if exc.problems else exc
        more = f" (and {len(exc.problems) - 1} more problems)" if len(exc.problems) > 1 else ""
        raise ChoiceError(f"{text} does not load: {first}{more}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ChoiceError(f"{text} cannot be read: {exc}") from exc
    return target


def unsaved_work(folder: str | os.PathLike[str] = "workshop") -> list[Path]:
    """Journey files (see :func:`journey_files`) whose crash backup is newer than the file and differs from it."""
    from journeymap.widgets.session import EditSession, backup_path

    found = []
    for path in journey_files(folder):
        if backup_path(path).is_file():
            try:
                if EditSession(path).has_newer_backup():
                    found.append(path)
            except (JourneyError, OSError):
                continue
    return found


def restore_request(query: str | None = None) -> str | None:
    """The journey file named by ``?restore=…`` in the page address (Voilà passes it as ``QUERY_STRING``)."""
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    values = parse_qs(query).get("restore", [])
    return values[0] if values else None


WATCH_ESM = """
function render({ model, el }) {
  const node = document.getElementById("jupyter-config-data");
  const config = node ? JSON.parse(node.textContent) : {};
  const silence = model.get("silence_s") * 1000;
  let lastPong = Date.now(), state = "idle", dead = false;
  el.classList.add("jm-kernel-watch");
  model.on("msg:custom", (msg) => { if (msg && msg.type === "pong") lastPong = Date.now(); });
  function die(why) {
    if (dead) return;
    dead = true;
    const box = document.createElement("div");
    box.className = "jm-kernel-dead";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "The app stopped");
    box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:10000;padding:16px 24px;" +
      "background:#7a1010;color:#fff;font:18px/1.4 sans-serif;display:flex;gap:16px;align-items:center";
    const text = document.createElement("span");
    text.textContent = "The app has stopped (" + why + "). Edits since the last Save are in the crash " +
      "backup: reload to get them back.";
    const button = document.createElement("button");
    button.textContent = "Reload and restore";
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
    try { model.send({ type: "ping", query }); } catch (e) { die("its connection closed"); return; }
    if (config.kernelId) {
      try {
        const r = await fetch((config.baseUrl || "/") + "api/kernels/" + config.kernelId,
                              { credentials: "same-origin", cache: "no-store" });
        if (r.status === 404) { die("its kernel was shut down"); return; }
        if (r.ok) state = (await r.json()).execution_state;
      } catch (e) { die("the server cannot be reached"); return; }
      if (state === "dead" || state === "restarting") {
        die("its kernel " + (state === "dead" ? "died" : "restarted"));
        return;
      }
    }
    if (Date.now() - lastPong > silence && state !== "busy") die("its kernel does not answer");
  }
  poll();
  const timer = setInterval(poll, 2000);
  return () => clearInterval(timer);
}
export default { render };
"""


def kernel_watch(silence_s: float = SILENCE_S, on_connect: Any = None) -> Any:
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

    watch = KernelWatch(silence_s=silence_s)
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


class WorkshopApp:
    """The workshop app: pick a template or a journey file, then map it on the canvas, explore, export.

    ``folder``: where new journeys are created (default ``workshop/`` under the current folder).
    ``query``: the page's query string (default: Voilà's ``QUERY_STRING``); ``?restore=FILE`` opens FILE at
    once and offers its crash backup.
    """

    def __init__(self, folder: str | os.PathLike[str] = "workshop", query: str | None = None,
                 lang: str | None = None):
        import ipywidgets as w

        self.folder = Path(folder)
        self.lang = lang
        self.canvas: Any = None
        self.explorer: Any = None
        self.watch = kernel_watch(on_connect=self._connected)
        self.message = w.HTML()
        self.template = w.Dropdown(options=names(), value="blank", description="Template",
                                   style={"description_width": "90px"})
        self.file_name = w.Text(placeholder="blank.yaml", description="Save as", style={"description_width": "90px"})
        self.template.observe(lambda _c: setattr(self.file_name, "placeholder", f"{self.template.value}.yaml"),
                              "value")
        self.new_button = w.Button(description="Start from template", button_style="primary",
                                   layout=w.Layout(width="auto"))
        self.files = w.Dropdown(options=self._file_options(), description="Journey",
                                style={"description_width": "90px"}, layout=w.Layout(width="460px"))
        self.path = w.Text(value=str(self.files.value or ""), description="or path",
                           style={"description_width": "90px"}, layout=w.Layout(width="460px"))
        self.files.observe(lambda c: setattr(self.path, "value", str(c["new"] or "")), "value")
        self.open_button = w.Button(description="Open journey", button_style="primary", layout=w.Layout(width="auto"))
        self.new_button.on_click(lambda _b: self._choose(lambda: new_from_template(
            self.template.value, self.file_name.value, self.folder)))
        self.open_button.on_click(lambda _b: self._choose(lambda: open_existing(self.path.value)))
        self.unsaved_box = w.VBox()
        self._list_unsaved()
        card = {"border": "1px solid #888", "padding": "12px", "margin": "0 16px 0 0"}
        self.start_screen = w.VBox([
            w.HTML("<p style='font-size:16px'>Start from a template (a "
                   "sector example or a blank funnel) or open a journey file. Everything is saved on this "
                   "computer; nothing goes to the internet.</p>"),
            w.HBox([w.VBox([w.HTML("<h2>New journey</h2>"), self.template, self.file_name, self.new_button],
                           layout=w.Layout(**card)),
                    w.VBox([w.HTML("<h2>Open a journey file</h2>"), self.files, self.path, self.open_button],
                           layout=w.Layout(**card))]),
            self.unsaved_box, self.message], layout=w.Layout(padding="8px"))
        self.start_screen.add_class("jm-workshop-start")
        self.widget = w.VBox([self.watch, self.start_screen])
        self.widget.add_class("jm-workshop")
        query = os.environ.get("QUERY_STRING", "") if query is None else query  # Voilà without preheat
        if query:
            self._connected(query)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _file_options(self) -> list[tuple[str, Path]]:
        return [(str(p.relative_to(JOURNEYS_DIR.parent.parent)) if p.is_relative_to(JOURNEYS_DIR) else str(p), p)
                for p in journey_files(self.folder)]

    def _connected(self, query: str) -> None:
        """A page is showing the app (now, not when the notebook ran): list what is on disk now, and open
        the journey a "Reload and restore" asked for, restoring its backup."""
        if self.canvas is not None:
            return
        self.files.options = self._file_options()
        self._list_unsaved()
        wanted = restore_request(query)
        if wanted:
            self._choose(lambda: open_existing(wanted), restore=True)

    def _list_unsaved(self) -> None:
        import ipywidgets as w

        rows = []
        for path in unsaved_work(self.folder):
            button = w.Button(description=f"Open {path.name} and restore", button_style="warning",
                              layout=w.Layout(width="auto"))
            button.on_click(lambda _b, p=path: self._choose(lambda: open_existing(p), restore=True))
            rows.append(button)
        head = w.HTML("<h2 role='alert'>Unsaved work found</h2><p style='font-size:16px'>These journeys have edits "
                      "that were not saved (the app stopped or the page closed): restore them.</p>")
        self.unsaved_box.children = [head, *rows] if rows else []

    def _say(self, text: str, error: bool = True) -> None:
        color = "#a40000" if error else "#1b5e20"
        role = "alert" if error else "status"
        self.message.value = f"<p role='{role}' style='color:{color};font-size:16px'>{escape(text)}</p>"

    def _choose(self, resolve: Any, restore: bool = False) -> None:
        try:
            path = resolve()
        except ChoiceError as exc:
            self._say(str(exc))
            return
        self._say(f"Opening {path}…", error=False)
        try:
            self.open(path, restore=restore)
        except Exception as exc:  # a journey that loads but cannot be shown: say so, keep the start screen
            self._say(f"Cannot open {path}: {type(exc).__name__}: {exc}")

    def open(self, path: str | os.PathLike[str], restore: bool = False) -> None:
        """Show the workspace for the journey file ``path``: canvas, friction explorer, export."""
        import ipywidgets as w

        from journeymap.widgets.canvas.widget import JourneyCanvas
        from journeymap.widgets.explorer import FrictionExplorer

        path = Path(path)
        self.canvas = JourneyCanvas(path, lang=self.lang)
        self.explorer = None
        self.watch.path = str(path)
        session = self.canvas.session
        busy = w.HTML("<p role='status' style='font-size:16px'>Scoring the journey…</p>")
        self.explorer_box = w.VBox([busy])
        self.tabs = w.Tab(children=[self.explorer_box, self._export_panel()])
        self.tabs.set_title(0, "Where does it hurt?")
        self.tabs.set_title(1, "Hand it out")
        self._stale = False
        session.listeners.append(self._on_edit)
        self.tabs.observe(lambda _c: self._refresh_explorer(), "selected_index")
        self.restore_box = w.HBox()
        if session.has_newer_backup():
            self._offer_restore()
            if restore:
                self._restore()
        switch = w.Button(description="Switch journey", layout=w.Layout(width="auto"))
        switch.on_click(lambda _b: self.close())
        header = w.HBox([w.HTML(f"<p style='font-size:16px'>Editing <code>{escape(str(path))}</code></p>"), switch],
                        layout=w.Layout(align_items="center", justify_content="space-between"))
        self.workspace = w.VBox([header, self.restore_box, self.canvas, self.tabs])
        self.workspace.add_class("jm-workshop-workspace")
        self.message.value = ""
        self.widget.children = [self.watch, self.workspace]
        # The canvas is on its way to the page; the explorer (charts: the slow part) is built after it.
        self.explorer = FrictionExplorer(self.canvas.journey, lang=self.lang)
        self.explorer_box.children = [self.explorer.widget]
        self._stale = False

    def close(self) -> None:
        """Back to the start screen (the canvas's unsaved edits stay in its crash backup)."""
        self.canvas = self.explorer = None
        self.watch.path = ""
        self.files.options = self._file_options()
        self._list_unsaved()
        self.widget.children = [self.watch, self.start_screen]

    def _on_edit(self, session: Any) -> None:
        self._stale = True
        self._refresh_explorer()

    def _refresh_explorer(self) -> None:
        if self._stale and self.explorer is not None and self.tabs.selected_index == 0:
            self._stale = False
            self.explorer.set_journey(self.canvas.journey)

    def _offer_restore(self) -> None:
        import ipywidgets as w

        session = self.canvas.session
        restore = w.Button(description="Restore unsaved work", button_style="warning", layout=w.Layout(width="auto"))
        discard = w.Button(description="Discard it", layout=w.Layout(width="auto"))

        def do_discard(_b: Any) -> None:
            session.discard_backup()
            self.restore_box.children = []

        restore.on_click(lambda _b: self._restore())
        discard.on_click(do_discard)
        self.restore_box.children = [w.HTML(f"<p role='alert' style='font-size:16px'><b>Unsaved work found</b> in "
                                            f"<code>{escape(str(session.backup_file))}</code>, newer than the "
                                            "file.</p>"), restore, discard]

    def _restore(self) -> None:
        import ipywidgets as w

        problems = self.canvas.restore_backup()
        self._on_edit(self.canvas.session)
        self.restore_box.children = [w.HTML(
            "<p role='alert' style='color:#a40000'>The backup does not load: " + escape(str(problems[0])) + "</p>"
            if problems else "<p role='status' style='font-size:16px'>Unsaved work restored (Undo takes it "
                             "back; Save keeps it).</p>")]

    def _export_panel(self) -> Any:
        import ipywidgets as w

        status = w.HTML()
        kinds = ("PDF", "PNG", "HTML")
        buttons = [w.Button(description=f"Export {kind}", layout=w.Layout(width="auto")) for kind in kinds]

        def export(kind: str) -> None:
            from journeymap.exporting import export as write

            journey, source = self.canvas.journey, self.canvas.session.path
            target = source.with_suffix("." + kind.lower()) if source else Path(f"{journey.id}.{kind.lower()}")
            for b in buttons:
                b.disabled = True
            status.value = f"<p role='status'>Exporting {kind}…</p>"
            try:
                write(journey, target)
            except Exception as exc:  # any export failure is told, never a cell error
                status.value = f"<p role='alert' style='color:#a40000'>Export failed: {escape(str(exc))}</p>"
            else:
                status.value = f"<p role='status'>Exported <code>{escape(str(target))}</code>.</p>"
            finally:
                for b in buttons:
                    b.disabled = False

        for b, kind in zip(buttons, kinds, strict=True):
            b.on_click(lambda _b, k=kind: export(k))
        return w.VBox([w.HTML("<p>Export the map as it is now (Save keeps the journey file itself).</p>"),
                       w.HBox(buttons), status])


def workshop_app(folder: str | os.PathLike[str] = "workshop", query: str | None = None,
                 lang: str | None = None) -> WorkshopApp:
    """The workshop app's start screen (see :class:`WorkshopApp`); display the result."""
    return WorkshopApp(folder=folder, query=query, lang=lang)

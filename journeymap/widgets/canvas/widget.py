"""``JourneyCanvas``: the journey map itself as a live, editable widget (anywidget: ES module + CSS in the package).

The browser draws :attr:`JourneyCanvas.state` and sends edit messages; Python applies them in
order (:mod:`journeymap.widgets.canvas.protocol`), bumps :attr:`rev`, sends the new state and
acknowledges each edit by its id.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from journeymap.model import Journey
from journeymap.widgets.canvas.protocol import CanvasController
from journeymap.widgets.canvas.state import build_state
from journeymap.widgets.checks_panel import CheckRunner, Debouncer, payload
from journeymap.widgets.session import EditSession

HERE = Path(__file__).parent
#: The parts of the canvas ES module, in the order they are joined (anywidget loads one module; no build step).
ESM_PARTS = ("dom.js", "view.js", "board.js", "emotion.js", "arcs.js", "flow.js", "inspector.js", "checks.js",
             "main.js")


def load_esm(folder: Path = HERE, parts: tuple[str, ...] = ESM_PARTS) -> str:
    """The canvas ES module: its parts joined in order, each after a ``// ---- part ----`` line."""
    return "\n".join(f"// ---- {name} ----\n{(folder / name).read_text(encoding='utf-8')}" for name in parts)


class JourneyCanvas(anywidget.AnyWidget):
    """Edit a journey on the map: stages as columns, touchpoints as cards, the emotion curve under them.

    ``path_or_journey``: a journey file (saved in place) or a :class:`~journeymap.Journey` (give ``path``
    to be able to save it). ``lang``: "en" or "es" (default: the journey's). ``readonly``: draw the map with no
    editing control and refuse every edit (:meth:`show` then changes the journey shown).
    """

    _esm = load_esm()
    _css = HERE / "canvas.css"
    state = traitlets.Dict().tag(sync=True)
    rev = traitlets.Int(0).tag(sync=True)
    zoom = traitlets.Float(1.0).tag(sync=True)
    #: The health-check findings (:func:`journeymap.widgets.checks_panel.payload`), recomputed once edits pause.
    checks = traitlets.Dict().tag(sync=True)

    def __init__(self, path_or_journey: Journey | str | os.PathLike[str], lang: str | None = None,
                 path: str | os.PathLike[str] | None = None, backup_dir: str | os.PathLike[str] | None = None,
                 readonly: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        if isinstance(path_or_journey, Journey):
            session = EditSession(path_or_journey, path=path, backup_dir=backup_dir)
        else:
            session = EditSession(path_or_journey, backup_dir=backup_dir)
        self.lang = lang
        self.controller = CanvasController(session, readonly=readonly)
        # The crash backup (an fsync'ed file write, ~15 ms) is written after the reply is on its way, not
        # between the edit and its acknowledgement; it is always written before the next message is handled.
        session.defer_backup = True
        self._push()
        self.checker = CheckRunner()
        self.checks_debounce = Debouncer(self.run_checks)
        self.checks_debounce.poke()  # in a kernel: after the first paint; elsewhere: now
        self.on_msg(self._on_msg)

    @property
    def session(self) -> EditSession:
        """The editing session (undo/redo, backup, save)."""
        return self.controller.session

    @property
    def journey(self) -> Journey:
        """The journey as it is now."""
        return self.session.journey

    def edit(self, msg: dict[str, Any]) -> dict[str, Any]:
        """Apply one edit message as if the browser sent it; returns the acknowledgement."""
        reply = self._apply(msg)
        self.flush_backup()
        return reply

    def flush_backup(self) -> None:
        """Write the crash backup if an edit since the last write is not in it yet."""
        before = self.session.backup_error
        if self.session.flush_backup() and self.session.backup_error != before:
            self._push()

    def refresh(self, changed_outside: bool = True) -> None:
        """Redraw from :attr:`journey` after a change made outside the canvas (through :attr:`session`).

        ``changed_outside``: the journey changed without an edit from the browser, so a new revision starts
        and an edit the browser made against the old one is refused as stale rather than applied to it.
        """
        if changed_outside:
            self.controller.rev += 1
        self._push()

    def restore_backup(self) -> list[Any]:
        """Replace the journey by its crash backup (undoable) and redraw; the problems if it does not load."""
        problems = self.session.restore_backup()
        self.refresh(changed_outside=not problems)
        return problems

    def show(self, journey: Journey, lang: str | None = None) -> None:
        """Show another journey (a read-only canvas: the viewer switching journeys); ``lang`` as in the constructor."""
        if not self.controller.readonly:
            raise ValueError("show() is for a read-only canvas: an editable one edits its own journey")
        self.controller.session = EditSession(journey)
        self.lang = lang
        self.refresh()

    def set_lang(self, lang: str | None) -> None:
        """Show the canvas's labels in ``lang`` ("en" or "es"; ``None``: the journey's own language)."""
        self.lang = lang
        self._push()

    def show_suggestions(self, suggestions: Any, lang: str | None = None) -> Any:
        """Evidence suggestions for this journey, each with Accept / Reject: a
        :class:`~journeymap.widgets.suggestions.SuggestionsPanel` (display it, or its ``with_canvas()``)."""
        from journeymap.widgets.suggestions import SuggestionsPanel

        return SuggestionsPanel(self, suggestions, lang=lang)

    def run_checks(self) -> None:
        """Run the health checks now and send their findings (none on a read-only canvas)."""
        self.checks_debounce.cancel()
        journey = self.session.journey
        if self.controller.readonly:
            self.checks = {}
            return
        self.checks = payload(journey, self.checker.run(journey, self.lang))

    def _apply(self, msg: dict[str, Any]) -> dict[str, Any]:
        reply = self.controller.handle(msg)
        self._push()
        return reply

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "edit":
            return
        reply = self._apply(content)
        self.send(reply)
        self.flush_backup()

    def _push(self) -> None:
        c = self.controller
        state = build_state(c.session.journey, self.lang)
        state.update(rev=c.rev, saved_rev=c.saved_rev, dirty=c.session.dirty, can_undo=c.session.can_undo,
                     can_redo=c.session.can_redo, path=str(c.session.path) if c.session.path else None,
                     backup_error=c.session.backup_error, readonly=c.readonly)
        with self.hold_sync():
            self.state = state
            self.rev = c.rev
        if hasattr(self, "checks_debounce"):
            self.checks_debounce.poke()

"""The canvas edit protocol: messages from the browser applied to the Python model, by id.

The browser never owns state. Each edit it sends is a message
``{"edit": "c7", "op": "set_touchpoint", "target": "book_web", "fields": {...}, "rev": 12}``:
``target`` names the object by id (never by index or "the selected one") and ``rev`` is
the model revision the browser was showing. :class:`CanvasController` applies it through an
:class:`~journeymap.widgets.session.EditSession` (a validated copy: invalid results are
rejected whole) or rejects it; an edit whose target no longer exists is rejected, so a stale
edit can never land on another object. Each accepted change bumps :attr:`CanvasController.rev`.

Example
-------
>>> import journeymap as jm, tempfile
>>> c = CanvasController(EditSession(jm.load(jm.shipped_journey("hotel_stay")), backup_dir=tempfile.mkdtemp()))
>>> c.handle({"edit": "e1", "op": "set_touchpoint", "target": "book_web", "fields": {"emotion": 1.3}, "rev": 0})["ok"]
True
>>> c.session.journey.touchpoint("book_web").emotion, c.rev
(1.5, 1)
>>> c.handle({"edit": "e2", "op": "delete_touchpoint", "target": "book_web", "rev": 1})["ok"]
True
>>> reply = c.handle({"edit": "e3", "op": "set_touchpoint", "target": "book_web", "fields": {"emotion": 2}, "rev": 1})
>>> reply["ok"], reply["error"]
(False, "no touchpoint 'book_web' (deleted or renamed since): the edit was not applied")
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from typing import Any

from journeymap.model import Journey
from journeymap.widgets.canvas import edits
from journeymap.widgets.session import EditSession

#: The fields each op may change (anything else is rejected).
FIELDS: dict[str, frozenset[str]] = {
    "set_touchpoint": frozenset({"action", "thoughts", "emotion", "effort", "wait_min", "duration_min",
                                 "evidence", "conversion", "channel", "backstage"}),
    "set_stage": frozenset({"name", "goal"}),
    "add_stage": frozenset({"name", "after"}),
    "move_stage": frozenset({"before"}),
    "delete_stage": frozenset(),
    "add_touchpoint": frozenset({"stage", "after", "channel", "action"}),
    "delete_touchpoint": frozenset(),
    "move_touchpoint": frozenset({"stage", "before"}),
    "add_transition": frozenset({"to", "share"}),
    "remove_transition": frozenset(),
    "set_transition": frozenset({"share", "context", "recognised"}),
    "add_pain": frozenset({"text", "severity", "frequency"}),
    "set_pain": frozenset({"text", "severity", "frequency"}),
    "remove_pain": frozenset(),
    "add_opportunity": frozenset({"text", "value", "effort"}),
    "set_opportunity": frozenset({"text", "value", "effort"}),
    "remove_opportunity": frozenset(),
    "add_backstage": frozenset({"text"}),
    "set_backstage": frozenset({"index", "old", "text"}),
    "remove_backstage": frozenset({"index", "old"}),
    "resolve_comment": frozenset({"resolved"}),
    "undo": frozenset(),
    "redo": frozenset(),
    "save": frozenset(),
}
OPS = tuple(FIELDS)


class Rejected(ValueError):
    """An edit refused before it reaches the model (unknown op or field, wrong type)."""


def snap_emotion(value: Any) -> float:
    """Emotion snapped to the nearest 0.5 (a number is required; the model checks −2..2).

    >>> snap_emotion(1.3), snap_emotion(-0.74)
    (1.5, -0.5)
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Rejected(f"emotion must be a number from -2 to 2 (got {value!r})")
    return round(value * 2) / 2


class CanvasController:
    """Applies edit messages, in the order they arrive, to one :class:`EditSession`."""

    def __init__(self, session: EditSession, readonly: bool = False):
        self.session = session
        #: A read-only canvas refuses every edit (the viewer shows journeys; it does not change them).
        self.readonly = readonly
        #: The model revision: bumped by every accepted change (edits, undo, redo).
        self.rev = 0
        #: The revision last written to the file (``None``: not saved in this session).
        self.saved_rev: int | None = None
        #: Every message handled, in order (what a replay needs).
        self.log: list[dict[str, Any]] = []

    def handle(self, msg: dict[str, Any]) -> dict[str, Any]:
        """Apply one message; returns the acknowledgement ``{type, edit, ok, op, target, error, rev}``."""
        self.log.append(msg)
        op, target = msg.get("op"), msg.get("target")
        before, rev = self.session.journey, self.rev
        try:
            error = self._dispatch(str(op), target, msg.get("fields") or {})
        except ValueError as exc:  # Rejected, or a field of the wrong type
            error = str(exc)
        if self.session.journey is not before:
            self.rev += 1
        return {"type": "ack", "edit": msg.get("edit"), "ok": error is None, "op": op, "target": target,
                "error": error, "rev": self.rev, "stale": msg.get("rev") != rev}

    def _dispatch(self, op: str, target: Any, fields: Any) -> str | None:
        if op not in FIELDS:
            raise Rejected(f"unknown edit '{op}'")
        if self.readonly:
            raise Rejected("this map is read-only")
        if not isinstance(fields, dict):
            raise Rejected("fields must be an object")
        unknown = sorted(set(fields) - FIELDS[op])
        if unknown:
            raise Rejected(f"'{op}' cannot change '{unknown[0]}'")
        if op in ("undo", "redo"):
            done = self.session.undo() if op == "undo" else self.session.redo()
            return None if done else f"nothing to {op}"
        if op == "save":
            return self._save()
        if op == "add_stage":  # its place is fields["after"]; the target only says where a refusal is shown
            target = target if isinstance(target, str) else ""
        elif not isinstance(target, str) or not target:
            raise Rejected(f"'{op}' needs a target id")
        if op == "set_touchpoint" and "emotion" in fields:
            fields = {**fields, "emotion": snap_emotion(fields["emotion"])}
        change = edits.change_for(op, target, fields)
        problems = self.session.apply(change)
        if not problems:
            return None
        first = problems[0]
        where = f"{first.path}: " if first.path else ""
        message = f"{where}{first.message}"
        if first.value is not None and first.value != "":
            message += f" (got {first.value!r})"
        if "(deleted or renamed since)" in message:
            message += ": the edit was not applied"
        return message

    def _save(self) -> str | None:
        try:
            self.session.save()
        except (ValueError, OSError) as exc:
            return str(exc)
        self.saved_rev = self.rev
        return None


def replay(journey_or_path: Journey | str | os.PathLike[str], messages: Iterable[dict[str, Any]],
           backup_dir: str | os.PathLike[str] | None = None) -> CanvasController:
    """Apply ``messages`` (``save`` ones skipped) to a fresh session; the controller afterwards.

    This is "the same edit sequence applied through the Python API" the browser tests compare with.
    """
    if isinstance(journey_or_path, Journey):
        session = EditSession(journey_or_path, backup_dir=backup_dir)
    else:
        from journeymap.io import load

        session = EditSession(load(journey_or_path), backup_dir=backup_dir)
    controller = CanvasController(session)
    for msg in messages:
        if msg.get("op") != "save":
            controller.handle(msg)
    return controller

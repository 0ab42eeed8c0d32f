"""Editing a journey safely: validated changes, undo/redo, atomic saves and a crash backup.

This is the logic behind :class:`~journeymap.widgets.JourneyEditor`, with no
widget in sight, so it is easy to test and to reuse. Every change is applied to
a copy and validated by the model first: an invalid change returns its problems
and leaves the journey as it was. Each accepted change is also written to a
backup file next to the journey, so a crashed kernel or a closed tab loses
nothing; opening a journey whose backup is newer offers to restore it.

Example
-------
>>> import tempfile, shutil, pathlib, journeymap as jm
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = folder / "hotel.yaml"
>>> jm.save(jm.load(jm.shipped_journey("hotel_stay")), path)
>>> s = EditSession(path)
>>> s.set_touchpoint("book_web", emotion=2)
[]
>>> s.set_touchpoint("book_web", emotion=5)[0].message
'input should be less than or equal to 2'
>>> s.journey.touchpoint("book_web").emotion, s.undo(), s.journey.touchpoint("book_web").emotion
(2.0, True, 0.0)
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from journeymap.errors import JourneyError, Problem
from journeymap.io import _problems, atomic_write, dumps, load, save
from journeymap.model import Journey

Change = Callable[[dict[str, Any]], None]
State = tuple[Journey, dict[str, Any]]  # a validated journey and the plain data it was made from
HISTORY = 100


def backup_path(path: Path) -> Path:
    """Where the crash backup of the journey file ``path`` lives (next to it).

    It is JSON (which is also YAML): quick to write on every change. It is named after the whole
    file name, so ``trip.yaml`` and ``trip.json`` in one folder never share a backup.

    >>> backup_path(Path("maps/hotel.yaml")).as_posix(), backup_path(Path("maps/hotel.json")).as_posix()
    ('maps/hotel.yaml.journeymap-backup.json', 'maps/hotel.json.journeymap-backup.json')
    """
    return path.with_name(f"{path.name}.journeymap-backup.json")


class EditSession:
    """A journey being edited: the current state, its history, its file and its backup."""

    def __init__(self, journey_or_path: Journey | str | os.PathLike[str], path: str | os.PathLike[str] | None = None,
                 history: int = HISTORY, backup_dir: str | os.PathLike[str] | None = None):
        if isinstance(journey_or_path, Journey):
            journey = journey_or_path
            self.path = Path(path) if path is not None else None
        else:
            self.path = Path(journey_or_path)
            journey = load(self.path)
        self._backup_dir = Path(backup_dir) if backup_dir is not None else None
        self.journey = journey
        self._data = journey.model_dump(by_alias=True)
        self._undo: list[State] = []
        self._redo: list[State] = []
        self.history = history
        self.dirty = False
        #: Why the last crash backup could not be written (``None`` when it was, or none was due yet).
        self.backup_error: str | None = None
        self.listeners: list[Callable[[EditSession], None]] = []
        #: When True, an accepted change only marks the backup as due; :meth:`flush_backup` writes it. A widget
        #: sets this to answer the browser first and write the (fsync'ed) backup right after.
        self.defer_backup = False
        self._backup_due = False

    # -- files -------------------------------------------------------------------
    @property
    def backup_file(self) -> Path:
        """The backup file: next to the journey, or in ``backup_dir`` (default: the current folder) named
        after the journey's file name, or ``<id>.journeymap-backup.json`` for a journey with no file yet."""
        if self.path is not None and self._backup_dir is None:
            return backup_path(self.path)
        folder = self._backup_dir or Path.cwd()
        if self.path is None:
            return folder / f"{self.journey.id}.journeymap-backup.json"
        return backup_path(folder / self.path.name)

    def has_newer_backup(self) -> bool:
        """Is there a backup, newer than the journey file, holding a different journey?"""
        backup = self.backup_file
        if not backup.is_file():
            return False
        if self.path is not None and self.path.is_file() and backup.stat().st_mtime < self.path.stat().st_mtime:
            return False
        try:
            return load(backup) != self.journey
        except JourneyError:
            return False

    def restore_backup(self) -> list[Problem]:
        """Replace the journey by the backup's (undoable)."""
        try:
            restored = load(self.backup_file)
        except JourneyError as exc:
            return exc.problems
        return self._accept(restored, restored.model_dump(by_alias=True))

    def discard_backup(self) -> None:
        """Delete the backup file."""
        self.backup_file.unlink(missing_ok=True)

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Save atomically (to ``path``, which then becomes the file, or the current one); drop the backup."""
        if path is None and self.path is None:
            raise ValueError("this journey has no file yet: give a path (Save as)")
        old_backup = self.backup_file
        target = Path(path) if path is not None else self.path
        assert target is not None  # checked above
        save(self.journey, target)
        self.path = target
        old_backup.unlink(missing_ok=True)
        self.backup_file.unlink(missing_ok=True)
        self.dirty = False
        self._backup_due = False
        self.backup_error = None  # the file itself now holds the work
        self._notify()
        return target

    def flush_backup(self) -> bool:
        """Write the crash backup if a change is not in it yet (see :attr:`defer_backup`); was one written?"""
        if not self._backup_due:
            return False
        self._write_backup()
        return True

    def _write_backup(self) -> None:
        """Write the crash backup; a failure never breaks editing but is kept in :attr:`backup_error`."""
        self._backup_due = False
        target = self.backup_file
        try:
            atomic_write(target, dumps(self._data_for_file(), ".json"))
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.backup_error = f"the crash backup could not be written to {target} ({reason})"
        else:
            self.backup_error = None

    def _data_for_file(self) -> dict[str, Any]:
        from journeymap.io import to_data

        return to_data(self.journey)

    # -- changes -----------------------------------------------------------------
    def apply(self, change: Change) -> list[Problem]:
        """Apply ``change`` (a function editing the journey's data in place) if the result is valid.

        Returns the problems (empty when accepted). A rejected change leaves everything as it was.
        """
        data = copy.deepcopy(self._data)
        try:
            change(data)
        except (KeyError, IndexError, ValueError) as exc:
            return [Problem(self._name(), "", str(exc).strip("'\""))]
        try:
            journey = Journey.model_validate(data)
        except ValidationError as exc:
            return _problems(exc, self._name(), None)
        from journeymap.widgets.checks_panel import keep_unset  # what the file left unwritten stays so

        return self._accept(keep_unset(self.journey, journey), data)

    def _accept(self, journey: Journey, data: dict[str, Any]) -> list[Problem]:
        if journey == self.journey:
            return []
        self._undo.append((self.journey, self._data))
        del self._undo[: -self.history]
        self._redo.clear()
        self._set(journey, data)
        return []

    def _set(self, journey: Journey, data: dict[str, Any]) -> None:
        self.journey, self._data = journey, data
        self.dirty = True
        self._backup_due = True
        if not self.defer_backup:
            self._write_backup()
        self._notify()

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener(self)

    def _name(self) -> str:
        return str(self.path) if self.path else self.journey.id

    @property
    def can_undo(self) -> bool:
        """Is there a change to undo?"""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """Is there an undone change to redo?"""
        return bool(self._redo)

    def undo(self) -> bool:
        """Go back one change; ``False`` if there is none."""
        return self._step(self._undo, self._redo)

    def redo(self) -> bool:
        """Re-apply the last undone change; ``False`` if there is none."""
        return self._step(self._redo, self._undo)

    def _step(self, source: list[State], target: list[State]) -> bool:
        if not source:
            return False
        target.append((self.journey, self._data))
        self._set(*source.pop())
        return True

    # -- convenience edits (each one undoable step) ---------------------------------
    def _tp(self, data: dict[str, Any], tp_id: str) -> dict[str, Any]:
        for tp in data["touchpoints"]:
            if tp["id"] == tp_id:
                return tp
        raise KeyError(f"no touchpoint '{tp_id}'")

    def set_touchpoint(self, tp_id: str, **fields: Any) -> list[Problem]:
        """Change fields of a touchpoint (``id`` renames it everywhere)."""

        def change(data: dict[str, Any]) -> None:
            tp = self._tp(data, tp_id)
            new_id = fields.get("id", tp_id)
            tp.update(fields)
            if new_id != tp_id:
                for tr in data["transitions"]:
                    tr["from"] = new_id if tr["from"] == tp_id else tr["from"]
                    tr["to"] = new_id if tr["to"] == tp_id else tr["to"]

        return self.apply(change)

    def add_touchpoint(self, stage: str, channel: str = "website", action: str = "New touchpoint",
                       after: str | None = None) -> tuple[str, list[Problem]]:
        """Add a touchpoint (after ``after``, else at the end of its stage); returns its id."""
        ids = {tp.id for tp in self.journey.touchpoints}
        n = 1
        while f"{stage}_{n}" in ids:
            n += 1
        new_id = f"{stage}_{n}"

        def change(data: dict[str, Any]) -> None:
            tps = data["touchpoints"]
            index = len(tps)
            if after is not None:
                index = next(i for i, tp in enumerate(tps) if tp["id"] == after) + 1
            else:
                in_stage = [i for i, tp in enumerate(tps) if tp["stage"] == stage]
                index = in_stage[-1] + 1 if in_stage else index
            tps.insert(index, {"id": new_id, "stage": stage, "channel": channel, "action": action,
                               "evidence": "proposed"})

        return new_id, self.apply(change)

    def delete_touchpoint(self, tp_id: str) -> list[Problem]:
        """Delete a touchpoint, its transitions, and references to its pain points."""

        def change(data: dict[str, Any]) -> None:
            tp = self._tp(data, tp_id)
            data["touchpoints"].remove(tp)
            gone = {p["id"] for p in tp.get("pain_points", [])}
            kept = [tr for tr in data["transitions"] if tp_id not in (tr["from"], tr["to"])]
            gone |= {p["id"] for tr in data["transitions"] if tr not in kept for p in tr.get("pain_points", [])}
            data["transitions"] = kept
            for opp in data.get("opportunities", []):
                opp["addresses"] = [p for p in opp["addresses"] if p not in gone]

        return self.apply(change)

    def move_touchpoint(self, tp_id: str, offset: int) -> list[Problem]:
        """Move a touchpoint up (``-1``) or down (``+1``) in the file order."""

        def change(data: dict[str, Any]) -> None:
            tps = data["touchpoints"]
            i = tps.index(self._tp(data, tp_id))
            j = min(max(i + offset, 0), len(tps) - 1)
            tps.insert(j, tps.pop(i))

        return self.apply(change)

    def add_stage(self, name: str, stage_id: str | None = None) -> tuple[str, list[Problem]]:
        """Add a stage at the end; returns its id."""
        from journeymap.frames import slug

        new_id = stage_id or slug(name)
        ids = {s.id for s in self.journey.stages}
        base, n = new_id, 2
        while new_id in ids:
            new_id, n = f"{base}_{n}", n + 1
        problems = self.apply(lambda d: d["stages"].append({"id": new_id, "name": name,
                                                            "order": max((s["order"] or 0) for s in d["stages"]) + 1}))
        return new_id, problems

    def set_stage(self, stage_id: str, **fields: Any) -> list[Problem]:
        """Change a stage's name, goal or order."""

        def change(data: dict[str, Any]) -> None:
            stage = next((s for s in data["stages"] if s["id"] == stage_id), None)
            if stage is None:
                raise KeyError(f"no stage '{stage_id}'")
            stage.update(fields)

        return self.apply(change)

    def move_stage(self, stage_id: str, offset: int) -> list[Problem]:
        """Move a stage left (``-1``) or right (``+1``)."""

        def change(data: dict[str, Any]) -> None:
            stages = sorted(data["stages"], key=lambda s: s["order"] or 0)
            i = [s["id"] for s in stages].index(stage_id)
            j = min(max(i + offset, 0), len(stages) - 1)
            stages.insert(j, stages.pop(i))
            for order, stage in enumerate(stages):
                stage["order"] = order
            data["stages"] = stages

        return self.apply(change)

    def delete_stage(self, stage_id: str) -> list[Problem]:
        """Delete an empty stage (move or delete its touchpoints first)."""
        used = [tp.id for tp in self.journey.touchpoints if tp.stage == stage_id]
        if used:
            return [Problem(self._name(), f"stages.{stage_id}",
                            f"stage still has touchpoints ({', '.join(used)}); move or delete them first")]
        return self.apply(lambda d: d.__setitem__("stages", [s for s in d["stages"] if s["id"] != stage_id]))

    def set_transition(self, source: str, target: str, **fields: Any) -> list[Problem]:
        """Create or change the transition ``source → target`` (share, context, recognised)."""

        def change(data: dict[str, Any]) -> None:
            for tr in data["transitions"]:
                if (tr["from"], tr["to"]) == (source, target):
                    tr.update(fields)
                    return
            data["transitions"].append({"from": source, "to": target, "pain_points": [], **fields})

        return self.apply(change)

    def remove_transition(self, source: str, target: str) -> list[Problem]:
        """Remove the transition ``source → target``."""
        return self.apply(lambda d: d.__setitem__(
            "transitions", [t for t in d["transitions"] if (t["from"], t["to"]) != (source, target)]))

    def add_pain(self, tp_id: str, text: str, severity: int = 3, frequency: float = 0.5) -> tuple[str, list[Problem]]:
        """Add a pain point to a touchpoint; returns its id."""
        taken = {p.id for p, _ in self.journey.pain_points()}
        n = 1
        while f"{tp_id}_pain{n}" in taken:
            n += 1
        pain_id = f"{tp_id}_pain{n}"
        problems = self.apply(lambda d: self._tp(d, tp_id).setdefault("pain_points", []).append(
            {"id": pain_id, "text": text, "severity": severity, "frequency": frequency}))
        return pain_id, problems

    def set_pain(self, pain_id: str, **fields: Any) -> list[Problem]:
        """Change a pain point's text, severity or frequency."""

        def change(data: dict[str, Any]) -> None:
            for owner in (*data["touchpoints"], *data["transitions"]):
                for pain in owner.get("pain_points", []):
                    if pain["id"] == pain_id:
                        pain.update(fields)
                        return
            raise KeyError(f"no pain point '{pain_id}'")

        return self.apply(change)

    def remove_pain(self, pain_id: str) -> list[Problem]:
        """Remove a pain point (and opportunities' references to it)."""

        def change(data: dict[str, Any]) -> None:
            for owner in (*data["touchpoints"], *data["transitions"]):
                owner["pain_points"] = [p for p in owner.get("pain_points", []) if p["id"] != pain_id]
            for opp in data.get("opportunities", []):
                opp["addresses"] = [p for p in opp["addresses"] if p != pain_id]

        return self.apply(change)

    def add_opportunity(self, text: str, addresses: list[str], value: int = 3,
                        effort: int = 3) -> tuple[str, list[Problem]]:
        """Add an opportunity addressing some pain points; returns its id."""
        taken = {o.id for o in self.journey.opportunities}
        n = 1
        while f"opp{n}" in taken:
            n += 1
        opp_id = f"opp{n}"
        problems = self.apply(lambda d: d.setdefault("opportunities", []).append(
            {"id": opp_id, "text": text, "addresses": list(addresses), "value": value, "effort": effort}))
        return opp_id, problems

    def remove_opportunity(self, opp_id: str) -> list[Problem]:
        """Remove an opportunity."""
        return self.apply(lambda d: d.__setitem__(
            "opportunities", [o for o in d["opportunities"] if o["id"] != opp_id]))

    def add_channel(self, channel_id: str, kind: str, name_en: str, name_es: str | None = None) -> list[Problem]:
        """Add a custom channel to the journey."""
        return self.apply(lambda d: d.setdefault("channels", []).append(
            {"id": channel_id, "kind": kind, "name_en": name_en, "name_es": name_es or name_en,
             "short": channel_id[:6].upper()}))

"""One workshop room on disk: the journey file, the journey as the room started (its *base*) and the op log.

The room's journey is always ``replay(base, log)``: a facilitator's process that restarts (or a kernel
that dies) rebuilds exactly the same journey from the two files. :meth:`Room.save` writes it over the
journey file (atomically, keeping the file's comments and layout) and keeps the log.

Files beside ``journey.yaml``: ``journey.ops.jsonl`` (the log), ``journey.ops.base.yaml`` (the base) and
``journey.ops.saved`` (the SHA-256 of the room's last save, so a journey edited outside the room while a
log exists is noticed instead of being overwritten).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from journeymap.errors import JourneyError, Problem
from journeymap.model import Journey
from journeymap.room.oplog import Merger, OpLog, log_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def now_iso() -> str:
    """The current UTC time as an ISO date-time (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Room:
    """The room of one journey file. Thread-safe; :attr:`version` grows with each op merged."""

    def __init__(self, journey_path: str | os.PathLike, fresh: bool = False):
        from journeymap import io

        self.path = Path(journey_path)
        stem = self.path.stem
        self.log_file = log_path(self.path)
        self.base_file = self.path.with_name(f"{stem}.ops.base{self.path.suffix}")
        self.saved_file = self.path.with_name(f"{stem}.ops.saved")
        if fresh:
            self._archive()
        current = io.load(self.path)  # a bad journey is a one-line JourneyError before any room file is made
        if not self.base_file.exists():
            if self.log_file.exists() and self.log_file.stat().st_size:
                raise JourneyError([Problem(str(self.log_file), "", "op log without its base file "
                                            f"{self.base_file.name}; start a new room with --fresh (the log "
                                            "is kept, renamed)")])
            io.atomic_write(self.base_file, self.path.read_bytes())
        else:
            known = {_digest(self.base_file)}
            if self.saved_file.exists():
                known.add(self.saved_file.read_text().strip())
            if _digest(self.path) not in known and not self._is_a_merge(current):
                raise JourneyError([Problem(str(self.path), "", "changed outside the room since its last save; "
                                            "start a new room from it with --fresh (the old log is kept, "
                                            "renamed)")])
        self.base = io.load(self.base_file) if self.base_file.exists() else current
        self.log = OpLog(self.log_file)
        self.merger = Merger(self.base)
        self.lock = threading.RLock()
        self._seen = 0
        self.refresh()

    def _is_a_merge(self, current: Journey) -> bool:
        """Is ``current`` the base with the log's first n ops merged, for some n? (A room stopped between writing
        the journey and noting its digest.)"""
        from journeymap import io

        merger = Merger(io.load(self.base_file))
        if merger.journey == current:
            return True
        return any(merger.apply(op) is None and merger.journey == current for op in OpLog(self.log_file).ops())

    def _archive(self) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        for f in (self.log_file, self.base_file, self.saved_file):
            if f.exists():
                f.rename(f.with_name(f"{f.name}.{stamp}"))

    @property
    def journey(self) -> Journey:
        return self.merger.journey

    @property
    def version(self) -> int:
        return self._seen

    def refresh(self) -> None:
        """Merge ops others appended to the log since."""
        with self.lock:
            ops = self.log.ops()
            for op in ops[self._seen:]:
                self.merger.apply(op)
            self._seen = len(ops)

    def submit(self, op: dict[str, Any]) -> str | None:
        """Log ``op`` if it applies now; the reason it was refused, or ``None`` (a repeated id is accepted and
        changes nothing)."""
        with self.lock:
            self.refresh()
            if isinstance(op.get("id"), str) and op["id"] in self.merger.applied:
                return None
            reason = self.merger.problem(op)
            if reason is not None:
                return reason
            self.log.append(op)
            self.refresh()
            return None

    def save(self) -> None:
        """Write the room's journey over the journey file (the log stays)."""
        from journeymap import io

        with self.lock:
            self.refresh()
            Journey.model_validate(self.journey.model_dump(by_alias=True))  # never write what would not load
            io.save(self.journey, self.path)
            io.atomic_write(self.saved_file, _digest(self.path) + "\n")

    def state(self, role: str = "participant", me: str = "") -> dict[str, Any]:
        """What a page shows: stages, cards with their sticky notes, ideas, rounds, comments, the version, and
        where participant ``me`` put their dots (``mine``: round id → targets)."""
        with self.lock:
            self.refresh()
            j = self.journey
            out: dict[str, Any] = {
                "version": self.version, "role": role, "title": j.title, "lang": j.lang,
                "stages": [{"id": s.id, "name": s.name} for s in j.ordered_stages()],
                "cards": [{"id": tp.id, "stage": tp.stage, "channel": j.channel_info(tp.channel).name(j.lang),
                           "action": tp.action, "emotion": tp.emotion,
                           "pains": [{"id": p.id, "text": p.text, "severity": p.severity} for p in tp.pain_points]}
                          for tp in j.touchpoints],
                "opportunities": [{"id": o.id, "text": o.text, "addresses": list(o.addresses)}
                                  for o in j.opportunities],
                "votes": [r.model_dump() for r in j.votes],
                "comments": [c.model_dump() for c in j.comments],
                "mine": self.merger.ballots_of(me),
            }
            if role == "facilitator":
                out["ranking"] = ranking(j)
            return out


def ranking(journey: Journey) -> list[dict[str, Any]]:
    """The room's view next to the model's: every pain point and opportunity with its dots (all rounds), its
    rank by dots and its rank in :func:`~journeymap.scoring.priorities.pain_ranking` /
    :func:`~journeymap.scoring.priorities.opportunity_ranking`."""
    from journeymap.scoring import score
    from journeymap.scoring.priorities import opportunity_ranking, pain_ranking

    dots: dict[str, int] = {}
    for r in journey.votes:
        for target, n in r.counts.items():
            dots[target] = dots.get(target, 0) + n
    report = score(journey)
    rows = []
    for kind, table in (("pain", pain_ranking(report)), ("idea", opportunity_ranking(report))):
        model_rank = {pid: i + 1 for i, pid in enumerate(table.index)}
        by_dots = sorted(table.index, key=lambda pid: (-dots.get(pid, 0), model_rank[pid]))
        room_rank = {pid: i + 1 for i, pid in enumerate(by_dots)}
        rows += [{"id": pid, "kind": kind, "text": str(table.loc[pid, "text"]), "dots": dots.get(pid, 0),
                  "room_rank": room_rank[pid], "model_rank": model_rank[pid]} for pid in by_dots]
    return rows

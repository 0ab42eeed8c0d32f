"""The workshop room's shared state: an append-only log of operations, merged into the journey in log order.

Every change a participant (or the facilitator) makes is one *operation*, one JSON line of
``<journey>.ops.jsonl`` beside the journey file::

    {"id": "3f0c…", "participant": "Ana", "role": "participant", "kind": "note",
     "payload": {"on": "web", "kind": "pain", "text": "The form loses my data"}, "at": "2026-11-30T09:12:03+00:00"}

* Lines are appended under an exclusive ``flock`` and ``fsync`` ed, so writers in several threads or
  processes never interleave, and an op that was acknowledged survives a crash.
* The op ``id`` is made by the client (a UUID) once per user action: a retried request or a reloaded page
  sends the same id again, and a second line with a known id is never written (exactly once).
* :func:`replay` merges the ops into a copy of the journey, in log order, deterministically. An op that
  cannot apply (unknown touchpoint, closed round, no dots left, a participant resolving a comment…) is
  skipped with a reason, never raises.

What each kind does (see docs/workshop_room.md):

=============  ==============================================================================
note           ``{on, kind: pain|idea, text}``: a sticky note. ``pain`` on a touchpoint becomes a pain point
               there (``evidence: assumed`` — said in a workshop, not yet measured); ``idea`` becomes an
               opportunity addressing the pain point it was put on (on a touchpoint: addressing nothing yet).
vote, unvote   ``{round, target}``: one dot on (or back from) a pain point or opportunity in an open round.
comment        ``{target, text}``: a comment on a touchpoint, pain point or opportunity.
resolve        ``{comment, resolved=true}`` (facilitator).
open_round     ``{round, label, on, dots}`` (facilitator): a new round, or reopens one.
close_round    ``{round}`` (facilitator).
=============  ==============================================================================
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from journeymap.model import Journey, Opportunity, PainPoint
from journeymap.model_room import Comment, Name, VoteRound, iso_time, targets, votable

KINDS = ("note", "vote", "unvote", "comment", "resolve", "open_round", "close_round")
#: Kinds only the facilitator may log.
FACILITATOR_KINDS = frozenset({"resolve", "open_round", "close_round"})
#: Longest op line accepted (bytes of JSON).
MAX_LINE = 16_384


class Op(BaseModel):
    """One operation as logged."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9-]{8,64}$", description="Made by the client (a UUID), once per action.")
    participant: Name
    role: Literal["participant", "facilitator"] = "participant"
    kind: Literal["note", "vote", "unvote", "comment", "resolve", "open_round", "close_round"]
    payload: dict[str, Any] = Field(default_factory=dict)
    at: str

    @field_validator("at")
    @classmethod
    def _at(cls, value: str) -> str:
        return iso_time(value)


def log_path(journey_path: str | os.PathLike) -> Path:
    """``journey.yaml`` → ``journey.ops.jsonl`` (beside it)."""
    p = Path(journey_path)
    return p.with_name(p.stem + ".ops.jsonl")


def _line(op: dict[str, Any]) -> bytes:
    return (json.dumps(op, ensure_ascii=True, separators=(",", ":"), allow_nan=False) + "\n").encode("ascii")


class OpLog:
    """The op log file: :meth:`append` once per op id, :meth:`ops` every op in log order.

    Safe across threads (a mutex) and processes (``flock``); each instance keeps the ids and offset it has
    read, so an append reads only what others wrote since.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._mutex = threading.Lock()
        self._offset = 0
        self._ids: set[str] = set()
        self._ops: list[dict[str, Any]] = []
        #: ``(line number, reason)`` of lines that are not ops (a torn write, an edit by hand).
        self.bad: list[tuple[int, str]] = []
        self._lines = 0

    def _read_new(self, fh: Any) -> None:
        fh.seek(self._offset)
        chunk = fh.read()
        end = chunk.rfind(b"\n") + 1  # only whole lines: a torn tail is left for later
        for raw in chunk[:end].splitlines():
            self._lines += 1
            try:
                op = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                self.bad.append((self._lines, "not a JSON line"))
                continue
            if not isinstance(op, dict) or not isinstance(op.get("id"), str):
                self.bad.append((self._lines, "not an op (no id)"))
                continue
            if op["id"] in self._ids:
                continue  # written twice by hand or by an older version: the first one counts
            self._ids.add(op["id"])
            self._ops.append(op)
        self._offset += end

    def append(self, op: dict[str, Any]) -> bool:
        """Append ``op`` durably unless its id is already logged; ``True`` if it was written now."""
        line = _line(op)
        if len(line) > MAX_LINE:
            raise ValueError(f"op too large ({len(line)} bytes; at most {MAX_LINE})")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._mutex, open(self.path, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                self._read_new(fh)
                if op["id"] in self._ids:
                    return False
                fh.seek(0, os.SEEK_END)
                if fh.tell() > self._offset:  # a line torn by a crash: end it, so it stays one bad line
                    fh.write(b"\n")
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
                self._read_new(fh)
                return True
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def ops(self) -> list[dict[str, Any]]:
        """Every op in log order (re-reading what others appended since the last call)."""
        with self._mutex:
            if self.path.exists():
                with open(self.path, "rb") as fh:
                    fcntl.flock(fh, fcntl.LOCK_SH)
                    try:
                        self._read_new(fh)
                    finally:
                        fcntl.flock(fh, fcntl.LOCK_UN)
            return list(self._ops)


def _ref(payload: dict[str, Any], key: str) -> str | None:
    """The id ``payload[key]`` if it is a string (an id), else ``None``."""
    value = payload.get(key)
    return value if isinstance(value, str) else None


def _text(payload: dict[str, Any], key: str = "text") -> str | None:
    value = payload.get(key)
    return value.strip() if isinstance(value, str) and value.strip() and len(value) <= 2000 else None


class Merger:
    """Applies ops to a copy of a journey one by one; :attr:`skipped` keeps ``(op id, reason)`` of those refused."""

    def __init__(self, journey: Journey):
        self.journey = journey.model_copy(deep=True)
        self.applied: set[str] = set()
        self.skipped: list[tuple[str, str]] = []
        self._ballots: dict[tuple[str, str], list[str]] = {}  # (round, participant) -> targets, in order

    def ballots_of(self, participant: str) -> dict[str, list[str]]:
        """Round id → the targets ``participant`` put a dot on (one entry per dot)."""
        return {rid: list(ts) for (rid, who), ts in self._ballots.items() if who == participant and ts}

    # -- checks --------------------------------------------------------------
    def _round(self, rid: object) -> VoteRound | None:
        return next((r for r in self.journey.votes if r.id == rid), None)

    def problem(self, raw: Any) -> str | None:
        """Why ``raw`` cannot apply now (``None`` if it can)."""
        try:
            op = Op.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            return f"bad op: {'.'.join(map(str, err['loc']))}: {err['msg']}"
        if op.id in self.applied:
            return "already applied"
        if op.kind in FACILITATOR_KINDS and op.role != "facilitator":
            return f"only the facilitator may {op.kind.replace('_', ' ')}"
        try:
            return getattr(self, f"_check_{op.kind}")(op, op.payload)
        except Exception as exc:  # a payload no check foresaw: refused, never a crash
            return f"bad op: {type(exc).__name__}"

    def _check_note(self, op: Op, p: dict[str, Any]) -> str | None:
        tps, pains, _ = targets(self.journey.model_dump(include={"touchpoints", "transitions"}, by_alias=True))
        if _text(p) is None:
            return "a note needs text (1 to 2000 characters)"
        if p.get("kind") == "pain":
            return None if _ref(p, "on") in tps else "a pain note goes on a touchpoint id"
        if p.get("kind") == "idea":
            return None if _ref(p, "on") in tps | pains else "an idea goes on a touchpoint or pain point id"
        return "note kind must be 'pain' or 'idea'"

    def _check_vote(self, op: Op, p: dict[str, Any]) -> str | None:
        r = self._round(_ref(p, "round"))
        if r is None or not r.open:
            return "no open voting round with that id"
        _, pains, opps = targets(self.journey.model_dump(include={"touchpoints", "transitions", "opportunities"},
                                                          by_alias=True))
        if _ref(p, "target") not in votable(r.on, pains, opps):
            return f"this round votes on {r.on.replace('_', ' ')}: unknown target"
        if r.voters.get(op.participant, 0) >= r.dots:
            return f"no dots left ({r.dots} per participant)"
        return None

    def _check_unvote(self, op: Op, p: dict[str, Any]) -> str | None:
        r = self._round(_ref(p, "round"))
        if r is None or not r.open:
            return "no open voting round with that id"
        if _ref(p, "target") not in self._ballots.get((r.id, op.participant), []):
            return "no dot of yours on that target"
        return None

    def _check_comment(self, op: Op, p: dict[str, Any]) -> str | None:
        tps, pains, opps = targets(self.journey.model_dump(
            include={"touchpoints", "transitions", "opportunities"}, by_alias=True))
        if _ref(p, "target") not in tps | pains | opps:
            return "a comment goes on a touchpoint, pain point or opportunity id"
        return None if _text(p) else "a comment needs text (1 to 2000 characters)"

    def _check_resolve(self, op: Op, p: dict[str, Any]) -> str | None:
        known = any(c.id == _ref(p, "comment") for c in self.journey.comments)
        return None if known and isinstance(p.get("resolved", True), bool) else "no comment with that id"

    def _check_open_round(self, op: Op, p: dict[str, Any]) -> str | None:
        try:
            VoteRound(id=_ref(p, "round"), label=p.get("label", ""), on=p.get("on", "both"), dots=p.get("dots", 3))
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            return f"bad round: {'.'.join(map(str, err['loc']))}: {err['msg']}"
        return None

    def _check_close_round(self, op: Op, p: dict[str, Any]) -> str | None:
        return None if self._round(_ref(p, "round")) else "no voting round with that id"

    # -- applying ------------------------------------------------------------
    def _new_id(self, prefix: str, op_id: str, taken: set[str]) -> str | None:
        for candidate in (f"{prefix}-{op_id[:8]}", f"{prefix}-{op_id}"):
            if candidate not in taken:
                return candidate
        return None

    def apply(self, raw: Any) -> str | None:
        """Apply one op; the reason it was skipped, or ``None`` when it applied."""
        reason = self.problem(raw)
        if reason is None:
            op = Op.model_validate(raw)
            reason = getattr(self, f"_do_{op.kind}")(op, op.payload)
        if reason is None:
            self.applied.add(raw["id"])
        else:
            op_id = raw.get("id") if isinstance(raw, dict) else None
            self.skipped.append((str(op_id)[:80], reason))
        return reason

    def _do_note(self, op: Op, p: dict[str, Any]) -> str | None:
        j = self.journey
        tps, pains, opps = targets(j.model_dump(include={"touchpoints", "transitions", "opportunities"},
                                                 by_alias=True))
        text = _text(p) or ""
        if p["kind"] == "pain":
            pid = self._new_id("note", op.id, pains | opps | tps)
            if pid is None:
                return "id taken"
            j.touchpoint(p["on"]).pain_points.append(PainPoint(id=pid, text=text, evidence="assumed"))
            return None
        oid = self._new_id("idea", op.id, pains | opps | tps)
        if oid is None:
            return "id taken"
        j.opportunities.append(Opportunity(id=oid, text=text, addresses=[p["on"]] if p["on"] in pains else []))
        return None

    def _do_vote(self, op: Op, p: dict[str, Any]) -> str | None:
        r = self._round(p["round"])
        assert r is not None
        r.counts[p["target"]] = r.counts.get(p["target"], 0) + 1
        r.voters[op.participant] = r.voters.get(op.participant, 0) + 1
        self._ballots.setdefault((r.id, op.participant), []).append(p["target"])
        return None

    def _do_unvote(self, op: Op, p: dict[str, Any]) -> str | None:
        r = self._round(p["round"])
        assert r is not None
        self._ballots[(r.id, op.participant)].remove(p["target"])
        for table, key in ((r.counts, p["target"]), (r.voters, op.participant)):
            table[key] -= 1
            if table[key] <= 0:
                del table[key]
        return None

    def _do_comment(self, op: Op, p: dict[str, Any]) -> str | None:
        cid = self._new_id("c", op.id, {c.id for c in self.journey.comments})
        if cid is None:
            return "id taken"
        self.journey.comments.append(Comment(id=cid, target=p["target"], author=op.participant,
                                             text=_text(p) or "", at=op.at))
        return None

    def _do_resolve(self, op: Op, p: dict[str, Any]) -> str | None:
        for c in self.journey.comments:
            if c.id == p["comment"]:
                c.resolved = bool(p.get("resolved", True))
        return None

    def _do_open_round(self, op: Op, p: dict[str, Any]) -> str | None:
        r = self._round(p["round"])
        if r is not None:
            r.open = True
            return None
        self.journey.votes.append(VoteRound(id=p["round"], label=p.get("label", ""), on=p.get("on", "both"),
                                            dots=p.get("dots", 3)))
        return None

    def _do_close_round(self, op: Op, p: dict[str, Any]) -> str | None:
        r = self._round(p["round"])
        assert r is not None
        r.open = False
        return None


def replay(journey: Journey, ops: list[Any]) -> Journey:
    """``journey`` with ``ops`` merged in log order (a new object; ``journey`` is unchanged).

    Deterministic and idempotent: the same ops give an equal journey, and an op id seen twice applies once.
    """
    merger = Merger(journey)
    for op in ops:
        merger.apply(op)
    return merger.journey

"""Issue 17: the room's op log — exactly once under concurrent appends (threads and processes), deterministic
and idempotent replay, votes within dots and open rounds, bad ops skipped, hostile texts kept as data."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from strategies import HOSTILE

import journeymap as jm
from journeymap.errors import JourneyError
from journeymap.room.oplog import Merger, OpLog, log_path, replay
from journeymap.room.state import Room

AT = "2026-11-30T09:00:00+00:00"
ROOT = Path(__file__).resolve().parents[1]


def op(kind: str, payload: dict, who: str = "Ana", role: str = "participant", oid: str | None = None) -> dict:
    return {"id": oid or str(uuid.uuid4()), "participant": who, "role": role, "kind": kind, "payload": payload,
            "at": AT}


def base() -> jm.Journey:
    return jm.load(jm.shipped_journey("retail_bopis_multichannel"))


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def test_log_path_is_beside_the_journey(tmp_path):
    assert log_path(tmp_path / "bank.yaml") == tmp_path / "bank.ops.jsonl"


def test_an_op_id_is_written_once(tmp_path):
    log = OpLog(tmp_path / "j.ops.jsonl")
    o = op("note", {"on": "product_page", "kind": "pain", "text": "x"})
    assert log.append(o) is True
    assert log.append(o) is False
    assert OpLog(tmp_path / "j.ops.jsonl").append(o) is False  # another writer (a reloaded server) too
    assert [x["id"] for x in lines(tmp_path / "j.ops.jsonl")] == [o["id"]]


def test_exactly_once_under_concurrent_threads(tmp_path):
    path = tmp_path / "j.ops.jsonl"
    ops = [op("note", {"on": "product_page", "kind": "pain", "text": f"t{t} n{i}"}) for t in range(8)
           for i in range(40)]

    def writer(k: int) -> None:
        log = OpLog(path) if k % 2 else shared  # some share one OpLog, some have their own
        for o in ops[k * 40:(k + 1) * 40] + ops[((k + 1) % 8) * 40:((k + 2) % 8) * 40 or None][:40]:
            log.append(o)  # each op is also sent by a second thread (a retry)

    shared = OpLog(path)
    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [x["id"] for x in lines(path)]
    assert sorted(ids) == sorted(o["id"] for o in ops)
    assert OpLog(path).ops() == [x for x in lines(path)]


WRITER = """
import json, sys
from journeymap.room.oplog import OpLog
log = OpLog(sys.argv[1])
for line in open(sys.argv[2]):
    log.append(json.loads(line))
"""


def test_exactly_once_under_concurrent_processes(tmp_path):
    path = tmp_path / "j.ops.jsonl"
    ops = [op("vote", {"round": "r", "target": f"t{i}"}, who=f"P{i % 5}") for i in range(300)]
    batches = []
    for k in range(4):  # each op sent by two processes
        f = tmp_path / f"batch{k}.jsonl"
        chosen = ops[k * 75:(k + 1) * 75] + ops[((k + 1) % 4) * 75:((k + 1) % 4 + 1) * 75]
        f.write_text("".join(json.dumps(o) + "\n" for o in chosen))
        batches.append(f)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(b)], cwd=ROOT) for b in batches]
    assert all(p.wait(timeout=300) == 0 for p in procs)
    ids = [x["id"] for x in lines(path)]
    assert len(ids) == len(set(ids)) == 300
    assert set(ids) == {o["id"] for o in ops}


def test_a_torn_last_line_stays_one_bad_line(tmp_path):
    path = tmp_path / "j.ops.jsonl"
    good = op("note", {"on": "product_page", "kind": "pain", "text": "a"})
    path.write_text(json.dumps(good) + "\n" + '{"id": "torn-by-a-cr')
    log = OpLog(path)
    after = op("note", {"on": "product_page", "kind": "pain", "text": "b"})
    assert log.append(after)
    assert [o["id"] for o in OpLog(path).ops()] == [good["id"], after["id"]]
    assert log.bad and "not a JSON line" in log.bad[0][1]


def room_ops() -> list[dict]:
    return [
        op("open_round", {"round": "r1", "label": "Worst", "on": "pain_points", "dots": 2}, "Fac", "facilitator"),
        op("note", {"on": "product_page", "kind": "pain", "text": "Sizes unclear"}, oid="aaaaaaaa-0001"),
        op("note", {"on": "note-aaaaaaaa", "kind": "idea", "text": "Size guide"}, "Bo", oid="bbbbbbbb-0001"),
        op("note", {"on": "product_page", "kind": "idea", "text": "Loose idea"}, "Bo", oid="bbbbbbbb-0002"),
        op("vote", {"round": "r1", "target": "note-aaaaaaaa"}),
        op("vote", {"round": "r1", "target": "note-aaaaaaaa"}),
        op("vote", {"round": "r1", "target": "no_live_store_stock"}),  # a third dot: refused
        op("vote", {"round": "r1", "target": "idea-bbbbbbbb"}, "Bo"),  # not a pain point: refused
        op("unvote", {"round": "r1", "target": "note-aaaaaaaa"}),
        op("vote", {"round": "r1", "target": "no_live_store_stock"}),
        op("unvote", {"round": "r1", "target": "no_live_store_stock"}, "Bo"),  # Bo has no dot there
        op("comment", {"target": "idea-bbbbbbbb", "text": "Cheap"}, "Cy", oid="cccccccc-0001"),
        op("resolve", {"comment": "c-cccccccc"}, "Cy"),  # participants do not resolve
        op("resolve", {"comment": "c-cccccccc"}, "Fac", "facilitator"),
        op("close_round", {"round": "r1"}, "Fac", "facilitator"),
        op("vote", {"round": "r1", "target": "no_live_store_stock"}, "Bo"),  # closed
        op("open_round", {"round": "r2"}, "Bo"),  # participants do not open rounds
    ]


def test_replay_merges_notes_votes_and_comments():
    m = Merger(base())
    for o in room_ops():
        m.apply(o)
    j = m.journey
    pain = next(p for p in j.touchpoint("product_page").pain_points if p.id == "note-aaaaaaaa")
    assert (pain.text, pain.evidence) == ("Sizes unclear", "assumed")
    ideas = {o.id: o.addresses for o in j.opportunities}
    assert ideas["idea-bbbbbbbb"] == ["note-aaaaaaaa"] and ideas["idea-bbbbbbbb-0002"] == []
    (r1,) = j.votes
    assert (r1.open, r1.counts, r1.voters) == (False, {"note-aaaaaaaa": 1, "no_live_store_stock": 1}, {"Ana": 2})
    assert [(c.id, c.author, c.resolved) for c in j.comments] == [("c-cccccccc", "Cy", True)]
    reasons = [r for _, r in m.skipped]
    assert len(reasons) == 6
    assert any("no dots left" in r for r in reasons) and any("only the facilitator" in r for r in reasons)
    assert any("no open voting round" in r for r in reasons) and any("no dot of yours" in r for r in reasons)
    jm.Journey.model_validate(j.model_dump(by_alias=True))  # the merged journey is a valid journey
    assert base().votes == []  # the input is not changed


def test_replay_is_deterministic_and_idempotent():
    ops = room_ops()
    once = replay(base(), ops)
    assert replay(base(), ops) == once
    assert replay(base(), ops + ops) == once  # every op seen again (a reload, a retry) changes nothing
    assert replay(base(), [o for pair in zip(ops, ops, strict=True) for o in pair]) == once


@pytest.mark.parametrize("bad", [
    None, [], "x", {"id": 3}, {"id": "short"}, op("dance", {}), op("note", {"on": "nowhere", "kind": "pain",
                                                                            "text": "x"}),
    op("note", {"on": "product_page", "kind": "pain", "text": ""}),
    op("note", {"on": "product_page", "kind": "pain", "text": "x" * 2001}),
    op("note", {"on": "product_page", "kind": "rant", "text": "x"}),
    op("note", {"on": ["product_page"], "kind": "pain", "text": "x"}),
    op("vote", {"round": {"a": 1}, "target": None}), op("comment", {"target": "product_page", "text": 5}),
    op("open_round", {"round": "bad id!", "dots": 2}, "F", "facilitator"),
    op("open_round", {"round": "r9", "dots": True}, "F", "facilitator"),
    {**op("note", {"on": "product_page", "kind": "pain", "text": "x"}), "at": "noon"},
    {**op("note", {"on": "product_page", "kind": "pain", "text": "x"}), "participant": ""},
    {**op("note", {"on": "product_page", "kind": "pain", "text": "x"}), "role": "admin"},
])
def test_bad_ops_are_skipped_with_a_reason(bad):
    m = Merger(base())
    assert isinstance(m.apply(bad), str)
    assert m.journey == base() and len(m.skipped) == 1


def test_hostile_texts_stay_data(tmp_path):
    texts = [*HOSTILE, "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "\x1b[2J\x07bell", "{{TOKEN}}"]
    ops = [op("note", {"on": "product_page", "kind": "pain", "text": t}) for t in texts]
    ops += [op("comment", {"target": "product_page", "text": t}, who=t[:60].strip() or "x") for t in texts]
    j = replay(base(), ops)
    notes = [p.text for p in j.touchpoint("product_page").pain_points if p.id.startswith("note-")]
    assert notes == [t.strip() for t in texts]
    assert [c.text for c in j.comments] == [t.strip() for t in texts]
    jm.save(j, tmp_path / "j.yaml")
    assert jm.load(tmp_path / "j.yaml") == j


def test_room_restart_replays_the_log(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(base(), path)
    room = Room(path)
    for o in room_ops():
        room.submit(o)
    merged = room.journey.model_copy(deep=True)
    assert room.version == len(lines(tmp_path / "j.ops.jsonl")) == 11  # refused ops are not logged
    again = Room(path)  # a kernel that died before saving
    assert again.journey == merged and jm.load(path) == base()
    again.save()
    assert jm.load(path) == merged
    third = Room(path)  # restarted after a save: the same journey, nothing doubled
    assert third.journey == merged
    assert third.submit(room_ops()[1]) is None and third.journey == merged  # a resent op: accepted, no change


def test_room_refuses_a_journey_edited_outside_it(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(base(), path)
    Room(path).submit(op("note", {"on": "product_page", "kind": "pain", "text": "x"}))
    edited = base()
    edited.title = "Edited by hand"
    jm.save(edited, path)
    with pytest.raises(JourneyError, match="changed outside the room"):
        Room(path)
    fresh = Room(path, fresh=True)
    assert fresh.journey == edited and fresh.version == 0
    assert list(tmp_path.glob("j.ops.jsonl.*"))  # the old log is kept, renamed


def test_room_stopped_between_saving_and_noting_the_digest_restarts(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(base(), path)
    room = Room(path)
    for o in room_ops()[:4]:
        room.submit(o)
    half = room.journey.model_copy(deep=True)
    for o in room_ops()[4:]:
        room.submit(o)
    jm.save(half, path)  # the journey file was written, the digest of it not yet
    again = Room(path)
    assert again.journey == room.journey

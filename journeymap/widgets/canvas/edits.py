"""The canvas edits as changes of a journey's plain data (``model_dump(by_alias=True)``).

Each function returns a *change*: a function editing the data in place, for
:meth:`EditSession.apply <journeymap.widgets.session.EditSession.apply>` (which runs it on a
copy and validates the result). Every object is found by id; a missing id raises ``KeyError``
("no touchpoint 'x'"), so the edit is rejected instead of landing on something else.

Adding a touchpoint links it into the flow: the transition ``a → b`` it is inserted on becomes
``a → new → b`` with the same share, so expected conversion does not jump. Deleting one re-links
its predecessors to its successors (shares multiply).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]
Change = Callable[[Data], None]


def _tp(data: Data, tp_id: str) -> Data:
    for tp in data["touchpoints"]:
        if tp["id"] == tp_id:
            return tp
    raise KeyError(f"no touchpoint '{tp_id}' (deleted or renamed since)")


def _stage(data: Data, stage_id: str) -> Data:
    for stage in data["stages"]:
        if stage["id"] == stage_id:
            return stage
    raise KeyError(f"no stage '{stage_id}' (deleted or renamed since)")


def _transition(data: Data, key: str) -> Data:
    source, _, target = key.partition("->")
    for tr in data["transitions"]:
        if tr["from"] == source and tr["to"] == target:
            return tr
    raise KeyError(f"no transition '{key}' (deleted or renamed since)")


def _pain(data: Data, pain_id: str) -> tuple[Data, Data]:
    for owner in (*data["touchpoints"], *data["transitions"]):
        for pain in owner.get("pain_points", []):
            if pain["id"] == pain_id:
                return owner, pain
    raise KeyError(f"no pain point '{pain_id}' (deleted or renamed since)")


def _opportunity(data: Data, opp_id: str) -> Data:
    for opp in data.get("opportunities", []):
        if opp["id"] == opp_id:
            return opp
    raise KeyError(f"no opportunity '{opp_id}' (deleted or renamed since)")


def display_order(data: Data) -> list[str]:
    """Touchpoint ids as the canvas shows them: stages left to right, file order inside a stage."""
    stages = sorted(enumerate(data["stages"]), key=lambda p: (p[1].get("order") or 0, p[0]))
    rank = {s["id"]: i for i, (_, s) in enumerate(stages)}
    tps = sorted(enumerate(data["touchpoints"]), key=lambda p: (rank.get(p[1]["stage"], len(rank)), p[0]))
    return [tp["id"] for _, tp in tps]


def _fresh_id(base: str, taken: set[str], word: str) -> str:
    base = base[: 80 - len(word) - 4]
    n = 1
    while f"{base}_{word}{n}" in taken:
        n += 1
    return f"{base}_{word}{n}"


def _new_tp_id(data: Data, stage: str) -> str:
    taken = {tp["id"] for tp in data["touchpoints"]}
    return _fresh_id(stage, taken, "tp")


#: The ops on stages and on backstage items (their changes are in :mod:`journeymap.widgets.canvas.stages`).
STAGE_OPS = ("add_stage", "move_stage", "delete_stage", "add_backstage", "set_backstage", "remove_backstage")


def _check_text(fields: dict[str, Any], *names: str) -> None:
    for name in names:
        if name in fields and not isinstance(fields[name], str):
            raise ValueError(f"{name} must be text")


def add_touchpoint(stage: str, after: str | None, channel: str | None, action: str) -> Change:
    def change(data: Data) -> None:
        _stage(data, stage)
        order = display_order(data)
        stage_of = {tp["id"]: tp["stage"] for tp in data["touchpoints"]}
        if after is not None:
            _tp(data, after)
            if stage_of[after] != stage:
                raise ValueError(f"touchpoint '{after}' is not in stage '{stage}'")
            anchor: str | None = after
        else:
            in_stage = [t for t in order if stage_of[t] == stage]
            anchor = in_stage[-1] if in_stage else _last_before_stage(data, order, stage)
        new_id = _new_tp_id(data, stage)
        near = _tp(data, anchor) if anchor is not None else None
        new: Data = {"id": new_id, "stage": stage, "channel": channel or (near or data["touchpoints"][0])["channel"],
                     "action": action, "evidence": "proposed"}
        tps = data["touchpoints"]
        if after is not None:
            tps.insert(tps.index(_tp(data, after)) + 1, new)
        else:
            in_stage_idx = [i for i, tp in enumerate(tps) if tp["stage"] == stage]
            tps.insert(in_stage_idx[-1] + 1 if in_stage_idx else len(tps), new)
        _link_in(data, order, anchor, new)

    return change


def _last_before_stage(data: Data, order: list[str], stage: str) -> str | None:
    stages = sorted(enumerate(data["stages"]), key=lambda p: (p[1].get("order") or 0, p[0]))
    rank = {s["id"]: i for i, (_, s) in enumerate(stages)}
    stage_of = {tp["id"]: tp["stage"] for tp in data["touchpoints"]}
    before = [t for t in order if rank[stage_of[t]] < rank[stage]]
    return before[-1] if before else None


def _link_in(data: Data, order: list[str], anchor: str | None, new: Data) -> None:
    """Splice ``new`` into the flow right after ``anchor`` (or before the first touchpoint)."""
    transitions = data["transitions"]
    if anchor is None:  # nothing before it: it becomes the way in to the first touchpoint
        first = _tp(data, order[0])
        transitions.append({"from": new["id"], "to": first["id"], "share": 1.0, "pain_points": []})
        if first.get("entry_share") is not None:
            new["entry_share"], first["entry_share"] = first["entry_share"], None
        return
    outs = [tr for tr in transitions if tr["from"] == anchor]
    following = order[order.index(anchor) + 1] if order.index(anchor) + 1 < len(order) else None
    through = next((tr for tr in outs if tr["to"] == following), None)
    if through is None and outs:
        through = max(outs, key=lambda tr: tr["share"])
    if through is None:  # an exit: the new touchpoint follows it
        transitions.append({"from": anchor, "to": new["id"], "share": 1.0, "pain_points": []})
        return
    onward = {"from": new["id"], "to": through["to"], "share": 1.0, "context": through.get("context", "full"),
              "recognised": through.get("recognised", True), "pain_points": through.get("pain_points", [])}
    through.update({"to": new["id"], "context": "full", "recognised": True, "pain_points": []})
    transitions.insert(transitions.index(through) + 1, onward)


def delete_touchpoint(tp_id: str) -> Change:
    def change(data: Data) -> None:
        tp = _tp(data, tp_id)
        data["touchpoints"].remove(tp)
        transitions = data["transitions"]
        ins = [tr for tr in transitions if tr["to"] == tp_id and tr["from"] != tp_id]
        outs = [tr for tr in transitions if tr["from"] == tp_id and tr["to"] != tp_id]
        gone = {p["id"] for p in tp.get("pain_points", [])}
        gone |= {p["id"] for tr in transitions if tp_id in (tr["from"], tr["to"]) for p in tr.get("pain_points", [])}
        kept = [tr for tr in transitions if tp_id not in (tr["from"], tr["to"])]
        for a in ins:
            for b in outs:
                if a["from"] == b["to"]:
                    continue  # a loop through the deleted touchpoint closes on itself: drop it
                share = a["share"] * b["share"]
                existing = next((tr for tr in kept if tr["from"] == a["from"] and tr["to"] == b["to"]), None)
                if existing is not None:
                    existing["share"] = min(1.0, existing["share"] + share)
                else:
                    kept.append({"from": a["from"], "to": b["to"], "share": share,
                                 "context": b.get("context", "full"), "recognised": b.get("recognised", True),
                                 "pain_points": []})
        data["transitions"] = kept
        for opp in data.get("opportunities", []):
            opp["addresses"] = [p for p in opp["addresses"] if p not in gone]

    return change


def move_touchpoint(tp_id: str, stage: str, before: str | None) -> Change:
    def change(data: Data) -> None:
        tp = _tp(data, tp_id)
        _stage(data, stage)
        tps = data["touchpoints"]
        if before is not None:
            anchor = _tp(data, before)
            if anchor is tp:
                return
            if anchor["stage"] != stage:
                raise ValueError(f"touchpoint '{before}' is not in stage '{stage}'")
        tps.remove(tp)
        tp["stage"] = stage
        if before is not None:
            tps.insert(tps.index(_tp(data, before)), tp)
        else:
            in_stage = [i for i, t in enumerate(tps) if t["stage"] == stage]
            tps.insert(in_stage[-1] + 1 if in_stage else len(tps), tp)

    return change


def add_transition(source: str, target: str, share: Any) -> Change:
    def change(data: Data) -> None:
        _tp(data, source)
        _tp(data, target)
        if any(tr["from"] == source and tr["to"] == target for tr in data["transitions"]):
            raise ValueError(f"there is already a transition {source} → {target}")
        left = 1.0 - sum(tr["share"] for tr in data["transitions"] if tr["from"] == source)
        data["transitions"].append({"from": source, "to": target, "pain_points": [],
                                    "share": share if share is not None else round(max(0.0, left), 6)})

    return change


def remove_transition(key: str) -> Change:
    def change(data: Data) -> None:
        tr = _transition(data, key)
        data["transitions"].remove(tr)
        gone = {p["id"] for p in tr.get("pain_points", [])}
        for opp in data.get("opportunities", []):
            opp["addresses"] = [p for p in opp["addresses"] if p not in gone]

    return change


def add_pain(owner: str, fields: dict[str, Any]) -> Change:
    def change(data: Data) -> None:
        holder = _transition(data, owner) if "->" in owner else _tp(data, owner)
        taken = {p["id"] for o in (*data["touchpoints"], *data["transitions"]) for p in o.get("pain_points", [])}
        base = owner.replace("->", "_to_")
        holder.setdefault("pain_points", []).append(
            {"id": _fresh_id(base, taken, "pain"), "text": "?", "severity": 3, "frequency": 0.5, **fields})

    return change


def remove_pain(pain_id: str) -> Change:
    def change(data: Data) -> None:
        owner, pain = _pain(data, pain_id)
        owner["pain_points"].remove(pain)
        for opp in data.get("opportunities", []):
            opp["addresses"] = [p for p in opp["addresses"] if p != pain_id]

    return change


def add_opportunity(pain_id: str, fields: dict[str, Any]) -> Change:
    def change(data: Data) -> None:
        _pain(data, pain_id)
        opps = data.setdefault("opportunities", [])
        taken = {o["id"] for o in opps}
        opps.append({"id": _fresh_id(pain_id, taken, "opp"), "text": "?", "addresses": [pain_id], "value": 3,
                     "effort": 3, **fields})

    return change


def resolve_comment(comment_id: str, resolved: Any = True) -> Change:
    """Mark a workshop comment resolved (or open again, ``resolved=False``)."""
    if not isinstance(resolved, bool):
        raise ValueError(f"resolved must be true or false (got {resolved!r})")

    def change(data: Data) -> None:
        for comment in data.get("comments", []):
            if comment["id"] == comment_id:
                comment["resolved"] = resolved
                return
        raise KeyError(f"no comment '{comment_id}' (deleted or renamed since)")

    return change


def _updater(find: Callable[[Data, str], Any], target: str, fields: dict[str, Any]) -> Change:
    def change(data: Data) -> None:
        found = find(data, target)
        obj = found[1] if isinstance(found, tuple) else found
        obj.update(fields)

    return change


def change_for(op: str, target: str, fields: dict[str, Any]) -> Change:
    """The change for one canvas op (fields already checked against the op's allowed names)."""
    _check_text(fields, "action", "thoughts", "name", "goal", "text", "old")
    if op == "set_touchpoint":
        return _updater(_tp, target, fields)
    if op == "set_stage":
        return _updater(_stage, target, fields)
    if op == "set_transition":
        return _updater(_transition, target, fields)
    if op == "set_pain":
        return _updater(_pain, target, fields)
    if op == "set_opportunity":
        return _updater(_opportunity, target, fields)
    if op == "add_touchpoint":
        stage = fields.get("stage", target)
        after = fields.get("after")
        return add_touchpoint(str(stage), None if after in (None, "") else str(after), fields.get("channel"),
                              str(fields.get("action") or "New touchpoint"))
    if op == "delete_touchpoint":
        return delete_touchpoint(target)
    if op == "move_touchpoint":
        before = fields.get("before")
        return move_touchpoint(target, str(fields.get("stage", "")), None if before in (None, "") else str(before))
    if op == "add_transition":
        return add_transition(target, str(fields.get("to", "")), fields.get("share"))
    if op == "remove_transition":
        return remove_transition(target)
    if op == "add_pain":
        return add_pain(target, fields)
    if op == "remove_pain":
        return remove_pain(target)
    if op == "add_opportunity":
        return add_opportunity(target, fields)
    if op in STAGE_OPS:
        from journeymap.widgets.canvas.stages import change_for as stage_change

        return stage_change(op, target, fields)
    if op == "remove_opportunity":
        def change(data: Data) -> None:
            data["opportunities"].remove(_opportunity(data, target))

        return change
    if op == "resolve_comment":
        return resolve_comment(target, fields.get("resolved", True))
    raise ValueError(f"unknown edit '{op}'")

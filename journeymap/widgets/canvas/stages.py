"""The canvas edits on stages (add, move, delete) and on a touchpoint's backstage items, as changes of plain data.

Like :mod:`journeymap.widgets.canvas.edits`: each function returns a change for
:meth:`EditSession.apply <journeymap.widgets.session.EditSession.apply>`, every object is found by id, and a
missing one raises ``KeyError`` ("deleted or renamed since") so a stale edit is refused, never moved onto
something else. Backstage items have no ids: an edit names the touchpoint, the item's position and the text the
browser showed there (``old``), and is refused when that item no longer reads so.

Stages are written to the file left to right with ``order`` = position, so a file that left ``order`` out
(implied by position) keeps it out when saved.
"""

from __future__ import annotations

from typing import Any

from journeymap.widgets.canvas.edits import Change, Data, _stage, _tp


def _ordered_stages(data: Data) -> list[Data]:
    """The stages left to right (by ``order``, ties in file order), as the canvas shows them."""
    return [s for _, s in sorted(enumerate(data["stages"]), key=lambda p: (p[1].get("order") or 0, p[0]))]


def _place_stages(data: Data, stages: list[Data]) -> None:
    """Write ``stages`` in this order: the file lists them left to right, each ``order`` its position."""
    for i, stage in enumerate(stages):
        stage["order"] = i
    data["stages"] = stages


def add_stage(name: str, after: str | None) -> Change:
    """A new empty stage right after the stage ``after`` (``None``: at the end); its id made from its name."""
    from journeymap.frames import slug

    def change(data: Data) -> None:
        stages = _ordered_stages(data)
        pos = len(stages) if after is None else stages.index(_stage(data, after)) + 1
        taken = {s["id"] for s in data["stages"]}
        base = slug(name)[:72]
        new_id, n = base, 2
        while new_id in taken:
            new_id, n = f"{base}_{n}", n + 1
        stages.insert(pos, {"id": new_id, "name": name, "goal": "", "order": pos, "metrics": None})
        _place_stages(data, stages)

    return change


def move_stage(stage_id: str, before: str | None) -> Change:
    """Move a stage to just before the stage ``before`` (``None``: last)."""

    def change(data: Data) -> None:
        stage = _stage(data, stage_id)
        anchor = _stage(data, before) if before is not None else None
        if anchor is stage:
            return
        stages = [s for s in _ordered_stages(data) if s is not stage]
        stages.insert(len(stages) if anchor is None else stages.index(anchor), stage)
        _place_stages(data, stages)

    return change


def delete_stage(stage_id: str) -> Change:
    """Delete an empty stage; one that still holds touchpoints is refused (nothing is deleted with it)."""

    def change(data: Data) -> None:
        stage = _stage(data, stage_id)
        n = sum(tp["stage"] == stage_id for tp in data["touchpoints"])
        if n:
            what = "touchpoint" if n == 1 else "touchpoints"
            raise ValueError(f"stage '{stage['name']}' is not empty: move or delete its {n} {what} first")
        _place_stages(data, [s for s in _ordered_stages(data) if s is not stage])

    return change


def _backstage_item(tp: Data, fields: dict[str, Any]) -> int:
    """The index of the backstage item an edit names, checked against the text the browser showed there."""
    index, items = fields.get("index"), tp.get("backstage", [])
    if isinstance(index, bool) or not isinstance(index, int):
        raise ValueError(f"index must be a whole number (got {index!r})")
    if not 0 <= index < len(items) or ("old" in fields and items[index] != fields["old"]):
        raise KeyError(f"no backstage item {fields.get('old', index)!r} on '{tp['id']}' (deleted or renamed since)")
    return index


def backstage(op: str, tp_id: str, fields: dict[str, Any]) -> Change:
    """``add_backstage`` (append ``text``), ``set_backstage`` / ``remove_backstage`` (the item at ``index``,
    which must still read ``old`` when it is given: a stale edit never lands on another item)."""

    def change(data: Data) -> None:
        tp = _tp(data, tp_id)
        items = tp.setdefault("backstage", [])
        if op == "add_backstage":
            items.append(fields.get("text", "?"))
        elif op == "set_backstage":
            items[_backstage_item(tp, fields)] = fields.get("text", "")
        else:
            del items[_backstage_item(tp, fields)]

    return change


def change_for(op: str, target: str, fields: dict[str, Any]) -> Change:
    """The change for a stage or backstage op (fields already checked against the op's allowed names)."""
    if op == "add_stage":
        after = fields.get("after")
        return add_stage(fields.get("name", "New stage"), None if after in (None, "") else str(after))
    if op == "move_stage":
        before = fields.get("before")
        return move_stage(target, None if before in (None, "") else str(before))
    if op == "delete_stage":
        return delete_stage(target)
    return backstage(op, target, fields)

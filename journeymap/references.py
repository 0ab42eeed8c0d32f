"""Cross-reference checks of journey data: ids unique, references resolvable, shares ≤ 1.

They work on plain data (the file's dicts) so they can run even when some
fields failed type validation: a user sees every problem of a file at once.

Example
-------
>>> data = {"stages": [{"id": "s"}], "touchpoints": [{"id": "t", "stage": "x", "channel": "web"}]}
>>> [(e["loc"], e["input"]) for e in reference_errors(data)]
[(('touchpoints', 0, 'stage'), 'x'), (('touchpoints', 0, 'channel'), 'web')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from journeymap.channels import CATALOGUE
from journeymap.model_room import room_errors
from journeymap.safety import suggest

if TYPE_CHECKING:
    from journeymap.model import Journey


def reference_error(loc: tuple, value: object, expected: str, what: str = "unknown") -> InitErrorDetails:
    """One error for a bad reference at ``loc`` (a pydantic error location)."""
    msg = f"{what} value; expected {expected}"
    return InitErrorDetails(type=PydanticCustomError("reference", "{msg}", {"msg": msg}), loc=loc, input=value)


def as_details(exc: ValidationError) -> list[InitErrorDetails]:
    """The errors of ``exc`` in a form that can be raised again together with others."""
    return [
        InitErrorDetails(
            type=PydanticCustomError(err["type"], "{msg}", {"msg": err["msg"]}),
            loc=tuple(err["loc"]),
            input=err["input"],
        )
        for err in exc.errors(include_url=False)
    ]


def raise_all(title: str, errors: list[InitErrorDetails]) -> None:
    """Raise one ``ValidationError`` holding ``errors`` (nothing if the list is empty)."""
    if errors:
        raise ValidationError.from_exception_data(title, errors)


def _items(data: dict, key: str) -> list[tuple[int, dict]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _ids(data: dict, key: str) -> list[str]:
    return [item["id"] for _, item in _items(data, key) if isinstance(item.get("id"), str)]


def unknown_id(loc: tuple, value: object, ids: list[str], what: str) -> InitErrorDetails:
    """An unknown ``what`` id at ``loc``, suggesting the closest valid ids ("did you mean 'x'?")."""
    msg = f"unknown {what}; {suggest(value, ids)}"
    return InitErrorDetails(type=PydanticCustomError("reference", "{msg}", {"msg": msg}), loc=loc, input=value)


def _duplicates(data: dict, key: str) -> list[InitErrorDetails]:
    seen: set[str] = set()
    errors = []
    for i, item in _items(data, key):
        value = item.get("id")
        if not isinstance(value, str):
            continue
        if value in seen:
            errors.append(reference_error((key, i, "id"), value, "a unique id", "duplicate"))
        seen.add(value)
    return errors


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def reference_errors(data: dict) -> list[InitErrorDetails]:
    """Every broken cross-reference in journey ``data`` (keys as in files: ``from``/``to``)."""
    stage_ids, tp_ids = _ids(data, "stages"), _ids(data, "touchpoints")
    errors = []
    for key in ("stages", "touchpoints", "channels", "opportunities", "sources"):
        errors += _duplicates(data, key)
    custom = _ids(data, "channels")
    errors += [
        reference_error(("channels", i, "id"), c["id"], "a new id (this one is built in)", "built-in")
        for i, c in _items(data, "channels")
        if c.get("id") in CATALOGUE
    ]
    channel_ok = set(CATALOGUE) | set(custom)
    stage_set = set(stage_ids)
    for i, tp in _items(data, "touchpoints"):
        if isinstance(tp.get("stage"), str) and tp["stage"] not in stage_set:
            errors.append(unknown_id(("touchpoints", i, "stage"), tp["stage"], stage_ids, "stage"))
        if isinstance(tp.get("channel"), str) and tp["channel"] not in channel_ok:
            errors.append(unknown_id(("touchpoints", i, "channel"), tp["channel"], sorted(channel_ok),
                                     "channel (see `journeymap channels`, or add it under channels:)"))
    errors += _entry_errors(data)
    errors += _transition_errors(data, tp_ids)
    errors += _pain_errors(data)
    errors += _source_errors(data)
    errors += room_errors(data)
    return errors


def _source_errors(data: dict) -> list[InitErrorDetails]:
    """``observed.source`` and ``metrics.source`` name one of the journey's ``sources``."""
    known = _ids(data, "sources")
    errors = []
    for owner in ("stages", "touchpoints", "transitions"):
        for i, item in _items(data, owner):
            for block in ("observed", "metrics"):
                value = item.get(block)
                ref = value.get("source") if isinstance(value, dict) else None
                if isinstance(ref, str) and ref and ref not in known:
                    errors.append(unknown_id((owner, i, block, "source"), ref, known, "source (see sources:)"))
    return errors


def _transition_errors(data: dict, tp_ids: list[str]) -> list[InitErrorDetails]:
    errors = []
    out_share: dict[str, float] = {}
    first_index: dict[str, int] = {}
    seen_pairs: set[tuple[str, str]] = set()
    tp_set = set(tp_ids)
    for i, tr in _items(data, "transitions"):
        src, tgt = tr.get("from"), tr.get("to")
        for field, value in (("from", src), ("to", tgt)):
            if isinstance(value, str) and value not in tp_set:
                errors.append(unknown_id(("transitions", i, field), value, tp_ids, "touchpoint"))
        if not (isinstance(src, str) and isinstance(tgt, str)):
            continue
        if (src, tgt) in seen_pairs:
            errors.append(reference_error(("transitions", i), f"{src}->{tgt}", "each from->to pair once",
                                          "duplicate"))
        seen_pairs.add((src, tgt))
        out_share[src] = out_share.get(src, 0.0) + _number(tr.get("share", 1.0))
        first_index.setdefault(src, i)
    for src, total in out_share.items():
        if total > 1 + 1e-9:
            errors.append(reference_error(("transitions", first_index[src], "share"), round(total, 6),
                                          f"shares leaving '{src}' to sum to at most 1", "too large"))
    return errors


def _pain_errors(data: dict) -> list[InitErrorDetails]:
    errors = []
    pain_ids: set[str] = set()
    for owner in ("touchpoints", "transitions"):
        for i, item in _items(data, owner):
            for k, pain in _items(item, "pain_points"):
                pid = pain.get("id")
                if not isinstance(pid, str):
                    continue
                if pid in pain_ids:
                    errors.append(reference_error((owner, i, "pain_points", k, "id"), pid,
                                                  "a unique pain point id", "duplicate"))
                pain_ids.add(pid)
    known = sorted(pain_ids)
    for i, opp in _items(data, "opportunities"):
        addresses = opp.get("addresses")
        for k, pid in enumerate(addresses if isinstance(addresses, list) else []):
            if isinstance(pid, str) and pid not in pain_ids:
                errors.append(unknown_id(("opportunities", i, "addresses", k), pid, known, "pain point"))
    return errors


def _entry_errors(data: dict) -> list[InitErrorDetails]:
    given = [(i, tp["entry_share"]) for i, tp in _items(data, "touchpoints")
             if isinstance(tp.get("entry_share"), int | float) and not isinstance(tp.get("entry_share"), bool)]
    total = sum(share for _, share in given)
    if total > 1 + 1e-9:
        return [reference_error(("touchpoints", given[0][0], "entry_share"), round(total, 6),
                                "entry shares to sum to at most 1 (they are shares of all customers)", "too large")]
    return []


def loop_message(members: list[str]) -> str:
    """What is wrong with a loop customers can never leave.

    >>> loop_message(["a", "b"])
    'customers who reach a, b loop forever: lower a share in this loop or add a way out'
    """
    names = ", ".join(members[:6]) + (f", … ({len(members)} touchpoints)" if len(members) > 6 else "")
    return f"customers who reach {names} loop forever: lower a share in this loop or add a way out"


def closed_loops(journey: Journey) -> list[list[str]]:
    """Loops whose shares leave no way out (each as its sorted touchpoint ids); the flow cannot be solved.

    A loop (strongly connected set of touchpoints) can be left if some member sends
    less than all of its customers on to other members.
    """
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(tp.id for tp in journey.touchpoints)
    g.add_edges_from((tr.source, tr.target) for tr in journey.transitions if tr.share > 0)
    comp_of: dict[str, int] = {}
    comps = []
    for comp in nx.strongly_connected_components(g):
        if len(comp) > 1 or any(g.has_edge(m, m) for m in comp):
            comps.append(comp)
            comp_of.update(dict.fromkeys(comp, len(comps) - 1))
    kept: dict[str, float] = {}
    for tr in journey.transitions:
        if tr.share > 0 and tr.source in comp_of and comp_of.get(tr.target) == comp_of[tr.source]:
            kept[tr.source] = kept.get(tr.source, 0.0) + tr.share
    return [sorted(comp) for comp in comps if all(kept.get(m, 0.0) >= 1 - 1e-12 for m in comp)]


def endless_loops(journey: Journey) -> list[tuple[tuple, str, str]]:
    """``(field location, message, value)`` for each loop of :func:`closed_loops` (its first transition)."""
    found = []
    for members in closed_loops(journey):
        inside = set(members)
        i, tr = next((i, tr) for i, tr in enumerate(journey.transitions)
                     if tr.source in inside and tr.target in inside and tr.share > 0)
        found.append((("transitions", i), loop_message(members), tr.key))
    return found

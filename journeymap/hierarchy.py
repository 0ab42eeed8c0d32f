"""Journey hierarchy: a touchpoint's (or stage's) ``detail`` names a sub-journey file; load, flatten, roll up.

A parent step with ``detail: sub.yaml`` is *detailed* by the sub-journey in
``sub.yaml`` (a path relative to the parent file); a stage's ``detail`` is its
one touchpoint's (a lifecycle journey: one summary step per stage). See docs/hierarchy.md for
the exact flow model; in short, for a detailed step ``P`` with child ``C``:

* **In.** Customers arriving at ``P`` (by a transition or as an entry) start
  ``C`` at its entries, split by ``C``'s entry distribution.
* **Out.** ``C``'s *finish* touchpoints are its ``conversion`` touchpoints if
  it marks any, else its exits. A customer whose run through ``C`` ends at a
  finish touchpoint leaves the step along ``P``'s outgoing transitions with
  ``P``'s shares; one who ends elsewhere drops out. So the share of customers
  who get through the step is ``through(C) = Σ endings_C(t)`` over finish ``t``.
* **Conversion.** ``C``'s conversion touchpoints count as conversions of the
  whole journey; if ``P`` itself is marked ``conversion``, ``C``'s finish
  touchpoints are too.

:func:`flatten` builds that as one plain :class:`~journeymap.model.Journey`
(child ids prefixed ``P.``); :func:`rollup` computes the same figures per parent
step without flattening the parent, and they agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from journeymap.errors import JourneyError, Problem, format_loc, lower_first
from journeymap.graph import exits
from journeymap.model import Journey, Touchpoint, Transition
from journeymap.scoring import flow

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.io import PathLike


@dataclass
class JourneyTree:
    """A journey and the sub-journeys its touchpoints detail (keyed by touchpoint id), recursively."""

    path: Path
    journey: Journey
    children: dict[str, JourneyTree] = field(default_factory=dict)

    def walk(self) -> list[JourneyTree]:
        """This node and every node below it, depth first."""
        return [self, *(node for child in self.children.values() for node in child.walk())]


def _detail_line(path: Path, loc: tuple) -> int | None:
    from journeymap.io import read_document

    try:
        return read_document(path).line(loc)
    except (JourneyError, OSError):
        return None


def details(journey: Journey) -> dict[str, str]:
    """The sub-journey file detailing each step: its own ``detail``, or its stage's when it is the stage's one step.

    >>> import journeymap as jm
    >>> j = jm.load(jm.shipped_journey("hotel_stay"))
    >>> details(j)
    {}
    """
    return {tp_id: file for tp_id, (file, _loc) in _links(journey, []).items()}


def _links(journey: Journey, clashes: list[tuple[tuple, str, str]]) -> dict[str, tuple[str, tuple]]:
    """Per touchpoint id: ``(file, loc)`` of the detail that applies; stage links that cannot apply: ``clashes``."""
    links = {tp.id: (tp.detail, ("touchpoints", i, "detail")) for i, tp in enumerate(journey.touchpoints) if tp.detail}
    for i, stage in enumerate(journey.stages):
        if stage.detail is None:
            continue
        steps = [tp for tp in journey.touchpoints if tp.stage == stage.id]
        loc = ("stages", i, "detail")
        if len(steps) != 1:
            clashes.append((loc, stage.detail, f"a stage's detail needs exactly one touchpoint in the stage (it has "
                                               f"{len(steps)}); put detail on the touchpoint it details"))
        elif steps[0].id in links:
            clashes.append((loc, stage.detail, f"the stage's one touchpoint {steps[0].id!r} names its own detail; "
                                               "keep one of the two"))
        else:
            links[steps[0].id] = (stage.detail, loc)
    return links


def _load(path: Path, chain: tuple[Path, ...], problems: list[Problem], personas: PathLike | None = None
          ) -> JourneyTree | None:
    from journeymap.io import load

    journey = load(path, personas)
    node = JourneyTree(path, journey)
    clashes: list[tuple[tuple, str, str]] = []
    for tp_id, (detail, loc) in _links(journey, clashes).items():
        target = (path.parent / detail).resolve()
        where = format_loc(loc)
        why = None
        here = (*chain, path.resolve())
        if target in here:
            names = " → ".join(p.name for p in (*here[here.index(target):], target))
            why = f"the sub-journeys link back in a cycle ({names})"
        elif not target.is_file():
            why = "no such sub-journey file (a path relative to this file)"
        if why is None:
            try:
                child = _load(target, (*chain, path.resolve()), problems, personas)
            except JourneyError as exc:
                why = f"not a valid journey: {exc.problems[0]}"
            else:
                if child is not None:
                    node.children[tp_id] = child
                continue
        problems.append(Problem(str(path), where, why, detail, _detail_line(path, loc)))
    problems += [Problem(str(path), format_loc(loc), why, detail, _detail_line(path, loc))
                 for loc, detail, why in clashes]
    return node


def load_tree(path: PathLike, personas: PathLike | None = None) -> JourneyTree:
    """Load a journey and, recursively, the sub-journeys its touchpoints' ``detail`` name.

    Missing files, files that are not valid journeys and cycles (``a → b → a``)
    raise one :class:`JourneyError` listing every problem, each naming the
    file, ``touchpoints[i].detail`` and the value. ``personas`` is passed to
    :func:`journeymap.load` for every file. :func:`journeymap.validate` (and
    ``journeymap validate``) run this for a journey with a ``detail``.
    """
    problems: list[Problem] = []
    tree = _load(Path(path), (), problems, personas)
    if problems:
        raise JourneyError(problems)
    assert tree is not None
    return tree


# -- the child's figures, per customer entering it ---------------------------
def _finish(child: Journey) -> list[str]:
    marked = [tp.id for tp in child.touchpoints if tp.conversion]
    return marked or exits(child)


def _left(journey: Journey) -> dict[str, float]:
    out = {tp.id: 0.0 for tp in journey.touchpoints}
    for tr in journey.transitions:
        out[tr.source] += tr.share
    return out


def _ports(tree: JourneyTree) -> tuple[dict[str, list], dict[str, list]]:
    """Per parent touchpoint: in-ports ``[(flat id, weight)]`` and out-ports ``[(flat id, weight)]``."""
    ins: dict[str, list] = {}
    outs: dict[str, list] = {}
    for tp in tree.journey.touchpoints:
        sub = tree.children.get(tp.id)
        if sub is None:
            ins[tp.id] = [(tp.id, 1.0)]
            outs[tp.id] = [(tp.id, 1.0)]
            continue
        child = flatten(sub)
        left = _left(child)
        ins[tp.id] = [(f"{tp.id}.{e}", d) for e, d in flow.entry_distribution(child).items()]
        outs[tp.id] = [(f"{tp.id}.{t}", max(0.0, 1.0 - left[t])) for t in _finish(child)]
    return ins, outs


def _prefixed(child: Journey, prefix: str, stage: str, converts: bool) -> tuple[list, list, list, list]:
    """The child's touchpoints, transitions, opportunities and sources renamed ``prefix.id``."""
    finish = set(_finish(child))
    sources = [s.model_copy(update={"id": f"{prefix}.{s.id}"}) for s in child.sources]

    def sourced(block: Any) -> Any:
        if block is None or not block.source:
            return block
        return block.model_copy(update={"source": f"{prefix}.{block.source}"})

    def pains(items: list) -> list:
        return [p.model_copy(update={"id": f"{prefix}.{p.id}"}) for p in items]

    tps = [tp.model_copy(update={
        "id": f"{prefix}.{tp.id}", "stage": stage, "entry_share": None, "detail": None,
        "conversion": tp.conversion or (converts and tp.id in finish), "pain_points": pains(tp.pain_points),
        "observed": sourced(tp.observed), "metrics": sourced(tp.metrics)}) for tp in child.touchpoints]
    trs = [tr.model_copy(update={"source": f"{prefix}.{tr.source}", "target": f"{prefix}.{tr.target}",
                                 "pain_points": pains(tr.pain_points), "observed": sourced(tr.observed)})
           for tr in child.transitions]
    opps = [o.model_copy(update={"id": f"{prefix}.{o.id}", "addresses": [f"{prefix}.{a}" for a in o.addresses]})
            for o in child.opportunities]
    return tps, trs, opps, sources


def flatten(tree: JourneyTree) -> Journey:
    """One plain journey: each detailed touchpoint ``P`` replaced by its sub-journey's touchpoints.

    Child ids become ``P.id`` (touchpoints, pain points, opportunities,
    sources); child touchpoints sit in ``P``'s stage. A parent transition
    ``X → Y`` with share ``s`` becomes ``a → b`` with share ``s·wa·wb`` for every
    out-port ``(a, wa)`` of ``X`` and in-port ``(b, wb)`` of ``Y``: a plain
    touchpoint is its own port with weight 1; a detailed one enters at the
    child's entries (weight: entry distribution) and leaves from its finish
    touchpoints (weight: ``1 − Σ`` shares already leaving it in the child).
    Entry shares are written out explicitly from the parent's entry distribution.
    """
    parent = tree.journey
    if not tree.children:
        return parent
    ins, outs = _ports(tree)
    start = flow.entry_distribution(parent)
    touchpoints: list[Touchpoint] = []
    moves: dict[tuple[str, str], Transition] = {}
    opportunities = list(parent.opportunities)
    sources = list(parent.sources)
    channels = {c.id: c for c in parent.channels}
    for tp in parent.touchpoints:
        sub = tree.children.get(tp.id)
        if sub is None:
            touchpoints.append(tp.model_copy(update={"entry_share": start.get(tp.id) or None}))
            continue
        child = flatten(sub)
        tps, trs, opps, srcs = _prefixed(child, tp.id, tp.stage, tp.conversion)
        entry = dict(ins[tp.id])
        touchpoints += [t.model_copy(update={"entry_share": min(1.0, start.get(tp.id, 0.0) * entry.get(t.id, 0.0))
                                             or None}) for t in tps]
        moves.update({(tr.source, tr.target): tr for tr in trs})
        opportunities += opps
        sources += srcs
        for ch in child.channels:
            channels.setdefault(ch.id, ch)
    renamed: dict[str, list[str]] = {}
    for tr in parent.transitions:
        copies = [(a, wa, b, wb) for a, wa in outs[tr.source] for b, wb in ins[tr.target]]
        for a, wa, b, wb in copies:
            share = tr.share * wa * wb
            pains = tr.pain_points
            if len(copies) > 1 and pains:  # each copy of the move carries its pain points, under unique ids
                pains = [p.model_copy(update={"id": f"{p.id}.{a}.{b}"}) for p in pains]
                for p in tr.pain_points:
                    renamed.setdefault(p.id, []).append(f"{p.id}.{a}.{b}")
            old = moves.get((a, b))
            if old is not None:  # a self-loop on a detailed step meeting a child transition: flows add
                moves[(a, b)] = old.model_copy(update={"share": min(1.0, old.share + share),
                                                       "pain_points": [*old.pain_points, *pains]})
            else:
                moves[(a, b)] = tr.model_copy(update={"source": a, "target": b, "share": min(1.0, share),
                                                      "pain_points": pains})
    opportunities = [o.model_copy(update={"addresses": [n for x in o.addresses for n in renamed.get(x, [x])]})
                     for o in opportunities]
    data = parent.model_dump(by_alias=True, exclude={"touchpoints", "transitions", "opportunities", "sources",
                                                     "channels"})
    try:
        return _validated(tree, data, touchpoints, moves, opportunities, sources, channels)
    except ValidationError as exc:  # e.g. a prefixed id longer than 80 characters
        raise JourneyError([Problem(str(tree.path), format_loc(tuple(err["loc"])), lower_first(err["msg"]),
                                    err["input"] if isinstance(err["input"], str) else None)
                            for err in exc.errors(include_url=False)]) from None


def _validated(tree: JourneyTree, data: dict, touchpoints: list, moves: dict, opportunities: list, sources: list,
               channels: dict) -> Journey:
    return Journey.model_validate({
        **data, "touchpoints": [t.model_dump(by_alias=True) for t in touchpoints],
        "transitions": [t.model_dump(by_alias=True) for t in moves.values()],
        "opportunities": [o.model_dump(by_alias=True) for o in opportunities],
        "sources": [s.model_dump(by_alias=True) for s in sources],
        "channels": [c.model_dump(by_alias=True) for c in channels.values()]})


@dataclass
class _Child:
    journey: Journey
    reach: dict[str, float]
    through: float
    converts: float   # conversions per entering customer, counting finish touchpoints if the parent step converts
    ends: float       # share ending at the child's exits (used when nothing is marked conversion anywhere)
    marked: bool
    friction: float
    pains: int


def _child(sub: JourneyTree, converts: bool) -> _Child:
    from journeymap.scoring.report import score

    child = flatten(sub)
    report = score(child)
    reach = report.reach
    ending = flow.endings(child, reach)
    finish = _finish(child)
    marked = {tp.id for tp in child.touchpoints if tp.conversion} | (set(finish) if converts else set())
    return _Child(child, reach, sum(ending[t] for t in finish), sum(reach[t] for t in marked),
                  sum(ending[t] for t in exits(child)), bool(marked), report.total, len(child.pain_points()))


def rollup(tree: JourneyTree) -> pd.DataFrame:
    """Per parent touchpoint: reach, friction, the child's conversion and pain count, fed by the parent's flow.

    Columns: ``stage``, ``channel``, ``detail`` (the file, or ``""``), ``reach``
    (customers arriving at the step, per customer of the parent), ``through``
    (share of those who get through a detailed step), ``friction`` (the step's,
    or the child's reach-weighted total), ``child_conversion`` (the child's
    conversions per customer entering it) and ``pain`` (pain points at the step,
    the child's all included). ``attrs["expected_conversion"]`` equals
    ``score(flatten(tree)).expected_conversion``.
    """
    import pandas as pd

    from journeymap.scoring.report import score

    parent = tree.journey
    kids = {tp_id: _child(sub, parent.touchpoint(tp_id).conversion) for tp_id, sub in tree.children.items()}
    collapsed = parent.model_copy(update={"transitions": [
        tr.model_copy(update={"share": tr.share * kids[tr.source].through}) if tr.source in kids else tr
        for tr in parent.transitions]})
    report = score(collapsed)
    reach = report.reach
    own = report.by_touchpoint["friction"].to_dict()
    linked = details(parent)
    rows = []
    for tp in parent.touchpoints:
        kid = kids.get(tp.id)
        rows.append({
            "id": tp.id, "stage": tp.stage, "channel": tp.channel, "detail": linked.get(tp.id, ""),
            "reach": reach[tp.id], "through": kid.through if kid else float("nan"),
            "friction": kid.friction if kid else float(own[tp.id]),
            "child_conversion": kid.converts if kid else float("nan"),
            "pain": kid.pains if kid else len(tp.pain_points)})
    df = pd.DataFrame(rows).set_index("id")
    # as in the flattened journey: a detailed step's own mark counts only through its child's finish touchpoints
    marked = (any(tp.conversion for tp in parent.touchpoints if tp.id not in kids)
              or any(k.marked for k in kids.values()))
    if marked:
        total = sum(reach[tp.id] * (kids[tp.id].converts if tp.id in kids else 1.0)
                    for tp in parent.touchpoints if tp.conversion or (tp.id in kids and kids[tp.id].marked))
    else:
        ends = set(exits(parent))
        total = sum(reach[t] * (kids[t].ends if t in kids else 1.0) for t in ends)
    df.attrs["expected_conversion"] = float(total)
    return df

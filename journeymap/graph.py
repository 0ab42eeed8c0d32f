"""Journeys as graphs (networkx).

Two views:

* :func:`to_networkx` — the full, typed graph: persona, stage, touchpoint,
  channel, pain point and opportunity nodes, linked by ``next``, ``in_stage``,
  ``on_channel``, ``has_pain``, ``addresses`` and ``experiences`` edges.
* :func:`flow_graph` — touchpoints only, linked by transitions (the customer flow).

Node keys are ``"<type>:<id>"`` in the full graph and plain touchpoint ids in the flow graph.

Example
-------
>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> g = jm.to_networkx(j)
>>> sorted({d["type"] for _, d in g.nodes(data=True)})
['channel', 'opportunity', 'pain_point', 'persona', 'stage', 'touchpoint']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from journeymap.model import Journey, Transition

NODE_TYPES = ("persona", "stage", "touchpoint", "channel", "pain_point", "opportunity")
EDGE_TYPES = ("next", "in_stage", "on_channel", "has_pain", "addresses", "experiences")


def _tp(tp_id: str) -> str:
    return f"touchpoint:{tp_id}"


def flow_graph(journey: Journey) -> nx.DiGraph:
    """Touchpoints as nodes, transitions as edges (with share, context, recognised).

    >>> import journeymap as jm
    >>> j = jm.Journey(id="d", title="D", stages=[{"id": "s", "name": "S"}],
    ...     touchpoints=[{"id": "a", "stage": "s", "channel": "website", "action": "x"},
    ...                  {"id": "b", "stage": "s", "channel": "email", "action": "y"}])
    >>> list(flow_graph(j).edges(data="cross_channel"))
    [('a', 'b', True)]
    """
    g = nx.DiGraph(journey=journey.id)
    for tp in journey.touchpoints:
        g.add_node(tp.id, stage=tp.stage, channel=tp.channel, emotion=tp.emotion, effort=tp.effort)
    channel = channel_by_touchpoint(journey)
    for tr in journey.transitions:
        g.add_edge(tr.source, tr.target, **_edge_data(channel, tr))
    return g


def channel_by_touchpoint(journey: Journey) -> dict[str, str]:
    """``{touchpoint id: channel id}`` — a fast lookup for code that walks transitions."""
    return {tp.id: tp.channel for tp in journey.touchpoints}


def _edge_data(channel: dict[str, str], tr: Transition) -> dict:
    return {
        "type": "next",
        "share": tr.share,
        "context": tr.context,
        "recognised": tr.recognised,
        "cross_channel": channel[tr.source] != channel[tr.target],
    }


def to_networkx(journey: Journey, kind: str = "full") -> nx.DiGraph:
    """The journey as a typed ``networkx.DiGraph``; ``kind="flow"`` gives :func:`flow_graph`.

    Every node has ``type`` (one of :data:`NODE_TYPES`) and ``label``; every
    edge has ``type`` (one of :data:`EDGE_TYPES`).

    >>> import journeymap as jm
    >>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    >>> g = to_networkx(j)
    >>> g.nodes["stage:purchase"]["type"], g.nodes["stage:purchase"]["label"]
    ('stage', 'Purchase')
    """
    if kind == "flow":
        return flow_graph(journey)
    if kind != "full":
        raise ValueError(f"kind must be 'full' or 'flow', got {kind!r}")
    g = nx.DiGraph(journey=journey.id, title=journey.title)
    persona = journey.persona_obj()
    if persona is not None:
        g.add_node(f"persona:{persona.id}", type="persona", label=persona.name)
    for stage in journey.ordered_stages():
        g.add_node(f"stage:{stage.id}", type="stage", label=stage.name, order=stage.order)
    for tp in journey.touchpoints:
        ch = journey.channel_info(tp.channel)
        g.add_node(f"channel:{ch.id}", type="channel", label=ch.name(journey.lang), kind=ch.kind)
        g.add_node(
            _tp(tp.id), type="touchpoint", label=tp.action, stage=tp.stage, channel=tp.channel,
            emotion=tp.emotion, effort=tp.effort,
        )
        g.add_edge(_tp(tp.id), f"stage:{tp.stage}", type="in_stage")
        g.add_edge(_tp(tp.id), f"channel:{ch.id}", type="on_channel")
        for pain in tp.pain_points:
            _add_pain(g, pain, _tp(tp.id), None)
    channel = channel_by_touchpoint(journey)
    for tr in journey.transitions:
        g.add_edge(_tp(tr.source), _tp(tr.target), **_edge_data(channel, tr))
        for pain in tr.pain_points:
            _add_pain(g, pain, _tp(tr.source), tr.key)
    if persona is not None:
        for entry in entries(journey):
            g.add_edge(f"persona:{persona.id}", _tp(entry), type="experiences")
    for opp in journey.opportunities:
        g.add_node(f"opportunity:{opp.id}", type="opportunity", label=opp.text,
                   value=opp.value, effort=opp.effort)
        for pain_id in opp.addresses:
            g.add_edge(f"opportunity:{opp.id}", f"pain_point:{pain_id}", type="addresses")
    return g


def _add_pain(g: nx.DiGraph, pain, owner: str, transition: str | None) -> None:
    key = f"pain_point:{pain.id}"
    g.add_node(key, type="pain_point", label=pain.text, severity=pain.severity,
               frequency=pain.frequency, transition=transition)
    g.add_edge(owner, key, type="has_pain", transition=transition)


def entries(journey: Journey) -> list[str]:
    """Touchpoints where customers start.

    Those with an ``entry_share`` if any has one; else those with no incoming
    transition; else (everything is in a loop) the first touchpoint.

    >>> import journeymap as jm
    >>> entries(jm.load(jm.shipped_journey("retail_bopis_omnichannel")))
    ['ig_ad']
    """
    explicit = [tp.id for tp in journey.touchpoints if tp.entry_share]
    if explicit:
        return explicit
    targets = {tr.target for tr in journey.transitions}
    found = [tp.id for tp in journey.touchpoints if tp.id not in targets]
    return found or [journey.touchpoints[0].id]


def exits(journey: Journey) -> list[str]:
    """Touchpoints where journeys end: no outgoing transition.

    >>> import journeymap as jm
    >>> exits(jm.load(jm.shipped_journey("retail_bopis_omnichannel")))[-1]
    'review'
    """
    sources = {tr.source for tr in journey.transitions}
    return [tp.id for tp in journey.touchpoints if tp.id not in sources]


def all_paths(journey: Journey, max_paths: int = 10_000) -> list[list[str]]:
    """Every loop-free path from an entry to an exit, as lists of touchpoint ids.

    Stops with ``ValueError`` beyond ``max_paths`` paths (large branching graphs
    grow combinatorially; use reach-based scores for those).

    >>> import journeymap as jm
    >>> j = jm.Journey(id="d", title="D", stages=[{"id": "s", "name": "S"}],
    ...     touchpoints=[{"id": i, "stage": "s", "channel": "website", "action": i} for i in "abc"],
    ...     transitions=[{"from": "a", "to": "b", "share": 0.5}, {"from": "a", "to": "c", "share": 0.5},
    ...                  {"from": "b", "to": "c"}])
    >>> all_paths(j)
    [['a', 'b', 'c'], ['a', 'c']]
    """
    g = flow_graph(journey)
    found: list[list[str]] = []
    ends = exits(journey)
    for start in entries(journey):
        if start in ends:
            found.append([start])
        for path in nx.all_simple_paths(g, start, ends):
            found.append(path)
            if len(found) > max_paths:
                raise ValueError(f"more than {max_paths} paths in journey '{journey.id}'")
    return sorted(found)


def cross_channel_transitions(journey: Journey) -> list[Transition]:
    """Transitions where the customer switches channel.

    >>> import journeymap as jm
    >>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    >>> all(j.touchpoint(t.source).channel != j.touchpoint(t.target).channel
    ...     for t in cross_channel_transitions(j))
    True
    """
    channel = channel_by_touchpoint(journey)
    return [tr for tr in journey.transitions if channel[tr.source] != channel[tr.target]]

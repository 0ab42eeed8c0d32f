"""The journey as a typed graph, flow view, paths and cross-channel helpers."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.graph import EDGE_TYPES, NODE_TYPES


@pytest.fixture
def branching(base) -> jm.Journey:
    base["persona"] = {"id": "ana", "name": "Ana"}
    base["transitions"] = [
        {"from": "ad", "to": "web", "share": 0.6, "context": "partial"},
        {"from": "ad", "to": "shop", "share": 0.2},
        {"from": "web", "to": "ad", "share": 0.1},  # a loop back
        {"from": "web", "to": "shop", "share": 0.8, "context": "none", "recognised": False,
         "pain_points": [{"id": "repeat", "text": "Repeats order number", "severity": 4, "frequency": 0.7}]},
    ]
    base["opportunities"].append({"id": "sync", "text": "Share the order", "addresses": ["repeat"]})
    return jm.Journey.model_validate(base)


def test_full_graph_has_typed_nodes_and_edges(branching):
    g = branching.to_networkx()
    node_types = {d["type"] for _, d in g.nodes(data=True)}
    edge_types = {d["type"] for *_, d in g.edges(data=True)}
    assert node_types == set(NODE_TYPES)
    assert edge_types == set(EDGE_TYPES)
    assert g.edges["touchpoint:web", "touchpoint:shop"] == {
        "type": "next", "share": 0.8, "context": "none", "recognised": False, "cross_channel": True}
    assert g.edges["touchpoint:ad", "stage:aware"]["type"] == "in_stage"
    assert g.edges["touchpoint:ad", "channel:instagram"]["type"] == "on_channel"
    assert g.edges["touchpoint:web", "pain_point:repeat"]["transition"] == "web->shop"
    assert g.edges["opportunity:sync", "pain_point:repeat"]["type"] == "addresses"
    assert g.edges["persona:ana", "touchpoint:ad"]["type"] == "experiences"
    assert g.nodes["channel:instagram"]["kind"] == "social"


def test_flow_graph_is_touchpoints_only(branching):
    g = jm.flow_graph(branching)
    assert set(g.nodes) == {"ad", "web", "shop"}
    assert g.number_of_edges() == 4
    assert branching.to_networkx(kind="flow").edges == g.edges
    with pytest.raises(ValueError, match="kind"):
        branching.to_networkx(kind="nope")


def test_entries_exits_and_paths_with_a_loop(branching):
    assert jm.entries(branching) == ["ad"]
    assert jm.exits(branching) == ["shop"]
    assert jm.all_paths(branching) == [["ad", "shop"], ["ad", "web", "shop"]]


def test_all_cyclic_journey_starts_at_first_touchpoint(base):
    base["transitions"] = [{"from": "ad", "to": "web", "share": 0.5}, {"from": "web", "to": "shop", "share": 0.5},
                           {"from": "shop", "to": "ad", "share": 0.5}]
    j = jm.Journey.model_validate(base)
    assert jm.entries(j) == ["ad"] and jm.exits(j) == []


def test_path_limit(base):
    j = jm.Journey.model_validate(base)
    with pytest.raises(ValueError, match="more than 0 paths"):
        jm.all_paths(j, max_paths=0)


def test_cross_channel_transitions(branching):
    keys = [t.key for t in jm.cross_channel_transitions(branching)]
    assert keys == ["ad->web", "ad->shop", "web->ad", "web->shop"]


def test_custom_channel_in_graph(base):
    base["channels"] = [{"id": "popup", "kind": "physical", "name_en": "Pop-up store", "name_es": "Tienda pop-up"}]
    base["touchpoints"][2]["channel"] = "popup"
    base["lang"] = "es"
    g = jm.Journey.model_validate(base).to_networkx()
    assert g.nodes["channel:popup"]["label"] == "Tienda pop-up"


def test_shipped_journeys_are_connected_from_their_entries():
    import networkx as nx

    for path in jm.shipped_journeys():
        j = jm.load(path)
        g = jm.flow_graph(j)
        reached = set().union(*(nx.descendants(g, e) | {e} for e in jm.entries(j)))
        assert reached == set(g.nodes), f"{path.name}: unreachable {set(g.nodes) - reached}"

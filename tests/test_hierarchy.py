"""Journey hierarchy: loading sub-journeys, flattening, and a roll-up that equals the flattened journey."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap as jm
from journeymap.hierarchy import JourneyTree, flatten, load_tree, rollup
from journeymap.scoring import flow


def _tp(tp_id: str, **extra) -> dict:
    return {"id": tp_id, "stage": "s", "channel": "website", "action": f"Does {tp_id}", **extra}


def _journey(jid: str, tps: list[dict], transitions: list[dict]) -> dict:
    return {"id": jid, "title": jid, "stages": [{"id": "s", "name": "S"}], "touchpoints": tps,
            "transitions": transitions}


CHILD = _journey("child", [
    _tp("form", effort=5, pain_points=[{"id": "long", "text": "Long form", "severity": 4, "frequency": 0.6}]),
    _tp("id_check", wait_min=30),
    _tp("done", conversion=True), _tp("help", channel="phone")],
    [{"from": "form", "to": "id_check", "share": 0.7}, {"from": "form", "to": "help", "share": 0.2},
     {"from": "help", "to": "form", "share": 0.5}, {"from": "id_check", "to": "done", "share": 0.8}])

PARENT = _journey("parent", [
    _tp("ad", entry_share=0.6), _tp("branch", channel="store", entry_share=0.4),
    _tp("onboard", detail="sub/child.yaml"), _tp("use", conversion=True), _tp("churn")],
    [{"from": "ad", "to": "onboard", "share": 0.5}, {"from": "branch", "to": "onboard", "share": 0.9},
     {"from": "onboard", "to": "use", "share": 0.9}, {"from": "onboard", "to": "churn", "share": 0.1},
     {"from": "use", "to": "onboard", "share": 0.1}])


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture
def tree(tmp_path) -> JourneyTree:
    _write(tmp_path / "sub" / "child.yaml", CHILD)
    return load_tree(_write(tmp_path / "parent.yaml", PARENT))


def test_detail_is_an_optional_touchpoint_field():
    assert jm.Touchpoint(id="t", stage="s", channel="email", action="A").detail is None
    assert "detail" in jm.json_schema()["$defs"]["Touchpoint"]["properties"]


def test_load_tree_reads_the_sub_journey_relative_to_the_parent(tree):
    assert set(tree.children) == {"onboard"}
    assert tree.children["onboard"].journey.id == "child"
    assert [n.journey.id for n in tree.walk()] == ["parent", "child"]


def test_flatten_replaces_the_step_by_the_child(tree):
    flat = flatten(tree)
    ids = [tp.id for tp in flat.touchpoints]
    assert "onboard" not in ids
    assert ids == ["ad", "branch", "onboard.form", "onboard.id_check", "onboard.done", "onboard.help", "use", "churn"]
    assert all(flat.touchpoint(i).stage == "s" for i in ids)
    shares = {tr.key: tr.share for tr in flat.transitions}
    assert shares["ad->onboard.form"] == pytest.approx(0.5)          # the child has one entry
    assert shares["onboard.done->use"] == pytest.approx(0.9)          # leaves from the conversion touchpoint
    assert shares["use->onboard.form"] == pytest.approx(0.1)
    assert "onboard.help->use" not in shares                          # not a finish touchpoint
    assert flat.touchpoint("onboard.form").pain_points[0].id == "onboard.long"


def test_rollup_equals_the_flattened_journey(tree):
    flat_report = jm.score(flatten(tree))
    df = rollup(tree)
    child_reach = flow.visits(tree.children["onboard"].journey)
    for tp_id in ("ad", "branch", "use", "churn"):
        assert df.loc[tp_id, "reach"] == pytest.approx(flat_report.reach[tp_id], abs=1e-9)
    for tp_id, visits in child_reach.items():
        assert df.loc["onboard", "reach"] * visits == pytest.approx(flat_report.reach[f"onboard.{tp_id}"], abs=1e-9)
    assert df.attrs["expected_conversion"] == pytest.approx(flat_report.expected_conversion, abs=1e-9)
    # hand-computed: 0.6·0.5 + 0.4·0.9 = 0.66 arrive first; through = 0.7·0.8/(1 − 0.1) per entry
    through = 0.7 * 0.8 / (1 - 0.2 * 0.5)
    assert df.loc["onboard", "through"] == pytest.approx(through, abs=1e-12)
    arrive = 0.66 / (1 - through * 0.9 * 0.1)
    assert df.loc["onboard", "reach"] == pytest.approx(arrive, abs=1e-12)
    assert df.loc["onboard", "pain"] == 1
    assert df.loc["onboard", "friction"] == pytest.approx(jm.score(tree.children["onboard"].journey).total)
    assert df.loc["onboard", "detail"] == "sub/child.yaml" and math.isnan(df.loc["ad", "through"])


def test_a_parent_with_one_sub_journey_only(tmp_path):
    _write(tmp_path / "child.yaml", CHILD)
    tree = load_tree(_write(tmp_path / "p.yaml", _journey("p", [_tp("all", detail="child.yaml")], [])))
    flat_report = jm.score(flatten(tree))
    df = rollup(tree)
    assert df.attrs["expected_conversion"] == pytest.approx(flat_report.expected_conversion, abs=1e-9)
    assert df.attrs["expected_conversion"] == pytest.approx(jm.score(tree.children["all"].journey).expected_conversion)
    assert df.loc["all", "reach"] == pytest.approx(1.0)


def test_nested_sub_journeys_flatten_with_double_prefixes(tmp_path):
    _write(tmp_path / "c.yaml", CHILD)
    _write(tmp_path / "b.yaml", _journey("b", [_tp("x"), _tp("y", detail="c.yaml")], []))
    tree = load_tree(_write(tmp_path / "a.yaml", _journey("a", [_tp("p", detail="b.yaml"), _tp("q")], [])))
    flat = flatten(tree)
    assert "p.y.form" in [tp.id for tp in flat.touchpoints]
    df = rollup(tree)
    report = jm.score(flat)
    assert df.loc["q", "reach"] == pytest.approx(report.reach["q"], abs=1e-9)
    assert df.attrs["expected_conversion"] == pytest.approx(report.expected_conversion, abs=1e-9)


def test_load_tree_reports_every_problem_at_once(tmp_path):
    _write(tmp_path / "bad.yaml", {"id": "bad", "title": "Bad"})
    _write(tmp_path / "b.yaml", _journey("b", [_tp("back", detail="a.yaml")], []))
    parent = _write(tmp_path / "a.yaml", _journey("a", [
        _tp("m", detail="missing.yaml"), _tp("n", detail="bad.yaml"), _tp("o", detail="b.yaml")], []))
    with pytest.raises(jm.JourneyError) as err:
        load_tree(parent)
    lines = str(err.value).splitlines()
    assert len(lines) == 3, lines
    missing, bad, cycle = sorted(lines, key=lambda line: ("missing" not in line, "bad.yaml'" not in line))
    assert "a.yaml" in missing and "touchpoints[0].detail" in missing and "'missing.yaml'" in missing
    assert "touchpoints[1].detail" in bad and "not a valid journey" in bad
    assert "b.yaml" in cycle and "touchpoints[0].detail" in cycle and "cycle (a.yaml → b.yaml → a.yaml)" in cycle
    assert all(":" in line.split(" ")[0] for line in lines)  # FILE:LINE: prefix


def test_a_journey_detailing_itself_is_a_cycle(tmp_path):
    path = _write(tmp_path / "self.yaml", _journey("self", [_tp("t", detail="self.yaml")], []))
    with pytest.raises(jm.JourneyError, match=r"touchpoints\[0\]\.detail: the sub-journeys link back in a cycle"):
        load_tree(path)


# -- property: roll-up == flattened for small random parents and children ------
def _random_journey(draw, jid: str, n: int, conv: bool) -> dict:
    tps = [_tp(f"t{i}", conversion=conv and draw(st.booleans())) for i in range(n)]
    transitions = []
    for i in range(n):
        targets = draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True))
        budget = 1.0
        for t in targets:
            share = draw(st.sampled_from([0.0, 0.25, 0.5, 0.8]))
            share = min(share, budget)
            budget -= share
            transitions.append({"from": f"t{i}", "to": f"t{t}", "share": share})
    if draw(st.booleans()):
        tps[0]["entry_share"] = 0.5
    return _journey(jid, tps, transitions)


@st.composite
def trees(draw):
    children = [_random_journey(draw, f"c{k}", draw(st.integers(1, 4)), draw(st.booleans())) for k in range(2)]
    parent = _random_journey(draw, "p", draw(st.integers(1, 5)), draw(st.booleans()))
    for tp in parent["touchpoints"]:
        pick = draw(st.sampled_from([None, 0, 1]))
        if pick is not None:
            tp["detail"] = f"c{pick}.yaml"
    return parent, children


@settings(max_examples=60, deadline=None)
@given(trees())
def test_rollup_equals_flattened_property(tmp_path_factory, drawn):
    parent, children = drawn
    folder = tmp_path_factory.mktemp("tree")
    for child in children:
        _write(folder / f"{child['id']}.yaml", child)
    try:
        tree = load_tree(_write(folder / "p.yaml", parent))
    except jm.JourneyError as exc:  # a drawn journey with a loop customers can never leave
        assert "loop" in str(exc)
        return
    try:
        flat = flatten(tree)
        report = jm.score(flat)
    except flow.EndlessLoopError:
        return
    df = rollup(tree)
    for tp in tree.journey.touchpoints:
        if tp.id not in tree.children:
            assert df.loc[tp.id, "reach"] == pytest.approx(report.reach[tp.id], abs=1e-9)
        else:
            visits = flow.visits(tree.children[tp.id].journey)
            for c_id, v in visits.items():
                assert df.loc[tp.id, "reach"] * v == pytest.approx(report.reach[f"{tp.id}.{c_id}"], abs=1e-9)
    assert df.attrs["expected_conversion"] == pytest.approx(report.expected_conversion, abs=1e-9)


def test_flatten_reports_an_id_too_long_once_prefixed(tmp_path):
    _write(tmp_path / "child.yaml", _journey("child", [_tp("c" * 70)], []))
    tree = load_tree(_write(tmp_path / "p.yaml", _journey("p", [_tp("step" * 5, detail="child.yaml")], [])))
    with pytest.raises(jm.JourneyError, match=r"p\.yaml: touchpoints\[0\]\.id: string should have at most 80"):
        flatten(tree)


@pytest.mark.parametrize("lang, mark", [("en", "↳ detail"), ("es", "↳ detalle")])
def test_map_marks_a_step_with_a_sub_journey(lang, mark):
    import matplotlib.pyplot as plt
    from _textboxes import overlaps
    from matplotlib.text import Text

    journey = jm.Journey.model_validate(PARENT)
    ax = jm.plot.journey_map(journey, lang=lang)
    try:
        marks = {a.get_gid(): a.get_text() for a in ax.figure.findobj(Text) if (a.get_gid() or "").startswith("drill")}
        assert marks == {"drill-down:onboard": mark}
        assert not [pair for pair in overlaps(ax.figure) if mark in pair]
    finally:
        plt.close(ax.figure)
    plain = jm.plot.journey_map(jm.Journey.model_validate({**PARENT, "touchpoints": [
        {k: v for k, v in tp.items() if k != "detail"} for tp in PARENT["touchpoints"]]}))
    try:
        assert not [a for a in plain.figure.findobj(Text) if (a.get_gid() or "").startswith("drill")]
    finally:
        plt.close(plain.figure)


def test_validate_and_the_cli_catch_a_missing_sub_journey(tmp_path, capsys):
    from journeymap.cli import main

    good = _write(tmp_path / "child.yaml", CHILD)
    parent = _write(tmp_path / "p.yaml", _journey("p", [_tp("a", detail="child.yaml"), _tp("b", detail="gone.yaml")],
                                                  []))
    problems = jm.validate(parent)
    assert [p.path for p in problems] == ["touchpoints[1].detail"] and problems[0].value == "gone.yaml"
    assert jm.validate(good) == []
    assert main(["validate", str(parent)]) == 1
    err = capsys.readouterr().err
    assert "p.yaml:" in err and "touchpoints[1].detail: no such sub-journey file" in err
    assert "Traceback" not in err


def test_a_pain_point_on_a_move_into_a_step_with_two_entries_is_kept_on_both_copies(tmp_path):
    child = _journey("c", [_tp("e1", entry_share=0.5), _tp("e2", entry_share=0.5)], [])
    _write(tmp_path / "c.yaml", child)
    parent = _journey("p", [_tp("a"), _tp("b", detail="c.yaml")],
                      [{"from": "a", "to": "b", "pain_points": [{"id": "lost", "text": "Lost on the way"}]}])
    parent["opportunities"] = [{"id": "guide", "text": "Guide them", "addresses": ["lost"]}]
    flat = flatten(load_tree(_write(tmp_path / "p.yaml", parent)))
    pains = {tr.key: [p.id for p in tr.pain_points] for tr in flat.transitions}
    assert pains == {"a->b.e1": ["lost.a.b.e1"], "a->b.e2": ["lost.a.b.e2"]}
    assert flat.opportunities[0].addresses == ["lost.a.b.e1", "lost.a.b.e2"]


def test_detail_survives_save_and_load(tmp_path):
    journey = jm.Journey.model_validate(PARENT)
    jm.save(journey, tmp_path / "out.yaml")
    assert "detail: sub/child.yaml" in (tmp_path / "out.yaml").read_text()
    assert jm.load(tmp_path / "out.yaml") == journey

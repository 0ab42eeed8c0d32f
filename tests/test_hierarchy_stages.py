"""A stage's ``detail``: a lifecycle journey whose stages (one summary step each) link to sub-journeys."""

from __future__ import annotations

import pytest
import yaml

import journeymap as jm
from journeymap.hierarchy import details, flatten, load_tree, rollup

CHILD = {"id": "child", "title": "Onboarding", "stages": [{"id": "s", "name": "S"}],
         "touchpoints": [{"id": "form", "stage": "s", "channel": "website", "action": "Fills the form", "effort": 5},
                         {"id": "check", "stage": "s", "channel": "website", "action": "Waits for the check"},
                         {"id": "done", "stage": "s", "channel": "email", "action": "Account open",
                          "conversion": True}],
         "transitions": [{"from": "form", "to": "check", "share": 0.7}, {"from": "check", "to": "done", "share": 0.8}]}


def _lifecycle(stage_detail: str | None, tp_detail: str | None = None, onboard_steps: int = 1) -> dict:
    onboard = [{"id": "open", "stage": "onboard", "channel": "website", "action": "Opens an account",
                **({"detail": tp_detail} if tp_detail else {})}]
    onboard += [{"id": f"extra{i}", "stage": "onboard", "channel": "email", "action": f"Extra {i}"}
                for i in range(1, onboard_steps)]
    stage = {"id": "onboard", "name": "Onboarding", **({"detail": stage_detail} if stage_detail else {})}
    return {"id": "life", "title": "Lifecycle", "stages": [{"id": "aware", "name": "Awareness"}, stage,
                                                           {"id": "use", "name": "Use"}],
            "touchpoints": [{"id": "ad", "stage": "aware", "channel": "instagram", "action": "Sees an ad"}, *onboard,
                            {"id": "pay", "stage": "use", "channel": "mobile_app", "action": "Pays",
                             "conversion": True}],
            "transitions": [{"from": "ad", "to": "open", "share": 0.4}, {"from": "open", "to": "pay", "share": 0.9}]}


def _write(path, data):
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_a_stage_detail_rolls_up_exactly_like_the_same_detail_on_its_one_step(tmp_path):
    _write(tmp_path / "child.yaml", CHILD)
    by_stage = load_tree(_write(tmp_path / "a.yaml", _lifecycle("child.yaml")))
    by_step = load_tree(_write(tmp_path / "b.yaml", _lifecycle(None, "child.yaml")))
    assert set(by_stage.children) == {"open"} and by_stage.children["open"].journey.id == "child"
    flat = flatten(by_stage)
    assert [tp.id for tp in flat.touchpoints] == ["ad", "open.form", "open.check", "open.done", "pay"]
    assert flat == flatten(by_step).model_copy(update={"stages": flat.stages})
    df = rollup(by_stage)
    expected = jm.score(flat).expected_conversion
    assert df.attrs["expected_conversion"] == pytest.approx(expected, abs=1e-9)
    # hand: 0.4·0.7·0.8 reach the child's 'done' (a conversion of the whole journey), and 0.9 of them pay
    assert expected == pytest.approx(0.4 * 0.7 * 0.8 * (1 + 0.9), abs=1e-12)
    assert df.loc["open", "detail"] == "child.yaml" and df.loc["ad", "detail"] == ""
    assert details(by_stage.journey) == {"open": "child.yaml"}


def test_a_stage_detail_survives_save_and_load(tmp_path):
    journey = jm.Journey.model_validate(_lifecycle("child.yaml"))
    assert journey.stages[1].detail == "child.yaml"
    jm.save(journey, tmp_path / "j.yaml")
    assert jm.load(tmp_path / "j.yaml").stages[1].detail == "child.yaml"
    assert "detail" in jm.json_schema()["$defs"]["Stage"]["properties"]


@pytest.mark.parametrize("steps, tp_detail, why", [
    (2, None, "stages[1].detail: a stage's detail needs exactly one touchpoint in the stage (it has 2)"),
    (1, "child.yaml", "stages[1].detail: the stage's one touchpoint 'open' names its own detail"),
])
def test_a_stage_detail_that_cannot_apply_is_one_line_problem(tmp_path, capsys, steps, tp_detail, why):
    from journeymap.cli import main

    _write(tmp_path / "child.yaml", CHILD)
    path = _write(tmp_path / "life.yaml", _lifecycle("child.yaml", tp_detail, steps))
    problems = jm.validate(path)
    assert len(problems) == 1 and problems[0].value == "child.yaml" and problems[0].line is not None
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"life.yaml:{problems[0].line}: {why}" in err and "Traceback" not in err


def test_a_missing_stage_sub_journey_names_the_stage_field(tmp_path):
    problems = jm.validate(_write(tmp_path / "life.yaml", _lifecycle("gone.yaml")))
    assert [(p.path, p.value) for p in problems] == [("stages[1].detail", "gone.yaml")]
    assert "no such sub-journey file" in problems[0].message


def test_map_and_canvas_mark_the_step_of_a_detailed_stage():
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from journeymap.widgets.canvas.state import build_state

    journey = jm.Journey.model_validate(_lifecycle("child.yaml"))
    ax = jm.plot.journey_map(journey, report=False)
    try:
        marks = {a.get_gid() for a in ax.figure.findobj(Text) if (a.get_gid() or "").startswith("drill")}
        assert marks == {"drill-down:open"}
    finally:
        plt.close(ax.figure)
    cards = build_state(journey)["cards"]
    assert cards["open"]["detail"] == "child.yaml" and cards["ad"]["detail"] is None


def test_a_converting_step_whose_child_has_no_finish_rolls_up_like_the_flattened_journey(tmp_path):
    """Found by the property test: the child's one step only 'moves' to itself with share 0, so it has no exit and
    no conversion; the parent's conversion mark on the detailed step then marks nothing in the flattened journey,
    which counts endings at exits instead — the roll-up must do the same."""
    child = {"id": "c0", "title": "c0", "stages": [{"id": "s", "name": "S"}],
             "touchpoints": [{"id": "t0", "stage": "s", "channel": "website", "action": "Does t0"}],
             "transitions": [{"from": "t0", "to": "t0", "share": 0.0}]}
    parent = {"id": "p", "title": "p", "stages": [{"id": "s", "name": "S"}],
              "touchpoints": [{"id": "t0", "stage": "s", "channel": "website", "action": "Does t0"},
                              {"id": "t1", "stage": "s", "channel": "website", "action": "Does t1",
                               "conversion": True, "detail": "c0.yaml"}], "transitions": []}
    _write(tmp_path / "c0.yaml", child)
    tree = load_tree(_write(tmp_path / "p.yaml", parent))
    flat = jm.score(flatten(tree)).expected_conversion
    assert flat == pytest.approx(0.5, abs=1e-12)  # hand: half the customers start at t0, an exit
    assert rollup(tree).attrs["expected_conversion"] == pytest.approx(flat, abs=1e-9)

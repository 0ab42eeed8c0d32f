"""Survey metrics and the score/compare commands."""

from __future__ import annotations

import json

import pytest

import journeymap as jm
from journeymap import metrics
from journeymap.cli import main


@pytest.mark.parametrize("func, answers, expected", [
    (metrics.nps, [10, 10, 9, 8, 7, 6, 0], 100 * (3 - 2) / 7),
    (metrics.nps, [0, 1, 2], -100.0),
    (metrics.csat, [5, 4, 4, 3, 1], 60.0),
    (metrics.ces, [1, 7, 4], 4.0),
])
def test_standard_formulas(func, answers, expected):
    assert func(answers) == pytest.approx(expected)


@pytest.mark.parametrize("func, answers, words", [
    (metrics.nps, [], "no responses"),
    (metrics.nps, [11], "#1 is 11"),
    (metrics.csat, [5, 0], "#2 is 0"),
    (metrics.ces, [3.5], "#1 is 3.5"),
    (metrics.ces, ["4"], "'4'"),
    (metrics.nps, [True], "True"),
])
def test_bad_answers(func, answers, words):
    with pytest.raises(ValueError, match=words):
        func(answers)


def test_survey_attaches_to_a_touchpoint(base):
    m = metrics.survey(csat_answers=[5, 4, 2, 1])
    assert (m.nps, m.csat, m.responses) == (None, 50.0, 4)
    with pytest.raises(ValueError, match="at least one"):
        metrics.survey()
    j = jm.Journey.model_validate(base)
    tp = j.touchpoints[0].model_copy(update={"metrics": m})
    j2 = j.model_copy(update={"touchpoints": [tp, *j.touchpoints[1:]]})
    assert jm.score(j2).by_touchpoint.loc["ad", "csat"] == 50


def test_score_command_formats(capsys):
    path = str(jm.shipped_journey("hotel_stay"))
    report = jm.score(jm.load(path))
    assert main(["score", path]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"hotel_stay: friction {report.total:.1f}/100")
    assert main(["score", path, "--by", "stage", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("stage,name,touchpoints") and len(lines) == 1 + len(report.by_stage)
    assert main(["score", path, "--by", "channel", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"] == pytest.approx(report.total) and payload["by"] == "channel"
    assert {r["channel"] for r in payload["rows"]} == set(report.by_channel.index)


def test_score_with_weights_file(capsys, tmp_path):
    weights = tmp_path / "w.yaml"
    weights.write_text("effort: 1\nemotion: 0\npain: 0\nwait: 0\nhandoff: 0\n")
    path = str(jm.shipped_journey("hotel_stay"))
    assert main(["score", path, "--weights", str(weights), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"] == pytest.approx(jm.score(jm.load(path), weights).total)
    weights.write_text("effort: -1\n")
    assert main(["score", path, "--weights", str(weights)]) == 1
    err = capsys.readouterr().err
    assert "w.yaml:1: effort:" in err and "(got -1)" in err and "Traceback" not in err


def test_compare_command(capsys):
    a, b = (str(jm.shipped_journey(n)) for n in ("retail_bopis_multichannel", "retail_bopis_omnichannel"))
    assert main(["compare", a, b]) == 0
    out = capsys.readouterr().out
    assert "retail_bopis_multichannel → retail_bopis_omnichannel" in out and "continuity" in out
    assert main(["compare", a, b, "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    totals = {r["index"]: r for r in payload["totals"]}
    assert totals["friction"]["delta"] < 0 < totals["expected_conversion"]["delta"]
    assert main(["compare", a, b, "--by", "stage", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("stage,name,a,b,delta")

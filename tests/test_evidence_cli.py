"""``journeymap evidence``: survey metrics, quotes and suggestions from the command line; nothing applied
unless accepted."""

from __future__ import annotations

from pathlib import Path

import journeymap as jm
from journeymap.cli import main

DATA = Path(__file__).resolve().parent.parent / "data"
J = "retail_bopis_omnichannel"
FILES = ["--survey", str(DATA / "evidence" / f"{J}_survey.csv"), "--quotes", str(DATA / "evidence" / f"{J}_quotes.csv"),
         "--keywords", str(DATA / "evidence" / f"{J}_keywords.yaml")]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_metrics_mentions_and_suggestions_and_writes_only_evidence(tmp_path, capsys):
    journey_file = str(DATA / "journeys" / f"{J}.yaml")
    out_file = tmp_path / "with_evidence.yaml"
    code, out, err = _run(capsys, "evidence", journey_file, *FILES, "-o", str(out_file))
    assert code == 0, err
    assert "558 rows read" in err
    assert "n=" in out and "*" in out  # every metric with its n; small samples starred
    assert "suggestions (" in out and "emotion:" in out
    before, after = jm.load(journey_file), jm.load(out_file)
    assert [s.kind for s in after.sources] == ["survey", "quotes"]
    for a, b in zip(before.touchpoints, after.touchpoints, strict=True):
        assert (a.emotion, a.effort, a.pain_points, a.measured) == (b.emotion, b.effort, b.pain_points, b.measured)
    checkout = after.touchpoint("cart_email")
    assert checkout.metrics is not None and checkout.metrics.csat_n and checkout.metrics.csat_ci
    assert any(tp.quotes for tp in after.touchpoints)


def test_accept_applies_only_the_named_suggestion(tmp_path, capsys):
    journey_file = str(DATA / "journeys" / f"{J}.yaml")
    out_file = tmp_path / "accepted.yaml"
    code, _, _ = _run(capsys, "evidence", journey_file, *FILES, "--accept", "emotion:ready_sms", "-o",
                        str(out_file), "-q")
    assert code == 0
    before, after = jm.load(journey_file), jm.load(out_file)
    changed = [tp.id for a, tp in zip(before.touchpoints, after.touchpoints, strict=True)
               if (a.emotion, a.measured) != (tp.emotion, tp.measured)]
    assert changed == ["ready_sms"]
    assert after.touchpoint("ready_sms").measured == ["emotion"]


def test_usage_errors_are_one_line(tmp_path, capsys):
    journey_file = str(DATA / "journeys" / f"{J}.yaml")
    code, _, err = _run(capsys, "evidence", journey_file)
    assert code == 2 and "--survey" in err and "Traceback" not in err
    code, _, err = _run(capsys, "evidence", journey_file, "--quotes", FILES[3])
    assert code == 2 and "--keywords" in err
    code, _, err = _run(capsys, "evidence", journey_file, *FILES, "--accept", "emotion:ready_smss", "-q")
    assert code == 2 and "did you mean 'emotion:ready_sms'" in err
    bad = tmp_path / "survey.csv"
    bad.write_text("respondent,touchpoint,nps\nr1,checkuot,9\n")
    code, _, err = _run(capsys, "evidence", journey_file, "--survey", str(bad))
    assert code == 0 and "checkuot" in err and "did you mean" in err  # set aside and reported, not a crash
    code, _, err = _run(capsys, "evidence", journey_file, "--survey", str(tmp_path / "missing.csv"))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "missing.csv" in err

"""opportunity_ranking no longer scores the journey again: friction removed comes from the report, and equals
the old re-scoring exactly (issue 16, part 7)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from strategies import journeys

import journeymap as jm
from journeymap.references import endless_loops
from journeymap.scoring import priorities
from journeymap.scoring.priorities import friction_removed, without_pains


def _rescored(report, pain_ids):
    return report.total - jm.score(without_pains(report.journey, pain_ids), report.weights).total


@pytest.mark.parametrize("path", jm.shipped_journeys(), ids=lambda p: p.stem)
@pytest.mark.parametrize("weights", [None, {"pain": 3, "handoff": 0.1}])
def test_equals_rescoring_on_shipped_journeys(path, weights):
    report = jm.score(jm.load(path), weights=weights)
    for opp in report.journey.opportunities:
        assert friction_removed(report, set(opp.addresses)) == pytest.approx(
            _rescored(report, set(opp.addresses)), abs=1e-9), opp.id


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_equals_rescoring_on_generated_journeys(journey):
    assume(not endless_loops(journey))
    report = jm.score(journey)
    pains = [p.id for p, _ in journey.pain_points()]
    for k in range(len(pains) + 1):
        chosen = set(pains[:k])
        assert friction_removed(report, chosen) == pytest.approx(_rescored(report, chosen), abs=1e-9)


def test_ranking_does_not_score_again(monkeypatch):
    report = jm.score(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
    monkeypatch.setattr("journeymap.scoring.report.score", lambda *a, **k: pytest.fail("scored again"))
    monkeypatch.setattr("journeymap.scoring.score", lambda *a, **k: pytest.fail("scored again"))
    ranking = priorities.opportunity_ranking(report)
    assert len(ranking) == len(report.journey.opportunities)
    assert ranking["removed_per_effort"].is_monotonic_decreasing

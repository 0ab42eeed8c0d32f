"""Issue 17 part 2: the room's view vs the model's view — dots against the computed priorities."""

from __future__ import annotations

import math

import pytest

import journeymap as jm
from journeymap.model_room import VoteRound
from journeymap.votes import average_ranks, spearman, vote_ranking

AT = "2026-11-30T09:00:00+00:00"


def journey(votes: list[dict] | None = None) -> jm.Journey:
    """One touchpoint everybody reaches (reach 1), so a pain point's impact is severity x frequency:
    p1 5 x 0.8 = 4.0, p3 3 x 1.0 = 3.0, p2 4 x 0.5 = 2.0, p4 1 x 0.5 = 0.5."""
    pains = [{"id": "p1", "text": "First", "severity": 5, "frequency": 0.8},
             {"id": "p2", "text": "Second", "severity": 4, "frequency": 0.5},
             {"id": "p3", "text": "Third", "severity": 3, "frequency": 1.0},
             {"id": "p4", "text": "Fourth <b>", "severity": 1, "frequency": 0.5}]
    return jm.Journey.model_validate({
        "id": "v", "title": "Votes", "stages": [{"id": "s", "name": "S"}],
        "touchpoints": [{"id": "a", "stage": "s", "channel": "website", "action": "Look", "pain_points": pains}],
        "opportunities": [{"id": "o1", "text": "Fix first", "addresses": ["p1"], "value": 4, "effort": 1},
                          {"id": "o2", "text": "Fix fourth", "addresses": ["p4"], "value": 2, "effort": 5}],
        "votes": votes or []})


ROUNDS = [{"id": "r1", "on": "pain_points", "counts": {"p4": 5, "p2": 3, "p1": 3}},
          {"id": "r2", "on": "both", "counts": {"o2": 2, "p3": 1}}]


def test_model_impacts_are_what_the_fixture_says():
    impact = jm.score(journey()).pain_ranking()["impact"]
    assert impact.round(6).to_dict() == {"p1": 4.0, "p3": 3.0, "p2": 2.0, "p4": 0.5}


def test_ranking_of_one_round_by_hand():
    table = vote_ranking(journey(ROUNDS), round="r1")
    assert list(table.index) == ["p4", "p1", "p2", "p3"]  # most dots first; the tie p1/p2 in the model's order
    assert set(table["kind"]) == {"pain"}  # r1 votes on pain points only
    assert table["dots"].to_dict() == {"p4": 5, "p1": 3, "p2": 3, "p3": 0}
    assert table["room_rank"].to_dict() == {"p4": 1, "p1": 2, "p2": 2, "p3": 4}
    assert table["model_rank"].to_dict() == {"p4": 4, "p1": 1, "p2": 3, "p3": 2}
    # Spearman by hand: dot ranks (average for ties) p1 2.5, p2 2.5, p3 4, p4 1; model ranks 1, 3, 2, 4.
    # deviations from 2.5: (0, 0, 1.5, -1.5) and (-1.5, 0.5, -0.5, 1.5): cov -3, sums of squares 4.5 and 5.
    assert table.attrs["spearman"]["pain"] == pytest.approx(-3 / math.sqrt(4.5 * 5))
    assert table.attrs["round"] == "r1"


def test_latest_round_is_the_default_and_all_adds_rounds_up():
    latest = vote_ranking(journey(ROUNDS))
    assert latest.attrs["round"] == "r2"
    assert latest.loc["p3", "dots"] == 1 and latest.loc["p1", "dots"] == 0
    ideas = latest[latest["kind"] == "opportunity"]
    assert list(ideas.index) == ["o2", "o1"] and ideas["model_rank"].to_dict() == {"o2": 2, "o1": 1}
    assert latest.attrs["spearman"]["opportunity"] == pytest.approx(-1.0)
    total = vote_ranking(journey(ROUNDS), round="all")
    assert total["dots"].to_dict() == {"p4": 5, "p1": 3, "p2": 3, "p3": 1, "o2": 2, "o1": 0}
    assert total.attrs["round"] == "all"


def test_no_rounds_and_unknown_round():
    table = vote_ranking(journey())
    assert (table["dots"] == 0).all() and len(table) == 6
    assert math.isnan(table.attrs["spearman"]["pain"]) and table.attrs["round"] is None
    with pytest.raises(ValueError, match="did you mean 'r1'"):
        vote_ranking(journey(ROUNDS), round="r11")


def test_spearman_and_average_ranks_by_hand():
    assert average_ranks([1, 7, 7, 3]) == [4.0, 1.5, 1.5, 3.0]
    # ranks (1, 2, 3, 4) vs (2, 1, 4, 3): d^2 = 1+1+1+1 = 4, rho = 1 - 6*4 / (4*15) = 0.6
    assert spearman([4, 3, 2, 1], [3, 4, 1, 2]) == pytest.approx(0.6)
    assert math.isnan(spearman([1], [2])) and math.isnan(spearman([1, 1], [1, 2]))
    with pytest.raises(ValueError):
        spearman([1, 2], [1])


def test_plot_draws_one_line_per_voted_item_in_spanish():
    import matplotlib.pyplot as plt

    j = journey(ROUNDS)
    ax = jm.plot.votes_vs_model(j, round="r1", lang="es")
    try:
        assert ax.get_title(loc="left") == "La visión de la sala frente a la del modelo: puntos de dolor"
        texts = [t.get_text() for t in ax.texts]
        assert any(t.startswith("Fourth <b>") and "5 puntos" in t and "#1" in t for t in texts)
        assert "#4" in texts  # p4 is last in the model's ranking
        assert any("Spearman" in t and "-0.63" in t and "1 más sin puntos" in t for t in texts)
        drawn = [line for line in ax.get_lines() if list(line.get_xdata()) == [0, 1]]
        assert len(drawn) == 3  # p4, p1, p2 got dots; p3 did not
        assert not any(t.get_parse_math() for t in ax.texts)
    finally:
        plt.close(ax.figure)


def test_plot_without_dots_says_so():
    import matplotlib.pyplot as plt

    ax = jm.plot.votes_vs_model(journey([VoteRound(id="r", on="opportunities").model_dump()]))
    try:
        assert "No dots on these items yet." in [t.get_text() for t in ax.texts]
        assert "opportunities" in ax.get_title(loc="left")
    finally:
        plt.close(ax.figure)

"""Discovery equals pm4py (ties by file order), and discover() returns a usable Journey."""

from __future__ import annotations

import pandas as pd
import pytest

import journeymap as jm
from journeymap.analytics import dfg, discover, discover_with_stats, read_events, variants
from journeymap.errors import JourneyError
from journeymap.paths import PROJECT_ROOT

CLASSIC = PROJECT_ROOT / "data" / "events" / "classic_social_to_purchase.csv"


@pytest.fixture(scope="module")
def classic() -> pd.DataFrame:
    events, report = read_events(CLASSIC, case="customer_id")
    assert report.set_aside == {}
    return events


def _ties(events: pd.DataFrame) -> int:
    s = events.sort_values(["case_id", "timestamp"], kind="stable")
    return int(((s["case_id"] == s["case_id"].shift()) & (s["timestamp"] == s["timestamp"].shift())).sum())


def test_equals_pm4py_on_shipped_log_with_ties(classic):
    pm4py = pytest.importorskip("pm4py")
    assert _ties(classic) > 200  # the shipped log really has same-timestamp events
    frame = pm4py.format_dataframe(classic.copy(), case_id="case_id", activity_key="activity",
                                   timestamp_key="timestamp")
    pm_dfg, pm_start, pm_end = pm4py.discover_dfg(frame)
    pm_variants = pm4py.get_variants(frame)
    ours = dfg(classic)
    assert ours.counts() == dict(pm_dfg)
    assert ours.start.to_dict() == dict(pm_start)
    assert ours.end.to_dict() == dict(pm_end)
    var = variants(classic)
    assert dict(zip(var["variant"], var["cases"], strict=True)) == dict(pm_variants)


def test_tie_order_matters(classic):
    """Reversing the file changes the counts: ties really are broken by file order."""
    forward = dfg(classic).counts()
    backward = dfg(classic.iloc[::-1].reset_index(drop=True)).counts()
    assert forward != backward
    assert sum(forward.values()) == sum(backward.values())


def test_dfg_shares_times_and_nulls():
    ev = pd.DataFrame({"case_id": ["a", "a", "a", None, "b"], "activity": ["x", "y", "x", "x", "x"],
                       "timestamp": ["2026-01-01T10:00Z", "2026-01-01T10:30Z", "2026-01-01T11:30Z",
                                     "2026-01-01T10:00Z", "2026-01-02T00:00Z"]})
    g = dfg(ev)  # text timestamps are parsed; the row without a case is ignored (as pm4py does)
    assert g.counts() == {("x", "y"): 1, ("y", "x"): 1}
    assert g.edges.set_index(["source", "target"])["median_min"].to_dict() == {("x", "y"): 30.0, ("y", "x"): 60.0}
    assert g.edges["share"].tolist() == [1 / 3, 1.0]
    assert g.start.to_dict() == {"x": 2} and g.end.to_dict() == {"x": 2}
    with pytest.raises(JourneyError, match="timestamps could not be parsed"):
        dfg(ev.assign(timestamp="soon"))
    with pytest.raises(JourneyError, match="missing column"):
        dfg(ev, case="customer")


def test_discover_returns_a_journey_that_scores_and_saves(classic, tmp_path):
    found = discover(classic, id="classic_found", title="Classic, as observed")
    assert isinstance(found, jm.Journey)
    designed = jm.load(jm.shipped_journey("classic_social_to_purchase"))
    assert {t.id for t in found.touchpoints} <= {t.id for t in designed.touchpoints}
    for tp in found.touchpoints:
        assert tp.channel == designed.touchpoint(tp.id).channel
        assert tp.stage == designed.touchpoint(tp.id).stage
        assert tp.evidence == "observed"
    assert [s.id for s in found.stages][:2] == ["awareness", "consideration"]
    assert found.touchpoints[0].id == "tiktok_video"
    out = tmp_path / "found.yaml"
    jm.save(found, out)
    assert jm.load(out) == found
    report = jm.score(found)
    assert set(report.by_touchpoint.index) == {t.id for t in found.touchpoints}
    for src in {t.source for t in found.transitions}:
        assert sum(t.share for t in found.transitions if t.source == src) <= 1


def test_discover_with_stats(classic):
    found = discover_with_stats(classic, min_count=5)
    g = dfg(classic)
    edges = g.edges[g.edges["count"] >= 5]
    assert len(found.journey.transitions) == len(edges)
    first = found.transitions.iloc[0]
    assert first["count"] == edges["count"].iloc[0]
    assert set(found.transitions.index) == {t.key for t in found.journey.transitions}
    assert found.touchpoints.loc["tiktok_video", "starts"] == g.start["tiktok_video"]
    assert found.touchpoints["events"].sum() == len(classic)
    assert found.touchpoints["cases"].max() == classic["case_id"].nunique()


def test_discover_odd_labels_and_channels():
    ev = pd.DataFrame({"case_id": ["a", "a", "b"], "activity": ["Sees ad!", "Buys in store", "Sees ad!"],
                       "channel": ["instagram", "store", "tiktok"],
                       "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-01"]).tz_localize("UTC")})
    j = discover(ev, stage=None)
    assert [t.id for t in j.touchpoints] == ["sees_ad", "buys_in_store"]
    assert j.touchpoints[0].action == "Sees ad!" and j.touchpoints[0].channel == "instagram"  # tie → alphabetical
    assert [s.id for s in j.stages] == ["observed"]
    with pytest.raises(JourneyError, match=r"not in the catalogue.*: fax"):
        discover(ev.assign(channel="fax"))


def test_variants_and_progress(classic, capsys, monkeypatch):
    var = variants(classic, progress=False)
    assert var["cases"].sum() == classic["case_id"].nunique()
    assert var["cases"].is_monotonic_decreasing and var["share"].sum() == pytest.approx(1)
    assert capsys.readouterr().err == ""
    variants(classic, progress=True)
    assert "variants" in capsys.readouterr().err
    import journeymap.analytics._frame as frame

    monkeypatch.setattr(frame, "PROGRESS_MIN_ROWS", 100)  # the documented threshold, lowered
    discover(classic)
    assert "discover" in capsys.readouterr().err

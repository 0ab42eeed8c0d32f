"""Calibration: a designed journey + an event log → observed values written in, and the drift report."""

from __future__ import annotations

import copy
import math

import pandas as pd
import pytest

import journeymap as jm
from journeymap.analytics import calibrate, simulate
from journeymap.cli import main
from journeymap.errors import JourneyError


@pytest.fixture(scope="module")
def truth() -> jm.Journey:
    """The multichannel retail journey with two entries (ads and the store) in known proportions."""
    data = jm.load(jm.shipped_journey("retail_bopis_multichannel")).model_dump(by_alias=True, exclude_none=True)
    data["touchpoints"][0]["entry_share"] = 0.6
    data["touchpoints"][1]["entry_share"] = 0.4  # product_page: also an entry (a search lands there)
    return jm.Journey.model_validate(data)


@pytest.fixture(scope="module")
def events(truth: jm.Journey) -> pd.DataFrame:
    # friction_dropoff=0: customers move with exactly the designed shares
    return simulate(truth, customers=200_000, seed=11, friction_dropoff=0, identities=False)


def _wrong(journey: jm.Journey) -> tuple[jm.Journey, set[str]]:
    """The journey with the first share out of every branching touchpoint halved (and entries swapped)."""
    data = copy.deepcopy(journey.model_dump(by_alias=True, exclude_none=True))
    changed, done = set(), set()
    for tr in data["transitions"]:
        outs = [t for t in data["transitions"] if t["from"] == tr["from"]]
        if len(outs) > 1 and tr["from"] not in done and tr["share"] >= 0.1:
            tr["share"] = round(tr["share"] / 2, 4)
            changed.add(f"{tr['from']}->{tr['to']}")
            done.add(tr["from"])
    data["touchpoints"][0]["entry_share"] = 0.3
    data["touchpoints"][1]["entry_share"] = 0.7
    return jm.Journey.model_validate(data), changed


def test_round_trip_recovers_shares_entries_and_conversion(truth, events):
    wrong, changed = _wrong(truth)
    assert len(changed) >= 4
    cal = calibrate(wrong, events, case="customer_id")
    got = {tr.key: tr for tr in cal.journey.transitions}
    visits = events["activity"].value_counts()
    within, rare = 0, []
    for tr in truth.transitions:
        n = visits[tr.source]
        se = math.sqrt(tr.share * (1 - tr.share) / n)
        error = abs(got[tr.key].share - tr.share)
        # 0.01 where the log holds enough moves for it (≥ 20,000 visits: 0.01 is ≥ 2.8 standard errors);
        # at rarer touchpoints 0.01 is below the sampling noise itself: there, within 4 standard errors
        assert error <= (0.01 if n >= 20_000 else max(0.01, 4 * se)), (tr.key, n, error)
        within += error <= 0.01
        if n < 20_000:
            rare.append(f"{tr.key} (n={n}, error {error:.4f}, 4 SE {4 * se:.4f})")
        assert got[tr.key].evidence == "observed"
    print(f"\n{within} of {len(truth.transitions)} shares within 0.01; rare sources: {rare}")
    assert len(got) == len(truth.transitions)  # nothing seen that the truth does not have
    entries = {tp.id: tp.entry_share for tp in cal.journey.touchpoints if tp.entry_share}
    assert entries == pytest.approx({"ig_ad": 0.6, "product_page": 0.4}, abs=0.01)
    assert jm.score(cal.journey).expected_conversion == pytest.approx(jm.score(truth).expected_conversion, abs=0.01)
    # the drift names exactly the transitions whose shares were changed, and the two entries
    assert set(cal.drift.keys("transition share")) == changed
    assert set(cal.drift.keys("entry share")) == {"ig_ad", "product_page"}
    print(f"\nchanged {sorted(changed)}; drift names {sorted(cal.drift.keys('transition share'))}")


def test_unchanged_design_shows_no_drift_in_the_flow(truth, events):
    cal = calibrate(truth, events, case="customer_id")
    for kind in ("transition share", "entry share", "reach", "drop-off", "conversion"):
        assert cal.drift.keys(kind) == [], kind
    assert cal.drift.calibrated_conversion == pytest.approx(cal.drift.designed_conversion, abs=0.01)


def test_observed_blocks_and_provenance(truth, events):
    cal = calibrate(truth, events, case="customer_id", file="shop_log.csv", source_id="shop_log")
    src = cal.journey.sources[-1]
    assert (src.id, src.kind, src.file, src.customers, src.rows) == (
        "shop_log", "events", "shop_log.csv", 200_000, len(events))
    assert src.start == events["timestamp"].min().date().isoformat()
    conv_ids = [tp.id for tp in truth.touchpoints if tp.conversion]
    converted = events.loc[events["activity"].isin(conv_ids), "customer_id"].nunique()
    assert src.conversion == converted / 200_000
    page = cal.journey.touchpoint("product_page")
    counts = events.groupby("activity")["customer_id"]
    assert page.observed.visits == counts.size()["product_page"]
    assert page.observed.customers == counts.nunique()["product_page"]
    first = events.groupby("customer_id")["activity"].first().value_counts()
    assert page.observed.entries == first["product_page"]
    assert page.observed.gap_min.q1 <= page.observed.gap_min.median <= page.observed.gap_min.q3
    # the moves counted equal a plain pandas count of consecutive pairs
    nxt = events.groupby("customer_id")["activity"].shift(-1)
    pairs = pd.DataFrame({"a": events["activity"], "b": nxt}).dropna().value_counts()
    for tr in cal.journey.transitions:
        assert tr.observed.count == pairs.get((tr.source, tr.target), 0), tr.key
    # the experience values the log cannot see are the design's
    for before, after in zip(truth.touchpoints, cal.journey.touchpoints, strict=True):
        assert (after.emotion, after.effort, after.wait_min, after.evidence) == (
            before.emotion, before.effort, before.wait_min, before.evidence)


def test_calibrated_file_round_trips(tmp_path, truth, events):
    cal = calibrate(truth, events.head(5000), case="customer_id", file="log.csv")
    path = tmp_path / "calibrated.yaml"
    jm.save(cal.journey, path)
    again = jm.load(path)
    assert again == cal.journey
    text = path.read_text()
    assert "evidence: observed" in text and "sources:" in text and "gap_min:" in text


def _tiny(transitions: list[dict]) -> jm.Journey:
    return jm.Journey(id="t", title="T", stages=[{"id": "s", "name": "S"}],
                      touchpoints=[{"id": i, "stage": "s", "channel": "website", "action": i,
                                    "conversion": i == "buy"} for i in ("ad", "web", "buy")],
                      transitions=transitions)


def _log(paths: dict[str, list[str]]) -> pd.DataFrame:
    rows = [{"case_id": c, "activity": a, "timestamp": pd.Timestamp("2026-03-01", tz="UTC") + pd.Timedelta(minutes=i)}
            for c, seq in paths.items() for i, a in enumerate(seq)]
    return pd.DataFrame(rows)


def test_moves_not_designed_and_never_seen():
    design = _tiny([{"from": "ad", "to": "web", "share": 0.9}, {"from": "web", "to": "buy", "share": 0.5},
                    {"from": "ad", "to": "buy", "share": 0.1}])
    log = _log({"a": ["ad", "buy"], "b": ["ad", "buy"], "c": ["ad", "web", "ad"], "d": ["ad", "chat"]})
    cal = calibrate(design, log)
    shares = {tr.key: tr.share for tr in cal.journey.transitions}
    assert shares == {"ad->web": 0.2, "web->buy": 0.0, "ad->buy": 0.4, "web->ad": 1.0}
    t = cal.drift.table.set_index(["kind", "key"])
    assert t.loc[("transition share", "web->ad"), "status"] == "not designed"
    assert t.loc[("transition share", "web->buy"), "status"] == "never seen"
    assert t.loc[("activity", "chat"), "status"] == "not in design"
    assert t.loc[("activity", "chat"), "observed"] == 1
    assert t.loc[("conversion", "t"), "observed"] == 0.5


def test_effects_are_exact_one_value_recomputations():
    design = _tiny([{"from": "ad", "to": "web", "share": 0.5}, {"from": "web", "to": "buy", "share": 0.5}])
    log = _log({str(i): ["ad", "web", "buy"] if i < 80 else ["ad"] for i in range(100)})
    cal = calibrate(design, log, min_change=0.0)
    row = cal.drift.table.set_index(["kind", "key"]).loc[("transition share", "ad->web")]
    # only ad->web set to 0.8: conversion 0.8 × 0.5 = 0.4 instead of 0.25
    assert row["effect_conversion"] == pytest.approx(0.4 - 0.25)
    first = cal.drift.table.iloc[0]
    assert not math.isnan(first["effect_conversion"])  # rows with an effect come first, largest first
    ranked = cal.drift.table["effect_conversion"].dropna().abs().tolist()
    assert ranked == sorted(ranked, reverse=True)


def test_mapping_links_activities_to_touchpoints():
    design = _tiny([{"from": "ad", "to": "web", "share": 1.0}, {"from": "web", "to": "buy", "share": 1.0}])
    log = _log({"a": ["banner", "site", "till"], "b": ["banner", "site"]})
    cal = calibrate(design, log, mapping={"banner": "ad", "site": "web", "till": "buy"})
    assert {tr.key: tr.share for tr in cal.journey.transitions} == {"ad->web": 1.0, "web->buy": 0.5}
    with pytest.raises(JourneyError) as err:
        calibrate(design, log, mapping={"banner": "add"})
    message = str(err.value)
    assert "banner" in message and "'add' is no touchpoint" in message and "ad" in message
    assert len(message.splitlines()) == 1


def test_empty_log_is_one_line():
    design = _tiny([{"from": "ad", "to": "web"}])
    with pytest.raises(JourneyError, match="no events to calibrate"):
        calibrate(design, _log({}).reindex(columns=["case_id", "activity", "timestamp"]))


def test_cli_calibrate_writes_journey_and_report(tmp_path, capsys):
    design = tmp_path / "design.yaml"
    log = tmp_path / "log.csv"
    jm.save(_tiny([{"from": "ad", "to": "web", "share": 0.5}, {"from": "web", "to": "buy", "share": 0.5}]), design)
    frame = _log({"a": ["ad", "web", "buy"], "b": ["ad", "=HYPERLINK(\"http://x\")"]})
    frame["channel"] = "website"
    frame.to_csv(log, index=False)
    out, report = tmp_path / "cal.yaml", tmp_path / "drift.csv"
    code = main(["calibrate", str(design), str(log), "-o", str(out), "--report", str(report), "-q"])
    printed = capsys.readouterr().out
    assert code == 0 and "calibrated from 5 events of 2 customers" in printed
    assert jm.load(out).transitions[0].evidence == "observed"
    text = report.read_text()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_cli_calibrate_mapping_file_and_bad_input(tmp_path, capsys):
    design = tmp_path / "design.yaml"
    jm.save(_tiny([{"from": "ad", "to": "web"}, {"from": "web", "to": "buy"}]), design)
    log = tmp_path / "log.csv"
    frame = _log({"a": ["banner", "site"]})
    frame["channel"] = "website"
    frame.to_csv(log, index=False)
    mapping = tmp_path / "map.csv"
    mapping.write_text("activity,touchpoint\nbanner,ad\nsite,web\n")
    assert main(["calibrate", str(design), str(log), "-o", str(tmp_path / "c.yaml"), "--mapping", str(mapping),
                 "-q"]) == 0
    assert jm.load(tmp_path / "c.yaml").touchpoint("ad").observed.visits == 1
    mapping.write_text("activity,touchpoint\nbanner\n")
    assert main(["calibrate", str(design), str(log), "-o", str(tmp_path / "d.yaml"), "--mapping", str(mapping),
                 "-q"]) != 0
    err = capsys.readouterr().err
    assert f"{mapping}:2:" in err and "Traceback" not in err
    assert not (tmp_path / "d.yaml").exists()

"""Stitching, funnels, channel measures, conformance and simulation."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import journeymap as jm
from journeymap.analytics import (
    channel_transitions,
    conformance,
    conversion_by_channel,
    cross_channel_rate,
    funnel,
    read_events,
    repeated_contacts,
    simulate,
    stitch,
    time_to_convert,
    touchpoint_friction,
)
from journeymap.errors import JourneyError
from journeymap.paths import PROJECT_ROOT

IDS = ["device_id", "email", "phone", "loyalty_id"]


def _ev(rows):
    frame = pd.DataFrame(rows, columns=["case_id", "activity", "channel", "timestamp"])
    return frame.assign(timestamp=pd.to_datetime(frame["timestamp"]).dt.tz_localize("UTC"))


LOG = _ev([
    ("a", "ad", "instagram", "2026-01-01 09:00"), ("a", "web", "website", "2026-01-01 09:10"),
    ("a", "call", "phone", "2026-01-02 10:00"), ("a", "call", "phone", "2026-01-05 10:00"),
    ("a", "buy", "store", "2026-01-06 12:00"),
    ("b", "ad", "instagram", "2026-01-01 10:00"), ("b", "buy", "store", "2026-01-01 10:00"),
    ("b", "web", "website", "2026-01-01 10:00"),
    ("c", "web", "website", "2026-01-03 08:00"), ("c", "call", "phone", "2026-01-03 09:00"),
    ("c", "call", "phone", "2026-01-20 09:00"),
])


def test_stitch_links_ids_into_customers():
    ev = pd.DataFrame({
        "activity": list("abcdefg"),
        "device_id": ["d1", "d1", None, "d2", None, "d3", ""],
        "email": [None, "x@y", "x@y", "x@y", None, None, None],
        "phone": [None, None, "+1", None, "+1", "+2", None],
    })
    events, report = stitch(ev, identifiers=["device_id", "email", "phone"])
    assert events["customer_id"].tolist() == ["C1"] * 5 + ["C2"]  # row g has no id
    assert events["activity"].tolist() == list("abcdef")
    assert report.ids_by_kind == {"device_id": 3, "email": 1, "phone": 2}
    assert (report.channel_ids, report.customers, report.events_without_id) == (6, 2, 1)
    assert report.largest_customer_ids == 4 and report.ids_per_customer == {2: 1, 4: 1}
    ident = report.identities.set_index(["kind", "value"])["customer_id"]
    assert ident[("phone", "+2")] == "C2" and ident[("device_id", "d2")] == "C1"
    with pytest.raises(JourneyError, match="missing column"):
        stitch(ev, identifiers=["loyalty_id"])
    with pytest.raises(ValueError, match="at least one"):
        stitch(ev, identifiers=[])


def test_stitch_recovers_simulated_customers():
    journey = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    truth = simulate(journey, customers=300, seed=5)
    events, report = stitch(truth, identifiers=IDS)
    # no over-merging: every stitched customer is one true customer
    per = events.assign(true=truth.loc[truth[IDS].notna().any(axis=1), "customer_id"].to_numpy())
    assert (per.groupby("customer_id")["true"].nunique() == 1).all()
    assert report.customers >= 300
    multi = simulate(jm.load(jm.shipped_journey("retail_bopis_multichannel")), customers=300, seed=5)
    _, multi_report = stitch(multi, identifiers=IDS)
    assert multi_report.customers > report.customers  # a multichannel shop sees more "people"


def test_funnel_strict_and_loose():
    f = funnel(LOG, stages=["ad", "web", "buy"])
    assert f["customers"].tolist() == [2, 2, 1]
    assert f["drop_off"].tolist() == [0, 0, 1]
    assert f["median_min"].iloc[1] == pytest.approx(5.0)  # (10 + 0) / 2
    loose = funnel(LOG, stages=["ad", "web", "buy"], strict_order=False)
    assert loose["customers"].tolist() == [2, 2, 2]
    multi = funnel(LOG, stages=[["ad", "web"], "call"])
    assert multi["step"].tolist() == ["ad | web", "call"] and multi["customers"].tolist() == [3, 2]
    by_channel = funnel(LOG, stages=["instagram", "store"], by="channel")
    assert by_channel["customers"].tolist() == [2, 2]
    with pytest.raises(ValueError):
        funnel(LOG, stages=[])


def test_channel_measures():
    m = channel_transitions(LOG)
    assert m.loc["phone", "phone"] == 2 and m.loc["website", "phone"] == 2 and m.loc["instagram", "store"] == 1
    assert int(m.to_numpy().sum()) == len(LOG) - 3
    shares = channel_transitions(LOG, normalize="row")
    assert np.allclose(shares.sum(axis=1)[shares.sum(axis=1) > 0], 1)
    assert cross_channel_rate(LOG) == 1.0  # a: instagram→store, b: instagram→website, c: website→phone
    stay = _ev([("d", "mail", "email", "2026-01-01"), ("d", "mail", "email", "2026-01-02")])
    assert cross_channel_rate(pd.concat([LOG, stay], ignore_index=True)) == 0.75
    assert cross_channel_rate(LOG, conversion="buy") == 1.0
    assert cross_channel_rate(LOG.iloc[:0]) == 0.0
    conv = conversion_by_channel(LOG, "buy")
    assert conv.loc["instagram", "rate"] == 1.0 and conv.loc["phone"].tolist() == [2, 1, 0.5]
    first = conversion_by_channel(LOG, "buy", touch="first")
    assert first["customers"].sum() == 3
    ttc = time_to_convert(LOG, "buy")
    assert ttc.to_dict() == {"a": pd.Timedelta("5 days 03:00:00"), "b": pd.Timedelta(0)}
    rep = repeated_contacts(LOG, channels=["phone"])
    assert rep.loc["phone"].tolist() == [2, 4, 2, 1.0, 2.0]
    rep7 = repeated_contacts(LOG, channels=["phone"], within="7D")
    assert rep7.loc["phone", "repeat_customers"] == 1


def test_conformance_on_simulated_design():
    design = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    events = simulate(design, customers=400, seed=2)
    report = conformance(design, events, case="customer_id")
    assert report.fitness > 0.95  # ties at 1 s resolution are the only possible deviations
    assert report.unknown_activities.empty
    tr = report.transitions.set_index("key")
    assert tr.loc["ig_ad->product_page", "observed_share"] == pytest.approx(0.8 * (1 - 0.3 * 0.001), abs=0.06)
    # a different design: the multichannel events fit it, the omni design misses nothing it can't see
    odd = pd.concat([events, pd.DataFrame({"customer_id": ["Z"], "activity": ["unknown_step"],
                                           "timestamp": [events["timestamp"].max()]})], ignore_index=True)
    report2 = conformance(design, odd, case="customer_id")
    assert report2.unknown_activities.to_dict() == {"unknown_step": 1}
    assert report2.deviations["activity not in the design"] == 1
    assert "follow the design" in str(report2) and "not designed touchpoints" not in str(report)
    bad_start = events[events["activity"] != "ig_ad"]
    report3 = conformance(design, bad_start, case="customer_id")
    assert report3.deviations["starts outside the design's entries"] > 0
    assert "ig_ad->product_page" in set(report3.missing["key"])


def test_simulate_rules():
    design = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    a = simulate(design, customers=200, seed=9)
    pd.testing.assert_frame_equal(a, simulate(design, customers=200, seed=9))
    assert not a.equals(simulate(design, customers=200, seed=10))
    no_friction = simulate(design, customers=4000, seed=1, friction_dropoff=0, identities=False)
    starts = no_friction["activity"].eq("ig_ad").sum()
    moved = no_friction["activity"].eq("product_page") & no_friction.groupby("customer_id").cumcount().eq(1)
    assert moved.sum() / starts == pytest.approx(0.8, abs=0.02)  # designed share reproduced
    high = simulate(design, customers=4000, seed=1, friction=dict.fromkeys(["ig_ad"], 100), friction_dropoff=0.5,
                    identities=False)
    moved_high = high["activity"].eq("product_page") & high.groupby("customer_id").cumcount().eq(1)
    assert moved_high.sum() / starts == pytest.approx(0.8 * 0.5, abs=0.02)  # drop-off grows with friction
    assert list(no_friction.columns) == ["customer_id", "timestamp", "activity", "channel", "stage"]
    assert simulate(design, customers=0).empty
    with pytest.raises(ValueError):
        simulate(design, customers=-1)
    with pytest.raises(ValueError):
        simulate(design, friction_dropoff=2)
    fr = touchpoint_friction(design)
    assert fr.index.tolist() == [t.id for t in design.touchpoints]


def test_shipped_data_is_small_and_regenerates():
    files = list((PROJECT_ROOT / "data" / "events").iterdir())
    assert sum(f.stat().st_size for f in files) < 5 * 1024 * 1024
    out = subprocess.run([sys.executable, str(PROJECT_ROOT / "tools" / "make_events.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_shipped_parquet_log():
    events, report = read_events(PROJECT_ROOT / "data" / "events" / "retail_bopis_multichannel.parquet", case=None)
    assert report.set_aside == {} and set(IDS) <= set(events.columns)

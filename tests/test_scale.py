"""The default lazy engine (DuckDB over Parquet) gives exactly the pandas results, ties in file order."""

from __future__ import annotations

import pandas as pd
import pytest

import journeymap as jm
from journeymap.analytics import (
    attribution,
    channel_transitions,
    conformance,
    conversion_by_channel,
    conversion_paths,
    cross_channel_rate,
    dfg,
    discover_with_stats,
    funnel,
    read_events,
    repeated_contacts,
    variants,
)
from journeymap.analytics._backend import ROW, is_lazy
from journeymap.errors import JourneyError
from journeymap.paths import PROJECT_ROOT

pytest.importorskip("duckdb")
pytest.importorskip("narwhals")

EVENTS = PROJECT_ROOT / "data" / "events"
STAGES = ["tiktok_video", "blog_post", ["search_visit", "welcome_email"], "checkout"]


@pytest.fixture(scope="module")
def classic() -> pd.DataFrame:
    events, _ = read_events(EVENTS / "classic_social_to_purchase.csv", case="customer_id")
    return events


@pytest.fixture(scope="module")
def folder(classic, tmp_path_factory) -> str:
    """The log split over three files: file order = files by name, then rows within each file."""
    root = tmp_path_factory.mktemp("classic")
    bounds = [0, 3000, 6500, len(classic)]
    for i in range(3):
        (root / f"month={i}").mkdir()
        classic.iloc[bounds[i]:bounds[i + 1]].to_parquet(root / f"month={i}" / f"part-{i}.parquet")
    return str(root)


def _same_dfg(a, b):
    pd.testing.assert_frame_equal(a.edges, b.edges, check_dtype=False)
    pd.testing.assert_series_equal(a.start, b.start, check_dtype=False)
    pd.testing.assert_series_equal(a.end, b.end, check_dtype=False)


def test_sources_are_recognised(folder, tmp_path):
    assert is_lazy(folder) and is_lazy(tmp_path / "x.parquet") and not is_lazy(pd.DataFrame())
    assert not is_lazy(EVENTS / "classic_social_to_purchase.csv")


def test_every_analytic_equals_pandas_on_a_parquet_folder(classic, folder):
    _same_dfg(dfg(classic), dfg(folder))
    pd.testing.assert_frame_equal(variants(classic), variants(folder), check_dtype=False)
    for strict in (True, False):
        pd.testing.assert_frame_equal(funnel(classic, STAGES, strict_order=strict),
                                      funnel(folder, STAGES, strict_order=strict), check_dtype=False)
    pd.testing.assert_frame_equal(channel_transitions(classic, normalize="row"),
                                  channel_transitions(folder, normalize="row"), check_dtype=False)
    assert cross_channel_rate(folder) == cross_channel_rate(classic)
    assert cross_channel_rate(folder, conversion="checkout") == cross_channel_rate(classic, conversion="checkout")
    pd.testing.assert_frame_equal(conversion_paths(classic, "checkout"), conversion_paths(folder, "checkout"),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(attribution(classic, "checkout"), attribution(folder, "checkout"),
                                  check_dtype=False, atol=1e-9)
    _same_channel_measures(classic, folder)


def _same_channel_measures(classic, folder):
    for touch in ("any", "first"):
        ours = conversion_by_channel(classic, "checkout", touch=touch)
        assert ours["conversions"].sum() > 0
        pd.testing.assert_frame_equal(ours, conversion_by_channel(folder, "checkout", touch=touch), check_dtype=False)
    for kwargs in ({}, {"within": "2D"}, {"channels": ["email", "website"], "within": "1D"}):
        ours = repeated_contacts(classic, **kwargs)
        assert ours["repeat_customers"].sum() > 0
        pd.testing.assert_frame_equal(ours, repeated_contacts(folder, **kwargs), check_dtype=False)


def test_conformance_and_discover_equal_pandas(classic, folder):
    design = jm.load(jm.shipped_journey("classic_social_to_purchase"))
    ours, lazy = conformance(design, classic), conformance(design, folder)
    assert (lazy.cases, lazy.fitting_cases) == (ours.cases, ours.fitting_cases)
    assert lazy.deviations.to_dict() == ours.deviations.to_dict()
    pd.testing.assert_frame_equal(ours.transitions, lazy.transitions, check_dtype=False)
    assert sorted(map(tuple, lazy.unexpected.values.tolist())) == sorted(map(tuple, ours.unexpected.values.tolist()))
    fits = lazy.fits.df()  # left in the engine; collected here only to check it
    assert int(fits["fits"].sum()) == ours.fitting_cases
    a, b = discover_with_stats(classic), discover_with_stats(folder)
    assert a.journey == b.journey
    pd.testing.assert_frame_equal(a.transitions, b.transitions, check_dtype=False)
    pd.testing.assert_frame_equal(a.touchpoints, b.touchpoints, check_dtype=False)


def test_ties_follow_file_order_or_event_row(classic, tmp_path):
    backward = classic.iloc[::-1].reset_index(drop=True)
    backward.to_parquet(tmp_path / "backward.parquet")
    assert dfg(tmp_path / "backward.parquet").counts() == dfg(backward).counts() != dfg(classic).counts()
    # an explicit event_row column wins over the physical order
    backward.assign(**{ROW: range(len(classic))[::-1]}).to_parquet(tmp_path / "with_row.parquet")
    assert dfg(tmp_path / "with_row.parquet").counts() == dfg(classic).counts()


@pytest.fixture(params=["one query", "buckets"])
def buckets(request, monkeypatch, tmp_path):
    """Run a test once as is and once with logs split into small customer buckets."""
    if request.param == "buckets":
        monkeypatch.setenv("JOURNEYMAP_BUCKET_ROWS", "20")
        monkeypatch.setenv("JOURNEYMAP_DUCKDB_TEMP", str(tmp_path / "duck"))
    return request.param


def test_lazy_read_events_reports_like_pandas(tmp_path, buckets):
    raw = pd.read_csv(EVENTS / "retail_bopis_omnichannel.csv", dtype=str, keep_default_na=False)
    raw.to_parquet(tmp_path / "raw.parquet")
    eager, report = read_events(EVENTS / "retail_bopis_omnichannel.csv", case=None, tz="Europe/Madrid")
    lazy, lazy_report = read_events(tmp_path / "raw.parquet", case=None, tz="Europe/Madrid", lazy=True)
    assert lazy_report.set_aside == report.set_aside == {"bad_timestamp": 4, "unknown_channel": 3, "duplicate": 6}
    assert (lazy_report.rows_read, lazy_report.rows_kept) == (report.rows_read, report.rows_kept)
    assert lazy_report.naive_timestamps == report.naive_timestamps
    # examples name rows (0-based), the CSV report names lines (header = line 1)
    assert [int(w.split()[1]) + 2 for w, _ in lazy_report.examples["duplicate"]] == \
        [int(w.split()[1]) for w, _ in report.examples["duplicate"]]
    got = lazy.df().sort_values(ROW).drop(columns=ROW).reset_index(drop=True)
    assert got["timestamp"].dt.tz_convert("UTC").tolist() == eager["timestamp"].tolist()
    assert got["channel"].tolist() == eager["channel"].tolist()


def test_lazy_read_events_then_analytics(classic, tmp_path, buckets):
    from journeymap.analytics._backend import bucket_count

    pd.read_csv(EVENTS / "classic_social_to_purchase.csv").to_parquet(tmp_path / "raw.parquet")
    events, report = read_events(tmp_path / "raw.parquet", case="customer_id", lazy=True)
    assert report.rows_kept == len(classic) and report.set_aside == {}
    # the checked events are kept as Parquet, so the analytics split them into buckets like a path
    assert bucket_count(events) == (1 if buckets == "one query" else -(-len(classic) // 20))
    _same_dfg(dfg(classic), dfg(events))
    pd.testing.assert_frame_equal(variants(classic), variants(events), check_dtype=False)
    small, _ = read_events(tmp_path / "raw.parquet", case="customer_id")  # small file: pandas, as before
    assert isinstance(small, pd.DataFrame)


def test_lazy_errors(folder, tmp_path):
    with pytest.raises(JourneyError, match="missing column"):
        dfg(folder, case="customer")
    with pytest.raises(JourneyError, match="missing column"):
        read_events(folder, case="customer")
    from journeymap.analytics import stitch, time_to_convert

    for pandas_only in (lambda: time_to_convert(folder, "checkout"), lambda: stitch(folder, ["case_id"])):
        with pytest.raises(JourneyError, match="runs on pandas events only"):
            pandas_only()
    (tmp_path / "empty").mkdir()
    with pytest.raises(JourneyError, match="no Parquet file"):
        dfg(tmp_path / "empty")
    bad = pd.DataFrame({"case_id": ["a"], "activity": ["x"], "channel": ["fax"], "timestamp": ["2026-01-01T00:00Z"]})
    bad.to_parquet(tmp_path / "fax.parquet")
    with pytest.raises(JourneyError, match="not in the catalogue: fax"):
        read_events(tmp_path / "fax.parquet", lazy=True, unknown_channels="error")
    _, report = read_events(tmp_path / "fax.parquet", lazy=True, tz=None, unknown_channels="keep")  # has Z: fine
    assert report.rows_kept == 1 and report.naive_timestamps == 0
    bad.assign(timestamp="2026-01-01 10:00").to_parquet(tmp_path / "naive.parquet")
    with pytest.raises(JourneyError, match="no time zone"):
        read_events(tmp_path / "naive.parquet", lazy=True, tz=None, unknown_channels="keep")


def test_heavy_engines_are_imported_only_when_used():
    import subprocess
    import sys

    code = ("import sys, journeymap, journeymap.analytics; "
            "print([m for m in ('duckdb', 'pyspark', 'narwhals', 'polars') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_customer_buckets_give_the_same_results(classic, folder, monkeypatch, tmp_path):
    from journeymap.analytics._backend import bucket_count

    monkeypatch.setenv("JOURNEYMAP_BUCKET_ROWS", "1500")
    monkeypatch.setenv("JOURNEYMAP_DUCKDB_TEMP", str(tmp_path))
    assert bucket_count(folder) == -(-len(classic) // 1500) >= 4
    assert bucket_count(classic) == 1  # pandas input is never split
    _same_dfg(dfg(classic), dfg(folder))
    pd.testing.assert_frame_equal(variants(classic), variants(folder), check_dtype=False)
    pd.testing.assert_frame_equal(channel_transitions(classic), channel_transitions(folder), check_dtype=False)
    for strict in (True, False):
        pd.testing.assert_frame_equal(funnel(classic, STAGES, strict_order=strict),
                                      funnel(folder, STAGES, strict_order=strict), check_dtype=False)
    pd.testing.assert_frame_equal(conversion_paths(classic, "checkout"), conversion_paths(folder, "checkout"),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(attribution(classic, "checkout"), attribution(folder, "checkout"),
                                  check_dtype=False, atol=1e-9)
    _same_channel_measures(classic, folder)
    design = jm.load(jm.shipped_journey("classic_social_to_purchase"))
    pd.testing.assert_frame_equal(conformance(design, classic).transitions, conformance(design, folder).transitions,
                                  check_dtype=False)
    a, b = discover_with_stats(classic), discover_with_stats(folder)
    assert a.journey == b.journey
    pd.testing.assert_frame_equal(a.touchpoints, b.touchpoints, check_dtype=False)
    assert cross_channel_rate(folder) == cross_channel_rate(classic) > 0
    assert cross_channel_rate(folder, conversion="checkout") == cross_channel_rate(classic, conversion="checkout")
    assert list(tmp_path.glob("journeymap-steps-*")) == []  # per-call outputs are removed


def test_the_split_is_reused_while_the_files_are_unchanged(classic, folder, monkeypatch, tmp_path):
    import os
    import pathlib

    from journeymap.analytics import _backend

    monkeypatch.setenv("JOURNEYMAP_BUCKET_ROWS", "2500")
    monkeypatch.setenv("JOURNEYMAP_DUCKDB_TEMP", str(tmp_path))
    dead = tmp_path / "journeymap-split-999999999-x"  # left by a process that no longer runs
    dead.mkdir()
    before = dfg(folder).counts()
    (split,) = tmp_path.glob("journeymap-split-*")
    assert not dead.exists() and split.name.startswith(f"journeymap-split-{os.getpid()}-")
    marker = split / "in" / "marker"
    marker.write_text("same split")
    assert variants(folder)["cases"].sum() == classic["case_id"].nunique()  # same columns: the split is reused
    assert marker.exists()
    part = next(pathlib.Path(folder).rglob("*.parquet"))
    os.utime(part, ns=(part.stat().st_atime_ns, part.stat().st_mtime_ns + 10**9))  # a file changed: split again
    assert dfg(folder).counts() == before
    assert not split.exists() and len(list(tmp_path.glob("journeymap-split-*"))) == 1
    _backend._drop_split()
    assert list(tmp_path.glob("journeymap-split-*")) == []


def test_exact_median_gaps_with_ties_and_even_counts(tmp_path):
    """Gaps chosen so that the histogram answers some medians directly (one value in the bin) and the
    engine ranks the others: every median equals pandas', for odd and even counts and tied gaps."""
    import numpy as np

    rng = np.random.default_rng(3)
    rows = []
    for c in range(400):
        t = pd.Timestamp("2026-03-01", tz="UTC") + pd.Timedelta(minutes=int(rng.integers(0, 10_000)))
        gaps = {"a": 5.0,  # always the same gap: answered by the histogram
                "b": float(rng.exponential(90)),  # spread out: ranked in the engine
                "c": float(rng.choice([0.0, 1.0, 1.0, 2.5]))}  # heavy ties, zeros included
        seq = ["start", *list(rng.permutation(["a", "b", "c"]))[: 1 + c % 3]]
        for i, act in enumerate(seq):
            rows.append({"case_id": f"k{c}", "activity": act, "timestamp": t})
            if i + 1 < len(seq):
                t = t + pd.Timedelta(minutes=gaps[seq[i + 1]])
    ev = pd.DataFrame(rows)
    ev["timestamp"] = ev["timestamp"].astype("datetime64[us, UTC]")
    ev.to_parquet(tmp_path / "gaps.parquet")
    ours, lazy = dfg(ev).edges, dfg(tmp_path / "gaps.parquet").edges
    assert len(ours) > 8 and ours["count"].mod(2).eq(0).any() and ours["count"].mod(2).eq(1).any()
    pd.testing.assert_frame_equal(ours, lazy, check_dtype=False, rtol=0, atol=1e-9)


@pytest.mark.parametrize("typed", [False, True], ids=["text", "timestamp"])
def test_lazy_read_events_sets_aside_dst_gaps_and_repeats_like_pandas(tmp_path, typed):
    wall = ["2026-03-29 01:59:00", "2026-03-29 02:30:00",  # 02:00-03:00 does not exist in Madrid that night
            "2026-03-29 03:00:00", "2026-10-25 01:30:00",
            "2026-10-25 02:30:00",  # 02:00-03:00 happens twice that night: ambiguous
            "2026-10-25 03:30:00", "2026-07-01 12:00:00"]
    raw = pd.DataFrame({"case_id": [f"c{i}" for i in range(len(wall))], "activity": "visit",
                        "channel": "website", "timestamp": wall})
    if typed:
        raw["timestamp"] = pd.to_datetime(raw["timestamp"]).astype("datetime64[us]")
    raw.to_parquet(tmp_path / "dst.parquet")
    eager, report = read_events(raw, tz="Europe/Madrid")
    lazy, lazy_report = read_events(tmp_path / "dst.parquet", tz="Europe/Madrid", lazy=True)
    assert report.set_aside == lazy_report.set_aside == {"bad_local_time": 2}
    assert [w for w, _ in lazy_report.examples["bad_local_time"]] == ["row 1", "row 4"]
    got = lazy.df().sort_values(ROW)
    assert got["timestamp"].dt.tz_convert("UTC").tolist() == eager["timestamp"].tolist()
    _, utc_report = read_events(tmp_path / "dst.parquet", tz="UTC", lazy=True)  # no DST in UTC
    assert utc_report.set_aside == {}


def test_conversion_by_channel_counts_the_converting_channel_and_first_ties(tmp_path):
    t = pd.Timestamp("2026-05-01 09:00", tz="UTC")
    rows = [("a", "ad", "instagram", 0), ("a", "buy", "store", 60),  # converts in a channel not used before
            ("b", "visit", "website", 0), ("b", "mail", "email", 0),  # tie at the start: file order -> website
            ("b", "buy", "website", 30), ("c", "visit", "email", 5), ("c", "visit", "website", 9)]
    ev = pd.DataFrame([{"case_id": c, "activity": a, "channel": ch, "timestamp": t + pd.Timedelta(minutes=m)}
                       for c, a, ch, m in rows])
    ev["timestamp"] = ev["timestamp"].astype("datetime64[us, UTC]")
    ev.to_parquet(tmp_path / "conv.parquet")
    for touch in ("any", "first"):
        ours = conversion_by_channel(ev, "buy", touch=touch)
        pd.testing.assert_frame_equal(ours, conversion_by_channel(tmp_path / "conv.parquet", "buy", touch=touch),
                                      check_dtype=False)
    assert conversion_by_channel(ev, "buy").loc["store", "conversions"] == 1
    assert conversion_by_channel(ev, "buy", touch="first")["customers"].to_dict() == {"website": 1, "email": 1,
                                                                                       "instagram": 1}

"""On a local Spark session the analytics run inside Spark and equal the default engine's results exactly.

Skipped only when Java is missing outside CI; with ``CI=true`` a missing Java or pyspark fails.
"""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from journeymap.analytics import (
    attribution,
    attribution_markov,
    channel_transitions,
    conversion_paths,
    dfg,
    funnel,
    read_events,
    stitch,
    variants,
)
from journeymap.analytics._backend import ROW
from journeymap.paths import PROJECT_ROOT

IN_CI = os.environ.get("CI") == "true"
pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None and not IN_CI, reason="no Java runtime (required in CI)"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),  # pyspark's note about pandas 3
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]
if not IN_CI:
    pytest.importorskip("pyspark")

EVENTS = PROJECT_ROOT / "data" / "events"
LOGS = {
    "classic": (["tiktok_video", "blog_post", ["search_visit", "welcome_email"], "checkout"], "checkout"),
    "omnichannel": (["ig_ad", "product_page", "checkout"], "checkout"),
}


def _pandas_log(name: str) -> pd.DataFrame:
    if name == "classic":
        events, _ = read_events(EVENTS / "classic_social_to_purchase.csv", case="customer_id")
        return events
    events, _ = read_events(EVENTS / "retail_bopis_omnichannel.csv", case=None)
    stitched, _ = stitch(events, identifiers=["device_id", "email", "phone", "loyalty_id"], customer="case_id")
    return stitched[["case_id", "activity", "timestamp", "channel", "stage"]]


@pytest.fixture(scope="module", params=sorted(LOGS))
def log(request, tmp_path_factory):
    """(name, pandas events, Parquet file = the default engine's input); Spark reads the same file."""
    events = _pandas_log(request.param)
    path = tmp_path_factory.mktemp(request.param) / "events.parquet"
    events.to_parquet(path, coerce_timestamps="us")  # Spark reads microsecond timestamps only
    return request.param, events, str(path)


def test_spark_equals_default_engine(spark, log):
    name, events, path = log
    sdf = spark.read.parquet(path)  # no event_row column: file order comes from Spark's _metadata.row_index
    stages, conversion = LOGS[name]
    ours, default = dfg(sdf), dfg(path)
    for got in (default, ours):
        pd.testing.assert_frame_equal(got.edges, dfg(events).edges, check_dtype=False)
    pd.testing.assert_series_equal(ours.start, default.start, check_dtype=False)
    pd.testing.assert_series_equal(ours.end, default.end, check_dtype=False)
    pd.testing.assert_frame_equal(variants(sdf), variants(path), check_dtype=False)
    pd.testing.assert_frame_equal(variants(sdf), variants(events), check_dtype=False)
    pd.testing.assert_frame_equal(funnel(sdf, stages), funnel(path, stages), check_dtype=False)
    pd.testing.assert_frame_equal(funnel(sdf, stages), funnel(events, stages), check_dtype=False)
    pd.testing.assert_frame_equal(channel_transitions(sdf), channel_transitions(path), check_dtype=False)
    pd.testing.assert_frame_equal(channel_transitions(sdf), channel_transitions(events), check_dtype=False)
    paths = conversion_paths(sdf, conversion)
    pd.testing.assert_frame_equal(paths, conversion_paths(path, conversion), check_dtype=False)
    pd.testing.assert_frame_equal(paths, conversion_paths(events, conversion), check_dtype=False)
    pd.testing.assert_frame_equal(attribution_markov(paths), attribution_markov(conversion_paths(path, conversion)))
    credit = attribution(sdf, conversion, models=["first", "last", "linear", "markov"])
    pd.testing.assert_frame_equal(credit, attribution(path, conversion, models=["first", "last", "linear", "markov"]),
                                  check_dtype=False, atol=1e-9)


def test_file_order_of_a_spark_folder(spark, tmp_path):
    """Ties are broken by file order: files by path, rows within a file (Spark's _metadata), as in DuckDB."""
    events = _pandas_log("classic")
    backward = events.iloc[::-1].reset_index(drop=True)
    for i, part in enumerate((backward.iloc[:4000], backward.iloc[4000:])):
        part.to_parquet(tmp_path / f"part-{i}.parquet", coerce_timestamps="us")
    sdf = spark.read.parquet(str(tmp_path))
    assert dfg(sdf).counts() == dfg(str(tmp_path)).counts() == dfg(backward).counts() != dfg(events).counts()
    explicit = spark.createDataFrame(backward.assign(**{ROW: range(len(backward))[::-1]}))  # event_row wins
    assert dfg(explicit).counts() == dfg(events).counts()


def test_read_events_on_spark(spark, tmp_path):
    raw = pd.read_csv(EVENTS / "retail_bopis_omnichannel.csv", dtype=str, keep_default_na=False)
    raw.to_parquet(tmp_path / "raw.parquet")
    _, report = read_events(EVENTS / "retail_bopis_omnichannel.csv", case=None)
    clean, spark_report = read_events(spark.read.parquet(str(tmp_path / "raw.parquet")), case=None)
    assert type(clean).__module__.startswith("pyspark")  # the events stay in Spark
    assert spark_report.set_aside == report.set_aside
    assert (spark_report.rows_read, spark_report.rows_kept) == (report.rows_read, report.rows_kept)
    assert clean.count() == report.rows_kept


def test_spark_sets_aside_dst_gaps_and_repeats(spark, tmp_path):
    wall = ["2026-03-29 01:59:00", "2026-03-29 02:30:00", "2026-03-29 03:00:00",
            "2026-10-25 02:30:00", "2026-07-01 12:00:00"]  # row 1 skipped, row 3 repeated in Madrid
    raw = pd.DataFrame({"case_id": [f"c{i}" for i in range(len(wall))], "activity": "visit",
                        "channel": "website", "timestamp": wall})
    raw.to_parquet(tmp_path / "dst.parquet")
    eager, report = read_events(raw, tz="Europe/Madrid")
    clean, spark_report = read_events(spark.read.parquet(str(tmp_path / "dst.parquet")), tz="Europe/Madrid")
    assert spark_report.set_aside == report.set_aside == {"bad_local_time": 2}
    got = clean.toPandas().sort_values(ROW)["timestamp"]
    assert [pd.Timestamp(t).tz_localize("UTC") if pd.Timestamp(t).tzinfo is None else pd.Timestamp(t)
            for t in got] == eager["timestamp"].tolist()

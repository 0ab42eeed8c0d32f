"""Issue 11 (security): column names and values from a file never become SQL on the lazy engines.

A Parquet log whose column names (and values) are hostile — quotes, semicolons, comments, newlines,
unicode, backticks, dots, and SQL that would raise or read a file if it ran — gives every lazy
analytic exactly the pandas result, and nothing runs.
"""

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
from journeymap.analytics._backend import ROW
from journeymap.errors import JourneyError

pytest.importorskip("duckdb")
pytest.importorskip("narwhals")

#: Names that break or run SQL when pasted into it; each is used as case, activity, timestamp and channel.
HOSTILE = [
    "case_id\", error('pwned') AS \"y",
    "it's'; SELECT error('pwned'); --",
    "a;b -- comment",
    "line\nbreak\r\ttab",
    "ünï©ødé 名前 🚀",
    "back`tick`, error('pwned') AS `x",
    "dot.ted.name",
    "x\", (SELECT content FROM read_text('/etc/passwd')) AS \"y",
]
#: Values with the same traps (activities and customers; channels must be in the catalogue).
ACTS = ["ad'; DROP TABLE t; --", 'sa"le', "checkout", "a.b`c", "ünï\nline", "error('pwned')"]


def _log(names: list[str]) -> pd.DataFrame:
    case, act, ts, chan = names
    rows = []
    channels = ["instagram", "email", "website", "store", "phone"]
    for c in range(12):
        cid = f"c{c}'\"; --{c % 3}"
        n = 2 + c % 4
        for k in range(n):
            activity = "checkout" if (k == n - 1 and c % 2 == 0) else ACTS[(c + k) % len(ACTS)]
            stamp = pd.Timestamp("2026-03-01", tz="UTC") + pd.Timedelta(minutes=37 * c + 11 * k * (k + 1))
            rows.append({case: cid, act: activity, ts: stamp, chan: channels[(c * 3 + k) % len(channels)],
                         "stage": ["aware", "buy"][k % 2]})
    frame = pd.DataFrame(rows)
    frame[ts] = frame[ts].astype("datetime64[us, UTC]")
    return frame


def _roles(i: int) -> list[str]:
    return [HOSTILE[(i + k) % len(HOSTILE)] for k in range(4)]


@pytest.fixture(params=range(len(HOSTILE)), ids=[f"names{i}" for i in range(len(HOSTILE))])
def logs(request, tmp_path):
    names = _roles(request.param)
    frame = _log(names)
    path = tmp_path / "hostile.parquet"
    frame.to_parquet(path)
    return names, frame, str(path)


def test_every_lazy_analytic_equals_pandas_with_hostile_names(logs):
    (case, act, ts, chan), frame, path = logs
    cols = {"case": case, "activity": act, "timestamp": ts}
    a, b = dfg(frame, **cols), dfg(path, **cols)
    pd.testing.assert_frame_equal(a.edges, b.edges, check_dtype=False)
    pd.testing.assert_series_equal(a.start, b.start, check_dtype=False)
    pd.testing.assert_series_equal(a.end, b.end, check_dtype=False)
    pd.testing.assert_frame_equal(variants(frame, **cols), variants(path, **cols), check_dtype=False)
    stages = [ACTS[0], [ACTS[1], ACTS[3]], "checkout"]
    for strict in (True, False):
        pd.testing.assert_frame_equal(funnel(frame, stages, by=act, case=case, timestamp=ts, strict_order=strict),
                                      funnel(path, stages, by=act, case=case, timestamp=ts, strict_order=strict),
                                      check_dtype=False)
    chans = {"case": case, "timestamp": ts, "channel": chan}
    pd.testing.assert_frame_equal(channel_transitions(frame, **chans), channel_transitions(path, **chans),
                                  check_dtype=False)
    assert cross_channel_rate(frame, **chans) == cross_channel_rate(path, **chans)
    assert cross_channel_rate(frame, **chans, activity=act, conversion="checkout") == \
        cross_channel_rate(path, **chans, activity=act, conversion="checkout")
    full = {**cols, "channel": chan}
    for touch in ("any", "first"):
        pd.testing.assert_frame_equal(conversion_by_channel(frame, "checkout", **full, touch=touch),
                                      conversion_by_channel(path, "checkout", **full, touch=touch), check_dtype=False)
    pd.testing.assert_frame_equal(repeated_contacts(frame, **chans, within="1D"),
                                  repeated_contacts(path, **chans, within="1D"), check_dtype=False)
    pd.testing.assert_frame_equal(conversion_paths(frame, "checkout", touch=chan, **cols),
                                  conversion_paths(path, "checkout", touch=chan, **cols), check_dtype=False)
    pd.testing.assert_frame_equal(attribution(frame, "checkout", touch=chan, **cols),
                                  attribution(path, "checkout", touch=chan, **cols), check_dtype=False, atol=1e-9)
    x, y = discover_with_stats(frame, **full), discover_with_stats(path, **full)
    assert x.journey == y.journey
    pd.testing.assert_frame_equal(x.transitions, y.transitions, check_dtype=False)
    pd.testing.assert_frame_equal(x.touchpoints, y.touchpoints, check_dtype=False)
    design = x.journey
    p, q = conformance(design, frame, **cols), conformance(design, path, **cols)
    assert (p.cases, p.fitting_cases) == (q.cases, q.fitting_cases)
    pd.testing.assert_frame_equal(p.transitions, q.transitions, check_dtype=False)


def test_lazy_read_events_with_hostile_names_and_values(logs):
    (case, act, ts, chan), frame, path = logs
    kw = {"case": case, "activity": act, "timestamp": ts, "channel": chan}
    eager, report = read_events(frame, **kw)
    lazy, lazy_report = read_events(path, **kw, lazy=True)
    assert (lazy_report.rows_read, lazy_report.rows_kept) == (report.rows_read, report.rows_kept) == (len(frame),) * 2
    got = lazy.df().sort_values(ROW).drop(columns=ROW).reset_index(drop=True)
    assert list(got.columns) == list(eager.columns)  # the other columns keep their (hostile) names
    for col in ("case_id", "activity", "channel"):
        assert got[col].tolist() == eager[col].tolist()
    assert got["timestamp"].dt.tz_convert("UTC").tolist() == eager["timestamp"].tolist()
    # and the checked lazy events feed the analytics like any other source
    pd.testing.assert_frame_equal(variants(eager), variants(lazy), check_dtype=False)


def test_hostile_names_in_every_column_of_a_raw_log(tmp_path):
    """Every column of the file hostile (not only the four roles), text timestamps, a time zone with a quote."""
    frame = _log(_roles(0)).rename(columns={"stage": HOSTILE[5]})
    frame[HOSTILE[2]] = frame[HOSTILE[2]].dt.strftime("%Y-%m-%d %H:%M")
    frame[HOSTILE[7]] = "x"
    frame.to_parquet(tmp_path / "raw.parquet")
    kw = {"case": HOSTILE[0], "activity": HOSTILE[1], "timestamp": HOSTILE[2], "channel": HOSTILE[3]}
    eager, report = read_events(frame, **kw, tz="Europe/Madrid")
    lazy, lazy_report = read_events(tmp_path / "raw.parquet", **kw, tz="Europe/Madrid", lazy=True)
    assert lazy_report.rows_kept == report.rows_kept == len(frame)
    assert lazy_report.naive_timestamps == report.naive_timestamps == len(frame)
    got = lazy.df().sort_values(ROW).drop(columns=ROW).reset_index(drop=True)
    assert got[HOSTILE[5]].tolist() == eager[HOSTILE[5]].tolist()
    for lazy in (True, False):  # a hostile zone name is an unknown zone, never SQL
        with pytest.raises(JourneyError, match="unknown time zone"):
            read_events(tmp_path / "raw.parquet", **kw, tz="UTC'; SELECT error('pwned'); --", lazy=lazy)


def test_duckdb_settings_and_paths_are_quoted(tmp_path, monkeypatch):
    """A temp folder or a file name with a quote is a name, not SQL."""
    import journeymap.analytics._backend as backend

    monkeypatch.setattr(backend, "_CON", None)
    odd = tmp_path / "it's; --"
    monkeypatch.setenv("JOURNEYMAP_DUCKDB_TEMP", str(odd))
    frame = _log(["case_id", "activity", "timestamp", "channel"])
    folder = tmp_path / "log's \"dir\""
    folder.mkdir()
    frame.to_parquet(folder / "part'1.parquet")
    try:
        pd.testing.assert_frame_equal(variants(frame), variants(str(folder)), check_dtype=False)
        setting = backend.duckdb_connection().execute("SELECT current_setting('temp_directory')").fetchone()[0]
        assert setting == str(odd)
    finally:
        monkeypatch.setattr(backend, "_CON", None)


def test_safe_names_are_plain_and_distinct():
    from journeymap.analytics._backend import safe_name

    names = [*HOSTILE, "case_id", "Case_ID", "event_row", "_next"]
    safe = [safe_name(n) for n in names]
    assert len(set(safe)) == len(names)
    assert all(s.isascii() and s.replace("_", "").isalnum() and s.islower() for s in safe)


def test_design_shipped_journey_still_conforms_on_lazy_folder(tmp_path):
    """A shipped journey's log (plain names) is unchanged by the renaming."""
    from journeymap.paths import PROJECT_ROOT

    events, _ = read_events(PROJECT_ROOT / "data" / "events" / "classic_social_to_purchase.csv", case="customer_id")
    events.to_parquet(tmp_path / "c.parquet")
    design = jm.load(jm.shipped_journey("classic_social_to_purchase"))
    a, b = conformance(design, events), conformance(design, tmp_path / "c.parquet")
    assert (a.cases, a.fitting_cases) == (b.cases, b.fitting_cases)


# -- Spark: the same hostile names -----------------------------------------------------------------
@pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")
def test_spark_with_hostile_names(spark, tmp_path):
    """read_events, dfg, variants and funnel on Spark: backticks, dots, quotes and newlines are names."""
    names = [HOSTILE[6], HOSTILE[5], HOSTILE[1], HOSTILE[3]]  # dots, backticks, quotes, newline
    case, act, ts, chan = names
    frame = _log(names)
    frame.to_parquet(tmp_path / "h.parquet", coerce_timestamps="us")
    sdf = spark.read.parquet(str(tmp_path / "h.parquet"))
    cols = {"case": case, "activity": act, "timestamp": ts}
    a, b = dfg(frame, **cols), dfg(sdf, **cols)
    pd.testing.assert_frame_equal(a.edges, b.edges, check_dtype=False)
    pd.testing.assert_series_equal(a.start, b.start, check_dtype=False)
    pd.testing.assert_frame_equal(variants(frame, **cols), variants(sdf, **cols), check_dtype=False)
    stages = [ACTS[0], [ACTS[1], ACTS[3]], "checkout"]
    pd.testing.assert_frame_equal(funnel(frame, stages, by=act, case=case, timestamp=ts),
                                  funnel(sdf, stages, by=act, case=case, timestamp=ts), check_dtype=False)
    raw = frame.assign(**{ts: frame[ts].dt.strftime("%Y-%m-%dT%H:%M:%SZ")})
    raw.to_parquet(tmp_path / "raw.parquet")
    eager, report = read_events(raw, **cols, channel=chan)
    clean, spark_report = read_events(spark.read.parquet(str(tmp_path / "raw.parquet")), **cols, channel=chan)
    assert (spark_report.rows_read, spark_report.rows_kept) == (report.rows_read, report.rows_kept) == (len(raw),) * 2
    got = clean.toPandas().sort_values(ROW).reset_index(drop=True)
    assert got["activity"].tolist() == eager["activity"].tolist()
    assert got["stage"].tolist() == eager["stage"].tolist()
    pd.testing.assert_frame_equal(variants(eager), variants(clean), check_dtype=False)


def test_analytics_on_text_timestamps_follow_the_time_rule(tmp_path):
    """dfg on a Parquet log with text timestamps: '10:00 EST' takes no part (it is not read as 10:00 UTC)."""
    raw = pd.DataFrame({"case_id": ["a", "a", "a", "b", "b"], "activity": ["x", "y", "z", "x", "y"],
                        "timestamp": ["2026-03-02T10:00Z", "2026-03-02 10:05 EST", "2026-03-02 10:10 gmt",
                                      "2026-03-02 09:00", "1772442000"]})
    raw.to_parquet(tmp_path / "t.parquet")
    clean, _ = read_events(raw, channel=None)
    assert dfg(tmp_path / "t.parquet").counts() == dfg(clean).counts() == {("x", "z"): 1, ("x", "y"): 1}

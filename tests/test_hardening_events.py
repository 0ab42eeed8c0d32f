"""Issue 11: event logs in — one time rule on every engine, bad rows counted not fatal, clear errors."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.analytics import read_events
from journeymap.analytics._backend import ROW

pytest.importorskip("duckdb")

GOOD = ["2026-03-02 10:00", "2026-03-02T10:00:00Z", "2026-03-02T10:00:00z", "2026-03-02 10:00 UTC",
        "2026-03-02 10:00 GMT", "2026-03-02T10:00+01:00", "2026-03-02T10:00+0100", "2026-03-02T10:00+01",
        "2026-03-02 10:00 +01:00", "2026-03-02", "2026-03-02T10:00:00.123456789Z", "1767225600",
        "2026-03-02T10:00:00-00:00", "2026-03-02T10:00:00+14:00", "2026-03-02 10:00:00 utc", "2026-03-02 11:30:15.5"]
NASTY = ["2026-03-02 10:00 EST", "2026-03-02 10:00 CET", "2026-03-02 10:00 XYZ", "9999-12-31 23:59:59",
         "9999-12-31T23:59:59Z", "0001-01-01 00:00", "2026-02-30 10:00", "2026-03-02 24:00", "2026-03-02 23:59:60",
         "", " ", "nan", "NaT", "null", "now", "today", "2026-3-2 10:00", "2026-03-02T10:00:00+01:00[Europe/Paris]",
         "2026-03-02 10:00 Europe/Madrid", "2026-03-02T10:00:00+25:00", "１２", "\t2026-03-02 10:00",
         "2026-03-02 10:00'; SELECT 1; --", "99999999999999", "1e10", "-"]


def _both(raw: pd.DataFrame, tmp_path, **kw):
    path = tmp_path / "log.parquet"
    raw.to_parquet(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eager, report = read_events(raw, **kw)
        lazy, lazy_report = read_events(path, lazy=True, **kw)
    got = lazy.df().sort_values(ROW).drop(columns=ROW).reset_index(drop=True)
    return eager, report, got, lazy_report


def _same(eager, report, got, lazy_report):
    assert (lazy_report.rows_read, lazy_report.rows_kept) == (report.rows_read, report.rows_kept)
    assert lazy_report.set_aside == report.set_aside
    assert lazy_report.examples == report.examples
    assert lazy_report.naive_timestamps == report.naive_timestamps
    for col in ("case_id", "activity", "channel"):
        assert got[col].tolist() == eager[col].tolist()
    assert [pd.Timestamp(t) for t in got["timestamp"]] == [pd.Timestamp(t) for t in eager["timestamp"]]


def test_one_time_rule_on_pandas_and_duckdb(tmp_path):
    values = GOOD + NASTY
    raw = pd.DataFrame({"case_id": [f"c{i}" for i in range(len(values))], "activity": "visit",
                        "channel": "email", "timestamp": values})
    eager, report, got, lazy_report = _both(raw, tmp_path)
    _same(eager, report, got, lazy_report)
    assert report.rows_kept == len(GOOD)  # every good form kept, every nasty one set aside
    assert report.set_aside == {"bad_timestamp": len(NASTY)}
    kept = dict(zip(eager["case_id"], eager["timestamp"], strict=True))
    assert kept["c1"] == kept["c2"] == kept["c3"] == kept["c4"] == pd.Timestamp("2026-03-02 10:00", tz="UTC")
    assert kept["c5"] == kept["c6"] == kept["c7"] == kept["c8"] == pd.Timestamp("2026-03-02 09:00", tz="UTC")
    assert kept["c11"] == pd.Timestamp("2026-01-01", tz="UTC")  # epoch seconds as text
    assert kept["c10"] == pd.Timestamp("2026-03-02 10:00:00.123456", tz="UTC")  # microseconds on every engine


def test_one_time_rule_in_a_local_zone(tmp_path):
    values = ["2026-03-29 02:30", "2026-03-29 03:30", "2026-10-25 02:30", "2026-03-29T02:30z",
              "2026-03-29 02:30 EST", "2026-06-01 12:00 GMT", "2026-06-01 12:00"]
    raw = pd.DataFrame({"case_id": list("abcdefg"), "activity": "x", "channel": "email", "timestamp": values})
    eager, report, got, lazy_report = _both(raw, tmp_path, tz="Europe/Madrid")
    _same(eager, report, got, lazy_report)
    assert report.set_aside == {"bad_timestamp": 1, "bad_local_time": 2}
    assert report.naive_timestamps == 2


def test_year_9999_and_typed_values_never_crash(tmp_path):
    """Typed columns out of pandas' range (a year-9999 datetime, a huge epoch) are set aside, not a crash."""
    stamps = pd.Series([pd.Timestamp("2026-03-02 10:00"), pd.Timestamp("9999-12-31")], dtype="datetime64[us]")
    raw = pd.DataFrame({"case_id": ["a", "b"], "activity": "x", "channel": "email", "timestamp": stamps})
    eager, report, got, lazy_report = _both(raw, tmp_path)
    _same(eager, report, got, lazy_report)
    assert report.set_aside == {"bad_timestamp": 1}
    aware = raw.assign(timestamp=stamps.dt.tz_localize("UTC"))
    _same(*_both(aware, tmp_path))
    numbers = raw.assign(timestamp=[1767225600, 10**15])
    eager, report, got, lazy_report = _both(numbers, tmp_path)
    _same(eager, report, got, lazy_report)
    assert report.set_aside == {"bad_timestamp": 1}
    floats = raw.assign(timestamp=[1767225600.5, float("nan")])
    eager, report, got, lazy_report = _both(floats, tmp_path)
    _same(eager, report, got, lazy_report)
    assert eager["timestamp"].tolist() == [pd.Timestamp("2026-01-01 00:00:00.5", tz="UTC")]


_CASES = st.sampled_from(["c1", "c2", "c3", "", " ", "c'4", 'c"5'])
_ACTS = st.sampled_from(["ad", "web", "buy", "", "x; --"])
_CHANNELS = st.sampled_from(["email", "Website", " store ", "fax", "", "instagram"])
_TIMES = st.sampled_from(GOOD + NASTY)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_CASES, _ACTS, _CHANNELS, _TIMES), min_size=1, max_size=12),
       dups=st.lists(st.integers(min_value=0, max_value=11), max_size=3),
       tz=st.sampled_from(["UTC", "Europe/Madrid", "America/New_York"]))
def test_property_pandas_and_duckdb_agree(tmp_path, rows, dups, tz):
    rows = rows + [rows[i] for i in dups if i < len(rows)]  # exact duplicates
    raw = pd.DataFrame(rows, columns=["case_id", "activity", "channel", "timestamp"])
    _same(*_both(raw, tmp_path, tz=tz))


@pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")
def test_one_time_rule_on_spark(spark, tmp_path):
    """A fixed example (Spark is slow to start): the same kept rows and report as pandas and DuckDB."""
    values = GOOD + NASTY + ["2026-03-29 02:30", "2026-10-25 02:30"]
    raw = pd.DataFrame({"case_id": [f"c{i}" for i in range(len(values))], "activity": "visit",
                        "channel": "email", "timestamp": values})
    raw = pd.concat([raw, raw.iloc[:2]], ignore_index=True)  # two duplicates
    raw.to_parquet(tmp_path / "raw.parquet")
    for tz in ("UTC", "Europe/Madrid"):
        eager, report = read_events(raw, tz=tz)
        clean, spark_report = read_events(spark.read.parquet(str(tmp_path / "raw.parquet")), tz=tz)
        assert (spark_report.rows_read, spark_report.rows_kept) == (report.rows_read, report.rows_kept)
        assert spark_report.set_aside == report.set_aside
        assert spark_report.naive_timestamps == report.naive_timestamps
        got = clean.toPandas().sort_values(ROW).reset_index(drop=True)
        assert got["case_id"].tolist() == eager["case_id"].tolist()
        stamps = [pd.Timestamp(t).tz_localize("UTC") if pd.Timestamp(t).tzinfo is None else pd.Timestamp(t)
                  for t in got["timestamp"]]
        assert stamps == eager["timestamp"].tolist()


# -- 5. a step, conversion or channel that matches nothing is an error with suggestions ------------------
def _small() -> pd.DataFrame:
    return pd.DataFrame({"case_id": list("aaabb"), "activity": ["ad", "web", "checkout", "ad", "web"],
                         "channel": ["instagram", "website", "store", "instagram", "email"],
                         "timestamp": pd.to_datetime([f"2026-01-0{d}" for d in (1, 2, 3, 1, 2)], utc=True)})


@pytest.fixture(params=["pandas", "duckdb"])
def small(request, tmp_path):
    frame = _small()
    if request.param == "pandas":
        return frame
    frame.assign(timestamp=frame["timestamp"].astype("datetime64[us, UTC]")).to_parquet(tmp_path / "s.parquet")
    return str(tmp_path / "s.parquet")


def test_unknown_step_conversion_or_channel_suggests(small):
    from journeymap.analytics import (
        attribution,
        conversion_by_channel,
        conversion_paths,
        cross_channel_rate,
        funnel,
        repeated_contacts,
    )
    from journeymap.errors import JourneyError

    calls = [
        (lambda: funnel(small, ["ad", "chekout"]), "funnel step 'chekout'", "did you mean 'checkout'?"),
        (lambda: funnel(small, ["ad", ["web", "webb"]]), "funnel step 'webb'", "did you mean 'web'?"),
        (lambda: funnel(small, ["instagram", "emial"], by="channel"), "funnel step 'emial'", "did you mean 'email'?"),
        (lambda: attribution(small, "Checkout"), "conversion 'Checkout'", "did you mean 'checkout'?"),
        (lambda: conversion_paths(small, "checkot"), "conversion 'checkot'", "did you mean 'checkout'?"),
        (lambda: conversion_by_channel(small, "chckout"), "conversion 'chckout'", "did you mean 'checkout'?"),
        (lambda: cross_channel_rate(small, conversion="checkou"), "conversion 'checkou'", "'checkout'"),
        (lambda: repeated_contacts(small, channels=["phon", "email"]), "channel 'phon'", "expected one of"),
    ]
    for call, what, hint in calls:
        with pytest.raises(JourneyError) as err:
            call()
        message = str(err.value)
        assert what in message and hint in message and "\n" not in message, message
    assert funnel(small, ["ad", "checkout"])["customers"].tolist() == [2, 1]  # names that exist still work


def test_time_to_convert_unknown_conversion():
    from journeymap.analytics import time_to_convert
    from journeymap.errors import JourneyError

    with pytest.raises(JourneyError, match="did you mean 'checkout'"):
        time_to_convert(_small(), "checkouts")


# -- 6. analytics CSV outputs are safe in a spreadsheet ---------------------------------------------------
def test_cli_csv_outputs_neutralise_formulas(tmp_path, capsys):
    import csv
    import io

    from journeymap.cli import main
    from journeymap.safety import csv_restore

    evil = ["=HYPERLINK(\"http://x\")", "+cmd /C calc!A0", "@SUM(A1)", "-2+3"]
    rows = []
    for c in range(4):
        for k, act in enumerate([*evil[: 2 + c % 3], "checkout"]):
            rows.append({"case_id": f"c{c}", "activity": act, "channel": ["instagram", "email"][k % 2],
                         "timestamp": f"2026-03-0{c + 1}T1{k}:00:00Z"})
    path = tmp_path / "evil.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    assert main(["funnel", str(path), "-q", "--format", "csv", "--stages", ",".join([*evil[:2], "checkout"])]) == 0
    out = capsys.readouterr().out
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells), out
    assert [csv_restore(c) for c in cells if c.startswith("'")] == evil[:2]
    paths = tmp_path / "paths.csv"
    pd.DataFrame({"path": ["=cmd > b", "b"], "conversions": [2, 1], "nulls": [1, 3]}).to_csv(paths, index=False)
    assert main(["attribution", str(paths), "--paths", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "\n'=cmd," in out and "\n=cmd" not in out


# -- 3. CSV: bad bytes and ragged rows are counted per row; line numbers stay right -------------------
HEADER = b"case_id,activity,channel,timestamp\n"


def _csv(tmp_path, body: bytes, name: str = "log.csv"):
    path = tmp_path / name
    path.write_bytes(HEADER + body)
    return path


def test_csv_bad_bytes_and_ragged_rows_are_set_aside_per_row(tmp_path):
    path = _csv(tmp_path, b"a,ad,email,2026-03-02T10:00Z\n"
                          b"a,\xff\xfe,email,2026-03-02T10:05Z\n"            # line 3: not UTF-8
                          b"b,ad,email\n"                                    # line 4: too few fields
                          b"b,ad,email,2026-03-02T10:00Z,extra\n"            # line 5: too many fields
                          b"c,web,website,2026-03-02T11:00Z\n")
    events, report = read_events(path)
    assert events["case_id"].tolist() == ["a", "c"]
    assert report.rows_read == 5 and report.rows_kept == 2
    assert report.set_aside == {"bad_encoding": 1, "wrong_fields": 2}
    assert [w for w, _ in report.examples["bad_encoding"]] == ["line 3"]
    assert [w for w, _ in report.examples["wrong_fields"]] == ["line 4", "line 5"]
    text = str(report)
    assert "not valid UTF-8: 1" in text and "wrong number of fields: 2" in text


def test_csv_line_numbers_after_quoted_newlines_and_blank_lines(tmp_path):
    path = _csv(tmp_path, b'a,"two\nline activity",email,2026-03-02T10:00Z\n'    # lines 2-3
                          b"\n"                                                   # line 4: blank
                          b"b,ad,email,yesterday\n"                              # line 5: bad timestamp
                          b'c,"x\r\ny\r\nz",fax,2026-03-02T10:00Z\n'             # lines 6-8: unknown channel
                          b"d,ad,email,2026-03-02T10:00Z\n"
                          b"d,ad,email,2026-03-02T10:00Z\n")                     # line 10: duplicate
    events, report = read_events(path)
    assert events["activity"].tolist() == ["two\nline activity", "ad"]
    assert report.examples["bad_timestamp"] == [("line 5", "yesterday")]
    assert report.examples["unknown_channel"] == [("line 6", "fax")]
    assert [w for w, _ in report.examples["duplicate"]] == ["line 10"]


def test_plain_csv_keeps_the_fast_path_and_line_numbers(tmp_path):
    path = _csv(tmp_path, b"a,ad,email,2026-03-02T10:00Z\r\nb,ad,email,never\r\n")
    events, report = read_events(path)
    assert report.examples["bad_timestamp"] == [("line 3", "never")] and len(events) == 1


def test_epoch_seconds_as_text_in_csv_and_as_numbers_in_parquet(tmp_path):
    path = _csv(tmp_path, b"a,ad,email,1767225600\nb,ad,email,1767225600.5\nc,ad,email,2026-01-01T00:00Z\n")
    events, report = read_events(path)
    expected = [pd.Timestamp("2026-01-01", tz="UTC"), pd.Timestamp("2026-01-01 00:00:00.5", tz="UTC"),
                pd.Timestamp("2026-01-01", tz="UTC")]
    assert events["timestamp"].tolist() == expected and report.naive_timestamps == 0
    for values in ([1767225600, 1767225601], [1767225600.0, 1767225600.5]):
        raw = pd.DataFrame({"case_id": ["a", "b"], "activity": "ad", "channel": "email", "timestamp": values})
        eager, report = read_events(raw)
        assert eager["timestamp"].iloc[0] == pd.Timestamp("2026-01-01", tz="UTC")
        _same(*_both(raw, tmp_path))


# -- 4. no traceback: clean one-line errors ---------------------------------------------------------------
def _cli(argv, capsys):
    from journeymap.cli import main

    code = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured


def test_cli_reads_gmt_lowercase_z_and_year_9999(tmp_path, capsys):
    path = _csv(tmp_path, b"a,ad,instagram,2026-03-02 10:00 GMT\na,web,website,2026-03-02T10:05:00z\n"
                          b"b,ad,instagram,9999-12-31T23:59:59Z\nb,ad,instagram,2026-03-02T11:00:00Z\n"
                          b"b,web,website,2026-03-02T11:05:00+01:00\n")
    code, out = _cli(["discover", str(path), "-o", str(tmp_path / "j.yaml")], capsys)
    assert code == 0, out.err
    assert "unparseable or empty timestamp: 1" in out.err


@pytest.mark.parametrize("body", [b"", b"a,ad,email,nope\nb,,email,2026-03-02T10:00Z\n"],
                         ids=["header-only", "all-set-aside"])
def test_discover_on_an_empty_log_is_one_line(tmp_path, capsys, body):
    from journeymap.analytics import discover
    from journeymap.errors import JourneyError

    path = _csv(tmp_path, body)
    code, out = _cli(["discover", str(path), "-o", str(tmp_path / "j.yaml"), "-q"], capsys)
    assert code == 1 and "no events to discover" in out.err and len(out.err.strip().splitlines()) == 1
    events, _ = read_events(path)
    with pytest.raises(JourneyError, match="no events to discover"):
        discover(events)
    events.to_parquet(tmp_path / "empty.parquet")
    with pytest.raises(JourneyError, match="no events to discover"):
        discover(str(tmp_path / "empty.parquet"))


@pytest.mark.parametrize(("body", "message"), [
    (b"path,conversions,nulls\na > b,1,2\n\xff > c,1,1\n", ":3: not valid UTF-8"),
    (b"path,conversions,nulls\na > b,1,2\nb,1\n", ":3: wrong number of fields"),
    (b"path,conversions,nulls\na > b,1,2\nb,many,1\n", ":3: conversions: expected a count"),
    (b"path,conversions,nulls\na > b,1,-2\n", ":2: nulls: expected a count"),
    (b"path,conversions\na > b,1\n", "missing column(s): nulls"),
    (b"path,conversions,nulls\n", "no rows"),
    (b"path,conversions,nulls\n,1,1\n", ":2: path: empty path"),
])
def test_attribution_paths_errors_are_one_line(tmp_path, capsys, body, message):
    path = tmp_path / "paths.csv"
    path.write_bytes(body)
    code, out = _cli(["attribution", str(path), "--paths"], capsys)
    assert code == 1 and message in out.err and len(out.err.strip().splitlines()) == 1, out.err


def test_missing_paths_say_so(tmp_path, capsys):
    from journeymap.analytics import dfg, read_events, variants
    from journeymap.errors import JourneyError

    for call in (lambda: dfg("no/such/folder/"), lambda: variants("no/such/log.parquet"),
                 lambda: read_events("no/such/log.csv"), lambda: read_events("no/such/folder/")):
        with pytest.raises(JourneyError, match="does not exist"):
            call()
    code, out = _cli(["funnel", "no/such/folder/", "--stages", "a"], capsys)
    assert code == 1 and "does not exist" in out.err and len(out.err.strip().splitlines()) == 1


def test_csv_fast_and_record_by_record_readers_agree(tmp_path):
    """Quoted separators and newlines, a short row, blank lines, CRLF: pandas' fast path and the csv module
    give the same records, line numbers and reasons."""
    from journeymap.analytics import _csv as reader

    body = (b'"a","ad, with comma","email","2026-03-02T10:00Z"\r\n\r\n'
            b'"b","two\r\nlines","email"\r\n'
            b'c,"say ""hi""",store,2026-03-02T11:00Z\r\n'
            b'd,x,website,2026-03-02T12:00Z')
    path = _csv(tmp_path, body)
    fast = reader._fast(path, path.read_bytes(), ",", False)
    assert fast is not None
    slow = reader._records(path.read_bytes(), ",")
    pd.testing.assert_frame_equal(fast[0].astype(object), slow[0].astype(object))
    assert fast[1].tolist() == slow[1].tolist() == [2, 4, 6, 7]
    assert fast[2].tolist() == slow[2].tolist() == ["", "wrong_fields", "", ""]
    events, report = read_events(path)
    assert report.set_aside == {"wrong_fields": 1} and report.examples["wrong_fields"][0][0] == "line 4"
    assert events["activity"].tolist() == ["ad, with comma", 'say "hi"', "x"]

"""read_events: every kind of bad row is counted in the report; time zones are explicit."""

from __future__ import annotations

import pandas as pd
import pytest

from journeymap.analytics import read_events
from journeymap.analytics.ingest import parse_timestamps
from journeymap.errors import JourneyError
from journeymap.paths import PROJECT_ROOT

EVENTS = PROJECT_ROOT / "data" / "events"
HEADER = "customer,touchpoint,ts,channel,email\n"
GOOD = [
    "c1,ad,2026-03-02T09:00:00Z,instagram,",
    "c1,web,2026-03-02T09:05:00Z,website,a@x.es",
    "c2,ad,2026-03-02T10:00:00+01:00,Instagram ,",
    "c2,shop,2026-03-03 18:00:00,store,",
]


def _csv(tmp_path, lines):
    path = tmp_path / "log.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read(path, **kw):
    return read_events(path, case="customer", activity="touchpoint", timestamp="ts", **kw)


def test_clean_file_keeps_everything(tmp_path):
    events, report = _read(_csv(tmp_path, GOOD))
    assert (report.rows_read, report.rows_kept, report.set_aside) == (4, 4, {})
    assert list(events.columns) == ["case_id", "activity", "timestamp", "channel", "email"]
    assert events["channel"].tolist() == ["instagram", "website", "instagram", "store"]
    assert str(events["timestamp"].dtype) == "datetime64[ns, UTC]" or "UTC" in str(events["timestamp"].dtype)
    assert events["timestamp"].iloc[2] == pd.Timestamp("2026-03-02 09:00", tz="UTC")  # offset applied
    assert events["email"].isna().tolist() == [True, False, True, True]  # empty cells are <NA>
    assert report.naive_timestamps == 1


@pytest.mark.parametrize(("bad_lines", "reason", "count"), [
    ([",ad,2026-03-02T09:00:00Z,instagram,", "  ,ad,2026-03-02T09:00:00Z,instagram,"], "empty_case", 2),
    (["c3,,2026-03-02T09:00:00Z,instagram,"], "empty_activity", 1),
    (["c3,ad,not a date,instagram,", "c3,ad,2026-02-30T10:00:00Z,instagram,", "c3,ad,,instagram,"],
     "bad_timestamp", 3),
    (["c3,ad,2026-03-02T09:00:00Z,fax,", "c3,ad,2026-03-02T09:00:00Z,pigeon,"], "unknown_channel", 2),
    (["c3,ad,2026-03-02T09:00:00Z,,"], "empty_channel", 1),
    ([GOOD[0], GOOD[1], GOOD[0]], "duplicate", 3),
])
def test_each_kind_of_bad_row_is_counted(tmp_path, bad_lines, reason, count):
    events, report = _read(_csv(tmp_path, GOOD + bad_lines))
    assert report.rows_read == 4 + len(bad_lines)
    assert report.set_aside == {reason: count}
    assert report.rows_kept == len(events) == 4 + len(bad_lines) - count
    line, _ = report.examples[reason][0]
    assert line == "line 6"  # header is line 1; the first bad row follows the 4 good ones
    assert reason.replace("_", " ").split()[-1] in str(report) or str(count) in str(report)
    table = report.to_frame()
    assert table["rows"].tolist() == [count]


def test_first_reason_wins_and_examples_are_kept(tmp_path):
    lines = [*GOOD, ",,garbage,fax,", "c9,ad,garbage,fax,", "c9,ad,2026-03-02T09:00:00Z,fax,"]
    _, report = _read(_csv(tmp_path, lines))
    assert report.set_aside == {"empty_case": 1, "bad_timestamp": 1, "unknown_channel": 1}
    assert report.examples["bad_timestamp"] == [("line 7", "garbage")]
    assert report.rows_set_aside == 3


def test_unknown_channels_can_be_kept_mapped_or_refused(tmp_path):
    path = _csv(tmp_path, [*GOOD, "c3,ad,2026-03-02T09:00:00Z,web,"])
    _, report = _read(path, channel_map={"WEB": "website"})
    assert report.set_aside == {}
    events, report = _read(path, unknown_channels="keep")
    assert "web" in set(events["channel"]) and report.set_aside == {}
    _, report = _read(path, channels=["web"])
    assert report.set_aside == {}
    with pytest.raises(JourneyError, match="not in the catalogue: web"):
        _read(path, unknown_channels="error")


def test_time_zones_are_explicit(tmp_path):
    path = _csv(tmp_path, GOOD)
    events, report = _read(path, tz="Europe/Madrid")
    assert events["timestamp"].iloc[3] == pd.Timestamp("2026-03-03 17:00", tz="UTC")
    assert "Europe/Madrid" in str(report)
    with pytest.raises(JourneyError, match="no time zone"):
        _read(path, tz=None)
    # 02:30 on 29 March 2026 does not exist in Madrid (clocks jump 02:00 → 03:00)
    _, report = _read(_csv(tmp_path, [*GOOD, "c5,ad,2026-03-29 02:30:00,instagram,"]), tz="Europe/Madrid")
    assert report.set_aside == {"bad_local_time": 1}


def test_parse_timestamps_dtypes():
    aware = pd.Series(pd.to_datetime(["2026-01-01 10:00"]).tz_localize("Europe/Madrid"))
    ts, bad, _local = parse_timestamps(aware)
    assert ts.iloc[0] == pd.Timestamp("2026-01-01 09:00", tz="UTC") and not bad.any()
    naive = pd.Series(pd.to_datetime(["2026-01-01 10:00", None]))
    ts, bad, _ = parse_timestamps(naive, tz="Europe/Madrid")
    assert ts.iloc[0] == pd.Timestamp("2026-01-01 09:00", tz="UTC") and bad.tolist() == [False, True]
    ts, _, _ = parse_timestamps(pd.Series([0, 86400]))
    assert ts.iloc[1] == pd.Timestamp("1970-01-02", tz="UTC")
    ts, bad, _ = parse_timestamps(pd.Series(["03/04/2026 10:00"]), dayfirst=True)
    assert ts.iloc[0].month == 4 and not bad.any()


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(JourneyError) as err:
        read_events(_csv(tmp_path, GOOD), case="customer_id", activity="touchpoint", timestamp="time")
    msg = str(err.value)
    assert "customer_id" in msg and "time (the timestamp column)" in msg and "found: customer" in msg


def test_bad_sources(tmp_path):
    with pytest.raises(JourneyError, match="file not found"):
        read_events(tmp_path / "nope.csv")
    other = tmp_path / "log.xlsx"
    other.write_text("x")
    with pytest.raises(JourneyError, match="unknown file type"):
        read_events(other)
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet")
    with pytest.raises(JourneyError, match="cannot read"):
        read_events(broken)


def test_dataframe_and_parquet_sources(tmp_path):
    frame = pd.DataFrame({"case_id": ["a", "a"], "activity": ["x", "y"], "channel": ["email", "sms"],
                          "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02"]).tz_localize("UTC")})
    events, report = read_events(frame)
    assert report.source == "<DataFrame>" and len(events) == 2
    path = tmp_path / "log.parquet"
    frame.to_parquet(path)
    events2, report2 = read_events(path)
    pd.testing.assert_frame_equal(events, events2)
    assert report2.source == str(path)


def test_shipped_raw_log_report():
    events, report = read_events(EVENTS / "retail_bopis_omnichannel.csv", case=None, tz="Europe/Madrid")
    assert report.set_aside == {"bad_timestamp": 4, "unknown_channel": 3, "duplicate": 6}
    assert report.rows_kept == report.rows_read - 13 == len(events)
    assert "case_id" not in events and report.naive_timestamps > 0


def test_progress_bar_only_on_large_files(tmp_path, capsys, monkeypatch):
    path = _csv(tmp_path, GOOD * 50)
    read_events(path, case="customer", activity="touchpoint", timestamp="ts")
    assert capsys.readouterr().err == ""
    import journeymap.analytics.ingest as ingest

    monkeypatch.setattr(ingest, "PROGRESS_MIN_BYTES", 10)
    _events, report = read_events(path, case="customer", activity="touchpoint", timestamp="ts")
    assert "reading log.csv" in capsys.readouterr().err
    assert report.rows_read == 200 and report.set_aside == {"duplicate": 196}
    frame = pd.DataFrame({"case_id": ["a"], "activity": ["x"], "channel": ["email"],
                          "timestamp": pd.to_datetime(["2026-01-01"]).tz_localize("UTC")})
    frame.to_parquet(tmp_path / "p.parquet")
    read_events(tmp_path / "p.parquet", progress=True)
    assert "reading p.parquet" in capsys.readouterr().err

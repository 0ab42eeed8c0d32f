"""The one time rule of :mod:`journeymap.analytics`, applied alike by pandas, DuckDB and Spark.

A timestamp is read as follows; every engine keeps the same rows and sets aside the same rows.

* **Typed values.** A time-zone-aware timestamp is converted to UTC; a naive
  timestamp or date is a local time in ``tz``; a number is Unix epoch seconds.
* **Text** (trimmed) in ISO 8601 form: ``YYYY-MM-DD``, optionally ``T`` or a
  space and ``hh:mm``, ``:ss`` and a fraction (digits past microseconds are
  dropped), optionally followed by a zone designator: ``Z`` or ``z``, ``UTC``
  or ``GMT`` (any case), or an offset ``±hh``, ``±hhmm``, ``±hh:mm`` (up to
  ±14:59). With a designator the time is converted to UTC; without one it is
  a local time in ``tz``.
* **Text of digits only** (``1767225600``, ``1767225600.5``) is epoch seconds, as a number would be.
* **Set aside as unparseable:** named zones and abbreviations (``10:00 EST``,
  ``CET``, ``XYZ``, ``Europe/Madrid``: ``CST`` alone names three zones, so no
  guess is made), text holding an ISO-like date that is not one
  (``2026-3-2``, ``2026-02-30``, ``24:00``, leap seconds), words
  (``now``, ``nan``, ``null``), and any instant outside **1678-01-01 …
  2262-01-01 UTC** (pandas' nanosecond range; ``9999-12-31`` included) on
  every engine.
* **pandas only:** other layouts without letters at the end (``03/04/2026
  10:00``, with ``dayfirst``) are parsed by pandas' format guessing; the lazy
  engines set them aside (convert such logs once, or read them with pandas).

The lazy engines build their expressions from the same patterns (:data:`ISO`, :data:`EPOCH`).

>>> ts, bad, local, naive = parse(pd.Series(["2026-03-02T10:00z", "2026-03-02 10:00 GMT", "2026-03-02 10:00 EST",
...                                          "9999-12-31", "1767225600", "2026-03-02 10:00"]), "UTC")
>>> ts.dt.strftime("%Y-%m-%d %H:%M").tolist(), bad.tolist(), naive.tolist()
(['2026-03-02 10:00', '2026-03-02 10:00', nan, nan, '2026-01-01 00:00', '2026-03-02 10:00'], \
[False, False, True, True, False, False], [False, False, False, True, False, True])
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
import pandas as pd

from journeymap.errors import JourneyError, Problem
from journeymap.safety import spark_ident, sql_ident, sql_string

#: ISO 8601 text; groups: 1 date, 2 hh:mm, 3 ss, 4 fraction (≤ 6 digits kept), 5 designator,
#: 6 offset sign, 7 offset hours, 8 offset minutes. Same syntax for Python, RE2 (DuckDB) and Java (Spark).
ISO = (r"^([0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))"
       r"(?:[T ]((?:[01][0-9]|2[0-3]):[0-5][0-9])(?::([0-5][0-9])(?:\.([0-9]{1,6})[0-9]*)?)?)?"
       r"[ ]*([Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|([+-])(0[0-9]|1[0-4])(?::?([0-5][0-9]))?)?$")
#: Epoch seconds written as text.
EPOCH = r"^[+-]?[0-9]{1,11}(?:\.[0-9]{1,6})?$"
#: Text holding an ISO-like date (anywhere): it must then be ISO 8601 (no format guessing).
_ISO_START = r"[0-9]{4}-[0-9]"
#: Text ending in letters that are not AM/PM: a named zone or a word, never guessed.
_LETTERS_END = r"[A-Za-z]$"
_AM_PM = r"(?i)\b[ap]m$"
#: Offsets in guessed layouts (pandas only).
_OFFSET = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)$"
#: Instants kept: [LOW, HIGH) UTC, the range every engine can represent (pandas: nanoseconds).
LOW, HIGH = pd.Timestamp("1678-01-01", tz="UTC"), pd.Timestamp("2262-01-01", tz="UTC")
LOW_US, HIGH_US = LOW.value // 1000, HIGH.value // 1000
#: DST shifts checked for repeated local times (a wall time reached again this much later or earlier)
_SHIFTS_MIN = (30, 60, 120)


def _blank(values: pd.Series) -> np.ndarray:
    text = values.astype("string")
    return (text.isna() | (text.str.strip() == "")).to_numpy(dtype=bool)


def _in_range(ts: pd.Series) -> np.ndarray:
    return (ts.notna() & (ts >= LOW) & (ts < HIGH)).to_numpy(dtype=bool)


def parse(values: pd.Series, tz: str | None, dayfirst: bool = False,
          ) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """The rule on pandas: ``(UTC timestamps, unparseable, bad local time, naive)`` masks per value."""
    n = len(values)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    naive = np.zeros(n, dtype=bool)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        v = values.dt.tz_convert("UTC")
        ok = _in_range(v)
        out[ok] = v[ok].astype("datetime64[ns, UTC]")
    elif pd.api.types.is_datetime64_dtype(values):
        ok = _in_range(values.dt.tz_localize("UTC"))
        naive = values.notna().to_numpy()
        out[ok] = values[ok].astype("datetime64[ns]").dt.tz_localize("UTC")  # wall clock, localised below
    elif pd.api.types.is_numeric_dtype(values):
        out[:] = _epoch(pd.to_numeric(values, errors="coerce").astype(float))
    else:
        out, naive = _parse_text(values, dayfirst)
    local_bad = np.zeros(n, dtype=bool)
    if naive.any():
        if tz is None:
            raise JourneyError([Problem("<events>", "timestamp", f"{int(naive.sum())} timestamp(s) have no time "
                                        "zone; pass tz= (e.g. tz='Europe/Madrid' or tz='UTC')")])
        wall = out[naive].dt.tz_localize(None)
        local = wall.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        local_bad[naive] = (local.isna() & wall.notna()).to_numpy()
        out[naive] = local.dt.tz_convert("UTC")
    out[~_in_range(out)] = pd.NaT
    bad = out.isna().to_numpy() & ~local_bad
    return out, bad, local_bad, naive


def _epoch(seconds: pd.Series) -> pd.Series:
    ok = seconds.notna() & (seconds >= LOW.value / 1e9) & (seconds < HIGH.value / 1e9)
    out = pd.Series(pd.NaT, index=seconds.index, dtype="datetime64[ns, UTC]")
    if ok.any():
        micros = (seconds[ok] * 1e6).round().astype(np.int64)  # microseconds, as the lazy engines hold them
        out[ok] = pd.to_datetime(micros, unit="us", utc=True)
    return out


def _parse_text(values: pd.Series, dayfirst: bool) -> tuple[pd.Series, np.ndarray]:
    text = values.astype("string").str.strip(" ")  # spaces only, as the engines' trim()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    parts = text.str.extract(ISO)
    iso = parts[0].notna().to_numpy(dtype=bool)
    years = pd.to_numeric(parts[0].str[:4], errors="coerce")
    iso_ok = iso & ((years >= LOW.year) & (years < HIGH.year)).fillna(False).to_numpy(dtype=bool)
    canon = (parts[0] + " " + parts[1].fillna("00:00") + ":" + parts[2].fillna("00")
             + ("." + parts[3]).fillna(""))
    zone = (parts[5] + parts[6] + ":" + parts[7].fillna("00")).where(parts[5].notna(), "+00:00")
    has_zone = parts[4].notna().to_numpy(dtype=bool)
    aware = iso_ok & has_zone
    naive = iso & ~has_zone
    if aware.any():
        out[aware] = pd.to_datetime((canon + zone)[aware], format="ISO8601", utc=True, errors="coerce")
    local = iso_ok & ~has_zone
    if local.any():
        out[local] = pd.to_datetime(canon[local], format="ISO8601", errors="coerce").dt.tz_localize("UTC")
    epoch = text.str.fullmatch(EPOCH).fillna(False).to_numpy(dtype=bool)
    if epoch.any():
        out[epoch] = _epoch(pd.to_numeric(text[epoch], errors="coerce").astype(float))
    filled = ~_blank(values)
    refused = (text.str.contains(_ISO_START) | (text.str.contains(_LETTERS_END) & ~text.str.contains(_AM_PM)))
    guess = filled & ~iso & ~epoch & ~refused.fillna(True).to_numpy(dtype=bool)
    if guess.any():  # other layouts: pandas only (see the module notes)
        g_aware = guess & text.str.contains(_OFFSET).fillna(False).to_numpy(dtype=bool)
        g_naive = guess & ~g_aware
        if g_aware.any():
            out[g_aware] = _guess(text[g_aware], dayfirst, utc=True)
        if g_naive.any():
            out[g_naive] = _guess(text[g_naive], dayfirst, utc=False).dt.tz_localize("UTC")
        naive |= g_naive
    return out, naive


def _guess(text: pd.Series, dayfirst: bool, utc: bool) -> pd.Series:
    errors = (ValueError, OverflowError, TypeError, pd.errors.OutOfBoundsDatetime)
    try:
        parsed = pd.to_datetime(text, format="mixed", dayfirst=dayfirst, errors="coerce", utc=utc)
    except errors:  # one value out of range fails them all: one by one then
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns, UTC]" if utc else "datetime64[ns]")
        for pos, value in enumerate(text.tolist()):
            with contextlib.suppress(*errors):
                parsed.iloc[pos] = pd.to_datetime(value, format="mixed", dayfirst=dayfirst, utc=utc)
    low, high = (LOW, HIGH) if utc else (LOW.tz_localize(None), HIGH.tz_localize(None))
    return parsed.where((parsed >= low) & (parsed < high))


# -- the lazy engines ----------------------------------------------------------------------------
def utc_timestamps(frame: Any, column: str, tz: str | None) -> Any:
    """``frame`` plus ``_ts`` (the column as a UTC timestamp, null where the rule sets it aside or the
    local time is not valid), ``_naive`` (read as local time in ``tz``) and ``_bad_local`` (a local time
    that ``tz`` skips or repeats at a DST change, as pandas flags it). Native in, native out."""
    from journeymap.analytics._backend import kind

    if kind(frame) == "spark":
        return _spark(frame, column, tz)
    return _duckdb(frame, column, tz)


def _spark(frame: Any, column: str, tz: str | None) -> Any:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    zone = tz or "UTC"
    local_tz = zone != "UTC"
    col, dtype = F.col(spark_ident(column)), frame.schema[column].dataType
    naive: Any = F.lit(False)
    if isinstance(dtype, T.TimestampType):
        parsed = col
    elif isinstance(dtype, T.TimestampNTZType | T.DateType):
        parsed, naive = col.cast("timestamp"), col.isNotNull()
    elif isinstance(dtype, T.NumericType):
        parsed = _spark_epoch(col.cast("double"))
    else:  # the text and the pattern's groups once, as columns (dropped at the end)
        frame = frame.withColumn("_jm_text", F.trim(col.cast("string")))
        text = F.col("_jm_text")
        for i in range(1, 9):
            frame = frame.withColumn(f"_jm_g{i}", F.regexp_extract(text, ISO, i))

        def g(i: int) -> Any:
            return F.col(f"_jm_g{i}")

        canon = F.concat(g(1), F.lit(" "), F.when(g(2) == "", "00:00").otherwise(g(2)), F.lit(":"),
                         F.when(g(3) == "", "00").otherwise(g(3)),
                         F.when(g(4) != "", F.concat(F.lit("."), g(4))).otherwise(F.lit("")))
        offset = F.when(g(6) != "", F.concat(g(6), g(7), F.lit(":"), F.when(g(8) == "", "00").otherwise(g(8))))
        iso = text.rlike(ISO)
        naive = iso & (g(5) == "")
        parsed = (F.when(naive, F.try_to_timestamp(canon))
                  .when(iso, F.try_to_timestamp(F.concat(canon, F.coalesce(offset, F.lit("+00:00")))))
                  .when(text.rlike(EPOCH), _spark_epoch(text.cast("double"))))
    bad_local = F.lit(False)
    local = parsed
    if local_tz:
        local = F.to_utc_timestamp(parsed, zone)
        moved = [F.from_utc_timestamp(local + F.expr(f"INTERVAL {sign}{m} MINUTES"), zone) == parsed
                 for m in _SHIFTS_MIN for sign in ("", "-")]
        bad_local = naive & parsed.isNotNull() & ((F.from_utc_timestamp(local, zone) != parsed) | _any(moved))
    bad_local = F.coalesce(bad_local, F.lit(False))
    ts = F.when(bad_local, F.lit(None)).when(naive, local).otherwise(parsed)
    us = F.unix_micros(ts)
    ts = F.when((us >= F.lit(LOW_US)) & (us < F.lit(HIGH_US)), ts)
    out = (frame.withColumn("_ts", ts).withColumn("_naive", F.coalesce(naive, F.lit(False)))
           .withColumn("_bad_local", bad_local))
    return out.drop(*[c for c in out.columns if c.startswith("_jm_")])


def _spark_epoch(seconds: Any) -> Any:
    from pyspark.sql import functions as F

    ok = (seconds >= F.lit(LOW_US / 1e6)) & (seconds < F.lit(HIGH_US / 1e6))
    return F.when(ok, F.timestamp_micros(F.round(seconds * F.lit(1e6)).cast("long")))


def _duckdb(frame: Any, column: str, tz: str | None) -> Any:
    local_tz = tz not in (None, "UTC")
    dtype = str(dict(zip(frame.columns, frame.types, strict=True))[column]).upper()
    c = sql_ident(column)
    zone = sql_string(tz or "UTC")
    original = list(frame.columns)
    wall = None
    if "WITH TIME ZONE" in dtype or dtype.startswith("TIMESTAMPTZ"):
        ts, naive = f"{c}::TIMESTAMPTZ", "false"
    elif dtype.startswith(("TIMESTAMP", "DATE")):
        wall, naive = f"{c}::TIMESTAMP", f"{c} IS NOT NULL"
        ts = f"timezone({zone}, {wall})"
    elif dtype in ("BIGINT", "INTEGER", "DOUBLE", "FLOAT", "HUGEINT", "DECIMAL", "SMALLINT", "TINYINT", "UBIGINT",
                   "UINTEGER", "USMALLINT", "UTINYINT") or dtype.startswith("DECIMAL"):
        ts, naive = _duck_epoch(f"{c}::DOUBLE"), "false"
    else:  # the text and the pattern's groups once, as columns; expressions below refer to them
        text, iso = "_jm_text", sql_string(ISO)
        frame = frame.project(f"{', '.join(sql_ident(x) for x in original)}, trim({c}::VARCHAR) AS _jm_text")
        frame = frame.project(", ".join([*map(sql_ident, original), text, *[
            f"regexp_extract({text}, {iso}, {i}) AS _jm_g{i}" for i in range(1, 9)]]))

        def g(i: int) -> str:
            return f"_jm_g{i}"

        canon = (f"({g(1)} || ' ' || coalesce(nullif({g(2)}, ''), '00:00') || ':' || coalesce(nullif({g(3)}, ''),"
                 f" '00') || CASE WHEN {g(4)} <> '' THEN '.' || {g(4)} ELSE '' END)")
        offset = (f"CASE WHEN {g(6)} <> '' THEN {g(6)} || {g(7)} || ':' || coalesce(nullif({g(8)}, ''), '00') "
                  "ELSE '+00:00' END")
        matched = f"regexp_full_match({text}, {iso})"
        naive = f"({matched} AND {g(5)} = '')"
        wall = f"CASE WHEN {naive} THEN TRY_CAST({canon} AS TIMESTAMP) END"
        epoch = _duck_epoch(f"TRY_CAST({text} AS DOUBLE)")
        ts = (f"CASE WHEN {naive} THEN timezone({zone}, {wall}) WHEN {matched} THEN TRY_CAST({canon} || {offset} "
              f"AS TIMESTAMPTZ) WHEN regexp_full_match({text}, {sql_string(EPOCH)}) THEN {epoch} END")
    bad_local = "false"
    if wall is not None and local_tz:
        utc = f"timezone({zone}, {wall})"
        moved = " OR ".join(f"timezone({zone}, {utc} {sign} INTERVAL {m} MINUTE) = {wall}"
                            for m in _SHIFTS_MIN for sign in "+-")
        bad_local = f"({naive} AND {wall} IS NOT NULL AND (timezone({zone}, {utc}) <> {wall} OR {moved}))"
    ranged = f"CASE WHEN epoch_us({ts}) >= {LOW_US} AND epoch_us({ts}) < {HIGH_US} THEN {ts} END"
    cols = ", ".join(sql_ident(x) for x in original)
    return frame.project(f"{cols}, CASE WHEN coalesce({bad_local}, false) THEN NULL ELSE {ranged} END AS _ts, "
                         f"coalesce({naive}, false) AS _naive, coalesce({bad_local}, false) AS _bad_local")


def _duck_epoch(seconds: str) -> str:
    return (f"CASE WHEN {seconds} >= {LOW_US / 1e6} AND {seconds} < {HIGH_US / 1e6} "
            f"THEN timezone('UTC', make_timestamp(round({seconds} * 1000000)::BIGINT)) END")


def _any(conditions: list[Any]) -> Any:
    out = conditions[0]
    for cond in conditions[1:]:
        out = out | cond
    return out

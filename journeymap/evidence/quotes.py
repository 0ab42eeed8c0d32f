"""Verbatim customer quotes (reviews, transcripts, survey comments) read with an ingest report.

:func:`read_quotes` reads a CSV/TSV/Parquet file or a DataFrame with a text
column (and optional id, source, date, lang columns) into :class:`Quotes`:
``.frame`` holds one row per kept quote (``id, text, source, date, lang, tone, line``)
and ``.report`` says what was read, kept and set aside (empty text,
duplicates) with the line of each. Text is kept exactly as written — HTML,
formula-looking cells, control characters and emoji are data, never run or
rendered here; a text over 2,000 characters is shortened (reported). The
language comes from the ``lang`` column when it says ``en`` or ``es``, else
it is detected from the words (:func:`journeymap.evidence.tone.detect_lang`).

>>> import pandas as pd
>>> q = read_quotes(pd.DataFrame({"text": ["Great pick-up!", "", "La cola, eterna"]}))
>>> q.frame[["text", "lang", "tone"]].values.tolist()
[['Great pick-up!', 'en', 0.6], ['La cola, eterna', 'es', -0.6]]
>>> print(q.report)
<DataFrame>: 3 rows read, 2 kept, 1 set aside
  empty text: 1 (row 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from journeymap.errors import JourneyError, Problem
from journeymap.evidence._table import read_table
from journeymap.evidence.tone import detect_lang, tone
from journeymap.model import Quote
from journeymap.safety import csv_restore

#: Longest text kept (the model's limit for a quote); longer ones are cut and reported.
MAX_TEXT = 2000
REASONS = {"empty": "empty text", "duplicate": "same text and source as an earlier row"}


@dataclass
class QuotesReport:
    """Rows read, kept and set aside (reason → where), and texts shortened."""

    source: str
    rows_read: int
    rows_kept: int
    set_aside: dict[str, list[str]] = field(default_factory=dict)
    shortened: list[str] = field(default_factory=list)
    detected_lang: int = 0

    @property
    def rows_set_aside(self) -> int:
        return sum(len(v) for v in self.set_aside.values())

    def to_frame(self) -> pd.DataFrame:
        """One row per reason: ``reason``, ``rows``, ``where`` (up to 10)."""
        return pd.DataFrame([{"reason": REASONS[k], "rows": len(v), "where": ", ".join(v[:10])}
                             for k, v in self.set_aside.items()], columns=["reason", "rows", "where"])

    def __str__(self) -> str:
        lines = [f"{self.source}: {self.rows_read:,} rows read, {self.rows_kept:,} kept, "
                 f"{self.rows_set_aside:,} set aside"]
        for key, where in self.set_aside.items():
            lines.append(f"  {REASONS[key]}: {len(where):,} ({', '.join(where[:5])}{', …' if len(where) > 5 else ''})")
        if self.shortened:
            lines.append(f"  texts over {MAX_TEXT:,} characters shortened: {len(self.shortened):,} "
                         f"({', '.join(self.shortened[:5])})")
        return "\n".join(lines)


@dataclass
class Quotes:
    """Quotes read by :func:`read_quotes`: ``frame`` (one row per quote) and ``report``."""

    frame: pd.DataFrame
    report: QuotesReport

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return f"<Quotes: {len(self.frame):,} from {self.report.source}>"

    def attach(self, journey: Any, keywords: Any, *, source_id: str = "quotes", top: int = 3) -> Any:
        """Tag these quotes with ``keywords`` and add the top ones to ``journey``'s touchpoints (a copy);
        see :func:`journeymap.evidence.tagger.attach_quotes`."""
        from journeymap.evidence.tagger import attach_quotes, tag

        return attach_quotes(journey, tag(self, keywords), source_id=source_id, top=top,
                             file="" if self.report.source.startswith("<") else Path(self.report.source).name)

    def quote(self, i: int) -> Quote:
        """Row ``i`` of ``frame`` as a :class:`~journeymap.model.Quote`."""
        row = self.frame.iloc[i]
        return Quote(text=row["text"], source=row["source"][:200], date=row["date"], lang=row["lang"],
                     tone=float(row["tone"]))


def _read(source: Any) -> tuple[pd.DataFrame, str, list[str]]:
    if isinstance(source, list | tuple):
        return pd.DataFrame({"text": list(source)}), "<list>", [f"row {i}" for i in range(len(source))]
    table = read_table(source, "<quotes>", "a CSV path, a DataFrame or a list of texts")
    if table.reasons is None:
        return table.frame, table.name, [f"row {i}" for i in range(len(table.frame))]
    bad = [f"line {ln}" for ln, why in zip(table.labels, table.reasons, strict=True) if why]
    if bad:  # a ragged row or a bad byte: say where, do not guess
        raise JourneyError([Problem(table.name, "", f"cannot read {len(bad)} record(s) (wrong number of fields "
                                                    f"or not UTF-8) at {', '.join(bad[:5])}")])
    return table.frame, table.name, [f"line {ln}" for ln in table.labels]


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(csv_restore(value)) if isinstance(value, str) else str(value)


def read_quotes(source: Any, *, text: str = "text", id: str = "id", source_col: str = "source",
                date: str = "date", lang: str = "lang", default_source: str = "") -> Quotes:
    """Read quotes from a CSV/TSV/Parquet path, a DataFrame or a list of strings.

    Only the ``text`` column is required; ``id`` (default: the row number), ``source`` (default
    ``default_source``), ``date`` (kept when it reads as a date, as ``YYYY-MM-DD``) and ``lang``
    are optional. Rows with empty text, and repeats of the same text from the same source, are
    set aside and reported. A cell our own CSV export guarded with a leading ``'`` is restored.
    """
    raw, name, where = _read(source)
    columns = {str(c): c for c in raw.columns}
    if text not in columns:
        raise JourneyError([Problem(name, "", f"no '{text}' column", ", ".join(columns) or "no columns")])

    def col(key: str) -> list[str]:
        return [_cell(v) for v in raw[columns[key]]] if key in columns else [""] * len(raw)

    texts, ids, sources, dates, langs = col(text), col(id), col(source_col), col(date), col(lang)
    report = QuotesReport(source=name, rows_read=len(raw), rows_kept=0)
    rows, seen, days = [], set(), {}
    for i, body in enumerate(texts):
        if not body.strip():
            report.set_aside.setdefault("empty", []).append(where[i])
            continue
        src = sources[i] or default_source
        if (body, src) in seen:
            report.set_aside.setdefault("duplicate", []).append(where[i])
            continue
        seen.add((body, src))
        if len(body) > MAX_TEXT:
            body = body[: MAX_TEXT - 1] + "…"
            report.shortened.append(where[i])
        if dates[i] not in days:
            day = pd.to_datetime(dates[i], errors="coerce", format="mixed") if dates[i] else pd.NaT
            days[dates[i]] = None if pd.isna(day) else day.strftime("%Y-%m-%d")
        given = langs[i].strip().lower()
        language = given if given in ("en", "es") else detect_lang(body)
        report.detected_lang += given not in ("en", "es")
        rows.append({"id": ids[i] or str(i), "text": body, "source": src,
                     "date": days[dates[i]],
                     "lang": language, "tone": tone(body, language), "line": where[i]})
    report.rows_kept = len(rows)
    frame = pd.DataFrame(rows, columns=["id", "text", "source", "date", "lang", "tone", "line"])
    for key in ("date", "lang"):  # missing stays None (not NaN), as in the model's Quote
        frame[key] = frame[key].astype(object).where(frame[key].notna(), None)
    return Quotes(frame=frame, report=report)

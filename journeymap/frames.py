"""Journeys as tables: one row per touchpoint, to and from pandas / CSV.

A workshop spreadsheet needs only ``stage``, ``channel`` and ``action``
columns; every other column is optional (see :data:`COLUMNS`). Multi-value
cells (backstage actions, several pain points) are separated by ``" | "``.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"stage": ["Awareness", "Awareness", "Purchase"],
...                    "channel": ["instagram", "website", "store"],
...                    "action": ["Sees a reel", "Reads reviews", "Buys"],
...                    "emotion": [1, 0, 2]})
>>> j = from_frame(df, id="sheet", title="From a sheet")
>>> [s.id for s in j.stages], [t.id for t in j.touchpoints]
(['awareness', 'purchase'], ['tp01', 'tp02', 'tp03'])
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from journeymap.errors import JourneyError, Problem, format_loc, lower_first
from journeymap.model import Journey

if TYPE_CHECKING:
    import pandas as pd

SEP = " | "
#: Columns written by :func:`to_frame` and read by :func:`from_frame`.
COLUMNS = [
    "id", "stage", "stage_name", "channel", "channel_kind", "action", "thoughts", "emotion",
    "effort", "duration_min", "wait_min", "backstage", "evidence", "pain_points",
    "pain_severity", "pain_frequency", "opportunities",
]


def to_frame(journey: Journey) -> pd.DataFrame:
    """One row per touchpoint, in file order.

    Pain points are given as their texts (``pain_points``) with the worst
    severity and largest frequency among them; opportunities as the texts of
    those that address the touchpoint's pain points.

    >>> import journeymap as jm
    >>> df = to_frame(jm.load(jm.shipped_journey("retail_bopis_omnichannel")))
    >>> list(df.columns[:4])
    ['id', 'stage', 'stage_name', 'channel']
    """
    import pandas as pd

    stage_names = {s.id: s.name for s in journey.stages}
    rows = []
    for tp in journey.touchpoints:
        pains = tp.pain_points
        pain_ids = {p.id for p in pains}
        opps = [o.text for o in journey.opportunities if pain_ids & set(o.addresses)]
        rows.append({
            "id": tp.id,
            "stage": tp.stage,
            "stage_name": stage_names[tp.stage],
            "channel": tp.channel,
            "channel_kind": journey.channel_info(tp.channel).kind,
            "action": tp.action,
            "thoughts": tp.thoughts,
            "emotion": tp.emotion,
            "effort": tp.effort,
            "duration_min": tp.duration_min,
            "wait_min": tp.wait_min,
            "backstage": SEP.join(tp.backstage),
            "evidence": tp.evidence,
            "pain_points": SEP.join(p.text for p in pains),
            "pain_severity": max((p.severity for p in pains), default=None),
            "pain_frequency": max((p.frequency for p in pains), default=None),
            "opportunities": SEP.join(opps),
        })
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.astype({"effort": "Int64", "pain_severity": "Int64"})


def slug(text: str) -> str:
    """A file-safe id from free text.

    >>> slug("Decisión / Compra")
    'decision_compra'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "item"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip()
    )


def _split(value: Any) -> list[str]:
    return [] if _blank(value) else [v.strip() for v in str(value).split("|") if v.strip()]


def from_frame(df: pd.DataFrame, id: str = "journey", title: str | None = None,
               source: str = "<table>", **journey_fields: Any) -> Journey:
    """Build a journey from a table with one row per touchpoint (file order = flow order).

    Stages are created in order of first appearance; the ``stage`` cell may be
    an id or a name (``stage_name`` gives the name when ``stage`` is an id).
    Blank cells take the model's defaults. Bad cells raise :class:`JourneyError`
    naming the row (counting from 2 as a spreadsheet does) and column.
    """
    missing = [c for c in ("stage", "channel", "action") if c not in df.columns]
    if missing:
        raise JourneyError([Problem(source, "columns", f"missing required column(s): {', '.join(missing)}",
                                    list(df.columns))])
    if df.empty:
        raise JourneyError([Problem(source, "rows", "no touchpoint rows; expected one row per touchpoint")])
    stages: dict[str, dict[str, Any]] = {}
    touchpoints: list[dict[str, Any]] = []
    pain_n = 0
    for n, row in enumerate(df.to_dict("records")):
        stage_cell = "" if _blank(row["stage"]) else str(row["stage"]).strip()
        stage_name = stage_cell if _blank(row.get("stage_name")) else str(row["stage_name"]).strip()
        stage_id = slug(stage_cell) if stage_cell else ""
        if stage_id and stage_id not in stages:
            stages[stage_id] = {"id": stage_id, "name": stage_name or stage_cell}
        tp: dict[str, Any] = {
            "id": row["id"] if not _blank(row.get("id")) else f"tp{n + 1:02d}",
            "stage": stage_id,
            "channel": "" if _blank(row["channel"]) else str(row["channel"]).strip(),
            "action": "" if _blank(row["action"]) else str(row["action"]),
        }
        for col in ("thoughts", "emotion", "effort", "duration_min", "wait_min", "evidence"):
            if not _blank(row.get(col)):
                tp[col] = row[col]
        if not _blank(row.get("backstage")):
            tp["backstage"] = _split(row["backstage"])
        pains = []
        for text in _split(row.get("pain_points")):
            pain_n += 1
            pain = {"id": f"p{pain_n:02d}", "text": text}
            for col, key in (("pain_severity", "severity"), ("pain_frequency", "frequency")):
                if not _blank(row.get(col)):
                    pain[key] = row[col]
            pains.append(pain)
        if pains:
            tp["pain_points"] = pains
        touchpoints.append(tp)
    data = {"id": id, "title": title or id, "stages": list(stages.values()),
            "touchpoints": touchpoints, **journey_fields}
    try:
        return Journey.model_validate(data)
    except ValidationError as exc:
        raise JourneyError([_row_problem(source, err, df) for err in exc.errors()]) from None


def _row_problem(source: str, err: Mapping[str, Any], df: pd.DataFrame) -> Problem:
    loc = tuple(err["loc"])
    value = err.get("input") if err["type"] != "missing" else None
    if len(loc) >= 3 and loc[0] == "touchpoints" and isinstance(loc[1], int):
        column = {"pain_points": "pain_points"}.get(str(loc[2]), str(loc[2]))
        return Problem(source, f"row {loc[1] + 2}, column {column}", lower_first(err["msg"]),
                       value if not isinstance(value, dict | list) else None)
    return Problem(source, format_loc(loc), lower_first(err["msg"]), value if not isinstance(value, dict) else None)


def from_csv(path: str, **kwargs: Any) -> Journey:
    """Read a workshop CSV (one row per touchpoint) into a journey; see :func:`from_frame`.

    Cells that :func:`journeymap.exporting.export` guarded against spreadsheet formulas (a leading
    ``'`` before ``= + - @``, tab, CR or ``'``) get their original text back
    (:func:`journeymap.safety.csv_restore`), so ``from_csv(export(j, "x.csv"))`` keeps every text.
    """
    from pathlib import Path

    import pandas as pd

    from journeymap.safety import csv_restore

    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise JourneyError([Problem(str(path), "", "file not found")]) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise JourneyError([Problem(str(path), "", f"cannot parse CSV: {exc}")]) from None
    df = df.map(csv_restore)
    df.columns = [csv_restore(c) for c in df.columns]
    kwargs.setdefault("id", slug(Path(path).stem))
    return from_frame(df, source=str(path), **kwargs)

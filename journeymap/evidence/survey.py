"""Raw survey responses in; per-step NPS, CSAT and CES with their n and 95 % intervals out.

One row is one respondent's answers about one step: a touchpoint (``touchpoint``
set) or a whole stage (``touchpoint`` empty, ``stage`` set). Any of the three
answers may be empty: NPS 0–10, CSAT 1–5, CES 1–7 (1 = effortless, as journeymap's
``effort``). ``comment``, ``date``, ``segment`` and ``lang`` are optional.

No row is dropped silently: each row set aside is counted under the first
reason of :data:`REASONS` that applies, with its line in the file (the header is
line 1, so a simple file's row *i* counted from 0 is line *i* + 2) or its row
label in a DataFrame. Text is kept as text: a comment such as ``=SUM(A1)`` is
data, never evaluated. Answers must be whole numbers in range (``"9"``,
``"9.0"`` and ``9`` are 9; ``"nan"``, ``true``, ``9.5``, ``1e400`` are set aside).

How the figures and their intervals are computed is in
:mod:`journeymap.evidence.intervals`; a step whose smallest non-zero n is below
:data:`SMALL_N` is flagged ``small``. :meth:`Survey.metrics` with
``by="stage"`` uses the stage-level rows only (it does not pool touchpoint
answers: one respondent may answer several touchpoints of a stage).

>>> import pandas as pd
>>> raw = pd.DataFrame({"respondent": ["r1", "r2", "r3", "r3", "r4"],
...                     "touchpoint": ["pay", "pay", "pay", "pay", "pya"],
...                     "nps": [10, 6, "9", 9, 8], "csat": [5, 2, "", 4, 4]})
>>> s = read_survey(raw)
>>> print(s.report)
<DataFrame>: 5 rows read, 4 kept, 1 set aside
  same respondent and step as an earlier row: 1 (row 3; e.g. 'r3 at pay')
>>> m = s.metrics()
>>> m.round(1)[["step", "nps_n", "nps", "csat_n", "csat", "small"]].values.tolist()
[['pay', 3, 33.3, 2, 50.0, True], ['pya', 1, 0.0, 1, 100.0, True]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from journeymap.evidence._survey_io import SCALES, _answers, _columns, _dates, _hints, _read, _strings, _text
from journeymap.evidence.intervals import nps_from, t_from, wilson_from

if TYPE_CHECKING:
    from journeymap.model import Journey

#: Why a row was set aside, checked in this order (a row counts under the first that applies).
REASONS: dict[str, str] = {
    "bad_encoding": "not valid UTF-8",
    "wrong_fields": "wrong number of fields",
    "no_respondent": "empty respondent id",
    "no_step": "no touchpoint or stage",
    "unknown_touchpoint": "touchpoint not in the journey",
    "unknown_stage": "stage not in the journey",
    "stage_mismatch": "touchpoint belongs to another stage",
    "bad_nps": "NPS not a whole number from 0 to 10",
    "bad_csat": "CSAT not a whole number from 1 to 5",
    "bad_ces": "CES not a whole number from 1 to 7",
    "no_answer": "no NPS, CSAT or CES answer",
    "duplicate": "same respondent and step as an earlier row",
}
#: Steps with fewer answers than this (smallest non-zero n of the three metrics) are flagged ``small``.
SMALL_N = 30
_ROLES = ("respondent", "touchpoint", "stage", "nps", "csat", "ces", "comment", "date", "segment", "lang")


@dataclass
class SurveyReport:
    """What :func:`read_survey` did: rows read, kept, and set aside by reason with their lines."""

    source: str
    rows_read: int
    rows_kept: int
    set_aside: dict[str, int] = field(default_factory=dict)
    #: Every row set aside: ``where`` (``line 5`` / ``row 3``), ``reason``, ``value``, ``hint``.
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["where", "reason", "value", "hint"]))
    columns: dict[str, str] = field(default_factory=dict)
    #: Kept rows whose date is not an ISO date (the answers are kept, the date left empty).
    bad_dates: int = 0

    @property
    def rows_set_aside(self) -> int:
        return sum(self.set_aside.values())

    def to_frame(self) -> pd.DataFrame:
        """One row per reason: ``reason``, ``rows``, ``where`` (up to 10 lines)."""
        out = []
        for key, n in self.set_aside.items():
            sub = self.rows[self.rows["reason"] == REASONS[key]]
            out.append({"reason": REASONS[key], "rows": n, "where": ", ".join(sub["where"].head(10))})
        return pd.DataFrame(out, columns=["reason", "rows", "where"])

    def __str__(self) -> str:
        lines = [f"{self.source}: {self.rows_read:,} rows read, {self.rows_kept:,} kept, "
                 f"{self.rows_set_aside:,} set aside"]
        for key, n in self.set_aside.items():
            sub = self.rows[self.rows["reason"] == REASONS[key]]
            where = sub["where"].tolist()
            unit = where[0].split(" ")[0]
            numbers = ", ".join(w.split(" ", 1)[1] for w in where[:5]) + (", …" if n > 5 else "")
            first = sub.iloc[0]
            example = f"; e.g. {_short(first['value'])}" if first["value"] != "" else ""
            hint = f": {first['hint']}" if first["hint"] else ""
            lines.append(f"  {REASONS[key]}: {n:,} ({unit}{'s' if n > 1 else ''} {numbers}{example}{hint})")
        if self.bad_dates:
            lines.append(f"  dates that are not ISO dates (answers kept, date left empty): {self.bad_dates:,}")
        return "\n".join(lines)


def _short(value: object, limit: int = 40) -> str:
    text = repr(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_survey(source: Any, *, journey: Journey | None = None, respondent: str = "respondent",
                touchpoint: str | None = "touchpoint", stage: str | None = "stage", nps: str | None = "nps",
                csat: str | None = "csat", ces: str | None = "ces", comment: str | None = "comment",
                date: str | None = "date", segment: str | None = "segment", lang: str | None = "lang",
                ) -> Survey:
    """Read raw survey responses (CSV, TSV, Parquet or a DataFrame) into a :class:`Survey`.

    The keyword arguments name the input columns (``None``: the file has no such
    column). ``respondent``, a ``touchpoint`` or ``stage`` column and one answer
    column are required; an optional column left at its default name may be
    absent. With ``journey``, rows about touchpoints or stages it does not have
    are set aside (with a "did you mean"), and so are rows whose stage is not
    their touchpoint's.
    """
    raw, name, unit, labels, read_reasons = _read(source)
    given = {"respondent": respondent, "touchpoint": touchpoint, "stage": stage, "nps": nps, "csat": csat,
             "ces": ces, "comment": comment, "date": date, "segment": segment, "lang": lang}
    defaults = dict(zip(_ROLES, _ROLES, strict=True))
    cols = _columns(raw, name, given, defaults)
    n = len(raw)
    reason = np.full(n, "", dtype=object) if read_reasons is None else read_reasons.copy()
    value = np.full(n, "", dtype=object)
    hint = np.full(n, "", dtype=object)
    empty = np.full(n, None, dtype=object)

    def flag(key: str, mask: np.ndarray, shown: Any = None) -> None:
        new = mask & (reason == "")
        reason[new] = key
        if shown is not None:
            value[new] = ["" if v is None or v is pd.NA else str(v) for v in np.asarray(shown, dtype=object)[new]]

    if read_reasons is not None and len(raw.columns) and (reason != "").any():  # show their first field
        value[reason != ""] = [str(v) for v in raw.iloc[:, 0].to_numpy()[reason != ""]]
    who, who_blank = _text(raw[cols["respondent"]])
    flag("no_respondent", who_blank)
    tp, tp_blank = _text(raw[cols["touchpoint"]]) if "touchpoint" in cols else (empty, np.ones(n, bool))
    st, st_blank = _text(raw[cols["stage"]]) if "stage" in cols else (empty, np.ones(n, bool))
    flag("no_step", tp_blank & st_blank)
    if journey is not None:
        tp_ids = [t.id for t in journey.touchpoints]
        st_ids = [s.id for s in journey.stages]
        bad_tp = ~tp_blank & ~pd.Series(tp, dtype=object).isin(tp_ids).to_numpy(dtype=bool)
        flag("unknown_touchpoint", bad_tp, tp)
        hint[bad_tp] = _hints(tp[bad_tp], tp_ids)
        bad_st = ~st_blank & ~pd.Series(st, dtype=object).isin(st_ids).to_numpy(dtype=bool)
        flag("unknown_stage", bad_st, st)
        new = bad_st & (reason == "unknown_stage")
        hint[new] = _hints(st[new], st_ids)
        home = pd.Series(tp, dtype=object).map({t.id: t.stage for t in journey.touchpoints}).to_numpy(dtype=object)
        other = ~tp_blank & ~st_blank & ~bad_tp & (home != st)
        new = other & (reason == "")
        flag("stage_mismatch", new, np.array([f"{a} in {b}" if m else "" for a, b, m in zip(tp, st, new, strict=True)]
                                             if new.any() else empty))
        hint[new] = [f"it is in stage '{h}'" for h in home[new]]
    answers = {}
    any_answer = np.zeros(n, dtype=bool)
    for role, (low, high) in SCALES.items():
        if role not in cols:
            answers[role] = pd.Series(pd.array([pd.NA] * n, dtype="Int16"))
            continue
        answers[role], blank, bad = _answers(raw[cols[role]], low, high)
        flag(f"bad_{role}", bad, raw[cols[role]].astype(str))
        any_answer |= ~blank
    flag("no_answer", ~any_answer)
    level = np.where(tp_blank, "stage", "touchpoint")
    step = np.where(tp_blank, st, tp)
    candidates = np.flatnonzero(reason == "")
    keys = pd.DataFrame({"who": who[candidates], "level": level[candidates], "step": step[candidates]},
                        dtype=object)
    dup = candidates[keys.duplicated(keep="first").to_numpy()]
    reason[dup] = "duplicate"
    value[dup] = [f"{w} at {x}" for w, x in zip(who[dup], step[dup], strict=True)]

    keep = reason == ""
    report = SurveyReport(source=name, rows_read=n, rows_kept=int(keep.sum()),
                          columns={role: str(col) for role, col in cols.items()})
    aside = np.flatnonzero(~keep)
    order = {k: i for i, k in enumerate(REASONS)}
    report.rows = pd.DataFrame({"where": [f"{unit} {labels[i]}" for i in aside],
                                "reason": [REASONS[reason[i]] for i in aside],
                                "value": value[aside], "hint": hint[aside]})
    for key in sorted(set(reason[aside]), key=order.__getitem__):
        report.set_aside[key] = int((reason == key).sum())

    out = {"line" if unit == "line" else "row": np.asarray(labels)[keep], "respondent": _strings(who[keep]),
           "level": level[keep], "step": _strings(step[keep]), "touchpoint": _strings(tp[keep]),
           "stage": _strings(st[keep])}
    out.update({role: answers[role][keep].reset_index(drop=True) for role in SCALES})
    for role in ("comment", "segment", "lang"):
        out[role] = (raw[cols[role]][keep].astype("string").reset_index(drop=True) if role in cols
                     else pd.array([pd.NA] * int(keep.sum()), dtype="string"))
    when = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, UTC]")
    if "date" in cols:
        when, blank = _dates(raw[cols["date"]])
        report.bad_dates = int((keep & ~blank & when.isna().to_numpy(dtype=bool)).sum())
    out["date"] = when[keep].reset_index(drop=True)
    frame = pd.DataFrame(out)
    for col in raw.columns:  # other columns come along untouched (renamed <name>_raw if the name is taken)
        if col not in cols.values():
            frame[str(col) if str(col) not in frame else f"{col}_raw"] = raw[col][keep].to_numpy()
    file = "" if unit == "row" else Path(name).name
    steps = None if journey is None else {
        "touchpoint": [t.id for t in journey.touchpoints], "stage": [s.id for s in journey.ordered_stages()]}
    return Survey(frame, report, file, steps)


@dataclass
class Survey:
    """Responses read by :func:`read_survey`: ``responses`` (one clean row per answer set) and ``report``."""

    responses: pd.DataFrame = field(repr=False)
    report: SurveyReport = field(repr=False)
    file: str = ""
    steps: dict[str, list[str]] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        r = self.responses
        return (f"Survey({self.file or '<DataFrame>'}: {len(r):,} responses from {r['respondent'].nunique():,} "
                f"respondents about {r.loc[r['level'] == 'touchpoint', 'step'].nunique()} touchpoints and "
                f"{r.loc[r['level'] == 'stage', 'step'].nunique()} stages)")

    def metrics(self, by: Literal["touchpoint", "stage"] = "touchpoint", segment: bool = False) -> pd.DataFrame:
        """Per step (and per segment with ``segment=True``): n, value and 95 % interval of each metric.

        Columns: [``segment``], ``step``, ``responses``, ``respondents``, then for
        ``nps`` (−100..100), ``csat`` (% of 4–5 answers) and ``ces`` (mean):
        ``<m>_n``, ``<m>``, ``<m>_low``, ``<m>_high`` (NaN when there is no
        answer, or a single CES answer), and ``small`` (smallest non-zero n < 30).
        Steps follow the journey's order when one was given to :func:`read_survey`.
        """
        if by not in ("touchpoint", "stage"):
            raise ValueError(f"metrics: by must be 'touchpoint' or 'stage' (got {by!r})")
        rows = self.responses[self.responses["level"] == by]
        keys = ["segment", "step"] if segment else ["step"]
        nps = rows["nps"].astype(float)
        csat = rows["csat"].astype(float)
        ces = rows["ces"].astype(float)
        parts = pd.DataFrame({"segment": rows["segment"].fillna("").astype(str), "step": rows["step"].astype(str),
                              "respondent": rows["respondent"], "nps_n": nps.notna(), "promoters": nps >= 9,
                              "detractors": nps <= 6, "csat_n": csat.notna(), "satisfied": csat >= 4,
                              "ces_n": ces.notna(), "ces": ces})
        g = parts.groupby(keys, sort=False)
        counts = g[["nps_n", "promoters", "detractors", "csat_n", "satisfied", "ces_n"]].sum().astype(int)
        out = counts.reset_index()[keys]
        out["responses"] = g.size().to_numpy()
        out["respondents"] = g["respondent"].nunique().to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            n = counts["nps_n"].to_numpy()
            out["nps_n"] = n
            out["nps"] = np.where(n > 0, 100 * (counts["promoters"] - counts["detractors"]).to_numpy() / n, np.nan)
            out["nps_low"], out["nps_high"] = nps_from(counts["promoters"], counts["detractors"], n)
            n = counts["csat_n"].to_numpy()
            out["csat_n"] = n
            out["csat"] = np.where(n > 0, 100 * counts["satisfied"].to_numpy() / n, np.nan)
            low, high = wilson_from(counts["satisfied"], n)
            out["csat_low"], out["csat_high"] = 100 * low, 100 * high
            n = counts["ces_n"].to_numpy()
            out["ces_n"] = n
            out["ces"] = g["ces"].mean().to_numpy()
            low, high = t_from(out["ces"], g["ces"].std(ddof=1).to_numpy(), n)
            out["ces_low"], out["ces_high"] = np.clip(low, 1, 7), np.clip(high, 1, 7)
        sizes = out[["nps_n", "csat_n", "ces_n"]].to_numpy(dtype=float)
        out["small"] = np.where(sizes > 0, sizes, np.inf).min(axis=1) < SMALL_N
        if self.steps is not None:
            rank = {s: i for i, s in enumerate(self.steps[by])}
            out = out.assign(_rank=out["step"].map(rank)).sort_values(
                [*keys[:-1], "_rank"], kind="stable").drop(columns="_rank")
        return out.reset_index(drop=True)

    def attach(self, journey: Journey, source_id: str = "survey", *, replace: bool = False) -> Journey:
        """A copy of ``journey`` with this survey's metrics on its touchpoints and stages, and its source.

        Only ``metrics`` blocks change, plus ``sources`` (a ``kind: survey`` entry
        named ``source_id``, replaced if present). Metrics from the same source id
        are replaced (and removed from steps this survey has no answers for);
        metrics written by hand or from another source are kept, and a step that
        has both is an error unless ``replace=True``. Emotion, effort and every
        other value stay as they are.
        """
        from journeymap.evidence._survey_attach import attach

        return attach(self, journey, source_id, replace)

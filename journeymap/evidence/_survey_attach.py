"""``Survey.attach``: a survey's per-step metrics and its source written into a copy of a journey.

Kept apart from :mod:`journeymap.evidence.survey` (reading and metrics) only for size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import ValidationError

from journeymap.errors import JourneyError, Problem, lower_first
from journeymap.model import Source
from journeymap.safety import suggest

if TYPE_CHECKING:
    from journeymap.evidence.survey import Survey
    from journeymap.model import Journey, Stage, SurveyMetrics, Touchpoint


def survey_metrics(row: pd.Series, source_id: str) -> SurveyMetrics:
    """One row of :meth:`Survey.metrics` as :class:`~journeymap.model.SurveyMetrics`.

    Values and intervals are rounded for the file: NPS and CSAT to 0.1, CES to 0.01.
    """
    from journeymap.model import SurveyMetrics

    def value(m: str, digits: int) -> tuple[float | None, int | None, list[float] | None]:
        n = int(row[f"{m}_n"])
        if n == 0:
            return None, None, None
        low, high = float(row[f"{m}_low"]), float(row[f"{m}_high"])
        ci = None if np.isnan(low) or np.isnan(high) else [round(low, digits), round(high, digits)]
        return round(float(row[m]), digits), n, ci

    nps, nps_n, nps_ci = value("nps", 1)
    csat, csat_n, csat_ci = value("csat", 1)
    ces, ces_n, ces_ci = value("ces", 2)
    return SurveyMetrics(nps=nps, csat=csat, ces=ces, responses=int(row["responses"]), nps_n=nps_n,
                         csat_n=csat_n, ces_n=ces_n, nps_ci=nps_ci, csat_ci=csat_ci, ces_ci=ces_ci,
                         source=source_id)


def _source(survey: Survey, source_id: str, name: str) -> Source:
    r = survey.responses
    dates = r["date"].dropna()
    start = dates.min().date().isoformat() if len(dates) else None
    end = dates.max().date().isoformat() if len(dates) else None
    note = (f"{len(r):,} responses kept of {survey.report.rows_read:,} read"
            + (f"; {survey.report.rows_set_aside:,} set aside" if survey.report.rows_set_aside else ""))
    try:
        return Source(id=source_id, kind="survey", file=survey.file[:500], customers=int(r["respondent"].nunique()),
                      rows=len(r), start=start, end=end, note=note)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise JourneyError([Problem(name, "sources.id", "the source id: " + lower_first(err["msg"]),
                                    source_id)]) from None


def _place(survey: Survey, items: Sequence[Touchpoint | Stage], by: Literal["touchpoint", "stage"],
           source_id: str, replace: bool, name: str) -> list[Problem]:
    """Write the survey's metrics on ``items`` (in place, on the copy); the problems found."""
    label = f"{by}s"
    table = survey.metrics(by)
    known = [item.id for item in items]
    problems = [Problem(name, label, f"the survey's {by} {step!r} is not in the journey; {suggest(step, known)} "
                        "(read_survey(..., journey=j) sets such rows aside)")
                for step in table["step"] if step not in known]
    rows = {row["step"]: row for _, row in table.iterrows()}
    for i, item in enumerate(items):
        old = item.metrics
        row = rows.get(item.id)
        if row is None:
            if old is not None and old.source == source_id:
                item.metrics = None  # from an earlier read of this same source
            continue
        if old is not None and old.source != source_id and not replace:
            whose = f"from source {old.source!r}" if old.source else "written by hand"
            problems.append(Problem(name, f"{label}[{i}].metrics", f"{item.id} already has metrics {whose}; "
                                    "pass replace=True to replace them with this survey's"))
            continue
        item.metrics = survey_metrics(row, source_id)
    return problems


def attach(survey: Survey, journey: Journey, source_id: str, replace: bool) -> Journey:
    """See :meth:`journeymap.evidence.survey.Survey.attach`."""
    name = survey.report.source
    if not isinstance(source_id, str):
        raise JourneyError([Problem(name, "sources.id", "the source id must be text", source_id)])
    source = _source(survey, source_id, name)
    problems: list[Problem] = []
    for other in journey.sources:
        if other.id == source_id and other.kind != "survey":
            problems.append(Problem(name, "sources", f"source id {source_id!r} is already the journey's "
                                    f"{other.kind} source; pass another source_id", source_id))
    out = journey.model_copy(deep=True)
    problems += _place(survey, out.touchpoints, "touchpoint", source_id, replace, name)
    problems += _place(survey, out.stages, "stage", source_id, replace, name)
    if problems:
        raise JourneyError(problems)
    kept = [s for s in out.sources if s.id != source_id]
    at = next((i for i, s in enumerate(out.sources) if s.id == source_id), len(kept))
    out.sources = [*kept[:at], source, *kept[at:]]
    return out

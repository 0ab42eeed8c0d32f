"""Survey metrics from raw responses: NPS, CSAT and CES, with input validation.

* **NPS** (0–10 answers): % of promoters (9–10) − % of detractors (0–6), −100..100.
* **CSAT** (1–5 answers): % of satisfied answers (4–5), 0..100.
* **CES** (1–7 answers): the mean. journeymap's ``effort`` field reads 1 as
  effortless; if your survey asked the CES 2.0 agreement question ("the company
  made it easy", 7 = strongly agree), convert answers with
  :func:`journeymap.scales.ces_agreement_to_effort` first.

Attach results to a touchpoint or stage (``metrics:`` in the file, or
:func:`survey`) and they appear beside the friction score in reports.

>>> nps([10, 9, 8, 6, 3])
0.0
>>> csat([5, 4, 3, 2])
50.0
>>> ces([2, 3, 4])
3.0
>>> nps([10, 11])
Traceback (most recent call last):
...
ValueError: NPS response #2 is 11; expected a whole number from 0 to 10
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from journeymap.model import SurveyMetrics


def _check(responses: Iterable[object], low: int, high: int, name: str) -> list[int]:
    values = list(responses)
    if not values:
        raise ValueError(f"{name}: no responses; expected at least one answer from {low} to {high}")
    out = []
    for i, value in enumerate(values, start=1):
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if number is None or not float(number).is_integer() or not low <= number <= high:
            raise ValueError(f"{name} response #{i} is {value!r}; expected a whole number from {low} to {high}")
        out.append(int(number))
    return out


def nps(responses: Iterable[int]) -> float:
    """Net Promoter Score from 0–10 answers (−100..100)."""
    values = _check(responses, 0, 10, "NPS")
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    return 100.0 * (promoters - detractors) / len(values)


def csat(responses: Iterable[int]) -> float:
    """Customer satisfaction: % of 4–5 answers on a 1–5 scale."""
    values = _check(responses, 1, 5, "CSAT")
    return 100.0 * sum(v >= 4 for v in values) / len(values)


def ces(responses: Iterable[int]) -> float:
    """Customer Effort Score: mean of 1–7 answers."""
    values = _check(responses, 1, 7, "CES")
    return sum(values) / len(values)


def survey(nps_answers: Sequence[int] = (), csat_answers: Sequence[int] = (),
           ces_answers: Sequence[int] = ()) -> SurveyMetrics:
    """A :class:`~journeymap.model.SurveyMetrics` from whichever answer lists are given.

    >>> m = survey(nps_answers=[10, 9, 2], ces_answers=[2, 2])
    >>> round(m.nps, 1), m.csat, m.ces, m.responses
    (33.3, None, 2.0, 3)
    """
    given = [a for a in (nps_answers, csat_answers, ces_answers) if len(a)]
    if not given:
        raise ValueError("survey: give at least one list of answers")
    return SurveyMetrics(
        nps=nps(nps_answers) if len(nps_answers) else None,
        csat=csat(csat_answers) if len(csat_answers) else None,
        ces=ces(ces_answers) if len(ces_answers) else None,
        responses=max(len(a) for a in given),
    )

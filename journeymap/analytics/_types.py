"""Result types of :mod:`journeymap.analytics`: a leaf module (it imports no analytics module).

Engines (pandas/numpy, DuckDB, Spark) build these; the public modules re-export
them where they always were (``journeymap.analytics.discovery.DFG``,
``journeymap.analytics.conformance.ConformanceReport``,
``journeymap.analytics.ingest.IngestReport``, ...), so an engine never imports
the public module that calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from journeymap.model import Journey

#: Why a row was set aside, checked in this order (a row counts under the first that applies).
REASONS: dict[str, str] = {
    "bad_encoding": "not valid UTF-8",
    "wrong_fields": "wrong number of fields",
    "empty_case": "empty case id",
    "empty_activity": "empty activity",
    "bad_timestamp": "unparseable or empty timestamp",
    "bad_local_time": "local time skipped or repeated by a DST change",
    "empty_channel": "empty channel",
    "unknown_channel": "channel not in the catalogue",
    "duplicate": "exact duplicate of an earlier row",
}


class DFG(NamedTuple):
    """Directly-follows graph: ``edges`` (source, target, count, share, median_min), ``start``, ``end``.

    ``share`` is count / occurrences of ``source``; ``median_min`` the median
    minutes between the two events. ``start``/``end`` count cases by first/last activity.
    """

    edges: pd.DataFrame
    start: pd.Series
    end: pd.Series

    def counts(self) -> dict[tuple[str, str], int]:
        """``{(source, target): count}`` — the form pm4py's ``discover_dfg`` returns."""
        return {(s, t): int(c) for s, t, c in self.edges[["source", "target", "count"]].itertuples(index=False)}



class Discovery(NamedTuple):
    """:func:`discover_with_stats`: the journey plus the numbers behind it.

    ``transitions`` is indexed by the transition key (``"from->to"``) with
    ``count``, ``share`` and ``median_min``; ``touchpoints`` by touchpoint id with
    ``activity``, ``events``, ``cases``, ``starts``, ``ends`` and ``channel_share``
    (share of its events on the chosen channel).
    """

    journey: Journey
    transitions: pd.DataFrame
    touchpoints: pd.DataFrame



@dataclass
class ConformanceReport:
    """Result of :func:`conformance`.

    ``fitness``: share of customers whose path fits. ``missing``: designed
    transitions never observed. ``unexpected``: observed moves that are not
    designed, with counts. ``transitions``: every designed transition with its
    designed and observed share. ``deviations``: customers by first reason of not fitting.
    """

    cases: int
    fitting_cases: int
    missing: pd.DataFrame
    unexpected: pd.DataFrame
    unknown_activities: pd.Series
    transitions: pd.DataFrame
    deviations: pd.Series
    fits: Any

    @property
    def fitness(self) -> float:
        return self.fitting_cases / self.cases if self.cases else 0.0

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The summary in ``lang`` (English or Spanish)."""
        from journeymap.i18n import t

        share = f"{100 * self.fitness:.1f} %" if lang == "es" else f"{self.fitness:.1%}"
        moves = int(self.unexpected["count"].sum()) if len(self.unexpected) else 0
        lines = [t("at_conf_fit", lang).format(fit=f"{self.fitting_cases:,}", cases=f"{self.cases:,}", share=share),
                 t("at_conf_missing", lang).format(n=len(self.missing)),
                 t("at_conf_unexpected", lang).format(n=len(self.unexpected), moves=f"{moves:,}")]
        if len(self.unknown_activities):
            lines.append(t("at_conf_unknown", lang).format(n=len(self.unknown_activities)))
        return "\n".join(lines)



@dataclass
class IngestReport:
    """What :func:`read_events` did: rows read, kept and set aside (by reason, with examples)."""

    source: str
    rows_read: int
    rows_kept: int
    set_aside: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    tz: str | None = "UTC"
    naive_timestamps: int = 0
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def rows_set_aside(self) -> int:
        return sum(self.set_aside.values())

    def to_frame(self) -> pd.DataFrame:
        """One row per reason: ``reason``, ``rows``, ``examples``."""
        return pd.DataFrame(
            [{"reason": REASONS[k], "rows": n, "examples": "; ".join(f"{w}: {v!r}" for w, v in self.examples[k])}
             for k, n in self.set_aside.items()],
            columns=["reason", "rows", "examples"],
        )

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The summary in ``lang`` (English or Spanish): rows read, kept, set aside by reason with an example."""
        from journeymap.i18n import t

        lines = [t("at_ingest", lang).format(source=self.source, read=f"{self.rows_read:,}",
                                             kept=f"{self.rows_kept:,}", aside=f"{self.rows_set_aside:,}")]
        for key, n in self.set_aside.items():
            ex = ", ".join(f"{_where(w, lang)}: {v!r}" for w, v in self.examples[key][:1])
            reason = t(f"at_reason_{key}", lang) if lang != "en" else REASONS[key]
            lines.append(t("at_ingest_reason", lang).format(reason=reason, n=f"{n:,}", ex=ex))
        if self.naive_timestamps:
            lines.append(t("at_ingest_naive", lang).format(tz=self.tz, n=f"{self.naive_timestamps:,}"))
        return "\n".join(lines)


def _where(where: Any, lang: str) -> Any:
    """An example's place (``line 12``) in ``lang``."""
    from journeymap.i18n import t

    if lang != "en" and isinstance(where, str) and where.startswith("line "):
        return t("at_line", lang).format(n=where[5:])
    return where


class Ingested(NamedTuple):
    """The result of :func:`read_events`: ``events, report = read_events(...)``."""

    events: pd.DataFrame
    report: IngestReport


@dataclass(frozen=True)
class Measured:
    """What one event log says about the touchpoints of a design (activities already mapped)."""

    customers: int
    events: int
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    touchpoints: pd.DataFrame  # index touchpoint: customers, visits, entries, exits, gap q1/median/q3
    moves: pd.DataFrame  # columns source, target, count, q1, median, q3 (every pair seen, designed or not)
    unknown: pd.Series  # events per activity that is no touchpoint of the design
    converted: int  # customers with an event at a conversion touchpoint
    conversions: int  # events at conversion touchpoints (a customer may convert more than once)

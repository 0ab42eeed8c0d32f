"""Journeys from data: read event logs, link identities, discover journeys, measure and attribute.

The usual path: :func:`read_events` (clean events + an :class:`IngestReport`)
→ :func:`stitch` (per-channel ids → customers) → :func:`discover` (a
:class:`~journeymap.model.Journey`, the same type as a designed one) →
:func:`conformance` against the designed journey → :func:`attribution`.
Every function takes and returns pandas objects; ties in time keep the row
order of the frame (file order), as pm4py does. For logs that outgrow memory,
pass a Parquet file or folder (run out of core by DuckDB) or a PySpark
DataFrame (run inside Spark) instead: same calls, same results, only small
results collected; file order is then the ``event_row`` column (docs/scale.md).

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> events = jm.analytics.simulate(j, customers=200, seed=3)
>>> found = jm.analytics.discover(events, case="customer_id")
>>> isinstance(found, jm.Journey), found.touchpoints[0].id
(True, 'ig_ad')
"""

from journeymap.analytics._frame import PROGRESS_MIN_ROWS
from journeymap.analytics.abtest import ab_test, concat_logs, conversion_test, funnel_test
from journeymap.analytics.attribution import (
    MODELS,
    attribution,
    attribution_markov,
    conversion_paths,
    markov_transition_matrix,
)
from journeymap.analytics.attribution_ci import PATH_MODELS, attribution_table, markov_ci
from journeymap.analytics.calibrate import Calibration, calibrate
from journeymap.analytics.conformance import ConformanceReport, conformance
from journeymap.analytics.discovery import DFG, Discovery, dfg, discover, discover_with_stats, variants
from journeymap.analytics.drift import Drift
from journeymap.analytics.eventlog import EventLog
from journeymap.analytics.ingest import REASONS, Ingested, IngestReport, parse_timestamps, read_events
from journeymap.analytics.markov_order import markov_removal
from journeymap.analytics.measures import (
    channel_transitions,
    conversion_by_channel,
    cross_channel_rate,
    funnel,
    repeated_contacts,
    time_to_convert,
)
from journeymap.analytics.pathflow import paths_after_dropoff, paths_from
from journeymap.analytics.position import attribution_heuristics
from journeymap.analytics.segments import by_segment, compare_segments, segments_of
from journeymap.analytics.shapley import attribution_shapley
from journeymap.analytics.simulate import simulate, touchpoint_friction
from journeymap.analytics.stitch import Stitched, StitchReport, stitch
from journeymap.analytics.timing import TimeToConvert, time_between, time_in_stage, time_to_convert_distribution

__all__ = [
    "DFG",
    "MODELS",
    "PATH_MODELS",
    "PROGRESS_MIN_ROWS",
    "REASONS",
    "Calibration",
    "ConformanceReport",
    "Discovery",
    "Drift",
    "EventLog",
    "IngestReport",
    "Ingested",
    "StitchReport",
    "Stitched",
    "TimeToConvert",
    "ab_test",
    "attribution",
    "attribution_heuristics",
    "attribution_markov",
    "attribution_shapley",
    "attribution_table",
    "by_segment",
    "calibrate",
    "channel_transitions",
    "compare_segments",
    "concat_logs",
    "conformance",
    "conversion_by_channel",
    "conversion_paths",
    "conversion_test",
    "cross_channel_rate",
    "dfg",
    "discover",
    "discover_with_stats",
    "funnel",
    "funnel_test",
    "markov_ci",
    "markov_removal",
    "markov_transition_matrix",
    "parse_timestamps",
    "paths_after_dropoff",
    "paths_from",
    "read_events",
    "repeated_contacts",
    "segments_of",
    "simulate",
    "stitch",
    "time_between",
    "time_in_stage",
    "time_to_convert",
    "time_to_convert_distribution",
    "touchpoint_friction",
    "variants",
]

"""Evidence behind a journey: survey answers and customers' own words.

A workshop map is a set of hypotheses. This package reads what customers said
and scored — raw survey responses (NPS, CSAT, CES with their intervals) and
verbatim quotes (reviews, transcripts, comments) — and attaches it to the
touchpoints it is about, so every view can tell observed values from assumed
ones. Event logs calibrate the flow (:func:`journeymap.analytics.calibrate`).
Nothing here overwrites a value the user wrote: changes are *suggested*, and
applied only when accepted.
"""

from journeymap.evidence.intervals import nps_interval, t_interval, wilson
from journeymap.evidence.quotes import Quotes, read_quotes
from journeymap.evidence.suggest import Suggestion, accept, suggest
from journeymap.evidence.survey import Survey, SurveyReport, read_survey
from journeymap.evidence.tagger import attach_quotes, load_keywords, mentions, tag
from journeymap.evidence.tone import detect_lang, explain, tone

__all__ = [
    "Quotes",
    "Suggestion",
    "Survey",
    "SurveyReport",
    "accept",
    "attach_quotes",
    "detect_lang",
    "explain",
    "load_keywords",
    "mentions",
    "nps_interval",
    "read_quotes",
    "read_survey",
    "suggest",
    "t_interval",
    "tag",
    "tone",
    "wilson",
]

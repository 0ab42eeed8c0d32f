"""Friction scoring and omnichannel analysis (see docs/friction.md).

>>> import journeymap as jm
>>> report = jm.score(jm.load(jm.shipped_journey("retail_bopis_omnichannel")))
>>> sorted(report.by_touchpoint.columns)[:4]
['channel', 'effort', 'emotion', 'friction']
"""

from journeymap.scoring.flow import EndlessLoopError, endings, entry_distribution, flows, visits
from journeymap.scoring.report import FrictionReport, score
from journeymap.scoring.weights import COMPONENTS, Weights, load_weights

__all__ = [
    "COMPONENTS",
    "EndlessLoopError",
    "FrictionReport",
    "Weights",
    "endings",
    "entry_distribution",
    "flows",
    "load_weights",
    "score",
    "visits",
]

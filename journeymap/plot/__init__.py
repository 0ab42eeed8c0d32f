"""Plots of journeys (matplotlib is imported only here): the journey map and its companions.

Every function draws on ``ax`` when given and returns the Axes; none calls
``plt.show()``. Labels are English or Spanish (``lang=``; default the journey's
language), colours are colour-blind safe (Okabe–Ito), and text is measured and
wrapped so it fits. Friction colours come from ``jm.score(journey)`` when
scoring is available, or from the ``report=`` you pass (``report=False`` to
leave friction out).

>>> import journeymap as jm
>>> sorted(name for name in jm.plot.__all__)  # doctest: +NORMALIZE_WHITESPACE
['DEFAULT_LANES', 'attribution_comparison', 'channel_flow', 'drift_chart', 'edge_time_chart', 'emotion_curve',
 'friction_heatmap', 'journey_map', 'map_size', 'overview', 'path_flow', 'portfolio_heatmap', 'priority_matrix',
 'segment_comparison', 'stage_time_chart', 'time_to_convert_chart', 'votes_vs_model']
"""

from __future__ import annotations

from journeymap.plot.attribution import attribution_comparison
from journeymap.plot.drift import drift_chart
from journeymap.plot.emotion import emotion_curve
from journeymap.plot.flow import channel_flow
from journeymap.plot.heatmap import friction_heatmap
from journeymap.plot.journey_map import DEFAULT_LANES, journey_map, map_size
from journeymap.plot.overview import overview
from journeymap.plot.path_flow import path_flow
from journeymap.plot.portfolio import portfolio_heatmap
from journeymap.plot.priority import priority_matrix
from journeymap.plot.segments import segment_comparison
from journeymap.plot.timing import edge_time_chart, stage_time_chart, time_to_convert_chart
from journeymap.plot.votes import votes_vs_model

__all__ = ["DEFAULT_LANES", "attribution_comparison", "channel_flow", "drift_chart", "edge_time_chart",
           "emotion_curve", "friction_heatmap", "journey_map", "map_size", "overview", "path_flow", "portfolio_heatmap",
           "priority_matrix",
           "segment_comparison", "stage_time_chart", "time_to_convert_chart", "votes_vs_model"]

"""Alt text for every chart: the one writer is :mod:`journeymap.alt_text`; this is the widgets' import path.

>>> import journeymap as jm
>>> text = alt_text(jm.load(jm.shipped_journey("hotel_stay")), "map", "en")
>>> text.startswith("Journey map of ") and "touchpoints" in text and "Top pain point:" in text
True
"""

from __future__ import annotations

from journeymap.alt_text import alt_text, top_pain

__all__ = ["alt_text", "top_pain"]

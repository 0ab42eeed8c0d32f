"""The journey canvas: the map itself, edited live (see :class:`JourneyCanvas`).

``protocol``, ``edits`` and ``state`` need no widget library; ``JourneyCanvas`` (anywidget) loads on first use.
"""

from __future__ import annotations

__all__ = ["JourneyCanvas"]


def __getattr__(name: str) -> object:  # PEP 562: anywidget loads only when the canvas is used
    if name == "JourneyCanvas":
        from journeymap.widgets.canvas.widget import JourneyCanvas

        return JourneyCanvas
    raise AttributeError(f"module 'journeymap.widgets.canvas' has no attribute {name!r}")

"""Notebook widgets: map a journey (:class:`JourneyEditor`), explore its friction
(:class:`FrictionExplorer`) and browse journeys (:class:`JourneyViewer`).

They are thin views over the same functions the CLI and notebooks use.
"""

from journeymap.widgets.editor import JourneyEditor
from journeymap.widgets.explorer import FrictionExplorer
from journeymap.widgets.session import EditSession, backup_path
from journeymap.widgets.viewer import JourneyViewer

__all__ = ["EditSession", "FrictionExplorer", "JourneyCanvas", "JourneyEditor", "JourneyViewer", "SuggestionsPanel",
           "backup_path"]


def __getattr__(name: str) -> object:  # PEP 562: the canvas (anywidget) loads on first use
    if name == "JourneyCanvas":
        from journeymap.widgets.canvas.widget import JourneyCanvas

        return JourneyCanvas
    if name == "SuggestionsPanel":
        from journeymap.widgets.suggestions import SuggestionsPanel

        return SuggestionsPanel
    raise AttributeError(f"module 'journeymap.widgets' has no attribute {name!r}")

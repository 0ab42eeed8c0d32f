"""``JourneyViewer``: pick a persona and a journey, switch language, overlay another state, toggle the image's lanes.

The Map tab is the journey canvas, read-only: drawn in the page, so a switch of persona, journey or language
shows the new map at once. The emotion overlay, the network, the tables and the map as an image (with lane
switches) are drawn when their tab is opened, and kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from journeymap.errors import JourneyError
from journeymap.i18n import t
from journeymap.io import load
from journeymap.model import Journey
from journeymap.plot._alt import alt_text
from journeymap.widgets._common import axes_figure, error_html, figure_png, iframe_html, problem, table_html

if TYPE_CHECKING:
    from journeymap.scoring import FrictionReport


#: Height of the network graph in the viewer's Network tab, and of the page's title and key above it.
NETWORK_PX, NETWORK_HEAD_PX = 520, 110
#: Drawings kept (map, emotion curve, network page for a journey × language × lanes × overlay).
CACHE_SIZE = 48


def _persona_id(journey: Journey) -> str | None:
    """The id of the journey's resolved persona (``None`` when it has none or only an id)."""
    persona = journey.persona_obj()
    return persona.id if persona is not None else None


def _paths(paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths_or_folder, str | os.PathLike):
        folder = Path(paths_or_folder)
        return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml"), *folder.glob("*.json")]) \
            if folder.is_dir() else [folder]
    return [Path(p) for p in paths_or_folder]


class JourneyViewer:
    """Browse journeys: the map, the emotion curve (with an overlay), the network view and the tables."""

    def __init__(self, paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                 lang: str | None = None, network: bool = True):
        import ipywidgets as w

        from journeymap.plot import DEFAULT_LANES

        self.journeys: dict[str, Journey] = {}
        problems = []
        for path in _paths(paths_or_folder):
            try:
                journey = load(path)
            except JourneyError as exc:
                problems += exc.problems
                continue
            self.journeys[journey.id] = journey
        if not self.journeys:
            raise JourneyError(problems or [problem("no journey files found")])
        self.show_network = network
        personas = {}
        for j in self.journeys.values():
            persona = j.persona_obj()
            if persona is not None:
                personas[persona.id] = persona.name
        start = lang or next(iter(self.journeys.values())).lang
        self._personas = sorted(personas.items())
        self.persona = w.Dropdown(description=t("w_persona", start),
                                  options=[(t("w_all", start), None), *((n, i) for i, n in self._personas)])
        self.journey = w.Dropdown(description=t("w_journey", start))
        self.compare = w.Dropdown(description=t("w_overlay", start))
        self.lang = w.ToggleButtons(options=["en", "es"], value=start, description=t("w_language", start),
                                    tooltips=["English", "Español"])
        self.lanes = {lane: w.Checkbox(description=t(f"lane_{lane}", start), value=True, indent=False,
                                       layout=w.Layout(width="auto")) for lane in DEFAULT_LANES}
        self.problems = w.HTML(error_html(problems, start))
        self.map = w.Image(format="png")
        self.emotion = w.Image(format="png")
        self.network = w.HTML()
        self.tables = w.HTML()
        self._refreshing: bool = False
        self.persona.observe(lambda _c: None if self._refreshing else self._filter(), "value")
        self.journey.observe(self._journey_picked, "value")
        self.lang.observe(lambda _c: self._relabel(), "value")
        for control in (self.compare, self.lang, *self.lanes.values()):
            control.observe(lambda _c: self.refresh(), "value")
        from journeymap.widgets.canvas.widget import JourneyCanvas

        first = next(iter(self.journeys.values()))
        #: The map itself, drawn live in the page (switching journey or language redraws it in milliseconds).
        self.canvas = JourneyCanvas(first, lang=start, readonly=True)
        self.lane_box = w.HBox(list(self.lanes.values()))
        self.tabs = w.Tab(children=[self.canvas, self.emotion, self.network, self.tables,
                                    w.VBox([self.lane_box, self.map])])
        self._key: tuple[Any, ...] | None = None
        self._drawn: dict[int, tuple[Any, ...]] = {}
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._reports: dict[str, FrictionReport | Literal[False]] = {}
        self.tabs.observe(lambda _c: self._draw_shown(), "selected_index")
        self.busy = w.HTML(f"<span role='status' class='jm-busy'>{t('canvas_busy', start)}</span>",
                           layout=w.Layout(visibility="hidden"))
        self._relabel(refresh=False)
        self.widget = w.VBox([self.problems, w.HBox([self.persona, self.journey, self.compare]),
                              w.HBox([self.lang, self.busy]), self.tabs])
        from journeymap.widgets._a11y import accessible

        self.names = accessible(self.widget)  # slider names, readable tabs, images' alt text
        for image, key in ((self.map, "w_map_image"), (self.emotion, "w_emotion")):  # until drawn: the tab's name
            self.names.describe(image, t(key, start))
        self._refreshing = False
        self._filter()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _relabel(self, refresh: bool = False) -> None:
        """Put every label in the chosen language (en/es)."""
        lang = self.lang.value
        self.persona.description = t("w_persona", lang)
        self.journey.description = t("w_journey", lang)
        self.compare.description = t("w_overlay", lang)
        self.lang.description = t("w_language", lang)
        self.busy.value = f"<span role='status' class='jm-busy'>{t('canvas_busy', lang)}</span>"
        for lane, box in self.lanes.items():
            box.description = t(f"lane_{lane}", lang)
        for i, key in enumerate(("w_map", "w_emotion", "w_network", "w_tables", "w_map_image")):
            self.tabs.set_title(i, t(key, lang))
        keep = self.persona.value
        self._refreshing = True
        self.persona.options = [(t("w_all", lang), None), *((n, i) for i, n in self._personas)]
        self.persona.value = keep
        keep = self.compare.value
        self.compare.options = [(t("w_none", lang), None), *self.compare.options[1:]]
        self.compare.value = keep
        self._refreshing = False
        if refresh:
            self.refresh()

    def _journey_picked(self, change: dict) -> None:
        """A journey was picked: overlay its partner in the other state (current ↔ future), unless the overlay
        was chosen by hand; picking the journey that was overlaid swaps the two (the overlay is kept)."""
        if self._refreshing:
            return
        old, new = change.get("old"), change.get("new")
        auto = self.compare.value in (None, new) or (
            old in self.journeys and self.compare.value == self._partner(self.journeys[old]))
        if new in self.journeys and auto:
            partner = self._partner(self.journeys[new])
            if partner is None and self.compare.value == new:
                partner = old
            self._refreshing = True
            self.compare.value = partner
            self._refreshing = False
        self.refresh()

    def _filter(self) -> None:
        chosen = [j for j in self.journeys.values()
                  if self.persona.value is None or _persona_id(j) == self.persona.value]
        self._refreshing = True
        self.journey.options = [(f"{j.title} ({j.state})", j.id) for j in chosen]
        self.journey.value = chosen[0].id if chosen else None
        self.compare.options = [(t("w_none", self.lang.value), None),
                                *((f"{j.title} ({j.state})", j.id) for j in self.journeys.values())]
        self.compare.value = self._partner(chosen[0]) if chosen else None
        self._refreshing = False
        self.refresh()

    def _partner(self, journey: Journey) -> str | None:
        """Another journey of the same persona in the other state (current ↔ future), if any."""
        for other in self.journeys.values():
            if other.id != journey.id and other.state != journey.state \
                    and _persona_id(journey) is not None and _persona_id(other) == _persona_id(journey):
                return other.id
        return None

    def refresh(self) -> None:
        """Redraw for the chosen journey, lanes, language and overlay: the tab on show now, the others when
        they are opened (each drawing is kept, so going back to a journey or a language is instant)."""
        if self._refreshing or self.journey.value is None:
            return
        lanes = tuple(lane for lane, box in self.lanes.items() if box.value) or ("channel",)
        compare = self.compare.value if self.compare.value != self.journey.value else None
        self._key = (self.journey.value, self.lang.value, lanes, compare)
        self._draw_shown()

    def _draw_shown(self) -> None:
        tab = self.tabs.selected_index or 0
        if self._key is None or self._drawn.get(tab) == self._key:
            return
        self.busy.layout.visibility = "visible"  # reaches the page before the drawing starts
        try:
            (self._draw_canvas, self._draw_emotion, self._draw_network, self._draw_tables, self._draw_map)[tab]()
        finally:
            self.busy.layout.visibility = "hidden"
        self._drawn[tab] = self._key

    def _current(self) -> tuple[Any, ...]:
        assert self._key is not None  # set by refresh() before anything is drawn
        return self._key

    def _cached(self, what: str, make: Any) -> Any:
        key = (what, *self._current())
        if key not in self._cache:
            if len(self._cache) >= CACHE_SIZE:
                del self._cache[next(iter(self._cache))]
            self._cache[key] = make()
        return self._cache[key]

    def _report(self, journey: Journey) -> FrictionReport | Literal[False]:
        from journeymap.scoring import EndlessLoopError, score

        if journey.id not in self._reports:
            try:
                self._reports[journey.id] = score(journey)
            except EndlessLoopError:
                self._reports[journey.id] = False
        return self._reports[journey.id]

    def _draw_canvas(self) -> None:
        journey_id, lang, _lanes, _compare = self._current()
        self.canvas.show(self.journeys[journey_id], lang=lang)

    def _draw_map(self) -> None:
        from journeymap.exporting import RenderLimitError, check_size
        from journeymap.plot import journey_map

        journey_id, lang, lanes, _compare = self._current()
        journey = self.journeys[journey_id]
        report = self._report(journey)

        def draw() -> tuple[bytes, str]:
            try:
                check_size(journey, ".png", "map")
            except RenderLimitError as exc:  # too large to draw: the tables still show, with the reason
                return b"", exc.text(lang)
            return figure_png(axes_figure(journey_map(journey, lang=lang, lanes=lanes, report=report)), 80), ""

        image, refused = self._cached("map", draw)
        self.names.describe(self.map, refused or alt_text(journey, "map", lang, report))
        self.map.value = image

    def _draw_emotion(self) -> None:
        from journeymap.exporting import MAX_DRAWN_TOUCHPOINTS
        from journeymap.plot import emotion_curve

        journey_id, lang, _lanes, compare = self._current()
        overlay = {self.journeys[journey_id].title: self.journeys[journey_id]}
        if compare:
            overlay[self.journeys[compare].title] = self.journeys[compare]

        def draw() -> bytes:
            if max(len(j.touchpoints) for j in overlay.values()) > MAX_DRAWN_TOUCHPOINTS:
                return b""
            return figure_png(axes_figure(emotion_curve(overlay, lang=lang)), 90)

        # the text first: the page never shows the new image without it
        self.names.describe(self.emotion, " ".join(alt_text(j, "emotion", lang) for j in overlay.values()))
        self.emotion.value = self._cached("emotion", draw)

    def _draw_network(self) -> None:
        from journeymap.exporting import MAX_DRAWN_TOUCHPOINTS

        journey_id, lang, _lanes, _compare = self._current()
        journey = self.journeys[journey_id]
        if not self.show_network or len(journey.touchpoints) > MAX_DRAWN_TOUCHPOINTS:
            return
        from journeymap.network import network_html

        # The page is its graph (NETWORK_PX) plus its title and key: the iframe gives room for both,
        # so the graph is not clipped.
        self.network.value = self._cached("network", lambda: iframe_html(
            network_html(journey, lang=lang, height=f"{NETWORK_PX}px"), NETWORK_PX + NETWORK_HEAD_PX,
            t("network", lang)))

    def _draw_tables(self) -> None:
        journey_id, lang, _lanes, _compare = self._current()
        journey = self.journeys[journey_id]
        report = self._report(journey)
        from journeymap.exporting import RenderLimitError, check_size

        try:
            check_size(journey, ".png", "map")
            refused = ""
        except RenderLimitError as exc:
            refused = f"<p>{error_html([problem(exc.text(lang))], lang)}</p>"
        tables = (refused + f"<h4>{t('w_touchpoints', lang)}</h4>"
                  + table_html(journey.to_frame().drop(columns=["backstage"]), 2))
        if report:
            tables += f"<h4>{t('w_friction_by_stage', lang)}</h4>" + table_html(report.by_stage, 1)
        self.tables.value = tables

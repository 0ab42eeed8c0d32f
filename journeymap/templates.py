"""Starting points for new journeys: a blank funnel, or any shipped journey.

>>> j = blank("My journey", lang="es")
>>> [s.name for s in j.stages][:2]
['Conocimiento', 'Consideración']
"""

from __future__ import annotations

from pathlib import Path

from journeymap.frames import slug
from journeymap.i18n import t
from journeymap.io import load
from journeymap.model import Journey
from journeymap.paths import shipped_journeys

FUNNEL = ("awareness", "consideration", "purchase", "post_sale", "loyalty")


def blank(title: str = "New journey", lang: str = "en") -> Journey:
    """A valid skeleton: the five funnel stages with one placeholder touchpoint each."""
    stages = [{"id": s, "name": t(s, lang)} for s in FUNNEL]
    touchpoints = [
        {"id": f"{s}_1", "stage": s, "channel": "website", "action": t("placeholder_action", lang),
         "evidence": "proposed"}
        for s in FUNNEL
    ]
    return Journey(id=slug(title), title=title, lang=lang, stages=stages, touchpoints=touchpoints)


def names() -> list[str]:
    """Template names: ``blank`` and the stems of the shipped journeys."""
    return ["blank", *(p.stem for p in shipped_journeys())]


def from_template(name: str, title: str | None = None, lang: str | None = None) -> Journey:
    """A new journey from a template name (see :func:`names`) or a journey file path."""
    if name == "blank":
        return blank(title or "New journey", lang or "en")
    path = Path(name)
    if not path.is_file():
        match = [p for p in shipped_journeys() if p.stem == name]
        if not match:
            raise KeyError(f"unknown template '{name}'; choose one of: {', '.join(names())}")
        path = match[0]
    journey = load(path)
    if title:
        journey = journey.model_copy(update={"title": title, "id": slug(title)})
    return journey

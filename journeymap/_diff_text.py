"""A :class:`~journeymap.diff.JourneyDiff` as readable text (en/es), with control characters removed.

Lines start with ``+`` (added), ``-`` (removed) or ``~`` (changed); a changed item lists its fields
indented below it (``field: old → new``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap._diff_walk import short
from journeymap.safety import terminal

if TYPE_CHECKING:
    from journeymap.diff import JourneyDiff

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "journey": "Journey", "stages": "Stages", "channels": "Channels", "touchpoints": "Touchpoints",
        "transitions": "Transitions", "pain_points": "Pain points", "opportunities": "Opportunities",
        "sources": "Data sources", "friction": "friction", "expected_conversion": "expected conversion",
        "continuity": "continuity", "counts": "{added} added, {removed} removed, {changed} changed",
        "no_changes": "no differences", "not_scored": "{side} cannot be scored: {why}", "was": "was {old}",
        "points": "points", "pp": "pp", "at": "at", "unchanged": "no change",
        "title": "What changed", "before": "Before", "after": "After", "change": "Change", "item": "Item",
        "fields": "Fields", "added": "added", "removed": "removed", "changed": "changed", "id_changed": "id changed",
        "figure": "Figure", "texts": "Texts that changed", "maps": "The two maps",
    },
    "es": {
        "journey": "Recorrido", "stages": "Etapas", "channels": "Canales", "touchpoints": "Puntos de contacto",
        "transitions": "Transiciones", "pain_points": "Puntos de dolor", "opportunities": "Oportunidades",
        "sources": "Fuentes de datos", "friction": "fricción", "expected_conversion": "conversión esperada",
        "continuity": "continuidad", "counts": "{added} añadidos, {removed} eliminados, {changed} cambiados",
        "no_changes": "sin diferencias", "not_scored": "{side} no se puede puntuar: {why}", "was": "antes {old}",
        "points": "puntos", "pp": "pp", "at": "en", "unchanged": "sin cambio",
        "title": "Qué cambió", "before": "Antes", "after": "Después", "change": "Cambio", "item": "Elemento",
        "fields": "Campos", "added": "añadido", "removed": "eliminado", "changed": "cambiado",
        "id_changed": "id cambiado", "figure": "Indicador", "texts": "Textos que cambiaron", "maps": "Los dos mapas",
    },
}


def word(key: str, lang: str, **fmt: Any) -> str:
    """A label from :data:`WORDS` (English when ``lang`` is unknown)."""
    text = WORDS.get(lang, WORDS["en"])[key]
    return text.format(**fmt) if fmt else text


def figure_text(name: str, value: float | None) -> str:
    """A score figure as shown: friction/continuity in points, conversion in %."""
    if value is None:
        return "–"
    return f"{value:.1%}" if name == "expected_conversion" else f"{value:.1f}"


def delta_text(name: str, value: float | None, lang: str) -> str:
    """A delta with its unit (points, or percentage points for conversion)."""
    if value is None:
        return "–"
    if name == "expected_conversion":
        return f"{value * 100:+.1f} {word('pp', lang)}"
    return f"{value:+.1f} {word('points', lang)}"


def as_text(d: JourneyDiff, lang: str = "en") -> str:
    """The diff as lines of text (see the module docstring)."""
    if lang not in WORDS:
        raise ValueError(f"lang must be 'en' or 'es', got {lang!r}")
    lines = [f"{d.a_label} → {d.b_label}"]
    for name, s in d.scores.items():
        lines.append(f"  {word(name, lang):<20} {figure_text(name, s.a):>7} → {figure_text(name, s.b):>7}"
                     f"  ({delta_text(name, s.delta, lang)})")
    for side, why in d.score_errors.items():
        label = d.a_label if side == "a" else d.b_label
        lines.append("  " + word("not_scored", lang, side=f"{side.upper()} ({label})", why=why))
    if not d:
        lines.append(word("no_changes", lang))
    for kind, section in d.sections.items():
        if not section:
            continue
        lines.append("")
        lines.append(f"{word(kind, lang)}: {word('counts', lang, **section.counts())}")
        for sign, items in (("+", section.added), ("-", section.removed)):
            for item in items:
                label = "" if item.label == item.key else f"  {short(item.label)}"
                lines.append(f"  {sign} {item.key}{_where(item.data, lang)}{label}")
        for change in section.changed:
            was = f" ({word('was', lang, old=change.old_key)})" if change.old_key else ""
            plain_key = kind == "journey" or change.label == change.key
            head = f"  ~ {change.key}{was}" if plain_key else f"  ~ {change.key}{was}  {short(change.label)}"
            lines.append(head)
            lines.extend(f"      {f}" for f in change.fields)
    return terminal("\n".join(lines))


def _where(data: dict[str, Any], lang: str) -> str:
    at = data.get("at")
    return f" ({word('at', lang)} {at})" if at else ""

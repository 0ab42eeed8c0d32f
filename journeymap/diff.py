"""``jm.diff(a, b)``: what changed between two versions of a journey, item by item and field by field.

Both sides are matched **by id** (a transition by ``from->to``): an item only in ``b`` is *added*, only
in ``a`` *removed*, in both with a differing field *changed* — every field of the pydantic model is
compared (nested blocks such as ``observed`` field by field), so new model fields are covered without
touching this module. Sections: the journey's own fields, stages, channels (used or defined),
touchpoints, transitions, pain points (with ``at``: the touchpoint or ``from->to`` they sit on),
opportunities and data sources. :attr:`JourneyDiff.texts` lists the prose that changed.

**Changed id.** A removed and an added item of the same kind are reported as one item whose id changed
only when it is unambiguous: their label text (a touchpoint's action, a stage's name, a pain point's or
an opportunity's text, spaces trimmed) is equal and no other removed or added item of that kind has it.
Transitions are matched after the touchpoint renames are applied to ``a``'s ``from``/``to``.

Each side is scored once (:func:`journeymap.score`): friction, expected conversion and continuity with
their deltas (``b − a``). A side that cannot be scored (say, a loop customers never leave) is reported
with the reason instead of a number; the diff itself still works.

Example
-------
>>> import journeymap as jm
>>> multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
>>> d = jm.diff(multi, jm.load(jm.shipped_journey("retail_bopis_omnichannel")))   # or two file names
>>> d.section("pain_points").counts()
{'added': 5, 'removed': 18, 'changed': 0}
>>> d.scores["friction"].delta < 0
True
>>> print(d.to_text().splitlines()[0])
retail_bopis_multichannel → retail_bopis_omnichannel
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap._diff_walk import KINDS, FieldChange, Section, compare_section
from journeymap.model import Journey

#: The score figures compared, in the order shown.
SCORES = ("friction", "expected_conversion", "continuity")


@dataclass(frozen=True)
class ScoreDelta:
    """One figure on both sides; ``a``/``b`` are ``None`` when that side could not be scored."""

    name: str
    a: float | None
    b: float | None

    @property
    def delta(self) -> float | None:
        """``b − a``, or ``None`` if a side has no score."""
        return None if self.a is None or self.b is None else self.b - self.a

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "delta": self.delta}


@dataclass
class JourneyDiff:
    """The result of :func:`diff`: ``sections`` by kind (see :data:`KINDS`); every delta is ``b − a``.

    ``a_label``/``b_label`` say where each side came from (file, ``REV:PATH`` or journey id);
    ``score_errors`` holds, per side (``"a"``/``"b"``), why it could not be scored.
    """

    a_label: str
    b_label: str
    sections: dict[str, Section]
    scores: dict[str, ScoreDelta]
    score_errors: dict[str, str] = field(default_factory=dict)
    a: Journey | None = field(default=None, repr=False, compare=False)
    b: Journey | None = field(default=None, repr=False, compare=False)
    reports: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def section(self, kind: str) -> Section:
        """One section (``"touchpoints"``, ``"pain_points"``, …)."""
        if kind not in self.sections:
            raise KeyError(f"no section {kind!r}; expected one of {', '.join(KINDS)}")
        return self.sections[kind]

    def __bool__(self) -> bool:
        """True when anything differs (scores follow the content, so only the content is asked)."""
        return any(self.sections.values())

    @property
    def texts(self) -> list[tuple[str, str, FieldChange]]:
        """Prose that changed, as ``(section, item id, change)`` (titles, actions, thoughts, texts, names …)."""
        return [(kind, c.key, f) for kind, s in self.sections.items() for c in s.changed for f in c.fields
                if f.is_text]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): labels, scores with deltas, and every section's added/removed/changed."""
        return {
            "a": self.a_label, "b": self.b_label, "changed": bool(self),
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
            "score_errors": dict(self.score_errors),
            "counts": {k: s.counts() for k, s in self.sections.items()},
            "sections": {k: s.to_dict() for k, s in self.sections.items()},
            "texts": [{"section": k, "id": key, **f.to_dict()} for k, key, f in self.texts],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, not ASCII-escaped)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_text(self, lang: str = "en") -> str:
        """A readable summary, one line per change, in ``"en"`` or ``"es"``; terminal-safe (no control characters)."""
        from journeymap._diff_text import as_text

        return as_text(self, lang)

    def to_html(self, lang: str = "en", maps: bool = True) -> str:
        """A standalone HTML page: scores, the two maps side by side (``maps=False`` leaves them out), changes."""
        from journeymap._diff_html import as_html

        return as_html(self, lang, maps)

    def write(self, path: str | os.PathLike[str], lang: str = "en") -> Path:
        """Write the diff as ``.html``, ``.json`` or text (any other suffix); returns the path."""
        out = Path(path)
        suffix = out.suffix.lower()
        content = (self.to_html(lang) if suffix in (".html", ".htm") else self.to_json() + "\n" if suffix == ".json"
                   else self.to_text(lang) + "\n")
        from journeymap.io import atomic_write

        atomic_write(out, content)
        return out

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:  # notebooks: the change tables without the (slow) map pictures
        return self.to_html(maps=False)


def _score(journey: Journey) -> tuple[Any, str | None]:
    """``(report, None)`` or ``(None, why it cannot be scored)`` — never raises."""
    try:
        from journeymap.scoring import score

        return score(journey), None
    except Exception as exc:  # a journey that cannot be scored is reported, not raised
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return None, reason[:300]


def _figures(report: Any) -> dict[str, float | None]:
    if report is None:
        return dict.fromkeys(SCORES)
    return {"friction": float(report.total), "expected_conversion": float(report.expected_conversion),
            "continuity": float(report.continuity)}


def diff(a: Journey | str | os.PathLike[str], b: Journey | str | os.PathLike[str], *,
         personas: str | os.PathLike[str] | None = None, score: bool = True) -> JourneyDiff:
    """The semantic diff of journey ``a`` (before) and ``b`` (after).

    ``a`` and ``b`` are :class:`~journeymap.model.Journey` objects, journey files, or ``REV:PATH`` specs read
    from git (``"HEAD~1:journey.yaml"``; see :mod:`journeymap._diff_source`). ``personas``: the persona folder
    for files (default: the nearest ``personas/``). ``score=False`` skips the scores.
    Raises :class:`~journeymap.errors.JourneyError` (one line per problem) when a side cannot be read.
    """
    from journeymap._diff_source import read_journey

    ja, a_label = read_journey(a, personas)
    jb, b_label = read_journey(b, personas)
    sections: dict[str, Section] = {}
    tp_renames: dict[str, str] = {}
    for kind in KINDS:
        rekey = None
        if kind == "transitions" and tp_renames:
            def rekey(key: str, ren: dict[str, str] = tp_renames) -> str:
                src, tgt = key.split("->", 1)
                return f"{ren.get(src, src)}->{ren.get(tgt, tgt)}"
        sections[kind], renamed = compare_section(ja, jb, kind, rekey)
        if kind == "touchpoints":
            tp_renames = renamed
    reports: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if score:
        for side, journey in (("a", ja), ("b", jb)):
            reports[side], why = _score(journey)
            if why is not None:
                errors[side] = why
    fa, fb = _figures(reports.get("a")), _figures(reports.get("b"))
    scores = {name: ScoreDelta(name, fa[name], fb[name]) for name in SCORES} if score else {}
    return JourneyDiff(a_label, b_label, sections, scores, errors, ja, jb, reports)

"""The field-level walk behind :func:`journeymap.diff.diff`: items matched by id, fields compared by the model.

Nothing here lists a journey's fields by hand: :func:`field_changes` walks the pydantic model
(``model_fields``), so a field added to :mod:`journeymap.model` is compared without a change here.
Only the *nested collections that are sections of their own* are excluded from their parent
(a touchpoint's ``pain_points`` are the pain-point section; a transition's ``from``/``to`` are its key).

Example
-------
>>> from journeymap.model import Stage
>>> [str(c) for c in field_changes(Stage(id="a", name="Buy"), Stage(id="a", name="Pay", goal="Get it"))]
["name: 'Buy' → 'Pay'", "goal: '' → 'Get it'"]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from journeymap.model import Journey

#: The sections of a diff, in the order they are shown.
KINDS = ("journey", "stages", "channels", "touchpoints", "transitions", "pain_points", "opportunities", "sources")
#: Field names holding prose a person wrote (the ``texts`` view of a diff); ids, enums and numbers are not texts.
TEXT_FIELDS = frozenset({"title", "description", "summary", "name", "goal", "action", "thoughts", "text",
                         "backstage", "quote", "note", "goals", "motivations", "frustrations"})
#: Kinds whose removed/added pairs may be recognised as a changed id (by their label text).
RENAMABLE = ("stages", "touchpoints", "pain_points", "opportunities")


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data (models dumped by alias, ``None`` fields left out)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def short(value: Any, limit: int = 70) -> str:
    """A value as one short line for text output (``repr`` of text, lists and mappings compacted).

    >>> short("a\\nb"), short(None), short([1, 2]), short("x" * 100)[-3:]
    ("'a\\\\nb'", '–', '[1, 2]', "x…'")
    """
    if value is None:
        return "–"
    text = repr(value) if isinstance(value, str) else (f"{value:g}" if isinstance(value, float) else str(value))
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its dotted path inside the item (``observed.customers``), old and new value."""

    path: str
    old: Any
    new: Any

    @property
    def is_text(self) -> bool:
        """True for prose fields (:data:`TEXT_FIELDS`), the ``texts`` view of a diff."""
        return self.path.rsplit(".", 1)[-1] in TEXT_FIELDS

    def __str__(self) -> str:
        return f"{self.path}: {short(self.old)} → {short(self.new)}"

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.path, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Item:
    """An added or removed item: its key (id, or ``from->to`` for a transition), label and full data."""

    key: str
    label: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.key, "label": self.label, "data": self.data}


@dataclass(frozen=True)
class ItemChange:
    """An item present on both sides whose fields differ; ``old_key`` is set when its id changed."""

    key: str
    label: str
    fields: tuple[FieldChange, ...]
    old_key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.key, "old_id": self.old_key, "label": self.label,
                "fields": [f.to_dict() for f in self.fields]}


@dataclass
class Section:
    """What changed in one kind of item (``touchpoints``, ``pain_points``, …)."""

    kind: str
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)}

    def to_dict(self) -> dict[str, Any]:
        return {"added": [i.to_dict() for i in self.added], "removed": [i.to_dict() for i in self.removed],
                "changed": [c.to_dict() for c in self.changed]}


def field_changes(a: BaseModel, b: BaseModel, prefix: str = "", exclude: Iterable[str] = (),
                  extra_a: dict[str, Any] | None = None, extra_b: dict[str, Any] | None = None) -> list[FieldChange]:
    """Every field of ``a`` and ``b`` (same model class) that differs, nested models walked field by field.

    Fields are named by their file name (alias: ``from``/``to``). ``extra_a``/``extra_b`` are pseudo-fields
    compared after the model's own (a pain point's ``at``: where it sits).
    """
    out: list[FieldChange] = []
    skip = set(exclude)
    for name, info in type(a).model_fields.items():
        shown = info.alias or name
        if name in skip or shown in skip:
            continue
        va, vb = getattr(a, name), getattr(b, name)
        path = f"{prefix}.{shown}" if prefix else shown
        if isinstance(va, BaseModel) and type(va) is type(vb):
            out += field_changes(va, vb, path)
        elif plain(va) != plain(vb):
            out.append(FieldChange(path, plain(va), plain(vb)))
    for key in dict.fromkeys([*(extra_a or {}), *(extra_b or {})]):
        va, vb = (extra_a or {}).get(key), (extra_b or {}).get(key)
        if va != vb:
            out.append(FieldChange(f"{prefix}.{key}" if prefix else key, va, vb))
    return out


@dataclass(frozen=True)
class Entry:
    """One item of a journey as the diff sees it: the model, its label, excluded fields and pseudo-fields."""

    model: BaseModel
    label: str
    exclude: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        data = plain(self.model)
        for name in self.exclude:
            data.pop(name, None)
        return {**data, **self.extra}


def entries(journey: Journey, kind: str) -> dict[str, Entry]:
    """The items of one section, by key, in file order."""
    if kind == "journey":
        own = ("stages", "touchpoints", "transitions", "opportunities", "channels", "sources")
        return {"journey": Entry(journey, journey.title, own)}  # one item on each side, always matched
    if kind == "stages":
        return {s.id: Entry(s, s.name) for s in journey.stages}
    if kind == "touchpoints":
        return {tp.id: Entry(tp, tp.action, ("pain_points",)) for tp in journey.touchpoints}
    if kind == "transitions":
        return {tr.key: Entry(tr, tr.key, ("from", "to", "pain_points")) for tr in journey.transitions}
    if kind == "pain_points":
        return {p.id: Entry(p, p.text, (), {"at": where}) for p, where in journey.pain_points()}
    if kind == "opportunities":
        return {o.id: Entry(o, o.text) for o in journey.opportunities}
    if kind == "sources":
        return {s.id: Entry(s, s.file or s.kind) for s in journey.sources}
    if kind == "channels":  # every channel in use or defined by the journey
        used = [tp.channel for tp in journey.touchpoints] + [c.id for c in journey.channels]
        return {cid: Entry(journey.channel_info(cid), journey.channel_info(cid).name(journey.lang))
                for cid in dict.fromkeys(used)}
    raise ValueError(f"unknown section {kind!r}; expected one of {', '.join(KINDS)}")


def renames(old: dict[str, Entry], new: dict[str, Entry]) -> dict[str, str]:
    """``{old id: new id}`` for removed/added pairs with the same label that nothing else shares.

    The rule: an item only in ``old`` and one only in ``new`` are the same item with a changed id when
    their label text (a touchpoint's action, a stage's name, a pain point's or opportunity's text,
    compared after trimming spaces) is equal, and no other removed or added item has that label.
    Anything ambiguous stays removed + added.
    """
    gone = {k: " ".join(e.label.split()) for k, e in old.items() if k not in new}
    came = {k: " ".join(e.label.split()) for k, e in new.items() if k not in old}
    n_gone, n_came = Counter(gone.values()), Counter(came.values())
    by_label = {label: k for k, label in came.items()}
    return {k: by_label[label] for k, label in gone.items()
            if label and n_gone[label] == 1 and n_came[label] == 1}


def compare_section(a: Journey, b: Journey, kind: str, rekey: Callable[[str], str] | None = None,
                    rename: bool = True) -> tuple[Section, dict[str, str]]:
    """One section of the diff and the id renames found in it (``rekey`` maps ``a``'s keys first)."""
    old, new = entries(a, kind), entries(b, kind)
    if rekey is not None:
        old = {rekey(k): e for k, e in old.items()}
    renamed = renames(old, new) if rename and kind in RENAMABLE else {}
    section = Section(kind)
    for key, entry in old.items():
        if key not in new and key not in renamed:
            section.removed.append(Item(key, entry.label, entry.data()))
    for key, entry in new.items():
        before_key = next((o for o, n in renamed.items() if n == key), None)
        if key in old:
            before, moved = old[key], None
        elif before_key is not None:
            before, moved = old[before_key], before_key
        else:
            section.added.append(Item(key, entry.label, entry.data()))
            continue
        skip = (*entry.exclude, "id") if moved else entry.exclude
        fields = field_changes(before.model, entry.model, exclude=skip, extra_a=before.extra, extra_b=entry.extra)
        if fields or moved:
            section.changed.append(ItemChange(key, entry.label, tuple(fields), moved))
    return section, renamed

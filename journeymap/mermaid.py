"""Mermaid ``journey`` diagrams: export a journey, or import one.

Sections are stages, tasks are touchpoints (their action), the task score is
the emotion on Mermaid's 1 (bad) … 5 (good) scale
(:func:`journeymap.scales.emotion_to_mermaid`), and the actors are the
persona and the channel. Mermaid reserves ``:``, ``#`` and ``;`` in names, so
those are replaced by look-alike characters; a ``%% jm`` comment after each
line keeps the exact ids, texts, channel and emotion, and ``%% jm-journey`` /
``%% jm-data`` lines at the end hold the whole journey (every field:
transitions, shares, context, pain points, opportunities, metrics, evidence),
so :func:`from_mermaid` gives back an equal journey. Mermaid ignores ``%%``
comments. Rules for hand-edited and plain diagrams: docs/mermaid.md.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> text = to_mermaid(j)
>>> print(text.splitlines()[0])
journey
>>> from_mermaid(text) == j
True
>>> print(from_mermaid('''journey
...     title My working day
...     section Go to work
...       Make tea: 5: Me
...       Go upstairs: 3: Me, Cat''').touchpoints[1].emotion)
0.0
"""

from __future__ import annotations

import difflib
import json
import re
import warnings
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from journeymap import mermaid_meta
from journeymap.errors import JourneyError, Problem
from journeymap.scales import emotion_to_mermaid, mermaid_to_emotion

if TYPE_CHECKING:
    from journeymap.model import Journey

_REPLACE = {":": "꞉", "#": "＃", ";": "；", "\n": " ", "\r": " ", ",": "‚"}
_TAG = "%% jm "
_NO_DIRECTIVE = re.compile(r"%(?=%)")


class MermaidEditWarning(UserWarning):
    """The visible diagram differs from what its ``%% jm`` metadata draws (it was edited by hand)."""


#: Words Mermaid's journey lexer reads (case-insensitively) at the start of a line before a task name.
_KEYWORDS = ("journey", "title", "section", "acctitle", "accdescr")
_JOINER = "\u2060"  # WORD JOINER: invisible, and not whitespace for Mermaid's lexer


def _task_name(text: str) -> str:
    """A task name Mermaid cannot mistake for ``title``/``section``/…: a word joiner after the first letter."""
    out = _clean(text)
    if out.lower().startswith(_KEYWORDS):
        out = out[0] + _JOINER + out[1:]
    return out


def _clean(text: str, keep_commas: bool = True) -> str:
    out = str(text)
    for bad, good in _REPLACE.items():
        if bad == "," and keep_commas:
            continue
        out = out.replace(bad, good)
    # No "%%" anywhere: a line starting with it is a comment, and "%%{" starts a Mermaid directive.
    out = _NO_DIRECTIVE.sub("％", " ".join(out.split()))
    return out or "-"


def _meta(**fields) -> str:
    return _TAG + json.dumps(fields, ensure_ascii=True, separators=(",", ":")).replace("%", "\\u0025")


def to_mermaid(journey: Journey, lang: str | None = None) -> str:
    """The journey as Mermaid ``journey`` text (ready for a ``.mmd`` file or a Markdown fence).

    ``lang`` picks the channel names ("en"/"es"; default the journey's language).

    >>> import journeymap as jm
    >>> j = jm.Journey(id="d", title="Coffee: order ahead", stages=[{"id": "buy", "name": "Buy"}],
    ...     touchpoints=[{"id": "app", "stage": "buy", "channel": "mobile_app", "action": "Orders", "emotion": 1}])
    >>> text = to_mermaid(j)
    >>> print(*text.splitlines()[:7], sep=chr(10))  # doctest: +NORMALIZE_WHITESPACE
    journey
        title Coffee꞉ order ahead
        %% jm {"journey":"d","lang":"en","state":"current","title":"Coffee: order ahead"}
        section Buy
        %% jm {"stage":"buy","name":"Buy"}
          Orders: 4: Mobile app
        %% jm {"touchpoint":"app","channel":"mobile_app","action":"Orders","emotion":1.0}
    >>> print(text.splitlines()[7])
        %% jm-journey v1 lang=en chars=202 lines=2 sha256=7c1e475880b6

    The last lines hold the whole journey for :func:`from_mermaid` (see :mod:`journeymap.mermaid_meta`).
    """
    lang = lang or journey.lang
    persona = journey.persona_obj()
    who = _clean(persona.name, keep_commas=False) if persona else None
    head: dict[str, Any] = {"journey": journey.id, "lang": journey.lang, "state": journey.state,
                            "title": journey.title}
    used = {tp.channel for tp in journey.touchpoints}
    own = [ch.model_dump() for ch in journey.channels if ch.id in used]
    if own:
        head["channels"] = own
    lines = ["journey", f"    title {_clean(journey.title)}", "    " + _meta(**head)]
    for stage in journey.ordered_stages():
        tps = [tp for tp in journey.touchpoints if tp.stage == stage.id]
        if not tps:
            continue
        lines.append(f"    section {_clean(stage.name)}")
        lines.append("    " + _meta(stage=stage.id, name=stage.name))
        for tp in tps:
            channel = _clean(journey.channel_info(tp.channel).name(lang), keep_commas=False)
            actors = ", ".join(a for a in (who, channel) if a)
            lines.append(f"      {_task_name(tp.action)}: {emotion_to_mermaid(tp.emotion)}: {actors}")
            lines.append("    " + _meta(touchpoint=tp.id, channel=tp.channel, action=tp.action, emotion=tp.emotion))
    data = journey.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    lines += ["    " + line for line in mermaid_meta.encode(data, lang)]
    return "\n".join(lines) + "\n"


_TASK = re.compile(r"^\s*(?P<name>[^:]+?)\s*:\s*(?P<score>-?\d+)\s*(?::\s*(?P<actors>.*))?$")


def _channel_for(actors: list[str]) -> str | None:
    from journeymap.channels import CATALOGUE

    for actor in actors:
        key = actor.strip().lower()
        for ch in CATALOGUE.values():
            if key in (ch.id, ch.name_en.lower(), ch.name_es.lower(), ch.short.lower()):
                return ch.id
    return None


def _text(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    return value if isinstance(value, str) and value else None


def _visible(kept: str | None, shown: str) -> str:
    """The exact text from the ``%% jm`` comment unless the diagram shows something else (edited by hand)."""
    return kept if kept is not None and _clean(kept) == shown else shown


def from_mermaid(text: str, id: str | None = None, source: str = "<mermaid>",
                 prefer: Literal["metadata", "diagram"] = "metadata") -> Journey:
    """Read Mermaid ``journey`` text into a :class:`~journeymap.model.Journey`.

    A diagram written by :func:`to_mermaid` carries the whole journey in ``%% jm-journey`` /
    ``%% jm-data`` comment lines: that journey is returned, equal to the one exported. If the
    visible diagram was edited since (a task renamed, added or removed, a score changed) the
    metadata still wins and a :class:`MermaidEditWarning` lists the differences; pass
    ``prefer="diagram"`` to read the visible diagram instead (see below). Metadata that is not
    valid JSON, was changed, is larger than :data:`journeymap.mermaid_meta.MAX_CHARS` or does not
    make a valid journey raises a one-line :class:`~journeymap.errors.JourneyError` with its line.

    Without that metadata (a plain Mermaid journey, or ``prefer="diagram"``): sections become
    stages, tasks touchpoints (in order, linked one after the other), scores emotions
    (1 → −2 … 5 → +2). An actor naming a catalogue channel (by id or English/Spanish name) sets
    the touchpoint's channel; an actor on every task that is not a channel becomes the persona;
    tasks without a known channel get a journey-defined channel named after their other actor
    (kind ``digital_owned``; edit it). The per-line ``%% jm`` comments restore exact ids, texts,
    channels and emotions where the visible line still shows them (visible edits win).
    Bad input raises :class:`~journeymap.errors.JourneyError`.
    """
    if prefer not in ("metadata", "diagram"):
        raise ValueError(f"prefer must be 'metadata' or 'diagram' (got {prefer!r})")

    def fail(n: int, message: str, value: object = None) -> NoReturn:
        raise JourneyError([Problem(source, "", message, value, line=n)])

    raw = str(text).splitlines()
    # Markdown fence lines (```mermaid / ```) are skipped; a task or title that merely starts with ``` is kept.
    fence = re.compile(r"^\s*(```|~~~)[\w-]*\s*$")
    body = [(n, line) for n, line in enumerate(raw, 1) if line.strip() and not fence.match(line)]
    if not body or body[0][1].strip() != "journey":
        fail(body[0][0] if body else 1, "expected a Mermaid journey diagram starting with 'journey'",
             body[0][1].strip() if body else None)
    reader = mermaid_meta.Reader(source)
    head: dict = {}
    title = "Mermaid journey"
    stages: list[dict] = []
    tasks: list[dict] = []
    visible: list[str] = []
    last: dict | None = None
    for n, line in body[1:]:
        stripped = line.strip()
        if reader.wants(stripped):
            if prefer == "metadata":
                reader.read(n, stripped)
            continue
        if stripped.startswith(_TAG):
            try:
                meta = json.loads(stripped[len(_TAG):])
            except (json.JSONDecodeError, RecursionError):
                fail(n, "unreadable '%% jm' comment", stripped)
            if not isinstance(meta, dict):
                fail(n, "a '%% jm' comment must hold a JSON object", stripped)
            if "journey" in meta:
                head = meta
            elif last is not None:  # a comment belongs to the section or task line right above it
                last["meta"], last = meta, None
            continue
        if stripped.startswith("%%"):
            continue
        visible.append(stripped)
        keyword = stripped.split(maxsplit=1)[0].lower()
        if keyword == "title":
            title = stripped[5:].strip() or title
        elif keyword == "section":
            last = {"name": stripped[7:].strip() or f"Section {len(stages) + 1}", "meta": {}}
            stages.append(last)
        else:
            match = _TASK.match(stripped)
            if not match:
                fail(n, "expected 'task: score: actors', 'section name' or 'title text'", stripped)
            score = int(match["score"])
            if not 1 <= score <= 5:
                fail(n, "task score must be an integer from 1 to 5", score)
            if not stages:
                stages.append({"name": "Journey", "meta": {}})
            actors = [a.strip() for a in (match["actors"] or "").split(",") if a.strip()]
            last = {"name": match["name"].strip().replace(_JOINER, ""), "score": score, "actors": actors,
                    "stage": len(stages) - 1, "meta": {}}
            tasks.append(last)
    if reader.present:
        journey = reader.journey(id)
        drawn = [line.strip() for line in to_mermaid(journey, lang=reader.lang).splitlines()[1:]
                 if line.strip() and not line.strip().startswith("%%")]
        if drawn != visible:
            warnings.warn(_edits(drawn, visible), MermaidEditWarning, stacklevel=2)
        return journey
    if not tasks:
        fail(body[0][0], "the diagram has no tasks")
    return _plain(title, head, stages, tasks, id, source)


def _edits(drawn: list[str], visible: list[str], limit: int = 6) -> str:
    """What changed in the visible diagram, for the warning."""
    changes = [line for line in difflib.ndiff(drawn, visible) if line[:1] in "+-"]
    shown = "; ".join(("now " if c[0] == "+" else "was ") + repr(c[2:]) for c in changes[:limit])
    more = f"; … {len(changes) - limit} more" if len(changes) > limit else ""
    return ("the visible diagram was edited after export; the '%% jm' metadata wins "
            f"(pass prefer='diagram' to keep the visible edits): {shown}{more}")


def _plain(title: str, head: dict, stages: list[dict], tasks: list[dict], id: str | None, source: str) -> Journey:
    """A journey from the visible diagram (plus the per-line ``%% jm`` comments where they still match)."""
    from pydantic import ValidationError

    from journeymap.frames import slug
    from journeymap.model import Journey

    common = set(tasks[0]["actors"]).intersection(*(set(t["actors"]) for t in tasks))
    persona_name = next((a for a in tasks[0]["actors"] if a in common and _channel_for([a]) is None), None)
    stage_ids: list[str] = []
    for stage in stages:
        sid = _text(stage["meta"], "stage") or slug(stage["name"])
        while sid in stage_ids:
            sid += "_2"
        stage_ids.append(sid)
    channels = head.get("channels")
    custom: dict[str, dict] = {ch["id"]: ch for ch in (channels if isinstance(channels, list) else [])
                               if isinstance(ch, dict) and isinstance(ch.get("id"), str)}
    touchpoints, seen = [], set()
    for k, task in enumerate(tasks):
        meta = task["meta"]
        others = [a for a in task["actors"] if a != persona_name]
        channel = _text(meta, "channel") or _channel_for(others)
        if channel is None:
            name = others[0] if others else "unspecified"
            channel = "x_" + slug(name)[:40]
            custom.setdefault(channel, {"id": channel, "kind": "digital_owned", "name_en": name, "name_es": name})
        tp_id = _text(meta, "touchpoint") or f"t{k + 1:02d}_{slug(task['name'])[:40]}"
        while tp_id in seen:
            tp_id += "_2"
        seen.add(tp_id)
        emotion = meta.get("emotion")
        if (not isinstance(emotion, int | float) or isinstance(emotion, bool) or not -2 <= emotion <= 2
                or emotion_to_mermaid(emotion) != task["score"]):
            emotion = mermaid_to_emotion(task["score"])
        touchpoints.append({"id": tp_id, "stage": stage_ids[task["stage"]], "channel": channel,
                            "action": _visible(_text(meta, "action"), task["name"]), "emotion": emotion})
    used = {tp["stage"] for tp in touchpoints}
    data = {
        "id": id or _text(head, "journey") or slug(title)[:60] or "mermaid",
        "title": _visible(_text(head, "title"), title),
        "lang": head.get("lang", "en"),
        "state": head.get("state", "current"),
        "stages": [{"id": sid, "name": _visible(_text(stage["meta"], "name"), stage["name"])}
                   for sid, stage in zip(stage_ids, stages, strict=True) if sid in used],
        "touchpoints": touchpoints,
        "channels": list(custom.values()),
    }
    if persona_name:
        data["persona"] = {"id": slug(persona_name)[:60], "name": persona_name}
    try:
        return Journey.model_validate(data)
    except ValidationError as exc:
        raise JourneyError([Problem(source, ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]) from None

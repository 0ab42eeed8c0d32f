"""Mermaid ``journey`` diagrams: export a journey, or import one.

Sections are stages, tasks are touchpoints (their action), the task score is
the emotion on Mermaid's 1 (bad) … 5 (good) scale
(:func:`journeymap.scales.emotion_to_mermaid`), and the actors are the
persona and the channel. Mermaid reserves ``:``, ``#`` and ``;`` in names, so
those are replaced by look-alike characters; a ``%% jm`` comment after each
line keeps the exact ids, texts, channel and emotion, so a journey exported
here comes back with the same stages, touchpoints and scores. Everything else
(thoughts, pain points, transitions, …) is not part of a Mermaid journey.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> text = to_mermaid(j)
>>> print(text.splitlines()[0])
journey
>>> back = from_mermaid(text)
>>> [s.id for s in back.stages] == [s.id for s in j.stages]
True
>>> print(from_mermaid('''journey
...     title My working day
...     section Go to work
...       Make tea: 5: Me
...       Go upstairs: 3: Me, Cat''').touchpoints[1].emotion)
0.0
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, NoReturn

from journeymap.errors import JourneyError, Problem
from journeymap.scales import emotion_to_mermaid, mermaid_to_emotion

if TYPE_CHECKING:
    from journeymap.model import Journey

_REPLACE = {":": "꞉", "#": "＃", ";": "；", "\n": " ", "\r": " ", ",": "‚"}
_TAG = "%% jm "


def _clean(text: str, keep_commas: bool = True) -> str:
    out = str(text)
    for bad, good in _REPLACE.items():
        if bad == "," and keep_commas:
            continue
        out = out.replace(bad, good)
    out = " ".join(out.split())
    if out.startswith("%%"):
        out = "％" + out[1:]
    return out or "-"


def _meta(**fields) -> str:
    return _TAG + json.dumps(fields, ensure_ascii=True, separators=(",", ":"))


def to_mermaid(journey: Journey, lang: str | None = None) -> str:
    """The journey as Mermaid ``journey`` text (ready for a ``.mmd`` file or a Markdown fence).

    ``lang`` picks the channel names ("en"/"es"; default the journey's language).

    >>> import journeymap as jm
    >>> j = jm.Journey(id="d", title="Coffee: order ahead", stages=[{"id": "buy", "name": "Buy"}],
    ...     touchpoints=[{"id": "app", "stage": "buy", "channel": "mobile_app", "action": "Orders", "emotion": 1}])
    >>> print(to_mermaid(j))  # doctest: +NORMALIZE_WHITESPACE
    journey
        title Coffee꞉ order ahead
        %% jm {"journey":"d","lang":"en","state":"current","title":"Coffee: order ahead"}
        section Buy
        %% jm {"stage":"buy","name":"Buy"}
          Orders: 4: Mobile app
        %% jm {"touchpoint":"app","channel":"mobile_app","action":"Orders","emotion":1.0}
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
            lines.append(f"      {_clean(tp.action)}: {emotion_to_mermaid(tp.emotion)}: {actors}")
            lines.append("    " + _meta(touchpoint=tp.id, channel=tp.channel, action=tp.action, emotion=tp.emotion))
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


def from_mermaid(text: str, id: str | None = None, source: str = "<mermaid>") -> Journey:
    """Read Mermaid ``journey`` text into a :class:`~journeymap.model.Journey`.

    Sections become stages, tasks touchpoints (in order, linked one after the other), scores
    emotions (1 → −2 … 5 → +2). An actor naming a catalogue channel (by id or English/Spanish
    name) sets the touchpoint's channel; an actor on every task that is not a channel becomes the
    persona; tasks without a known channel get a journey-defined channel named after their other
    actor (kind ``digital_owned``; edit it). ``%% jm`` comments written by :func:`to_mermaid`
    restore exact ids and values. Bad input raises :class:`~journeymap.errors.JourneyError`.
    """
    from journeymap.frames import slug
    from journeymap.model import Journey

    def fail(n: int, message: str, value: object = None) -> NoReturn:
        raise JourneyError([Problem(source, "", message, value, line=n)])

    raw = str(text).splitlines()
    # Markdown fence lines (```mermaid / ```) are skipped; a task or title that merely starts with ``` is kept.
    fence = re.compile(r"^\s*(```|~~~)[\w-]*\s*$")
    body = [(n, line) for n, line in enumerate(raw, 1) if line.strip() and not fence.match(line)]
    if not body or body[0][1].strip() != "journey":
        fail(body[0][0] if body else 1, "expected a Mermaid journey diagram starting with 'journey'",
             body[0][1].strip() if body else None)
    head: dict = {}
    title = "Mermaid journey"
    stages: list[dict] = []
    tasks: list[dict] = []
    last: dict | None = None
    for n, line in body[1:]:
        stripped = line.strip()
        if stripped.startswith(_TAG.strip()):
            try:
                meta = json.loads(stripped[len(_TAG.strip()):])
            except json.JSONDecodeError:
                fail(n, "unreadable '%% jm' comment", stripped)
            if "journey" in meta:
                head = meta
            elif last is not None:
                last["meta"] = meta
            continue
        if stripped.startswith("%%"):
            continue
        if stripped.startswith("title ") or stripped == "title":
            title = stripped[5:].strip() or title
        elif stripped.startswith("section ") or stripped == "section":
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
            last = {"name": match["name"].strip(), "score": score, "actors": actors, "stage": len(stages) - 1,
                    "meta": {}}
            tasks.append(last)
    if not tasks:
        fail(body[0][0], "the diagram has no tasks")
    common = set(tasks[0]["actors"]).intersection(*(set(t["actors"]) for t in tasks))
    persona_name = next((a for a in tasks[0]["actors"] if a in common and _channel_for([a]) is None), None)
    stage_ids: list[str] = []
    for stage in stages:
        sid = stage["meta"].get("stage") or slug(stage["name"])
        while sid in stage_ids:
            sid += "_2"
        stage_ids.append(sid)
    custom: dict[str, dict] = {ch["id"]: ch for ch in head.get("channels", []) if isinstance(ch, dict) and "id" in ch}
    touchpoints, seen = [], set()
    for k, task in enumerate(tasks):
        meta = task["meta"]
        others = [a for a in task["actors"] if a != persona_name]
        channel = meta.get("channel") or _channel_for(others)
        if channel is None:
            name = others[0] if others else "unspecified"
            channel = "x_" + slug(name)[:40]
            custom.setdefault(channel, {"id": channel, "kind": "digital_owned", "name_en": name, "name_es": name})
        tp_id = meta.get("touchpoint") or f"t{k + 1:02d}_{slug(task['name'])[:40]}"
        while tp_id in seen:
            tp_id += "_2"
        seen.add(tp_id)
        emotion = meta.get("emotion")
        if emotion is None or emotion_to_mermaid(emotion) != task["score"]:
            emotion = mermaid_to_emotion(task["score"])
        touchpoints.append({"id": tp_id, "stage": stage_ids[task["stage"]], "channel": channel,
                            "action": meta.get("action") or task["name"], "emotion": emotion})
    used = {tp["stage"] for tp in touchpoints}
    data = {
        "id": id or head.get("journey") or slug(title)[:60] or "mermaid",
        "title": head.get("title") or title,
        "lang": head.get("lang", "en"),
        "state": head.get("state", "current"),
        "stages": [{"id": sid, "name": stage["meta"].get("name") or stage["name"]}
                   for sid, stage in zip(stage_ids, stages, strict=True) if sid in used],
        "touchpoints": touchpoints,
        "channels": list(custom.values()),
    }
    if persona_name:
        data["persona"] = {"id": slug(persona_name)[:60], "name": persona_name}
    from pydantic import ValidationError

    try:
        return Journey.model_validate(data)
    except ValidationError as exc:
        raise JourneyError([Problem(source, ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]) from None

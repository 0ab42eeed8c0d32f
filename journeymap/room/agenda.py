"""The facilitator's agenda and timer: the steps of a journey-mapping workshop with a countdown, in en and es.

* :data:`DEFAULT_AGENDA`: eight steps (welcome, persona, stages, touchpoints, emotions and pain points,
  dot-voting, opportunities, wrap-up), each with minutes, a title and what to do, in English and Spanish.
* :func:`load_agenda` reads the same shape from a YAML (or JSON) file (``journeymap workshop --agenda FILE``)::

      steps:
        - id: welcome
          minutes: 10
          title: {en: Welcome and goal, es: Bienvenida y objetivo}
          do: {en: Agree on the scope., es: Acordad el alcance.}

  A text may also be one string, used for both languages. A bad file is a
  :class:`~journeymap.errors.JourneyError`: one line per problem, ``FILE:LINE: field.path: message (got VALUE)``.
* :class:`Timer`: the current step, whether it runs, when it started and the time already spent, kept in
  ``<journey>.ops.timer.json`` beside the journey (written atomically on each action). Times are wall-clock
  instants, not a ticking counter, so every facilitator tab, every participant page and a restarted server
  compute the same time left; the clock is injectable for tests.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from journeymap.errors import JourneyError, Problem, format_loc, lower_first

LANGS = ("en", "es")
#: What the facilitator can do to the timer.
ACTIONS = ("start", "pause", "next", "previous", "add_minute", "reset")


class Texts(BaseModel):
    """One text in both languages."""

    model_config = ConfigDict(extra="forbid")

    en: str = Field(min_length=1, max_length=400)
    es: str = Field(min_length=1, max_length=400)

    def __call__(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


def _both(value: Any) -> Any:
    return {"en": value, "es": value} if isinstance(value, str) else value


class Step(BaseModel):
    """One step of the workshop."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    minutes: float = Field(gt=0, le=480)
    title: Texts
    do: Texts

    @field_validator("title", "do", mode="before")
    @classmethod
    def _texts(cls, value: Any) -> Any:
        return _both(value)


class Agenda(BaseModel):
    """The workshop's steps, in order."""

    model_config = ConfigDict(extra="forbid")

    steps: list[Step] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _unique(self) -> Agenda:
        seen: set[str] = set()
        for s in self.steps:
            if s.id in seen:
                raise ValueError(f"step id '{s.id}' is used twice")
            seen.add(s.id)
        return self

    @property
    def total_minutes(self) -> float:
        return sum(s.minutes for s in self.steps)

    def view(self, lang: str) -> list[dict[str, Any]]:
        """The steps as the facilitator's page shows them, in ``lang``."""
        return [{"id": s.id, "minutes": s.minutes, "title": s.title(lang), "do": s.do(lang)} for s in self.steps]


def _step(sid: str, minutes: int, title: tuple[str, str], do: tuple[str, str]) -> dict[str, Any]:
    return {"id": sid, "minutes": minutes, "title": {"en": title[0], "es": title[1]}, "do": {"en": do[0], "es": do[1]}}


DEFAULT_AGENDA = Agenda.model_validate({"steps": [
    _step("welcome", 10, ("Welcome and goal", "Bienvenida y objetivo"),
          ("Say who is in the room and why. Agree on the journey's scope and on the decision this map should help "
           "make.",
           "Presentaos y decid por qué estáis aquí. Acordad el alcance del recorrido y la decisión que este mapa "
           "debe ayudar a tomar.")),
    _step("persona", 15, ("Persona", "Persona"),
          ("Read the persona aloud. Add what you know about their goal, situation and limits; mark guesses as "
           "guesses.",
           "Leed la persona en voz alta. Añadid lo que sabéis de su objetivo, su situación y sus límites; "
           "marcad las suposiciones como tales.")),
    _step("stages", 15, ("Stages", "Etapas"),
          ("Walk the stages from the first need to after-care. Rename, add or merge stages until everyone agrees.",
           "Recorred las etapas desde la primera necesidad hasta la posventa. Renombrad, añadid o unid etapas "
           "hasta que todos estéis de acuerdo.")),
    _step("touchpoints", 20, ("Touchpoints", "Puntos de contacto"),
          ("For each stage: what does the customer do, on which channel? Add the missing touchpoints as notes.",
           "En cada etapa: ¿qué hace la persona cliente y en qué canal? Añadid como notas los puntos de contacto "
           "que falten.")),
    _step("emotions", 20, ("Emotions and pain points", "Emociones y puntos de dolor"),
          ("How does the customer feel at each touchpoint? Put a pain-point note where it hurts, one idea per note.",
           "¿Cómo se siente la persona cliente en cada punto de contacto? Poned una nota de dolor donde duela, "
           "una idea por nota.")),
    _step("voting", 10, ("Dot-voting", "Votación con puntos"),
          ("The facilitator opens a round. Spend your dots on the pain points that matter most; then compare the "
           "room's ranking with the model's.",
           "Quien facilita abre una ronda. Usad vuestros puntos en los dolores que más importan; después comparad "
           "el orden de la sala con el del modelo.")),
    _step("opportunities", 20, ("Opportunities", "Oportunidades"),
          ("Add idea notes on the top pain points: what would remove the friction? Vote again on the ideas.",
           "Añadid notas de idea en los dolores más votados: ¿qué quitaría la fricción? Votad de nuevo las ideas.")),
    _step("wrap_up", 10, ("Wrap-up and next steps", "Cierre y próximos pasos"),
          ("Name an owner and a next step for the top ideas. The facilitator saves the journey.",
           "Nombrad responsable y próximo paso para las ideas principales. Quien facilita guarda el recorrido.")),
]})


def load_agenda(path: str | os.PathLike) -> Agenda:
    """Read an agenda file; a bad one raises :class:`JourneyError` naming file, line, field and value."""
    from journeymap.yamlmap import parse

    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JourneyError([Problem(name, "", f"cannot read file: {getattr(exc, 'strerror', None) or exc}")]) from None
    doc = parse(text, name)
    data, bare = doc.data, isinstance(doc.data, list)
    if bare:  # a bare list of steps is fine too
        data = {"steps": data}
    if not isinstance(data, dict):
        raise JourneyError([Problem(name, "", "expected a mapping with 'steps:' (a list of steps)",
                                    doc.data, line=1, shown="nothing")])
    problems: list[Problem] = []
    first: dict[str, int] = {}
    raw_steps = data.get("steps")
    for i, raw in enumerate(raw_steps if isinstance(raw_steps, list) else []):
        sid = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(sid, str) and sid in first:
            where: tuple = (i, "id") if bare else ("steps", i, "id")
            problems.append(Problem(name, f"steps[{i}].id", f"used twice (first in steps[{first[sid]}])", sid,
                                    doc.line(where)))
        elif isinstance(sid, str):
            first[sid] = i
    try:
        agenda = Agenda.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            if not loc and first and len(problems):  # the duplicate ids, already named with their lines
                continue
            line = doc.line(loc[1:] if bare and loc[:1] == ("steps",) else loc) or 1
            message = lower_first(err["msg"]).removeprefix("value error, ")
            value = err.get("input")
            if err["type"] == "missing":
                problems.append(Problem(name, format_loc(loc), "field required", None, line, shown="nothing"))
                continue
            if err["type"] == "extra_forbidden":
                message = "unknown field; expected one of: " + ", ".join(_fields(loc))
                value = loc[-1]
            if isinstance(value, dict | list):
                value = None
            problems.append(Problem(name, format_loc(loc), message, value, line))
    if problems:
        raise JourneyError(problems)
    return agenda


def _fields(loc: tuple) -> list[str]:
    model: type[BaseModel] = Agenda
    for part in loc[:-1]:
        if part == "steps":
            model = Step
        elif part in ("title", "do"):
            model = Texts
    return list(model.model_fields)


def timer_path(journey_path: str | os.PathLike) -> Path:
    """``journey.yaml`` → ``journey.ops.timer.json`` (beside it)."""
    p = Path(journey_path)
    return p.with_name(p.stem + ".ops.timer.json")


def clock_text(seconds: float) -> str:
    """``mm:ss`` of a time left (whole seconds rounded up; minutes may pass 59); over time as ``+mm:ss``.

    >>> clock_text(754.2), clock_text(0), clock_text(-5), clock_text(5999)
    ('12:35', '00:00', '+00:05', '99:59')
    >>> clock_text(-0.4)
    '+00:01'
    """
    over = seconds < 0
    s = -int(seconds // 1) if over else -int(-seconds // 1)
    return f"{'+' if over else ''}{s // 60:02d}:{s % 60:02d}"


class Timer:
    """The countdown of the current step, shared by every page and kept across restarts (see module doc)."""

    def __init__(self, agenda: Agenda = DEFAULT_AGENDA, path: str | os.PathLike | None = None,
                 clock: Callable[[], float] = time.time):
        self.agenda = agenda
        self.path = Path(path) if path is not None else None
        self.clock = clock
        self.lock = threading.Lock()
        self.step, self.running, self.started, self.spent, self.extra, self.used = 0, False, 0.0, 0.0, 0.0, False
        self._load()

    # -- the file ---------------------------------------------------------------
    def _load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            step, running = int(data["step"]), bool(data["running"])
            started, spent, extra = float(data["started"]), float(data["spent"]), float(data["extra"])
        except (OSError, ValueError, KeyError, TypeError):
            return  # an unreadable timer starts again from the first step; the journey is not at stake
        self.step = min(max(step, 0), len(self.agenda.steps) - 1)
        self.running, self.started, self.spent, self.extra, self.used = running, started, spent, extra, True

    def _save(self) -> None:
        if self.path is None:
            return
        from journeymap.io import atomic_write

        atomic_write(self.path, json.dumps({"step": self.step, "step_id": self.agenda.steps[self.step].id,
                                            "running": self.running, "started": self.started,
                                            "spent": self.spent, "extra": self.extra}) + "\n")

    # -- arithmetic -------------------------------------------------------------
    def elapsed(self, now: float | None = None) -> float:
        """Seconds spent on the current step (pauses excluded)."""
        now = self.clock() if now is None else now
        return self.spent + (max(0.0, now - self.started) if self.running else 0.0)

    def remaining(self, now: float | None = None) -> float:
        """Seconds left on the current step; negative when over time."""
        return self.agenda.steps[self.step].minutes * 60 + self.extra - self.elapsed(now)

    def act(self, action: str) -> None:
        """``start``, ``pause``, ``next``, ``previous``, ``add_minute`` or ``reset`` (back to the first step,
        paused); an unknown action raises ``ValueError``. Moving to another step keeps the timer running or
        paused as it was, with the new step's full time."""
        if action not in ACTIONS:
            raise ValueError(f"unknown timer action; expected one of: {', '.join(ACTIONS)}")
        with self.lock:
            now = self.clock()
            if action == "start" and not self.running:
                self.running, self.started = True, now
            elif action == "pause" and self.running:
                self.spent, self.running = self.elapsed(now), False
            elif action in ("next", "previous"):
                step = self.step + (1 if action == "next" else -1)
                if 0 <= step < len(self.agenda.steps):
                    self.step, self.spent, self.extra, self.started = step, 0.0, 0.0, now
            elif action == "add_minute":
                self.extra += 60
            elif action == "reset":
                self.step, self.running, self.spent, self.extra, self.started = 0, False, 0.0, 0.0, now
            self.used = True
            self._save()

    def view(self, role: str = "participant", lang: str = "en") -> dict[str, Any]:
        """What a page shows: the step (index, count, title), the time left (seconds and ``mm:ss``), whether it
        runs; the facilitator also gets what to do now and every step. ``used``: the timer was ever touched
        (participants' pages show it only then)."""
        with self.lock:
            left = self.remaining()
            step = self.agenda.steps[self.step]
            out: dict[str, Any] = {"used": self.used, "step": self.step, "count": len(self.agenda.steps),
                                   "id": step.id, "title": step.title(lang), "minutes": step.minutes,
                                   "remaining": round(left, 2), "clock": clock_text(left),
                                   "running": self.running, "lang": lang}
            if role == "facilitator":
                out["do"] = step.do(lang)
                out["steps"] = self.agenda.view(lang)
            return out

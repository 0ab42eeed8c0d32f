"""The workshop app's file choices: templates and journey files offered, checked, created — in en and es.

Every refusal is a :class:`ChoiceError`: one sentence saying why, in English by ``str()`` and in the app's
language by :meth:`ChoiceError.text`.

>>> from journeymap.widgets.workshop_files import open_existing, ChoiceError
>>> try:
...     open_existing("no/such/journey.yaml")
... except ChoiceError as exc:
...     print(exc)
...     print(exc.text("es"))
There is no file at no/such/journey.yaml.
No hay ningún archivo en no/such/journey.yaml.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs

from journeymap.errors import JourneyError, Problem
from journeymap.i18n import t
from journeymap.io import load, save
from journeymap.paths import JOURNEYS_DIR
from journeymap.safety import closest
from journeymap.templates import from_template, names

SUFFIXES = (".yaml", ".yml", ".json")


class Phrase:
    """Part of a message that is said differently in each language."""

    def text(self, lang: str = "en") -> str:
        raise NotImplementedError


class Hint(Phrase):
    """A "did you mean …?" hint (or the valid choices), said in the language of the message it is part of."""

    def __init__(self, value: str, choices: list[str]):
        self.found = closest(value, choices)
        self.choices = choices

    def text(self, lang: str = "en") -> str:
        if self.found:
            return t("wf_did_you_mean", lang).format(t("wf_or", lang).join(f"'{f}'" for f in self.found))
        return t("wf_expected", lang).format(", ".join(self.choices[:8]))


class ChoiceError(ValueError):
    """The start screen's choice cannot be opened; the message says why, in one sentence."""

    def __init__(self, key: str, *values: object):
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "es")."""
        shown = [v.text(lang) if isinstance(v, Phrase | Problem) else v for v in self.values]  # problems: in lang too
        return t(self.key, lang).format(*shown)


def journey_files(folder: str | os.PathLike[str] = "workshop") -> list[Path]:
    """Journey files to offer: the room's folder first, then the shipped journeys (``data/journeys``)."""
    found = [p for p in sorted(Path(folder).glob("*")) if p.suffix in SUFFIXES and p.is_file()]
    return found + sorted(JOURNEYS_DIR.glob("*.yaml"))


def new_from_template(template: str, file_name: str = "", folder: str | os.PathLike[str] = "workshop") -> Path:
    """Create ``folder/file_name`` (default: ``<template>.yaml``) from a template; its path.

    Never overwrites: an existing file is refused with a message saying to open it instead.
    """
    template = (template or "").strip()
    if template not in names():
        raise ChoiceError("wf_no_template", template, Hint(template, list(names())))
    file_name = (file_name or "").strip() or f"{template}.yaml"
    if Path(file_name).suffix not in SUFFIXES:
        file_name += ".yaml"
    if Path(file_name).name != file_name or file_name.startswith("."):
        raise ChoiceError("wf_no_folders", file_name)
    target = Path(folder) / file_name
    if target.exists():
        raise ChoiceError("wf_exists", target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        save(from_template(template), target)
    except OSError as exc:
        raise ChoiceError("wf_cannot_write", target, exc.strerror or exc) from exc
    return target


class _Known(Phrase):
    """" (did you mean 'x'?)" after a missing file's name when a file of a close name exists; else nothing."""

    def __init__(self, hint: Hint):
        self.hint = hint

    def text(self, lang: str = "en") -> str:
        return f" ({self.hint.text(lang)})" if self.hint.found else ""


def open_existing(path: str | os.PathLike[str]) -> Path:
    """Check that ``path`` is a journey file that loads; its path (``ChoiceError`` saying why not)."""
    text = str(path).strip()
    if not text:
        raise ChoiceError("wf_pick")
    target = Path(text).expanduser()
    if not target.exists():
        hint = Hint(target.name, [p.name for p in journey_files(target.parent)])
        raise ChoiceError("wf_no_file", text, _Known(hint))
    if target.is_dir():
        raise ChoiceError("wf_folder", text)
    if target.suffix not in SUFFIXES:
        raise ChoiceError("wf_not_journey", text)
    try:
        load(target)
    except JourneyError as exc:
        first = exc.problems[0] if exc.problems else exc
        more = _More(len(exc.problems) - 1)
        raise ChoiceError("wf_no_load", text, first, more) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ChoiceError("wf_unreadable", text, exc) from exc
    return target


class _More(Phrase):
    """" (and N more problems)" when N > 0."""

    def __init__(self, n: int):
        self.n = n

    def text(self, lang: str = "en") -> str:
        return t("wf_more", lang).format(self.n) if self.n > 0 else ""


def unsaved_work(folder: str | os.PathLike[str] = "workshop") -> list[Path]:
    """Journey files (see :func:`journey_files`) whose crash backup is newer than the file and differs from it."""
    from journeymap.widgets.session import EditSession, backup_path

    found = []
    for path in journey_files(folder):
        if backup_path(path).is_file():
            try:
                if EditSession(path).has_newer_backup():
                    found.append(path)
            except (JourneyError, OSError):
                continue
    return found


def restore_request(query: str | None = None) -> str | None:
    """The journey file named by ``?restore=…`` in the page address (Voilà passes it as ``QUERY_STRING``)."""
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    values = parse_qs(query).get("restore", [])
    return values[0] if values else None

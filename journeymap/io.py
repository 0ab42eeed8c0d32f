"""Reading and writing journeys and personas (YAML or JSON), atomically and losslessly.

Example
-------
>>> import journeymap as jm, tempfile, pathlib
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> out = pathlib.Path(tempfile.mkdtemp()) / "copy.json"
>>> jm.save(j, out)
>>> jm.load(out) == j
True
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from journeymap.errors import JourneyError, Problem, format_loc, lower_first
from journeymap.model import Journey, Persona
from journeymap.paths import default_persona_dirs
from journeymap.yamlmap import line_of

PathLike = str | os.PathLike[str]
# libyaml's safe loader/dumper when PyYAML was built with it (several times faster), else the pure-Python ones.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _parse_yaml(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)  # the safe loader: plain data only, never objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise JourneyError([Problem(name, "", f"bad YAML syntax: {reason}", line=line)]) from None


def _read_mapping(path: Path) -> tuple[dict[str, Any], str | None]:
    """Parse a YAML/JSON file into a dict; errors become :class:`JourneyError`."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JourneyError([Problem(name, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JourneyError([Problem(name, "", f"cannot read file: {exc}")]) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise JourneyError([Problem(name, "", f"bad JSON syntax: {exc.msg}", line=exc.lineno)]) from None
        text = None  # line numbers come from the JSON parser only
    else:
        data = _parse_yaml(text, name)
    if data is None:

        raise JourneyError([Problem(name, "", "the file is empty; expected a mapping of fields")])
    if not isinstance(data, dict):
        raise JourneyError(
            [Problem(name, "", "expected a mapping of fields at the top level", type(data).__name__)]
        )
    return data, text


def _problems(exc: ValidationError, name: str, text: str | None) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = _drop_union_tags(tuple(err["loc"]))
        msg = err["msg"]
        value = err.get("input")
        if err["type"] == "missing":
            value = None
        elif err["type"] == "extra_forbidden":
            msg = "unknown field; check the spelling (see `journeymap schema`)"
            value = None
        elif isinstance(value, dict | list):
            value = None
        else:
            msg = lower_first(msg)
        line = line_of(text, loc) if text is not None else None
        problems.append(Problem(name, format_loc(loc), msg, value, line))
    return sorted(problems, key=lambda p: p.line if p.line is not None else float("inf"))


def _drop_union_tags(loc: tuple) -> tuple:
    """``("persona", "inline", "goals")`` → ``("persona", "goals")``."""
    if len(loc) > 1 and loc[0] == "persona" and loc[1] in ("inline", "ref"):
        return loc[:1] + loc[2:]
    return loc


def load_persona(path: PathLike) -> Persona:
    """Load one persona file.

    >>> import journeymap as jm
    >>> jm.load_persona(jm.paths.PROJECT_ROOT / "personas" / "lucia_urban_shopper.yaml").name
    'Lucía Moreno'
    """
    path = Path(path)
    data, text = _read_mapping(path)
    try:
        return Persona.model_validate(data)
    except ValidationError as exc:
        raise JourneyError(_problems(exc, str(path), text)) from None


def find_persona(persona_id: str, near: Path | None, personas: PathLike | None = None) -> Path | None:
    """Where the persona file for ``persona_id`` is, or ``None``.

    Looks in ``personas`` if given, else in a ``personas/`` folder beside the
    journey or in any parent folder, then in the project's own ``personas/``.
    """
    dirs = [Path(personas)] if personas is not None else default_persona_dirs(near)
    for folder in dirs:
        for suffix in (".yaml", ".yml", ".json"):
            candidate = folder / f"{persona_id}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def load(path: PathLike, personas: PathLike | None = None) -> Journey:
    """Load and validate a journey from a YAML or JSON file (or a workshop CSV: see :func:`from_csv`).

    A persona given by id is resolved from ``personas`` (a folder) or, by
    default, the nearest ``personas/`` folder. Raises :class:`JourneyError`
    listing every problem found.
    """
    path = Path(path)
    name = str(path)
    if path.suffix.lower() == ".csv":  # a workshop sheet, one row per touchpoint
        from journeymap.frames import from_csv

        return from_csv(path)
    data, text = _read_mapping(path)
    persona = data.get("persona")
    if isinstance(persona, str):
        found = find_persona(persona, path.parent, personas)
        if found is None:
            where = personas if personas is not None else "personas/"
            raise JourneyError(
                [Problem(name, "persona", f"no persona file '{persona}.yaml' in {where}", persona,
                         line_of(text, ("persona",)))]
            )
        data = {**data, "persona": load_persona(found)}
    try:
        return Journey.model_validate(data)
    except ValidationError as exc:
        raise JourneyError(_problems(exc, name, text)) from None


def validate(path: PathLike, personas: PathLike | None = None) -> list[Problem]:
    """Every problem in a journey file (an empty list means it is valid).

    >>> import journeymap as jm
    >>> jm.validate(jm.shipped_journey("retail_bopis_omnichannel"))
    []
    """
    try:
        load(path, personas)
    except JourneyError as exc:
        return exc.problems
    return []


# -- saving ----------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Integral floats become ints so files read ``emotion: 1``, not ``1.0``."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_data(model: BaseModel) -> dict[str, Any]:
    """The model as plain data for a file: aliases used, defaults left out."""
    return _plain(model.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def _journey_data(j: Journey, target: Path, personas: PathLike | None) -> dict[str, Any]:
    data = to_data(j)
    persona = j.persona_obj()
    if persona is not None:
        found = find_persona(persona.id, target.parent, personas)
        try:
            same = found is not None and load_persona(found) == persona
        except JourneyError:
            same = False
        if same:  # a persona file holds exactly this persona: refer to it
            data["persona"] = persona.id
    order = list(Journey.model_fields)
    return {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else 99)}


def dumps(data: dict[str, Any], suffix: str) -> str:
    """Serialise ``data`` as JSON (``.json``) or YAML (anything else), keys in model order."""
    if suffix == ".json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    text = yaml.dump(data, Dumper=_SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=100)
    if yaml.load(text, Loader=_SAFE_LOADER) != data:  # e.g. U+0085 or U+2028 read back as line breaks
        text = yaml.dump(data, Dumper=_SAFE_DUMPER, sort_keys=False, allow_unicode=False, width=100)
    return text


def atomic_write(path: PathLike, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8, or bytes) so that readers see the old or new file, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual permissions
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(journey: Journey, path: PathLike, personas: PathLike | None = None) -> None:
    """Save a journey atomically as YAML, or JSON if ``path`` ends in ``.json``.

    The persona is written as its id when that id resolves (from ``personas``
    or the nearest ``personas/`` folder) to an identical persona file, and
    inline otherwise, so ``load(path) == journey`` always holds.
    """
    path = Path(path)
    data = _journey_data(journey, path, personas)
    atomic_write(path, dumps(data, path.suffix.lower()))


def save_persona(persona: Persona, path: PathLike) -> None:
    """Save a persona atomically (YAML or JSON by suffix)."""
    path = Path(path)
    atomic_write(path, dumps(to_data(persona), path.suffix.lower()))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a journey file, generated from :class:`~journeymap.model.Journey`."""
    schema = Journey.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_schema(path: PathLike | None = None) -> str:
    """Return the JSON Schema as text, and write it to ``path`` if given.

    Point your editor's YAML extension at it for autocompletion, or start a
    journey file with ``# yaml-language-server: $schema=<path>``.
    """
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if path is not None:
        atomic_write(path, text)
    return text

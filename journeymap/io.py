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
import re
import stat
import tempfile
import time
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from journeymap.errors import JourneyError, Problem, format_loc, lower_first
from journeymap.model import Journey, Persona
from journeymap.paths import default_persona_dirs
from journeymap.references import endless_loops
from journeymap.yamlmap import Document, parse

PathLike = str | os.PathLike[str]
# libyaml's safe loader/dumper when PyYAML was built with it (several times faster), else the pure-Python ones.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _parse_yaml(text: str, name: str) -> Any:
    """YAML ``text`` as plain data (strict: see :mod:`journeymap.yamlmap`); problems raise JourneyError."""
    return parse(text, name, "yaml").data


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path``; a folder, a missing file or other bytes raise a one-line JourneyError."""
    name = str(path)
    if path.is_dir():
        raise JourneyError([Problem(name, "", "is a folder, not a file")])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JourneyError([Problem(name, "", "file not found")]) from None
    except OSError as exc:
        raise JourneyError([Problem(name, "", f"cannot read file: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start:exc.start + 1].hex()
        raise JourneyError([Problem(name, "", f"cannot read file: not UTF-8 text (byte 0x{byte}); "
                                    "save it as UTF-8", line=line)]) from None


def read_document(path: Path) -> Document:
    """Parse a YAML/JSON file whose top level is a mapping; errors become :class:`JourneyError`."""
    name = str(path)
    doc = parse(read_text(path), name, "json" if path.suffix.lower() == ".json" else "yaml")
    if doc.data is None:
        raise JourneyError([Problem(name, "", "the file is empty; expected a mapping of fields")])
    if not isinstance(doc.data, dict):
        raise JourneyError(
            [Problem(name, "", "expected a mapping of fields at the top level", type(doc.data).__name__)]
        )
    return doc


_PERSONA_UNION = "expected a persona id or an inline persona (a mapping with id, name, …)"


def _problems(exc: ValidationError, name: str, text: str | Document | None) -> list[Problem]:
    doc = parse_lines(text, name)
    problems = []
    for err in exc.errors(include_url=False):
        loc = _drop_union_tags(tuple(err["loc"]))
        msg = lower_first(err["msg"])
        value = err.get("input")
        shown = _shown(value)
        if err["type"] == "missing":
            msg, value, shown = "field required", None, "nothing"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field; check the spelling (see `journeymap schema`)"
            value = shown = None
        elif loc == ("persona",) and err["type"] in ("model_type", "dict_type", "union_tag_invalid",
                                                     "model_attributes_type"):
            msg = _PERSONA_UNION
        line = doc.line(loc) if doc is not None else None
        if isinstance(value, dict | list):
            value = None
        problems.append(Problem(name, format_loc(loc), msg, value, line, shown))
    return sorted(problems, key=lambda p: p.line if p.line is not None else float("inf"))


def _shown(value: Any) -> str | None:
    """Containers are shown after "got" by their kind and size, not their whole content."""
    if isinstance(value, dict):
        return f"a mapping of {len(value)} field{'s' * (len(value) != 1)}"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' * (len(value) != 1)}"
    return None


def parse_lines(text: str | Document | None, name: str) -> Document | None:
    if text is None or isinstance(text, Document):
        return text
    return Document(None, text, "json" if name.lower().endswith(".json") else "yaml")


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
    doc = read_document(path)
    try:
        return Persona.model_validate(doc.data)
    except ValidationError as exc:
        raise JourneyError(_problems(exc, str(path), doc)) from None


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
_SUFFIXES = (".yaml", ".yml", ".json")


def _persona_dirs(near: Path | None, personas: PathLike | None) -> list[Path]:
    return [Path(personas)] if personas is not None else default_persona_dirs(near)


def _locate_persona(persona_id: str, dirs: list[Path]) -> tuple[Path | None, str | None]:
    """(the persona file, None) or (None, why not): only ids, only files really inside a personas folder."""
    if not isinstance(persona_id, str) or not _ID.fullmatch(persona_id):
        return None, ("a persona reference must be an id (letters, digits, '_', '-' or '.', starting with "
                      "a letter or digit) naming a file in personas/")
    outside = None
    for folder in dirs:
        for suffix in _SUFFIXES:
            candidate = folder / f"{persona_id}{suffix}"
            if not candidate.is_file():
                continue
            if candidate.resolve().parent != folder.resolve():
                outside = candidate
                continue
            return candidate, None
    if outside is not None:
        return None, f"persona file '{outside.name}' links outside its personas folder; copy the file there"
    return None, None


def find_persona(persona_id: str, near: Path | None, personas: PathLike | None = None) -> Path | None:
    """Where the persona file for ``persona_id`` is, or ``None``.

    Looks in ``personas`` if given, else in a ``personas/`` folder beside the
    journey or in any parent folder, then in the project's own ``personas/``.
    Only an id (the id pattern) is looked up, and only files inside those folders
    count: ``../x``, ``/etc/x`` or a symlink pointing elsewhere find nothing.
    """
    return _locate_persona(persona_id, _persona_dirs(near, personas))[0]


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

        return from_csv(name)
    doc = read_document(path)
    data = doc.data
    persona = data.get("persona")
    if isinstance(persona, str):
        found, why = _locate_persona(persona, _persona_dirs(path.parent, personas))
        if found is None:
            where = personas if personas is not None else "personas/"
            why = why or f"no persona file '{persona}.yaml' in {where}"
            raise JourneyError([Problem(name, "persona", why, persona, doc.line(("persona",)))])
        data = {**data, "persona": load_persona(found)}
    try:
        journey = Journey.model_validate(data)
    except ValidationError as exc:
        raise JourneyError(_problems(exc, name, doc)) from None
    loops = endless_loops(journey)
    if loops:
        raise JourneyError([Problem(name, format_loc(loc), msg, value, doc.line(loc)) for loc, msg, value in loops])
    return journey


def validate(path: PathLike, personas: PathLike | None = None) -> list[Problem]:
    """Every problem in a journey file (an empty list means it is valid).

    >>> import journeymap as jm
    >>> jm.validate(jm.shipped_journey("retail_bopis_omnichannel"))
    []
    """
    try:
        journey = load(path, personas)
    except JourneyError as exc:
        return exc.problems
    # sub-journeys (a touchpoint's or a stage's detail): missing, invalid, cycles (docs/hierarchy.md)
    if any(tp.detail for tp in journey.touchpoints) or any(s.detail for s in journey.stages):
        from journeymap.hierarchy import load_tree

        try:
            load_tree(path, personas)
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


#: A temp file of a save not touched for this long was left by a killed save (saves take milliseconds).
STALE_AFTER_S = 60.0


def atomic_write(path: PathLike, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8, or bytes) so that readers see the old or new file, never half of one.

    A symlink is written through (its target is replaced, the link stays); an existing file keeps its
    permission bits; temp files left beside it by a killed save (``.NAME.PID.*.tmp``) are removed.
    """
    path = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()  # mkstemp makes 0600; give a new file the usual permissions
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
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


def _remove_stale_temps(path: Path) -> None:
    """Remove ``.NAME.*.tmp`` files beside ``path`` untouched for STALE_AFTER_S and not held by a live save."""
    now = time.time()
    for tmp in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        try:
            info = tmp.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_AFTER_S:
            continue
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)) and now - info.st_mtime < 3600:
            continue  # a live process may still be writing it (a huge file on a slow disk)
        tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError, ValueError):
        return False
    except OSError:  # e.g. PermissionError: the process exists
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(journey: Journey, path: PathLike, personas: PathLike | None = None) -> None:
    """Save a journey atomically as YAML, or JSON if ``path`` ends in ``.json``.

    The persona is written as its id when that id resolves (from ``personas``
    or the nearest ``personas/`` folder) to an identical persona file, and
    inline otherwise, so ``load(path) == journey`` always holds.

    Saving over an existing YAML file changes only what differs: its comments (the ``$schema`` line
    too), key order, quoting and layout stay (:mod:`journeymap.roundtrip`). A new file, a JSON file or
    one that cannot be read comes out in the canonical layout, as does any merge that would not read
    back to exactly ``journey``.
    """
    path = Path(path)
    data = _journey_data(journey, path, personas)
    text = dumps(data, path.suffix.lower())
    if path.suffix.lower() != ".json" and path.is_file():
        from journeymap import roundtrip

        try:
            old_text = read_text(path)
            try:
                meaning: dict[str, Any] | None = _journey_data(load(path, personas), path, personas)
            except JourneyError:
                meaning = None
            merged = roundtrip.merge_text(old_text, data, meaning)
            back = parse(merged, str(path), "yaml").data
            if isinstance(back, dict) and isinstance(back.get("persona"), str) and back["persona"] == data.get(
                    "persona"):
                back = {**back, "persona": journey.persona_obj() or back["persona"]}
            if Journey.model_validate(back) == journey:
                text = merged
        except Exception:  # any failure of the merge keeps the canonical, lossless dump
            pass
    atomic_write(path, text)


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

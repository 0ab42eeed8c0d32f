"""Where the two sides of a diff come from: a Journey, a file, or a file at a git revision (``REV:PATH``).

A spec names a file when that file exists; otherwise ``REV:PATH`` (split at the first ``:``) is read with
``git show REV:PATH`` — an argument list, never a shell — run at the top of the repository holding ``PATH``
(relative to the current folder, like the working-tree file). ``PATH`` must stay inside that repository and
``REV`` may not start with ``-``. Every failure is a one-line :class:`~journeymap.errors.JourneyError`.

Example
-------
>>> split_spec("HEAD~1:data/j.yaml")
('HEAD~1', 'data/j.yaml')
>>> split_spec("journey.yaml") is None
True
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from journeymap.errors import JourneyError, Problem
from journeymap.model import Journey

#: A revision as git spells one (``HEAD~1``, ``main``, ``v1.2``, ``a1b2c3``, ``HEAD@{2}``, ``main^2``).
_REV = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@{}~^+-]{0,199}")
_TIMEOUT_S = 30


def split_spec(spec: str) -> tuple[str, str] | None:
    """``(revision, path)`` for a ``REV:PATH`` spec, ``None`` for a plain path (an existing file wins)."""
    if Path(spec).exists() or ":" not in spec:
        return None
    rev, path = spec.split(":", 1)
    if len(rev) == 1 and rev.isalpha() and os.name == "nt":  # a Windows drive letter
        return None
    return rev, path


def _fail(spec: str, message: str) -> JourneyError:
    return JourneyError([Problem(spec, "", message)])


def _git(args: list[str], cwd: Path, spec: str) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("git")
    if exe is None:
        raise _fail(spec, "cannot read a git revision: git is not installed")
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}
    try:
        return subprocess.run([exe, *args], cwd=cwd, capture_output=True, timeout=_TIMEOUT_S, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise _fail(spec, f"git did not answer within {_TIMEOUT_S} s") from None
    except OSError as exc:
        raise _fail(spec, f"cannot run git: {exc.strerror or exc}") from None


def _first_line(raw: bytes) -> str:
    lines = [ln.strip() for ln in raw.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[0].removeprefix("fatal: ") if lines else "git failed"


def _toplevel(folder: Path, spec: str) -> Path | None:
    found = _git(["rev-parse", "--show-toplevel"], folder, spec)
    if found.returncode != 0:
        return None
    return Path(os.path.realpath(found.stdout.decode("utf-8", "replace").strip()))


def _inside(target: Path, root: Path) -> Path:
    """``target`` relative to ``root``, symlinks of its existing folders resolved; ValueError if outside."""
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    real = Path(os.path.realpath(folder)) / target.relative_to(folder)
    return Path(os.path.normpath(real)).relative_to(root)


def git_text(spec: str, rev: str, path: str) -> tuple[str, Path]:
    """The text of ``path`` at ``rev`` and the working-tree path it stands for (``REV:PATH`` spec)."""
    if not _REV.fullmatch(rev):
        raise _fail(spec, f"not a git revision: {rev!r} (expected REV:PATH, e.g. HEAD~1:journey.yaml)")
    if not path:
        raise _fail(spec, "no file after the ':' (expected REV:PATH, e.g. HEAD~1:journey.yaml)")
    here = Path.cwd()
    target = Path(os.path.normpath(here / path))
    root = _toplevel(here, spec)  # the repository of the current folder, else the one holding the path
    if root is None:
        start = target.parent
        while not start.is_dir() and start != start.parent:
            start = start.parent
        root = _toplevel(start, spec)
    if root is None:
        raise _fail(spec, "not inside a git repository")
    try:
        rel = _inside(target, root)
    except ValueError:
        raise _fail(spec, f"the path leaves the git repository at {root}") from None
    if not rel.parts:
        raise _fail(spec, "expected a file inside the repository, not its top folder")
    shown = _git(["show", "--no-textconv", "--end-of-options", f"{rev}:{rel.as_posix()}"], root, spec)
    if shown.returncode != 0:
        raise _fail(spec, f"cannot read it from git: {_first_line(shown.stderr)}")
    try:
        return shown.stdout.decode("utf-8-sig"), target
    except UnicodeDecodeError:
        raise _fail(spec, "cannot read it: not UTF-8 text") from None


def _renamed(exc: JourneyError, temp: Path, spec: str) -> JourneyError:
    problems = [dataclasses.replace(p, file=p.file.replace(str(temp), spec)) for p in exc.problems]
    return JourneyError(problems)


def _persona_folder(text: str, target: Path) -> Path | None:
    """The folder holding the persona a journey text names, looked up from the working-tree location."""
    from journeymap.io import find_persona
    from journeymap.yamlmap import parse

    try:
        data = parse(text, str(target), "json" if target.suffix.lower() == ".json" else "yaml").data
    except JourneyError:
        return None  # load reports it
    persona = data.get("persona") if isinstance(data, dict) else None
    found = find_persona(persona, target.parent) if isinstance(persona, str) else None
    return found.parent if found is not None else None


def read_journey(source: Journey | str | os.PathLike[str], personas: str | os.PathLike[str] | None = None
                 ) -> tuple[Journey, str]:
    """``(journey, label)`` for one side of a diff: a Journey as is, a file loaded, a ``REV:PATH`` from git."""
    from journeymap.io import load

    if isinstance(source, Journey):
        return source, source.id
    spec = os.fspath(source)
    parts = split_spec(spec)
    if parts is None:
        return load(spec, personas=personas), spec
    text, target = git_text(spec, *parts)
    if personas is None:  # resolve the persona as the working-tree file would
        personas = _persona_folder(text, target)
    with tempfile.TemporaryDirectory(prefix="journeymap-diff-") as tmp:
        temp = Path(tmp) / (target.name or "journey.yaml")
        temp.write_text(text, encoding="utf-8")
        try:
            return load(temp, personas=personas), spec
        except JourneyError as exc:
            raise _renamed(exc, temp, spec) from None

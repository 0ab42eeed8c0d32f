""""Save as version": labelled snapshots of a journey in a ``versions/`` folder beside its file.

``save_version("journey.yaml", "Before the workshop")`` writes
``versions/journey--20261130-084700--before-the-workshop.yaml``: the journey file as it is now (a YAML file is
copied byte for byte, comments included; a JSON or CSV journey, or a :class:`~journeymap.model.Journey`
object, is saved as YAML) under three comment lines that keep the label and the time. The file name is the
journey's name, the UTC time and the label made into a slug (lower-case ASCII letters, digits and ``-``), so
a label can never leave the folder: ``"../../x"`` becomes ``x``. Nothing is overwritten: a second version in
the same second gets ``-2``, ``-3`` … A snapshot is an ordinary journey file: load it, diff it
(``jm.diff(version.path, "journey.yaml")``).

Example
-------
>>> import shutil, tempfile, journeymap as jm
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> journey = Path(shutil.copy(jm.shipped_journey("hotel_stay"), folder / "hotel.yaml"))
>>> v = save_version(journey, "Before the workshop")
>>> v.parent.name, v.name.startswith("hotel--"), v.name.endswith("--before-the-workshop.yaml")
('versions', True, True)
>>> [x.label for x in list_versions(journey)]
['Before the workshop']
>>> bool(jm.diff(v, journey, score=False))
False
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from journeymap.model import Journey
from journeymap.safety import terminal

FOLDER = "versions"
_HEADER = "# journeymap version of {name}\n# label: {label}\n# saved: {saved}\n"
_LINE = re.compile(r"^# (label|saved): ?(.*)$")
_STAMP = "%Y%m%d-%H%M%S"
MAX_LABEL = 200


@dataclass(frozen=True)
class Version:
    """One saved version: its label, when it was saved (UTC) and the snapshot file."""

    label: str
    saved: datetime
    path: Path

    def load(self) -> Journey:
        """The journey as it was."""
        from journeymap.io import load

        return load(self.path)


def slug(label: str, limit: int = 50) -> str:
    """``label`` as a file-name part: ASCII letters and digits joined by ``-`` (accents dropped).

    >>> slug("Después del taller / v2"), slug("../../x"), slug("¿?")
    ('despues-del-taller-v2', 'x', 'version')
    """
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].rstrip("-") or "version"


def clean_label(label: object) -> str:
    """A label as kept in the snapshot: one line, control characters removed, at most 200 characters.

    >>> clean_label("  Before\\nthe\\x1b[2J  workshop ")
    'Before the[2J workshop'
    """
    text = " ".join(terminal(str(label)).split())
    if not text:
        raise ValueError("a version needs a label (e.g. 'Before the workshop')")
    return text[:MAX_LABEL]


def _reserve(folder: Path, stem: str, when: datetime, label: str) -> Path:
    """A new, empty file in ``folder`` (created exclusively, so no other version is overwritten)."""
    base = f"{stem}--{when.strftime(_STAMP)}--{slug(label)}"
    for n in range(1, 1000):
        candidate = folder / (base + (f"-{n}" if n > 1 else "") + ".yaml")
        if candidate.resolve().parent != folder.resolve():  # cannot happen with a slug; checked all the same
            raise ValueError(f"version file would leave {folder}: {candidate.name!r}")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"too many versions named {base!r} in {folder}")


def save_version(journey_or_path: Journey | str | os.PathLike[str], label: str, *,
                 path: str | os.PathLike[str] | None = None, when: datetime | None = None) -> Path:
    """Save a labelled snapshot into ``versions/`` beside the journey's file; returns the snapshot's path.

    ``journey_or_path``: the journey file (it must load), or a :class:`~journeymap.model.Journey` together with
    ``path=``, the file it belongs to (the folder and the name come from it). ``when``: the time to record
    (default now, UTC). Raises :class:`~journeymap.errors.JourneyError` for a file that does not load and
    ``ValueError`` for an empty label.
    """
    from journeymap.io import atomic_write, load, read_text, save

    text = clean_label(label)
    moment = (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    if isinstance(journey_or_path, Journey):
        if path is None:
            raise ValueError("save_version(journey, label, path=...): say which file the journey belongs to")
        source, journey, content = Path(path), journey_or_path, None
    else:
        source = Path(journey_or_path)
        journey = load(source)  # refuse to keep a version that cannot be read back
        content = read_text(source) if source.suffix.lower() in (".yaml", ".yml") else None
    folder = source.parent / FOLDER
    folder.mkdir(exist_ok=True)
    target = _reserve(folder, source.stem, moment, text)
    try:
        if content is None:
            save(journey, target)
            content = read_text(target)
        header = _HEADER.format(name=terminal(source.name).replace("\n", " "), label=text,
                                saved=moment.isoformat().replace("+00:00", "Z"))
        atomic_write(target, header + content)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def _read_header(file: Path) -> tuple[str | None, datetime | None]:
    label = saved = None
    try:
        with file.open(encoding="utf-8-sig", errors="replace") as f:
            for _ in range(3):
                m = _LINE.match(f.readline().rstrip("\n"))
                if m and m.group(1) == "label":
                    label = m.group(2)
                elif m:
                    try:
                        saved = datetime.fromisoformat(m.group(2).replace("Z", "+00:00"))
                    except ValueError:
                        saved = None
    except OSError:
        pass
    return label, saved


def list_versions(path: str | os.PathLike[str]) -> list[Version]:
    """The saved versions of the journey file ``path``, oldest first (empty when there are none)."""
    source = Path(path)
    folder = source.parent / FOLDER
    if not folder.is_dir():
        return []
    found = []
    pattern = re.compile(re.escape(source.stem) + r"--(\d{8}-\d{6})--([a-z0-9-]+)\.yaml")
    for file in folder.iterdir():
        m = pattern.fullmatch(file.name)
        if not m or not file.is_file():
            continue
        label, saved = _read_header(file)
        if saved is None:
            saved = datetime.strptime(m.group(1), _STAMP).replace(tzinfo=UTC)
        found.append((saved, file.stat().st_mtime_ns, Version(label or m.group(2), saved, file)))
    return [v for _, _, v in sorted(found, key=lambda x: (x[0], x[1], x[2].path.name))]

"""Where the shipped content lives, and where personas are looked up."""

from __future__ import annotations

from pathlib import Path

#: The source checkout (personas/, data/ and notebooks/ live here).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
JOURNEYS_DIR = PROJECT_ROOT / "data" / "journeys"
PERSONAS_DIR = PROJECT_ROOT / "personas"


def shipped_journeys() -> list[Path]:
    """The example journeys shipped in ``data/journeys``, sorted by name."""
    return sorted(JOURNEYS_DIR.glob("*.yaml"))


def shipped_journey(name: str) -> Path:
    """The path of a shipped journey by its file stem (``KeyError`` if none).

    >>> shipped_journey("retail_bopis_omnichannel").name
    'retail_bopis_omnichannel.yaml'
    """
    path = JOURNEYS_DIR / f"{name}.yaml"
    if not path.is_file():
        names = ", ".join(p.stem for p in shipped_journeys())
        raise KeyError(f"no shipped journey '{name}'; choose one of: {names}")
    return path


def default_persona_dirs(near: Path | None) -> list[Path]:
    """``personas/`` folders beside ``near`` and its parents, then the project's own."""
    dirs: list[Path] = []
    if near is not None:
        here = near.resolve()
        for folder in (here, *here.parents):
            dirs.append(folder / "personas")
    if PERSONAS_DIR not in dirs:
        dirs.append(PERSONAS_DIR)
    return dirs

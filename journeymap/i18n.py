"""The one table of user-visible labels, in English and Spanish, and the language a command speaks.

The labels live in data modules: :mod:`journeymap.i18n_labels` (model, views, canvas, widgets),
:mod:`journeymap.i18n_checks` (health checks, cost to serve) and :mod:`journeymap.i18n_cli` (command-line
output, the HTML report, error messages). Add new keys there.

>>> t("touchpoint", "es")
'punto de contacto'
>>> t("no-such-key", "es")
'no-such-key'
"""

from __future__ import annotations

from typing import TypeVar, cast

from journeymap.i18n_checks import CHECK_LABELS
from journeymap.i18n_cli import CLI_LABELS
from journeymap.i18n_labels import LABELS
from journeymap.i18n_room import ROOM_LABELS

LANGS = ("en", "es")
_F = TypeVar("_F")

#: Every label: the views/widgets/checks table and the command-line/report/error table, merged.
_TABLE: dict[str, tuple[str, str]] = {**LABELS, **CHECK_LABELS, **CLI_LABELS, **ROOM_LABELS}


def t(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang`` (the key itself when unknown)."""
    pair = _TABLE.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "es" else pair[0]


def lang_of(requested: str | None = None, journey: object = None, path: object = None) -> str:
    """The language a command speaks: ``--lang`` if given, else the journey's own ``lang`` (of the loaded
    ``journey``, or read from the file at ``path`` when it does not load), else English.

    >>> lang_of("es"), lang_of(None), lang_of(None, path="no/such/file.yaml")
    ('es', 'en', 'en')
    """
    if requested in LANGS:
        return requested
    found = getattr(journey, "lang", None)
    if found in LANGS:
        return found
    if path is not None:
        return file_lang(path) or "en"
    return "en"


_LANG_LINE = None


def file_lang(path: object) -> str | None:
    """The ``lang:`` a journey file states at its top level (YAML or JSON), read without loading it;
    ``None`` when the file cannot be read or states none. Used to speak the file's language about a file
    that does not load."""
    import re
    from pathlib import Path

    global _LANG_LINE
    if _LANG_LINE is None:
        _LANG_LINE = re.compile(r'''^(?:lang|"lang")\s*:\s*["']?(en|es)\b''', re.MULTILINE)
    try:
        with Path(str(path)).open("rb") as handle:
            text = handle.read(256_000).decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return None
    found = _LANG_LINE.search(text) or re.search(r'"lang"\s*:\s*"(en|es)"', text)
    return found.group(1) if found else None


def header(name: _F, lang: str) -> _F:
    """A table column (or index) name as shown to people: ``col_<name>`` of the label table in ``lang``;
    names without a label, and every name in English, stay as they are.

    >>> header("friction", "es"), header("friction", "en"), header("nps", "es")
    ('fricción', 'friction', 'nps')
    """
    if lang != "es" or not isinstance(name, str) or f"col_{name}" not in _TABLE:
        return name
    return cast(_F, t(f"col_{name}", lang))


def frame_headers(frame: _F, lang: str, rows: bool = False) -> _F:
    """A copy of a DataFrame with its column and index names (and, with ``rows``, its row labels from the
    ``row_``/``col_`` labels) in ``lang``; channel kinds and cost sources in cells are translated too.
    English returns ``frame`` itself, unchanged."""
    if lang != "es":
        return frame
    out = frame.copy()  # type: ignore[attr-defined]
    for column, prefix in (("kind", ""), ("cost_source", "val_")):
        if column in out.columns:
            out[column] = [t(f"{prefix}{v}", lang) if isinstance(v, str) and f"{prefix}{v}" in _TABLE else v
                           for v in out[column]]
    out.columns = [header(c, lang) for c in out.columns]
    out.index.names = [header(n, lang) for n in out.index.names]
    if rows:
        out.index = [t(f"row_{r}", lang) if f"row_{r}" in _TABLE else header(r, lang) for r in out.index]
        out.index.name = None
    return out

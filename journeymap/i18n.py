"""The one table of user-visible labels, in English and Spanish, and the language a command speaks.

The labels live in data modules: :mod:`journeymap.i18n_labels` (views, widgets, checks, money) and
:mod:`journeymap.i18n_cli` (command-line output, the HTML report, error messages). Add new keys there.

>>> t("touchpoint", "es")
'punto de contacto'
>>> t("no-such-key", "es")
'no-such-key'
"""

from __future__ import annotations

from journeymap.i18n_cli import CLI_LABELS
from journeymap.i18n_labels import LABELS

LANGS = ("en", "es")

#: Every label: the views/widgets/checks table and the command-line/report/error table, merged.
_TABLE: dict[str, tuple[str, str]] = {**LABELS, **CLI_LABELS}


def t(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang`` (the key itself when unknown)."""
    pair = _TABLE.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "es" else pair[0]

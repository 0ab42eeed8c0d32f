"""User text is data: the one place each output channel's escaping lives.

journeymap reads files people e-mail each other and writes files others open.
Every piece of user text that reaches a spreadsheet, a terminal or SQL goes
through one function here (HTML escaping is :func:`html.escape`; matplotlib
text is drawn with ``parse_math=False`` through :mod:`journeymap.plot._common`).

Example
-------
>>> csv_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> csv_restore(csv_cell("@SUM(A1)"))
'@SUM(A1)'
>>> terminal("Title\\x1b]0;owned\\x07 ok")
'Title]0;owned ok'
>>> sql_ident('case", error(\\'x\\') AS "y')
'"case"", error(\\'x\\') AS ""y"'
>>> suggest("resena_wb", ["resena_web", "tienda", "app"])
"did you mean 'resena_web'?"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

# -- spreadsheets (OWASP "CSV Injection") -------------------------------------------
#: A cell starting with one of these runs as a formula in Excel / LibreOffice / Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The prefix that makes such a cell plain text; :func:`csv_restore` strips it again.
CSV_GUARD = "'"


def csv_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: text starting with ``= + - @``, tab or CR gets a leading ``'``.

    Text that already starts with ``'`` gets one more, so :func:`csv_restore` is an exact inverse.
    Numbers and other non-text values pass unchanged (``-3`` is a number, not a formula).

    >>> [csv_cell(v) for v in ["-1 pt", "'quoted", "plain", -3]]
    ["'-1 pt", "''quoted", 'plain', -3]
    """
    if isinstance(value, str) and value and (value.startswith(FORMULA_START) or value.startswith(CSV_GUARD)):
        return CSV_GUARD + value
    return value


def csv_restore(value: Any) -> Any:
    """Undo :func:`csv_cell`: one leading ``'`` before a guarded start is removed.

    >>> [csv_restore(v) for v in ["'-1 pt", "''quoted", "'plain", "x"]]
    ['-1 pt', "'quoted", "'plain", 'x']
    """
    if isinstance(value, str) and value.startswith(CSV_GUARD) and value[1:2] and (
        value[1:].startswith(FORMULA_START) or value[1:].startswith(CSV_GUARD)
    ):
        return value[1:]
    return value


def csv_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame whose text cells, column names and index labels pass :func:`csv_cell`.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": ["=x", "ok"], "n": [1, -2]}, index=pd.Index(["=HYP", "b"], name="@n"))
    >>> safe = csv_frame(df)
    >>> safe["a"].tolist(), safe["n"].tolist(), safe.index.tolist(), safe.index.name
    (["'=x", 'ok'], [1, -2], ["'=HYP", 'b'], "'@n")
    """
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype) or dtype == "category":
            out[col] = out[col].astype(object).map(csv_cell)
    out.columns = pd.Index([csv_cell(c) for c in out.columns], name=csv_cell(out.columns.name))
    out.index = pd.MultiIndex.from_tuples([tuple(csv_cell(v) for v in row) for row in out.index],
                                          names=[csv_cell(n) for n in out.index.names]) \
        if isinstance(out.index, pd.MultiIndex) else pd.Index([csv_cell(v) for v in out.index],
                                                               name=csv_cell(out.index.name))
    return out


def csv_text(frame: Any, **to_csv: Any) -> str:
    """``frame`` as CSV text a spreadsheet opens safely: cells through :func:`csv_frame`, CRLF line ends.

    CRLF (RFC 4180) also makes the writer quote any cell holding a CR, so a cell starting with CR
    stays one cell (with ``\n`` line ends Python 3.11's writer leaves a lone CR unquoted). Extra
    keyword arguments go to ``DataFrame.to_csv``.
    """
    to_csv.setdefault("lineterminator", "\r\n")
    return csv_frame(frame).to_csv(**to_csv)


# -- terminals ------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal(text: object) -> str:
    """``text`` with control characters removed (ESC, BEL, C1, bidi overrides); newlines and tabs kept.

    >>> terminal("a\\x1b[2Jb\\tc\\nd\\u202e")
    'a[2Jb\\tc\\nd'
    """
    return _CONTROL.sub("", str(text))


# -- SQL --------------------------------------------------------------------------------
def _quoted(value: object, quote: str, what: str) -> str:
    """``value`` between ``quote`` characters, each inner one doubled; a NUL character is refused."""
    text = str(value)
    if "\x00" in text:
        raise ValueError(f"{what} cannot contain a NUL character: {text!r}")
    return quote + text.replace(quote, quote * 2) + quote


def sql_ident(name: object) -> str:
    """A quoted SQL identifier (DuckDB, Spark SQL): ``"`` doubled inside ``"…"``; NUL refused.

    >>> sql_ident("ts")
    '"ts"'
    """
    return _quoted(name, '"', "a column name")


def sql_string(value: object) -> str:
    """A quoted SQL string literal: ``'`` doubled inside ``'…'``; NUL refused.

    >>> sql_string("it's")
    "'it''s'"
    """
    return _quoted(value, "'", "a SQL text value")


def spark_ident(name: object) -> str:
    """A quoted Spark SQL identifier: backticks doubled inside ``…``.

    >>> spark_ident("a`b")
    '`a``b`'
    """
    return _quoted(name, "`", "a column name")


# -- suggestions -----------------------------------------------------------------------
def closest(value: object, choices: Iterable[object], n: int = 3) -> list[str]:
    """The choices most like ``value`` (best first), at most ``n``.

    >>> closest("tiend", ["tienda", "web", "tiendas"])
    ['tienda', 'tiendas']
    """
    options = [str(c) for c in choices]
    text = str(value)
    found = difflib.get_close_matches(text, options, n=n, cutoff=0.6)
    if not found:
        lowered = {o.lower(): o for o in options}
        found = [lowered[m] for m in difflib.get_close_matches(text.lower(), list(lowered), n=n, cutoff=0.6)]
    return found


def suggest(value: object, choices: Iterable[object], n: int = 3) -> str:
    """``"did you mean 'x'?"`` for the closest choices, or a short list of valid ones when nothing is close.

    >>> suggest("zzz", ["a", "b"])
    'expected one of: a, b'
    """
    options = [str(c) for c in choices]
    found = closest(value, options, n)
    if found:
        return "did you mean " + " or ".join(f"'{f}'" for f in found) + "?"
    if not options:
        return "there are no valid values"
    shown = ", ".join(options[:8])
    return f"expected one of: {shown}" + (f", … ({len(options)} in all)" if len(options) > 8 else "")

"""Problems found in journey files, and the exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, what value, and what was expected.

    >>> str(Problem("f.yaml", "title", "field required", None, 2, shown="nothing"))
    'f.yaml:2: title: field required (got nothing)'"""

    file: str
    path: str
    message: str
    value: object = None
    line: int | None = None
    #: What to show after "got" when ``value`` is ``None`` (``nothing``, ``a list of 3 items``).
    shown: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        value = "" if self.value is None else f" (got {_short(self.value)})"
        if self.value is None and self.shown:
            value = f" (got {self.shown})"
        return _one_line(f"{where}:{field} {self.message}{value}")


def _one_line(text: str) -> str:
    r"""A problem is one line: line breaks inside names and values echoed in it are shown as ``\n``.

    >>> _one_line("f.csv: found: a\nb")
    'f.csv: found: a\\nb'
    """
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class JourneyError(ValueError):
    """A journey (or persona) file could not be used. ``problems`` lists every reason.

    ``file``, ``field`` and ``value`` describe the first problem, for callers
    that only show one.
    """

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("JourneyError needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        self.file, self.field, self.value = first.file, first.path, first.value
        super().__init__("\n".join(str(p) for p in self.problems))


def lower_first(message: str) -> str:
    """Pydantic's messages start with a capital; ours continue a line after the field path.

    >>> lower_first("Input should be a valid integer")
    'input should be a valid integer'
    """
    return message[:1].lower() + message[1:]


def format_loc(loc: tuple) -> str:
    """Turn a pydantic location into a readable field path.

    >>> format_loc(("touchpoints", 3, "stage"))
    'touchpoints[3].stage'
    >>> format_loc(())
    ''
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out

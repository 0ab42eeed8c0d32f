"""The whole journey inside a Mermaid diagram, as ``%% jm`` comment lines (see docs/mermaid.md).

:func:`journeymap.mermaid.to_mermaid` ends the diagram with a header line and
data lines::

    %% jm-journey v1 lang=en chars=1234 lines=7 sha256=0123456789ab
    %% jm-data 1 {"id":"demo","title":"Demo",...
    %% jm-data 2 ...

The data is the journey as compact JSON (every field journeymap knows), cut into
lines of :data:`WIDTH` characters. Every character that could matter to Mermaid
or to an editor is escaped as a JSON ``\\uXXXX`` code: all non-ASCII, control
characters, ``%`` (so no ``%%{`` directive can appear) and a space that would
start or end a line (so trimming spaces in an editor changes nothing). ``sha256`` (first 12 hex digits
of the JSON) tells whether the data lines are the ones written.

>>> lines = encode({"id": "x", "title": "50 %%{init} ; a: b\\nc"}, "en")
>>> lines[0].startswith("%% jm-journey v1 lang=en ")
True
>>> any("%%{" in line or line != line.strip() for line in lines)
False
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, NoReturn

from journeymap.errors import JourneyError, Problem

#: Characters of JSON per data line.
WIDTH = 160
#: Largest metadata accepted on import, in characters of JSON (5 million, about 5 MB).
MAX_CHARS = 5_000_000
VERSION = "v1"
HEAD = "%% jm-journey"
DATA = "%% jm-data"
_HEAD = re.compile(r"^%% jm-journey (?P<version>\S+)(?P<rest>(?: \S+)*)\s*$")
_DATA = re.compile(r"^%% jm-data (?P<index>\d{1,9}) (?P<chunk>.*?)\s*$")


def _cut(text: str) -> list[str]:
    """JSON text cut in lines; ``%`` and a space at either end of a line become ``\\u`` codes.

    Both occur only inside JSON strings (the JSON is compact), so the codes are valid there.
    """
    chunks = []
    for i in range(0, len(text), WIDTH):
        chunk = text[i:i + WIDTH].replace("%", "\\u0025")
        if chunk.startswith(" "):
            chunk = "\\u0020" + chunk[1:]
        if chunk.endswith(" "):
            chunk = chunk[:-1] + "\\u0020"
        chunks.append(chunk)
    return chunks


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:12]


def encode(data: dict[str, Any], lang: str) -> list[str]:
    """The metadata lines (without indentation) for journey ``data`` exported with channel names in ``lang``."""
    chunks = _cut(json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False))
    text = "".join(chunks)
    head = f"{HEAD} {VERSION} lang={lang} chars={len(text)} lines={len(chunks)} sha256={_digest(text)}"
    return [head] + [f"{DATA} {k} {chunk}" for k, chunk in enumerate(chunks, 1)]


class Reader:
    """Collects the metadata lines met while reading a diagram, checking each as it comes."""

    def __init__(self, source: str):
        self.source = source
        self.head_line: int | None = None
        self.fields: dict[str, str] = {}
        self.chunks: list[tuple[int, str]] = []
        self.size = 0

    def fail(self, line: int | None, message: str, value: object = None) -> NoReturn:
        raise JourneyError([Problem(self.source, "", message, value, line=line)])

    def wants(self, stripped: str) -> bool:
        """Is this (stripped) line a ``jm-journey``/``jm-data`` line (for :meth:`read`)?"""
        return stripped.startswith((HEAD, DATA))

    def read(self, n: int, stripped: str) -> None:
        if stripped.startswith(HEAD):
            self._head(n, stripped)
        else:
            self._data(n, stripped)

    def _head(self, n: int, stripped: str) -> None:
        if self.head_line is not None:
            self.fail(n, f"a second '{HEAD}' line (the first is line {self.head_line})")
        match = _HEAD.match(stripped)
        if not match:
            self.fail(n, f"unreadable '{HEAD}' line", stripped)
        if match["version"] != VERSION:
            self.fail(n, f"unsupported jm metadata version (this journeymap reads {VERSION})", match["version"])
        fields = dict(part.partition("=")[::2] for part in match["rest"].split())
        for key in ("lang", "chars", "lines", "sha256"):
            if key not in fields:
                self.fail(n, f"'{HEAD}' line lacks {key}=", stripped)
        if not fields["chars"].isdigit() or not fields["lines"].isdigit():
            self.fail(n, "chars= and lines= must be whole numbers", stripped)
        if int(fields["chars"]) > MAX_CHARS:
            self.fail(n, f"jm metadata too large (limit {MAX_CHARS} characters)", int(fields["chars"]))
        self.head_line, self.fields = n, fields

    def _data(self, n: int, stripped: str) -> None:
        if self.head_line is None:
            self.fail(n, f"'{DATA}' line before the '{HEAD}' line")
        match = _DATA.match(stripped)
        if not match:
            self.fail(n, f"unreadable '{DATA}' line", stripped[:80])
        if int(match["index"]) != len(self.chunks) + 1:
            self.fail(n, f"'{DATA}' lines out of order: expected number {len(self.chunks) + 1}",
                      int(match["index"]))
        if int(match["index"]) > int(self.fields["lines"]):
            self.fail(n, f"more '{DATA}' lines than the {self.fields['lines']} announced", int(match["index"]))
        self.size += len(match["chunk"])
        if self.size > MAX_CHARS:
            self.fail(n, f"jm metadata too large (limit {MAX_CHARS} characters)", self.size)
        self.chunks.append((n, match["chunk"]))

    @property
    def present(self) -> bool:
        return self.head_line is not None

    @property
    def lang(self) -> str:
        return self.fields.get("lang", "en")

    def data(self) -> dict[str, Any]:
        """The journey data the metadata holds; a :class:`JourneyError` (one line) if incomplete or changed."""
        head = self.head_line
        if len(self.chunks) != int(self.fields["lines"]):
            self.fail(head, f"jm metadata incomplete: {self.fields['lines']} '{DATA}' lines announced",
                      len(self.chunks))
        text = "".join(chunk for _, chunk in self.chunks)
        if len(text) != int(self.fields["chars"]) or _digest(text) != self.fields["sha256"]:
            self.fail(head, "jm metadata was changed after export (length or sha256 differ); remove the "
                            "'%% jm' lines to import the diagram alone", self.fields["sha256"])
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            pos = getattr(exc, "pos", 0)
            line = head
            for n, chunk in self.chunks:
                line = n
                if pos < len(chunk):
                    break
                pos -= len(chunk)
            self.fail(line, f"jm metadata is not valid JSON: {getattr(exc, 'msg', 'too deeply nested')}")
        if not isinstance(data, dict):
            self.fail(head, "jm metadata must hold a journey (a JSON object)", type(data).__name__)
        return data

    def journey(self, id: str | None = None):
        """The :class:`~journeymap.model.Journey` the metadata holds (one-line error at the header if invalid).

        ``id`` replaces the journey's id."""
        from pydantic import ValidationError

        from journeymap.errors import format_loc, lower_first
        from journeymap.model import Journey

        data = self.data()
        if id:
            data["id"] = id
        try:
            return Journey.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            first = errors[0]
            more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
            raise JourneyError([Problem(self.source, format_loc(tuple(first["loc"])),
                                        f"jm metadata is not a valid journey: {lower_first(first['msg'])}{more}",
                                        line=self.head_line)]) from None

"""Parse journey files (YAML or JSON) strictly, and map a field path to its line in the file.

Both parsers refuse what would otherwise be guessed or blow up: duplicate keys,
integers of more than :data:`MAX_DIGITS` digits, nesting deeper than
:data:`MAX_DEPTH` and YAML aliases that expand to more than :data:`MAX_ALIAS_NODES`
extra nodes (the "billion laughs"). Every refusal is a :class:`~journeymap.errors.JourneyError`
with one line naming the file and the line.

>>> doc = parse("a: 1\\nb:\\n  - x: 2\\n  - x: 3\\n", "f.yaml")
>>> doc.data["b"][1], doc.line(("b", 1, "x"))
({'x': 3}, 4)
>>> doc = parse('{"a": 1,\\n "b": [{"x": 2},\\n  {"x": 3}]}', "f.json")
>>> doc.line(("b", 1, "x"))
3
>>> parse("a: 1\\na: 2\\n", "f.yaml")
Traceback (most recent call last):
...
journeymap.errors.JourneyError: f.yaml:2: duplicate key 'a' (first on line 1)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from journeymap.errors import JourneyError, Problem

#: Longest integer accepted (Python refuses to convert more than 4,300 digits; no journey needs 100).
MAX_DIGITS = 100
#: Deepest nesting accepted (a journey needs about 6 levels).
MAX_DEPTH = 64
#: How many nodes YAML aliases may add when expanded (refuses the "billion laughs").
MAX_ALIAS_NODES = 100_000

_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(ConstructorError):
    """Well-formed YAML that journeymap refuses (a duplicate key, a huge number)."""


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader (plain data only), refusing duplicate keys and huge integers."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise _Refused(None, None, f"duplicate key '{key_node.value}' (first on line {seen[key]})",
                                           key_node.start_mark)
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _construct_int(loader: Any, node: Any) -> int:
    digits = sum(ch.isdigit() for ch in node.value)
    if digits > MAX_DIGITS:
        raise _Refused(None, None, f"a number with {digits} digits (at most {MAX_DIGITS})", node.start_mark)
    return SafeConstructor.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]", re.MULTILINE)


@dataclass
class Document:
    """A parsed file: its ``data`` and where each field is (:meth:`line`)."""

    data: Any
    text: str
    kind: str  # "yaml" or "json"
    _lines: dict[tuple, int] | None = field(default=None, repr=False)
    _node: Any = field(default=None, repr=False)

    def line(self, loc: tuple) -> int | None:
        """1-based line of the field at ``loc``; of its deepest parent present in the file otherwise."""
        if self.kind == "json":
            if self._lines is None:
                self._lines = json_lines(self.text)[0]
            for end in range(len(loc), -1, -1):
                if tuple(loc[:end]) in self._lines:
                    return self._lines[tuple(loc[:end])]
            return None
        return _node_line(self._node, loc) if self._node is not None else line_of(self.text, loc)


def parse(text: str, name: str, kind: str | None = None) -> Document:
    """Parse ``text`` as JSON (``kind="json"`` or a ``.json`` name) or YAML; problems raise JourneyError."""
    kind = kind or ("json" if name.lower().endswith(".json") else "yaml")
    if kind == "json":
        return Document(_parse_json(text, name), text, "json")
    fast = _fast_yaml(text)
    if fast is not None:
        return Document(fast[0], text, "yaml")
    node, data = _parse_yaml(text, name)
    return Document(data, text, "yaml", _node=node)


# -- the fast path -------------------------------------------------------------------
# PyYAML (YAML 1.1) builds a Python object per node and mark: a 10,000-touchpoint journey takes seconds.
# yaml_rs (Rust, YAML 1.2) reads it ~20x faster. The two specs type some plain scalars differently
# (``yes``, ``012``, ``1e3``, ``0o7``, ``1:20``, tags, merges, aliases), so the fast result is used only
# when the text holds none of those shapes and every string it returns is one PyYAML would also leave a
# string; anything else — including every error, to keep PyYAML's messages and lines — takes the PyYAML path.
_RISKY = re.compile(
    r"(?:^|[\s\[{,:-])[&*!][^\s,\]}]"  # anchors, aliases, tags
    r"|<<|^(?:---|\.\.\.)"  # merge keys, several documents
    r"|(?<![\w.])[-+]?(?:0[0-9_]|0[oObB]|[0-9][0-9_.]*[eE][-+]?[0-9])",  # octal / leading zeros / exponents
    re.MULTILINE,
)
_STR = "tag:yaml.org,2002:str"
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # characters PyYAML refuses (control characters, …)
_BREAKS = re.compile("[\r\x85\u2028\u2029\ufeff]")  # line breaks only YAML 1.1 knows; CR and BOM: PyYAML's rules


def _fast_yaml(text: str) -> tuple[Any] | None:
    """``(data,)`` read by yaml_rs when PyYAML would read exactly the same; ``None`` to use PyYAML."""
    if _RISKY.search(text) or _NON_PRINTABLE.search(text) or _BREAKS.search(text):
        return None
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - an optional speed-up
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # errors are PyYAML's to report, with their lines
        return None
    return (data,) if _plain_as_pyyaml(data) else None


def _plain_as_pyyaml(data: Any) -> bool:
    """True when ``data`` holds only what PyYAML gives for the same text: no string PyYAML would type,
    no date, no integer over :data:`MAX_DIGITS` digits, no nesting deeper than :data:`MAX_DEPTH`."""
    first = _FIRST
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is str:
            if not value or (value[0] in first and _typed_by_pyyaml(value)):
                return False
        elif kind is dict:
            if depth >= MAX_DEPTH:
                return False
            stack.extend((k, depth + 1) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif kind is list:
            if depth >= MAX_DEPTH:
                return False
            stack.extend((v, depth + 1) for v in value)
        elif kind is int:
            if abs(value) >= _MAX_INT:
                return False
        elif not (kind is float or kind is bool or value is None):
            return False  # dates and anything else: leave them to PyYAML
    return True


_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_FIRST = frozenset(k for k in _RESOLVERS if k)
_MAX_INT = 10**MAX_DIGITS


def _typed_by_pyyaml(text: str) -> bool:
    """Would PyYAML read ``text``, written plain, as something other than a string (``yes``, ``1:20``, ``~``)?"""
    return any(tag != _STR and regexp.match(text) for tag, regexp in _RESOLVERS.get(text[0], ()))


def _fail(name: str, message: str, line: int | None = None) -> JourneyError:
    return JourneyError([Problem(name, "", message, line=line)])


def _parse_yaml(text: str, name: str) -> tuple[Any, Any]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _ALIAS.search(text):
            _check_expansion(node, name)
        data = _build(loader, node, {}) if node is not None else None
    except yaml.YAMLError as exc:
        prefix = "" if isinstance(exc, _Refused) else "bad YAML syntax: "
        raise _fail(name, prefix + _reason(exc), _yaml_line(exc)) from None
    except RecursionError:
        raise _fail(name, f"nested too deeply (more than {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
    return node, data


_TAG = "tag:yaml.org,2002:"


def _build(loader: Any, node: Any, done: dict[int, Any]) -> Any:
    """Plain data from ``node``: the safe constructor's result, several times faster on common nodes."""
    key = id(node)
    if key in done:  # an alias: the same object, as PyYAML gives
        return done[key]
    tag = node.tag
    if tag == _TAG + "str":
        return node.value
    if tag == _TAG + "int":
        return _construct_int(loader, node)
    if tag == _TAG + "seq":
        out: Any = []
        done[key] = out
        out.extend(_build(loader, child, done) for child in node.value)
        return out
    if tag == _TAG + "map" and not any(k.tag == _TAG + "merge" for k, _ in node.value):
        out = {}
        done[key] = out
        lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            k = _build(loader, key_node, done)
            try:
                first = lines.get(k)
            except TypeError:  # an unhashable key
                raise ConstructorError("while constructing a mapping", node.start_mark, "found unhashable key",
                                       key_node.start_mark) from None
            if first is not None:
                raise _Refused(None, None, f"duplicate key '{key_node.value}' (first on line {first})",
                               key_node.start_mark)
            lines[k] = key_node.start_mark.line + 1
            out[k] = _build(loader, value_node, done)
        return out
    value = loader.construct_object(node, deep=True)  # floats, booleans, dates, merges, …: PyYAML's own rules
    done[key] = value
    return value


def _reason(exc: yaml.YAMLError) -> str:
    return getattr(exc, "problem", None) or str(exc).splitlines()[0]


def _yaml_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    if getattr(exc, "context", None) == "while scanning a simple key" and context is not None:
        return context.line + 1  # "key value" with no colon: the key's line, not the next one
    return mark.line + 1 if mark else None


def _children(node: Any) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: Any, name: str) -> None:
    """Refuse recursive aliases, nesting deeper than MAX_DEPTH, and expansions beyond MAX_ALIAS_NODES."""
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    on_path: set[int] = set()
    distinct = 0
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = _children(node)
            sizes[key] = 1 + sum(sizes[id(k)] for k in kids)
            heights[key] = 1 + max((heights[id(k)] for k in kids), default=0)
            if sizes[key] - distinct > MAX_ALIAS_NODES:
                raise _fail(name, f"aliases expand to more than {MAX_ALIAS_NODES:,} extra values; "
                                  "write the data out instead", node.start_mark.line + 1)
            continue
        if key in on_path:
            raise _fail(name, "an alias refers to itself (a recursive structure)", node.start_mark.line + 1)
        if key in sizes:
            if depth + heights[key] > MAX_DEPTH:
                raise _fail(name, f"nested too deeply (more than {MAX_DEPTH} levels)", node.start_mark.line + 1)
            continue
        if depth > MAX_DEPTH:
            raise _fail(name, f"nested too deeply (more than {MAX_DEPTH} levels)", node.start_mark.line + 1)
        distinct += 1
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((k, depth + 1, False) for k in reversed(_children(node)))


# -- JSON ---------------------------------------------------------------------------
class _Duplicate(Exception):
    pass


class _TooLong(Exception):
    pass


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in items:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _TooLong(text)
    return int(text)


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise _fail(name, f"bad JSON syntax: {exc.msg}", exc.lineno) from None
    except _Duplicate as exc:
        _, dups = json_lines(text)
        line, first = dups[0] if dups else (None, None)
        raise _fail(name, f"duplicate key '{exc.args[0]}'" + (f" (first on line {first})" if first else ""),
                    line) from None
    except _TooLong as exc:
        digits = len(exc.args[0].lstrip("-"))
        where = text.find(exc.args[0])
        raise _fail(name, f"a number with {digits} digits (at most {MAX_DIGITS})",
                    text.count("\n", 0, where) + 1 if where >= 0 else None) from None
    except RecursionError:
        raise _fail(name, f"nested too deeply (more than {MAX_DEPTH} levels)", _deep_line(text)) from None


def _deep_line(text: str) -> int | None:
    depth = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        depth += tok in "[{" if len(tok) == 1 else 0
        depth -= tok in "]}" if len(tok) == 1 else 0
        if depth > MAX_DEPTH:
            return text.count("\n", 0, m.start()) + 1
    return None


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def json_lines(text: str) -> tuple[dict[tuple, int], list[tuple[int, int]]]:
    """``({field path: line}, [(line, first line) of each duplicate key])`` for JSON ``text``.

    >>> json_lines('{"a": 1,\\n "b": [true,\\n false], "a": 2}')
    ({(): 1, ('a',): 1, ('b',): 2, ('b', 0): 2, ('b', 1): 3}, [(3, 1)])
    """
    lines: dict[tuple, int] = {}
    dups: list[tuple[int, int]] = []
    stack: list[list[Any]] = []  # [kind, path, index, key, {key: line}]
    line, last = 1, 0
    for m in _TOKEN.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        tok = m.group()
        top = stack[-1] if stack else None
        if tok in ("{", "["):
            lines.setdefault(_here(top), line)
            stack.append([tok, _here(top), 0, None, {}])
        elif tok in ("}", "]"):
            if stack:
                stack.pop()
        elif tok == ",":
            if top is not None:
                top[2] += 1
                top[3] = None
        elif tok == ":":
            continue
        elif top is not None and top[0] == "{" and top[3] is None:
            try:
                key = json.loads(tok)
            except ValueError:
                key = tok
            top[3] = key
            if key in top[4]:
                dups.append((line, top[4][key]))
            top[4].setdefault(key, line)
            lines.setdefault(top[1] + (key,), line)
        else:
            lines.setdefault(_here(top), line)
    return lines, dups


def _here(frame: list[Any] | None) -> tuple:
    if frame is None:
        return ()
    return frame[1] + ((frame[3],) if frame[0] == "{" else (frame[2],))


# -- YAML lines ---------------------------------------------------------------------
def line_of(text: str | None, loc: tuple) -> int | None:
    """1-based line of the node at ``loc`` in YAML ``text``; the deepest found parent otherwise.

    >>> line_of("a: 1\\nb:\\n  - x: 2\\n  - x: 3\\n", ("b", 1, "x"))
    4
    >>> line_of("a: [", ("a",)) is None
    True
    """
    if text is None:
        return None
    try:
        node = yaml.compose(text, Loader=_BASE_LOADER)
    except (yaml.YAMLError, RecursionError):
        return None
    return _node_line(node, loc)


def _node_line(node: Any, loc: tuple) -> int | None:
    line = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        node = _child(node, part)
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: object) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part or key.value == str(part):
                return value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part] if 0 <= part < len(node.value) else None
    return None

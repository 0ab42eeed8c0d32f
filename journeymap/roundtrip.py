"""Save into an existing YAML file keeping what the user wrote: comments, key order, quoting, flow style.

:func:`merge_text` loads the old file with ruamel.yaml's round-trip mode, updates the loaded tree in
place to equal the new data, and dumps it. Untouched values keep their exact text; a list of items with
an ``id`` (or transitions, by ``from``/``to``) is matched item by item, so a reordered, edited, inserted
or removed touchpoint keeps its comments. Keys the old file left out because they were implied (a
default, a stage ``order``, transitions in file order) stay out while their meaning is unchanged.

:func:`journeymap.io.save` uses it and checks the result reads back (with ``jm.load``'s own parser) to
exactly the saved journey; anything else falls back to the canonical layout, so no data is ever lost.
"""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

import yaml

_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
#: Characters PyYAML reads as line breaks or refuses: such strings are written double-quoted and escaped.
_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_SEQ_START = re.compile(r"^( *)[^\s#-][^#\n]*:[ \t]*(#.*)?\n((?:[ \t]*(?:#.*)?\n)*)( *)- ", re.MULTILINE)
_MAP_START = re.compile(r"^( *)[^\s#-][^#\n]*:[ \t]*(#.*)?\n((?:[ \t]*(?:#.*)?\n)*)( *)[^\s#-][^#\n]*:", re.MULTILINE)


def merge_text(old_text: str, new: dict[str, Any], old_meaning: dict[str, Any] | None) -> str:
    """``old_text`` (YAML) updated to hold ``new``; ``old_meaning`` is the old file's canonical data, if valid.

    Raises ruamel.yaml's errors when ``old_text`` is not YAML with a mapping at the top.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap the user's lines
    mapping, sequence, offset = _guess_indent(old_text)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    tree = rt.load(old_text)
    if not isinstance(tree, CommentedMap):
        raise ValueError("the file's top level is not a mapping")
    _hoist_comments(tree)
    _merge_map(tree, new, old_meaning)
    out = io.StringIO()
    rt.dump(tree, out)
    return out.getvalue()


def _guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file uses them; ruamel's default otherwise."""
    mapping = next((len(m.group(4)) - len(m.group(1)) for m in _MAP_START.finditer(text)
                    if len(m.group(4)) > len(m.group(1))), 2)
    seq = _SEQ_START.search(text)
    offset = max(0, len(seq.group(4)) - len(seq.group(1))) if seq else 0
    return mapping, offset + 2, offset


# -- comments ----------------------------------------------------------------------
def _is_node(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return isinstance(value, CommentedMap | CommentedSeq)


def _keys(node: Any) -> list[Any]:
    return list(node.keys()) if hasattr(node, "keys") else list(range(len(node)))


def _tail_slots(node: Any, last: Any) -> list[tuple[list[Any], int]]:
    """Where comments after ``node[last]`` (at any depth) are kept: (ca entry, index) pairs."""
    slots = []
    while True:
        entry = node.ca.items.get(last)
        where = 2 if hasattr(node, "keys") else 0
        if entry and len(entry) > where and entry[where] is not None:
            slots.append((entry, where))
        child = node[last]
        if not _is_node(child) or not len(child):
            return slots
        node, last = child, _keys(child)[-1]


def _pre(node: Any, key: Any) -> list[Any]:
    """The list of comment tokens written before ``key`` in ``node`` (created if missing)."""
    entry = node.ca.items.setdefault(key, [None, None] if not hasattr(node, "keys") else [None, None, None, None])
    if entry[1] is None:
        entry[1] = []
    return entry[1]


def _hoist_comments(node: Any) -> None:
    """Move full-line comments found after a value to "before the next sibling", so they travel with it.

    ruamel.yaml attaches a comment line to the end of whatever precedes it; a comment introducing a
    touchpoint would otherwise stay with (and vanish with) the touchpoint above it.
    """
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if not _is_node(node):
        return
    keys = _keys(node)
    for before, key in itertools.pairwise(keys):
        moved = []
        for entry, where in _tail_slots(node, before):
            text = entry[where].value
            cut = text.find("\n") + 1 if text.startswith("#") else (1 if text.startswith("\n") else 0)
            if cut <= 0 or cut >= len(text):
                continue
            moved.append(text[cut:])
            if text[:cut].strip():
                entry[where].value = text[:cut]
            else:
                entry[where] = None
        if moved:
            _pre(node, key).insert(0, CommentToken("".join(moved), CommentMark(0), None))
    for key in keys:
        _hoist_comments(node[key])


# -- values ------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """ruamel's loaded value as plain Python data (bools stay bools, numbers plain, strings plain)."""
    if hasattr(value, "items"):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        return bool(value)
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def same(a: Any, b: Any) -> bool:
    """Equal as file data: ``1 == 1.0`` but ``True != 1`` and ``"1" != 1``, recursively."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _scalar(value: Any, old: Any = None) -> Any:
    """A new scalar, quoted where PyYAML (which ``jm.load`` uses) would read it plain as something else."""
    if not isinstance(value, str):
        return value
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if _SPECIAL.search(value):
        return DoubleQuotedScalarString(value)
    if isinstance(old, SingleQuotedScalarString | DoubleQuotedScalarString) and "\n" not in value:
        return type(old)(value)  # keep the user's quoting
    if value != value.strip() or _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR:
        return DoubleQuotedScalarString(value)
    return value


def _build(value: Any, flow: bool = False) -> Any:
    """New data as ruamel nodes (block style, or flow like its siblings)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap((k, _build(v)) for k, v in value.items())
        if flow:
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        return CommentedSeq(_build(v) for v in value)
    return _scalar(value)


def _update(parent: Any, key: Any, new: Any, meaning: Any) -> None:
    """``parent[key]`` made equal to ``new``, keeping the old node where nothing changed."""
    old = parent[key]
    if same(plain(old), new):
        return
    if hasattr(old, "keys") and isinstance(new, dict):
        _merge_map(old, new, meaning if isinstance(meaning, dict) else None)
    elif _is_node(old) and isinstance(new, list) and not hasattr(old, "keys"):
        _merge_seq(old, new, meaning if isinstance(meaning, list) else None)
    else:
        parent[key] = _build(new) if isinstance(new, dict | list) else _scalar(new, old)


def _merge_map(node: Any, new: dict[str, Any], meaning: dict[str, Any] | None) -> None:
    for key in [k for k in node if k not in new]:
        if meaning is not None and key not in meaning:
            continue  # written but implied (a default) before, and still a default now
        _delete(node, key, _keys(node))
    for key, value in new.items():
        if key in node:
            _update(node, key, value, meaning.get(key) if meaning is not None else None)
        elif meaning is None or key not in meaning or not same(meaning[key], value):
            node[key] = _build(value)  # a new key goes at the end; an implied one stays out while unchanged


def _delete(node: Any, key: Any, keys: list[Any]) -> None:
    """Delete ``node[key]``; the comment lines written before it go before the next sibling."""
    entry = node.ca.items.get(key)
    pre = entry[1] if entry and len(entry) > 1 and entry[1] else []
    later = keys[keys.index(key) + 1:]
    if pre and later:
        _pre(node, later[0])[:0] = pre
    del node[key]


def _item_key(item: Any) -> Any:
    if not isinstance(item, dict) and not hasattr(item, "keys"):
        return None
    if "id" in item:
        return ("id", plain(item["id"]))
    if "from" in item and "to" in item:
        return ("edge", plain(item["from"]), plain(item["to"]))
    return None


def _index(items: list[Any]) -> dict[Any, int] | None:
    keys = [_item_key(item) for item in items]
    if None in keys or len(set(keys)) != len(keys):
        return None
    return {k: i for i, k in enumerate(keys)}


def _merge_seq(node: Any, new: list[Any], meaning: list[Any] | None) -> None:
    old_index, new_index = _index(list(node)), _index(new)
    if old_index is None or new_index is None or not node:
        _merge_positional(node, new, meaning)
        return
    mean_index = _index(meaning) if meaning is not None else None
    flow = 2 * sum(bool(getattr(item, "fa", None) and item.fa.flow_style()) for item in node) > len(node)
    comments = {i: node.ca.items.get(i) for i in range(len(node))}
    olds = list(node)
    survivors = {old_index[k] for k in new_index if k in old_index}
    carried: dict[int, list[Any]] = {}
    pending: list[Any] = []
    for i in range(len(olds)):  # comment lines before a removed item go before the next kept one
        entry = comments[i]
        if i in survivors:
            carried[i] = pending + (entry[1] if entry and len(entry) > 1 and entry[1] else [])
            pending = []
        elif entry and len(entry) > 1 and entry[1]:
            pending += entry[1]
    node.clear()
    node.ca.items.clear()
    for j, value in enumerate(new):
        key = _item_key(value)
        if key in old_index:
            i = old_index[key]
            node.append(olds[i])
            eol = comments[i][0] if comments[i] else None
            if eol is not None or carried.get(i):
                node.ca.items[j] = [eol, carried.get(i) or None]
            mean = meaning[mean_index[key]] if meaning is not None and mean_index and key in mean_index else None
            _update(node, j, value, mean)
        else:
            node.append(_build(value, flow))


def _merge_positional(node: Any, new: list[Any], meaning: list[Any] | None) -> None:
    while len(node) > len(new):
        last = len(node) - 1
        node.ca.items.pop(last, None)
        del node[last]
    for i, value in enumerate(new):
        if i < len(node):
            mean = meaning[i] if meaning is not None and i < len(meaning) else None
            _update(node, i, value, mean)
        else:
            node.append(_build(value))

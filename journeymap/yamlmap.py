"""Map a field path (``("touchpoints", 3, "stage")``) to its line in a YAML file."""

from __future__ import annotations

import yaml


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
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
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

"""YAML that remembers where each value came from.

``load(text)`` returns the data and a map from each field path to its 1-based line, so
that any later check can say ``file:line``. Dates and times stay strings (pydantic parses
them, and refuses a naive datetime with a message we control); duplicate keys, which YAML
parsers silently accept, are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ceasewatch.agreement.problems import Path


class _Loader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type: datetimes reach pydantic as text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Located:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    #: (path, line of the repeated key, line of its first occurrence)
    duplicates: list[tuple[Path, int, int]] = field(default_factory=list)

    def line(self, path: Path) -> int | None:
        """Line of the deepest recorded prefix of ``path``."""
        for n in range(len(path), -1, -1):
            found = self.lines.get(path[:n])
            if found is not None:
                return found
        return None


def load(text: str) -> Located:
    """Parse one YAML document, keeping lines.

    >>> doc = load("a: 1\\nb:\\n  - x\\n  - when: 2016-02-27T00:00:00\\n")
    >>> doc.data["b"][1]["when"], doc.line(("b", 1, "when"))
    ('2016-02-27T00:00:00', 4)
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(str(x) for x in (e.context, e.problem) if x)
        raise YamlSyntaxError(re.sub(r"\s+", " ", message), line) from e
    out = Located(data=None)
    if node is None:
        return out
    constructor = _Loader(text)
    out.data = _build(node, (), out, constructor)
    return out


def _build(node: yaml.Node, path: Path, out: Located, c: _Loader) -> Any:
    out.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = c.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                key = str(key)
            sub = (*path, key)
            if key in result:
                out.duplicates.append((sub, key_node.start_mark.line + 1, out.lines[sub]))
            out.lines[sub] = key_node.start_mark.line + 1
            result[key] = _build(value_node, sub, out, c)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), out, c) for i, item in enumerate(node.value)]
    return c.construct_object(node, deep=True)

"""JSON that can say on which line each value stands.

``load(text)`` returns the data (exactly what ``json.loads`` returns); ``line(path)`` is
the 1-based line of the value at a path: for a member of an object the line of its key,
for an item of a list the line where the item starts. Lines are counted at ``\\n`` only,
as ``json.JSONDecodeError.lineno`` and ``\\r\\n`` files count them. Invalid JSON raises
``json.JSONDecodeError``.

Lines are found on demand, along the asked path only (siblings are skipped by the C
decoder), so a file without problems costs nothing more than ``json.loads``.
"""

from __future__ import annotations

import bisect
import json
import re
from functools import cached_property
from typing import Any

from ceasewatch.agreement.problems import Path

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()

#: child key or index -> (where its key or item starts, where its value starts)
Children = dict[str | int, tuple[int, int]]


class Located:
    def __init__(self, data: Any, text: str) -> None:
        self.data = data
        self.text = text
        self._children: dict[Path, Children] = {}

    def line(self, path: Path) -> int:
        """Line of the deepest prefix of ``path`` that is in the document.

        >>> doc = load('[\\n {"id": "a",\\n  "location": {\\n   "lat": 200}},\\n 7\\n]')
        >>> doc.line((0,)), doc.line((0, "location", "lat")), doc.line((1,))
        (2, 4, 5)
        >>> doc.line((0, "occurred", "end"))  # missing: the line of the record
        2
        """
        where = value = self._skip(0)
        for n, step in enumerate(path):
            found = self.children(path[:n], value).get(step)
            if found is None:
                break
            where, value = found
        return bisect.bisect_left(self._newlines, where) + 1

    def children(self, path: Path, value: int) -> Children:
        """Where the members or items of the container at ``path`` (starting at ``value``)
        stand; a repeated key keeps its last place, as ``json.loads`` keeps its last value."""
        known = self._children.get(path)
        if known is None:
            known = self._children[path] = self._scan(value)
        return known

    def _scan(self, i: int) -> Children:
        text = self.text
        out: Children = {}
        opening = text[i]
        if opening not in "[{":
            return out
        i = self._skip(i + 1)
        n = 0
        while text[i] not in "]}":
            start = i
            if opening == "{":
                key, i = _DECODER.raw_decode(text, i)
                i = self._skip(self._skip(i) + 1)  # past the ':'
                out[key] = (start, i)
            else:
                out[n] = (start, i)
                n += 1
            i = self._skip(_DECODER.raw_decode(text, i)[1])
            if text[i] == ",":
                i = self._skip(i + 1)
        return out

    def _skip(self, i: int) -> int:
        m = _WS.match(self.text, i)
        assert m is not None  # the pattern matches the empty string
        return m.end()

    @cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.text)]


def load(text: str) -> Located:
    """Parse ``text`` as one JSON document; lines are found when asked for."""
    return Located(json.loads(text), text)

"""JSON in and out where it is hot (stored records read by searches, the API's answers):
orjson when it is installed, the standard library otherwise — the same values, and the
same bytes as Starlette's ``JSONResponse`` (compact, UTF-8, not ASCII-escaped).

orjson refuses to write what the standard library takes (integers beyond 64 bits, keys
that are not strings) and reads integers beyond 64 bits as floats: texts with 20 digits
in a row, and values orjson refuses, go the standard library's way, so every value
comes out as it did before. It writes NaN as ``null`` where Starlette refuses it; stored records never
hold NaN (incident.v1 bounds every number).
"""

from __future__ import annotations

import json
import re
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - the standard library does the same, slower
    orjson = None  # type: ignore[assignment]


def dumps(content: Any) -> bytes:
    """``content`` as a JSON body.

    >>> dumps({"a": [1, 2.5, None, True], "place": "Ḥalab"}) == (
    ...     '{"a":[1,2.5,null,true],"place":"Ḥalab"}'.encode())
    True
    >>> dumps({"big": 2**70})
    b'{"big":1180591620717411303424}'
    """
    if orjson is not None:
        try:
            return orjson.dumps(content)
        except TypeError:  # orjson.JSONEncodeError is one
            pass
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode()


_LONG_NUMBER = re.compile(r"\d{20}")


def loads(text: str) -> Any:
    """The value of a JSON text (a stored record).

    >>> loads('{"id": "i-1", "sources": [], "best": 7}')
    {'id': 'i-1', 'sources': [], 'best': 7}
    >>> loads('{"best": 123456789012345678901234567890}')
    {'best': 123456789012345678901234567890}
    """
    if orjson is not None and not _LONG_NUMBER.search(text):
        return orjson.loads(text)
    return json.loads(text)

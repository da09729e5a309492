from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ceasewatch.incidents import jsonpos

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def expected_lines(value: Any, path: jsonpos.Path, line: int, out: dict[jsonpos.Path, int]) -> int:
    """Lines of ``json.dumps(value, indent=1)``, counted independently; returns lines used."""
    out[path] = line
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    else:
        children = []
    if not children:  # a scalar, [] or {}
        return 1
    used = 1
    for key, child in children:
        used += expected_lines(child, (*path, key), line + used, out)
    return used + 1


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from(["\n", "\r\n"]))
def test_every_value_is_on_the_line_where_it_is_written(value: Any, newline: str) -> None:
    text = json.dumps(value, indent=1, ensure_ascii=False).replace("\n", newline)
    doc = jsonpos.load(text)
    assert doc.data == json.loads(text)
    expected: dict[jsonpos.Path, int] = {}
    expected_lines(value, (), 1, expected)
    assert {path: doc.line(path) for path in expected} == expected


def test_strings_with_brackets_quotes_and_escapes_do_not_confuse_it() -> None:
    text = '[\n {"a": "}]\\"[{", "b\\n\\"": [\n  1]},\n "{"\n]'
    doc = jsonpos.load(text)
    assert doc.line((0, 'b\n"', 0)) == 3 and doc.line((1,)) == 4


def test_a_repeated_key_is_placed_where_its_kept_value_is() -> None:
    doc = jsonpos.load('{"a": 1,\n "a": 2}')
    assert doc.data == {"a": 2} and doc.line(("a",)) == 2

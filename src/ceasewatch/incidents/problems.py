"""What is wrong with a bad incident record, said in a short sentence with what to do.

``explain`` turns pydantic's validation errors into ``Issue``s: the path of the field to
blame, a message that quotes the bad value ("'abc' is not a number") and a hint. Bounds,
allowed values and field names are read from the model's own annotations, so the
sentences cannot drift from ``incidents.model``. The codec places each issue in its file
as a ``RowProblem``.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from annotated_types import Ge, Le
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ceasewatch.agreement.problems import Path, did_you_mean

#: Said after a problem that has no more specific hint.
FIX = "fix or remove this record"
MISSING = "required field is missing"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem of one record: ``file:line: field: message — hint``.

    ``line`` is the line of the offending field when it is known, else the line on which
    the record starts (the CSV line for a row). ``record`` numbers the records of a file
    from 1, so that problems can be counted per record (several may share a line).
    """

    file: str
    line: int
    field: str
    message: str
    hint: str | None = None
    record: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message} — {self.hint or FIX}"


def field_name(path: Path) -> str:
    """``("location", "lat")`` -> ``location.lat``; the empty path is ``(record)``."""
    return ".".join(str(p) for p in path) or "(record)"


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem not yet placed in a file."""

    path: Path
    message: str
    hint: str | None = None


#: A check across fields (a ``__post_init__``) reports on the whole object; the start of
#: its message names the field to blame (and is dropped when it is just that name).
_CHECKED_FIELD: tuple[tuple[str, str], ...] = (
    ("end ", "end"),
    ("time ", "time"),
    ("a time of day", "time"),
    ("sub_event_type ", "sub_event_type"),
    ("source end offset", "end"),
)


def explain(error: ValidationError, root: Any) -> list[Issue]:
    """Issues of one record validated as ``root`` (a dataclass), in pydantic's order.

    >>> from pydantic import TypeAdapter
    >>> from ceasewatch.incidents.model import Location
    >>> try:
    ...     TypeAdapter(Location).validate_python({"lat": "abc", "lon": 200, "precision": "twn"})
    ... except ValidationError as e:
    ...     for issue in explain(e, Location):
    ...         print(issue.path, issue.message, "|", issue.hint)
    ('lat',) 'abc' is not a number | write a decimal number such as 36.2
    ('lon',) 200 is outside -180..180 | give WGS84 decimal degrees; are lat and lon swapped?
    ('precision',) 'twn' is not allowed | did you mean 'town'?
    """
    return [_issue(err, root) for err in error.errors(include_url=False)]


def _issue(err: ErrorDetails, root: Any) -> Issue:
    path: Path = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return Issue(path, MISSING)
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        known = _fields(_type_at(root, path[:-1]))
        hint = did_you_mean(str(path[-1]), known) if known else None
        return Issue(path, "unknown field", hint or "see docs/incidents.md for the fields")
    if kind == "value_error":
        return _failed_check(path, str(ctx.get("error", err["msg"])))
    if kind in ("dataclass_type", "dataclass_args_type", "model_type", "dict_type"):
        what = "an incident object" if not path else "an object"
        return Issue(path, f"expected {what}, got {kind_of(value)}", "write it as {...}")
    if kind == "literal_error":
        choices = _choices(_type_at(root, path))
        hint = did_you_mean(str(value), choices) if choices else None
        if hint is None or not hint.startswith("did you mean"):
            hint = f"use one of: {', '.join(choices)}" if choices else None
        return Issue(path, f"{_show(value)} is not allowed", hint)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _out_of_bounds(path, value, _type_at(root, path))
    if kind in ("float_parsing", "float_type", "finite_number"):
        hint = "write a decimal number such as 36.2"
        if isinstance(value, str) and _is_number(value.replace(",", ".", 1)):
            hint = f"use a decimal point: {value.replace(',', '.', 1)}"
        return Issue(path, f"{_show(value)} is not a number", hint)
    if kind.startswith("int_"):
        return Issue(
            path,
            f"{_show(value)} is not a whole number",
            "write a count such as 7, or leave it out",
        )
    if kind.startswith("date"):
        detail = f" ({ctx['error']})" if "error" in ctx else ""
        return Issue(path, f"{_show(value)} is not a date{detail}", "write it as YYYY-MM-DD")
    if kind.startswith("time"):
        detail = f" ({ctx['error']})" if "error" in ctx else ""
        return Issue(
            path,
            f"{_show(value)} is not a time of day{detail}",
            "write local time as HH:MM or HH:MM:SS",
        )
    if kind in ("string_too_short", "too_short") and value == "":
        return Issue(path, "is empty", "give a value, or leave the field out if it is optional")
    if kind == "string_too_short":
        return Issue(path, f"{_show(value)} is too short (at least {ctx.get('min_length')})")
    if kind == "string_type":
        return Issue(path, f"expected text, got {kind_of(value)}", "put the value in quotes")
    if kind in ("tuple_type", "list_type", "iterable_type"):
        return Issue(path, f"expected a list, got {kind_of(value)}", "write it as [...]")
    return Issue(path, err["msg"])


def _failed_check(path: Path, text: str) -> Issue:
    message, _, hint = text.partition(" — ")
    for prefix, name in _CHECKED_FIELD:
        if message.startswith(prefix):
            path = (*path, name)
            message = message.removeprefix(f"{name} ")
            break
    return Issue(path, message, hint or None)


def _out_of_bounds(path: Path, value: Any, annotated: Any) -> Issue:
    low, high = _bounds(annotated)
    shown = value if isinstance(value, str) else _number(value)
    if low is not None and high is not None:
        message = f"{shown} is outside {_number(low)}..{_number(high)}"
    elif low is not None:
        message = f"{shown} is below {_number(low)}"
    else:
        message = f"{shown} is above {_number(high)}"
    if path and path[-1] in ("lat", "lon"):
        return Issue(path, message, "give WGS84 decimal degrees; are lat and lon swapped?")
    return Issue(path, message, "a count is 0 or more" if low == 0 and high is None else None)


# ---- reading the model's annotations ---------------------------------------------------


def _type_at(root: Any, path: Path) -> Any:
    """The annotation found at ``path`` inside the dataclass ``root``, or None."""
    current: Any = root
    for step in path:
        bare = _bare(current)
        if isinstance(step, int):
            args = typing.get_args(bare)
            if typing.get_origin(bare) not in (tuple, list) or not args:
                return None
            current = args[0]
        elif dataclasses.is_dataclass(bare) and isinstance(bare, type):
            current = _hints(bare).get(step)
            if current is None:
                return None
        else:
            return None
    return current


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def _arms(annotated: Any) -> list[Any]:
    """The non-null arms of an optional or union annotation."""
    if typing.get_origin(annotated) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(annotated) if a is not type(None)]
    return [annotated]


def _bare(annotated: Any) -> Any:
    """``Toll | None`` -> ``Toll``; ``Annotated[int, Ge(0)]`` -> ``int``."""
    arm = _arms(annotated)[0]
    return typing.get_args(arm)[0] if typing.get_origin(arm) is typing.Annotated else arm


def _fields(annotated: Any) -> list[str]:
    bare = _bare(annotated)
    if dataclasses.is_dataclass(bare):
        return [f.name for f in dataclasses.fields(bare)]
    return []


def _choices(annotated: Any) -> list[str]:
    bare = _bare(annotated)
    return [str(c) for c in typing.get_args(bare)] if typing.get_origin(bare) is Literal else []


def _bounds(annotated: Any) -> tuple[Any, Any]:
    low = high = None
    arm = _arms(annotated)[0]
    for meta in typing.get_args(arm)[1:] if typing.get_origin(arm) is typing.Annotated else ():
        if isinstance(meta, Ge):
            low = meta.ge
        elif isinstance(meta, Le):
            high = meta.le
    return low, high


# ---- saying values ----------------------------------------------------------------------


def _show(value: Any) -> str:
    """A value as the user wrote it: text quoted, numbers bare."""
    return repr(value) if isinstance(value, str) else _number(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return (
        "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    )


def kind_of(value: Any) -> str:
    """``expected an object, got ___``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__

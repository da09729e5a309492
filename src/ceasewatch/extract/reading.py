"""Articles from files: plain text, HTML and JSONL, with every bad input turned into one
article's error or skip reason rather than a stopped run.

| input | recognised by | one article is |
|---|---|---|
| JSONL | name ends ``.jsonl``/``.ndjson``, or the first line is a JSON object | each line ``{id, text, title?, published?, source?, url?}`` |
| HTML | name ends ``.html``/``.htm``, or the content starts with a tag | the page, its text extracted with trafilatura (scripts, menus and comments dropped; title and date read from the page's metadata) |
| text | anything else | the file (its id is the file name without suffix) |

Bytes are decoded as UTF-8 (a byte-order mark is accepted), else as Windows-1252 with any
byte that code page leaves undefined read as Latin-1 — so Latin-1 files such as the FA-KES
set read correctly. Content with NUL bytes or mostly control characters is binary and
refused; an article over ``MAX_BYTES`` is refused (split it, or give one article per
JSONL line).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from ceasewatch.extract.article import Article, Outcome

MAX_BYTES: Final[int] = 5_000_000
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")


def _latin1_fallback(e: UnicodeError) -> tuple[str, int]:
    assert isinstance(e, UnicodeDecodeError)
    return e.object[e.start : e.end].decode("latin-1"), e.end


codecs.register_error("ceasewatch-latin1", _latin1_fallback)


def decode(data: bytes) -> str:
    """UTF-8 if it is, else Windows-1252 with Latin-1 for the bytes it leaves undefined.

    >>> decode("Deir ez-Zor".encode()), decode("Caf\\xe9 \\x93quoted\\x94 \\x81".encode("latin-1"))
    ('Deir ez-Zor', 'Café “quoted” \\x81')
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="ceasewatch-latin1")


def is_binary(data: bytes) -> bool:
    """NUL bytes, or more than 5% control characters, in the first 8 kB."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return len(_CONTROL.findall(head)) > 0.05 * max(1, len(head))


def parse_date(value: Any) -> dt.date | None:
    """A publication date from ISO text (a date or a datetime), else as dateparser reads
    it (``"Wed 05 Apr 2017"``, ``"4/5/17"``); None when it cannot be read.

    >>> parse_date("2016-09-07"), parse_date("2016-01-11 10:39:04"), parse_date("nonsense")
    (datetime.date(2016, 9, 7), datetime.date(2016, 1, 11), None)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser

    found = dateparser.parse(text, languages=["en"], settings={"DATE_ORDER": "MDY"})
    return found.date() if found is not None else None


def _too_big(origin: str, size: int) -> str:
    return (
        f"{origin}: {size / 1e6:.1f} MB is over the {MAX_BYTES / 1e6:.0f} MB limit for one "
        "article — split it, or give one article per line of a JSONL file"
    )


def _html(data: str, origin: str, article_id: str, published: dt.date | None) -> Article | Outcome:
    import trafilatura

    doc = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return Outcome(article_id, skipped_reason="empty: no article text found in the HTML")
    found = parse_date(getattr(doc, "date", None))
    return Article(
        article_id, text, title=getattr(doc, "title", None),
        published=published or found, source=getattr(doc, "sitename", None),
        url=getattr(doc, "url", None), origin=origin,
    )  # fmt: skip


def _looks_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<") and bool(re.search(r"<(?:html|body|p|div|article|head)\b", head))


def _looks_jsonl(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0].strip()
    if not first.startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def _record(
    obj: Any, origin: str, fallback_id: str, published: dt.date | None
) -> Article | Outcome:
    if not isinstance(obj, dict):
        return Outcome(
            fallback_id,
            errors=(
                f"{origin}: (line): expected an object {{id, text, ...}} — fix or remove this line",
            ),
        )
    raw_id = obj.get("id")
    article_id = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id) else fallback_id
    text = obj.get("text")
    if text is None:
        return Outcome(
            article_id,
            errors=(f"{origin}: text: required field is missing — add the article's text",),
        )
    if not isinstance(text, str):
        return Outcome(article_id, errors=(f"{origin}: text: must be a string",))
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        return Outcome(article_id, errors=(_too_big(origin, len(text.encode("utf-8", "replace"))),))
    errors: list[str] = []
    when = published
    if obj.get("published") not in (None, ""):
        when = parse_date(obj.get("published"))
        if when is None:
            errors.append(
                f"{origin}: published: {obj.get('published')!r} is not a date — write YYYY-MM-DD; "
                "relative dates in this article stay unresolved"
            )
            when = published
    if not text.strip():
        return Outcome(article_id, skipped_reason="empty: no text", errors=tuple(errors))
    if _looks_html(text):
        made = _html(text, origin, article_id, when)
        if isinstance(made, Article):
            return Article(
                made.id, made.text, obj.get("title") or made.title, made.published,
                obj.get("source") or made.source, obj.get("url") or made.url, origin,
            )  # fmt: skip
        return made
    return Article(
        article_id, text, title=_str(obj.get("title")), published=when,
        source=_str(obj.get("source")), url=_str(obj.get("url")), origin=origin,
        problems=tuple(errors),
    )  # fmt: skip


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _jsonl(path: Path, published: dt.date | None) -> Iterator[Article | Outcome]:
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            origin = f"{path}:{n}"
            if not raw.strip():
                continue
            if len(raw) > MAX_BYTES:
                yield Outcome(f"{path.stem}:{n}", errors=(_too_big(origin, len(raw)),))
                continue
            try:
                obj = json.loads(decode(raw))
            except json.JSONDecodeError as e:
                yield Outcome(
                    f"{path.stem}:{n}",
                    errors=(
                        f"{origin}: (line): not valid JSON: {e.msg} — fix or remove this line",
                    ),
                )
                continue
            yield _record(obj, origin, f"{path.stem}:{n}", published)


def read_path(path: Path, published: dt.date | None = None) -> Iterator[Article | Outcome]:
    """The articles in one file (or in every file of a folder, by name), or for each one
    that cannot be read, an ``Outcome`` with its error or skip reason."""
    if path.is_dir():
        for child in sorted(
            p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
        ):
            yield from read_path(child, published)
        return
    origin = str(path)
    if not path.exists():
        yield Outcome(path.stem or origin, errors=(f"{origin}: no such file",))
        return
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson")):
        yield from _jsonl(path, published)
        return
    size = path.stat().st_size
    if size > MAX_BYTES:
        with path.open("rb") as fh:
            head = fh.read(4096)
        if not is_binary(head) and _looks_jsonl(decode(head)):
            yield from _jsonl(path, published)
        else:
            yield Outcome(path.stem, errors=(_too_big(origin, size),))
        return
    data = path.read_bytes()
    if is_binary(data):
        yield Outcome(
            path.stem,
            errors=(
                f"{origin}: binary content, not text, HTML or JSONL — give the article's text",
            ),
        )
        return
    text = decode(data)
    if not text.strip():
        yield Outcome(path.stem, skipped_reason="empty: no text")
    elif name.endswith((".html", ".htm", ".xhtml")) or _looks_html(text):
        yield _html(text, origin, path.stem, published)
    elif _looks_jsonl(text):
        yield from _jsonl(path, published)
    else:
        yield Article(path.stem, text, published=published, origin=origin)

"""Bad input never stops a run: each article gets its own error or skip reason."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ceasewatch.extract import reading
from ceasewatch.extract.article import Article, Outcome

SENTENCE = "Warplanes struck the market in Douma on Monday, killing 12 people, activists said."


def _one(path: Path, published: dt.date | None = None) -> Article | Outcome:
    items = list(reading.read_path(path, published))
    assert len(items) == 1
    return items[0]


def test_latin1_text_is_decoded_not_mangled(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Caf\xe9 owner said \x93jets\x94 struck Douma. " + SENTENCE.encode())
    article = _one(path)
    assert isinstance(article, Article)
    assert article.text.startswith("Café owner said “jets” struck")


def test_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "Deir ez-Zor — جنوب".encode())
    article = _one(path)
    assert isinstance(article, Article) and article.text == "Deir ez-Zor — جنوب"


def test_empty_file_is_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    outcome = _one(path)
    assert isinstance(outcome, Outcome) and outcome.skipped_reason == "empty: no text"
    assert outcome.status == "skipped"


def test_binary_file_fails_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    outcome = _one(path)
    assert isinstance(outcome, Outcome) and outcome.status == "failed"
    assert "binary" in outcome.errors[0] and "photo.txt" in outcome.errors[0]


def test_an_oversized_article_fails_without_being_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(reading.MAX_BYTES + 1)  # sparse: cheap to make
    outcome = _one(path)
    assert isinstance(outcome, Outcome) and outcome.status == "failed"
    assert "limit" in outcome.errors[0] and "split it" in outcome.errors[0]


def test_missing_file_fails(tmp_path: Path) -> None:
    outcome = _one(tmp_path / "nope.txt")
    assert isinstance(outcome, Outcome) and "no such file" in outcome.errors[0]


def test_html_loses_scripts_and_menus_and_keeps_its_date(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Jets hit Douma</title>"
        '<meta property="article:published_time" content="2016-09-05T10:00:00Z">'
        '<script>var s = "Barrel bombs killed 500 people in Aleppo";</script></head>'
        "<body><nav>Home | World | Sport</nav><article><h1>Jets hit Douma</h1>"
        f"<p>{SENTENCE}</p><p>Rescue workers searched the rubble of the market for hours "
        "after the raid, a local council member said.</p></article></body></html>",
        encoding="utf-8",
    )
    article = _one(path)
    assert isinstance(article, Article)
    assert "Barrel bombs" not in article.text and "killing 12 people" in article.text
    assert article.published == dt.date(2016, 9, 5)


def test_jsonl_bad_lines_become_errors_and_good_lines_articles(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": SENTENCE, "published": "2016-09-05"}),
        "{not json",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "bad-date", "text": SENTENCE, "published": "someday"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"text": SENTENCE}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(reading.read_path(path))
    by_id = {i.id: i for i in items}
    assert isinstance(by_id["ok1"], Article) and by_id["ok1"].published == dt.date(2016, 9, 5)
    broken = by_id["batch:2"]
    assert isinstance(broken, Outcome) and "batch.jsonl:2" in broken.errors[0]
    assert "not valid JSON" in broken.errors[0]
    missing = by_id["no-text"]
    assert isinstance(missing, Outcome) and "text: required" in missing.errors[0]
    dated = by_id["bad-date"]
    assert isinstance(dated, Article) and dated.published is None
    assert "published" in dated.problems[0]
    assert isinstance(by_id["batch:5"], Outcome)
    assert isinstance(by_id["batch:7"], Article)  # no id: file and line name it
    assert len(items) == 6


def test_published_dates_in_the_forms_news_data_uses() -> None:
    assert reading.parse_date("4/5/17") == dt.date(2017, 4, 5)
    assert reading.parse_date("Wed 05 Apr 2017") == dt.date(2017, 4, 5)
    assert reading.parse_date("2016-02-27T00:00:00+02:00") == dt.date(2016, 2, 27)

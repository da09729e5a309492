"""``keywords.classify`` takes shortcuts (a lower-case pattern on the lowered text where
that is exact, the clash words tried only where a hint stands): it must answer exactly
what the rules say read plainly — the hints looked for, then the pattern searched with
``re.I`` on the text as given."""

from __future__ import annotations

import csv
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasewatch.ingest import keywords
from tests.conftest import shared_path

_PLAIN_RULES = [
    (rule, keywords.HINTS[rule], re.compile(rf"\b(?:{pattern})\b", re.I), event, sub, methods)
    for rule, pattern, event, sub, methods in keywords.RULES
]
_PLAIN_CLASH = re.compile(rf"\b(?:{keywords.CLASH_WORDS})\b", re.I)


def plainly(
    text: str, event: str, sub: str, *, battle: bool, one_sided: bool, air_capable: bool
) -> tuple[str, str, tuple[str, ...], str]:
    """The rules of keywords.py read plainly: ``classify`` as it was first written (the
    hints first, as a filter, then the pattern with ``re.I``)."""
    lower = text.lower()
    if battle and any(h in lower for h in keywords._CLASH_HINTS) and _PLAIN_CLASH.search(text):
        return event, sub, (), "clash"
    for rule, hints, pattern, new_event, new_sub, methods in _PLAIN_RULES:
        if rule in keywords.AIR_RULES and not air_capable:
            continue
        if rule in keywords.ONE_SIDED_RULES and not one_sided:
            continue
        if any(h in lower for h in hints) and pattern.search(text):
            return new_event or event, new_sub or sub, methods, rule
    return event, sub, (), "default"


FLAGS = list(itertools.product([True, False], repeat=3))


def same(text: str) -> None:
    for battle, one_sided, air in FLAGS:
        got = keywords.classify(
            text, "Battles", "Armed clash", battle=battle, one_sided=one_sided, air_capable=air
        )
        want = plainly(
            text, "Battles", "Armed clash", battle=battle, one_sided=one_sided, air_capable=air
        )
        assert got == want, (text, battle, one_sided, air)


@pytest.mark.slow
def test_every_real_ucdp_headline_is_classified_as_the_plain_rules_say() -> None:
    path = shared_path("data/ucdp-ged-syria/ged191_syria_20160101-20191130.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        headlines = {row["source_headline"] for row in csv.DictReader(fh)}
    fired = set()
    for text in headlines:
        same(text)
        fired.add(
            keywords.classify(text, "B", "A", battle=False, one_sided=True, air_capable=True)[3]
        )
    assert len(fired) >= 8  # the file exercises most rules


@pytest.mark.parametrize(
    "text",
    [
        "CLASHES and AIR STRIKES",
        "Ambushed; a car-bomb",
        "Infighting, no fight",  # "fight" inside a word, then alone
        "ſtorm of the town",  # long s: matches "storm" under re.I, not when lowered
        "KİLLED in Shelling",  # dotted capital I: lowering makes it two characters
        "Warplanes, war planes, helicopters",
        "Ma’arrat al-Nu’man: “shelling” — mortars",
        "execution-style killing",
        "Kelvin \u212a ambush",
        "",
    ],
)
def test_tricky_texts_are_classified_as_the_plain_rules_say(text: str) -> None:
    same(text)


_words = st.sampled_from(
    [
        "clash", "Clashes", "fight", "infight", "AIR", "strike", "air-strike", "war planes",
        "barrel", "shell", "shelled", "mortar", "rocket", "car bomb", "booby-trapped car",
        "executed", "sniper", "mines", "explosive devices", "chlorine", "suicide", "ſtorm",
        "İ", "K", "’", "—", "é", ",", ";", ".", " ", "-",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_words, st.text(max_size=4)), max_size=12))
def test_any_text_is_classified_as_the_plain_rules_say(parts: list[str]) -> None:
    same(" ".join(parts))


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (split on ``|`` outside parentheses)."""
    out, depth, part = [], 0, ""
    for ch in pattern:
        if ch == "|" and depth == 0:
            out.append(part)
            part = ""
            continue
        depth += (ch == "(") - (ch == ")")
        part += ch
    return [*out, part]


@pytest.mark.parametrize(("rule", "pattern"), [(r[0], r[1]) for r in keywords.RULES])
def test_every_match_of_a_rule_begins_with_one_of_its_starts(rule: str, pattern: str) -> None:
    # classify tries a rule's pattern on a lowered text only where one of its STARTS
    # stands: exact only if every alternative begins with one of them, literally
    starts = keywords.STARTS[rule]
    for alternative in _alternatives(pattern):
        assert any(alternative.startswith(s) and re.escape(s) == s.replace(" ", "\\ ")
                   for s in starts), (rule, alternative)  # fmt: skip
    assert all(s == s.lower() for s in starts)


def test_every_clash_word_begins_with_a_clash_hint() -> None:
    for alternative in _alternatives(keywords.CLASH_WORDS):
        assert any(alternative.startswith(h) for h in keywords._CLASH_HINTS), alternative

"""Casualty figures read from single sentences of our own."""

from __future__ import annotations

import pytest

from ceasewatch.extract.assemble import fighters_in_clash
from ceasewatch.extract.tolls import sentence_tolls


def _triple(sentence: str) -> tuple[int | None, int | None, int | None, int | None]:
    t = sentence_tolls(sentence)
    return tuple(  # type: ignore[return-value]
        c.best if c is not None else None for c in (t.killed, t.civilians, t.combatants, t.injured)
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a place's description after the figure names no victims
        ("Air strikes kill 22 in rebel-held Idlib.", (22, 22, None, None)),
        # the second figure has its own verb
        ("Three people killed five injured in a rocket attack.", (3, 3, None, 5)),
        ("Shelling killed a woman and wounded nine others.", (1, 1, None, 9)),
        ("A child was killed and two others injured.", (1, 1, None, 2)),
        ("A sniper killed a soldier at the checkpoint.", (1, None, 1, None)),
        ("35 IS jihadists were killed in clashes.", (35, None, 35, None)),
        ("A man walks past the damaged site.", (None, None, None, None)),
    ],
)
def test_figures_and_who_they_count(
    sentence: str, expected: tuple[int | None, int | None, int | None, int | None]
) -> None:
    assert _triple(sentence) == expected


def test_the_dead_of_a_clash_not_named_as_civilians_are_fighters() -> None:
    bare = sentence_tolls("Fierce clashes left at least 40 dead.")
    assert bare.civilians is not None
    moved = fighters_in_clash(bare, "Armed clash")
    assert moved.civilians is None and moved.combatants == bare.killed
    assert fighters_in_clash(bare, "Shelling/artillery/missile attack") is bare
    named = sentence_tolls("Clashes killed 12 civilians and 30 fighters.")
    assert fighters_in_clash(named, "Armed clash") is named

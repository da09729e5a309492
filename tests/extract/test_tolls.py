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
        # "more than N" is the figure given (ACLED, FA-KES)
        ("The strike killed more than 30 people.", (30, 30, None, None)),
        # the nearer verb: the toll at six, the injured at 40
        ("Officials put the death toll at six and the number of injured at 40.", (6, 6, None, 40)),
        (
            "The shell led to the killing of one person and the injury of 12 others.",
            (1, 1, None, 12),
        ),
        ("Gunmen execute 15 captured soldiers.", (15, None, 15, None)),
        ("The army said it eliminated over 60 militants.", (60, None, 60, None)),
        ("Some 20 fighters were rounded up and executed.", (20, None, 20, None)),
        ("Troops killed a notorious rebel commander at dawn.", (1, None, 1, None)),
        ("A bomb went off in the mosque, killing the imam Sheikh Omar.", (1, 1, None, None)),
        # the victims named after the second figure are the first figure's too
        ("The army killed 18 and wounded 25 IS militants.", (18, None, 18, 25)),
        ("The strikes killed 19 (mostly foreign) jihadists.", (19, None, 19, None)),
        # one figure for the killed and the injured together is casualties, not deaths
        ("Blasts left 19 killed and injured in the town.", (None, None, None, None)),
        ("The number of civilians killed has risen to 20, the agency said.", (20, 20, None, None)),
        # who some of the dead were: the others are the civilians
        ("At least 20 people were killed; 14 of the dead were rebels.", (20, 6, 14, None)),
        ("The monitor said 14 of the dead were opposition fighters.", (14, None, 14, None)),
        ("20 civilians were killed; 14 of the dead were children.", (20, 20, None, None)),
        # a headline's list of figures of different victims adds up; a date's day does not
        ("12 Civilians 8 Rebel Fighters Killed in Strikes on Town", (20, 12, 8, None)),
        ("On October 13 30 people were killed in the town.", (30, 30, None, None)),
        # civilians named as such among people: the others are not said to be civilians
        ("At least 20 people including 13 civilians were killed.", (20, 13, None, None)),
        ("At least 20 people including five children were killed.", (20, 20, None, None)),
        # the dead "among the ranks" of a side are its fighters; "in total" is the toll
        ("There were 15 dead among the ranks of the group.", (15, None, 15, None)),
        ("The monitor said 35 people in total had died.", (35, 35, None, None)),
        # more dead told beside the first figure add up
        ("Bombing killed two medics while seven children were also killed.", (9, 9, None, None)),
        (
            "Shelling killed four people in Douma and another five died in Harasta.",
            (9, 9, None, None),
        ),
        # a year inside a numeric date is no figure
        ("12-03-2016 Several people killed in a blast.", (None, None, None, None)),
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

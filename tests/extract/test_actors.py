"""Who the text says did it, on sentences of our own, with the bundled scenario's aliases."""

from __future__ import annotations

import pytest

from ceasewatch.agreement.model import Scenario
from ceasewatch.extract import cues
from ceasewatch.extract.actors import ActorMatcher, perpetrator


@pytest.fixture(scope="module")
def matcher(syria: Scenario) -> ActorMatcher:
    return ActorMatcher(syria.world.actors)


def _perp(matcher: ActorMatcher, sentence: str) -> tuple[str | None, str]:
    best = cues.best_cue(cues.find_cues(sentence))
    p = perpetrator(sentence, best.start, best.end, matcher.find(sentence))
    return p.actor, p.attribution


@pytest.mark.parametrize(
    ("sentence", "actor", "attribution"),
    [
        ("Barrel bombs dropped from Syrian government helicopters hit the town.", "sy-gov", "reported"),
        ("US-led air strikes killed 20 fighters near Raqqa.", "us-coalition", "reported"),
        ("Twenty died when Assads air force pounded the district.", "sy-gov", "reported"),
        ("Russian and Syrian air forces renewed their raids on the city.", "pro-government", "reported"),
        ("Warplanes either Russia or Syrian carried out six strikes on the village.", "pro-government", "reported"),
        ("The opposition accused government forces of killing 1000 civilians with poison gas.", "sy-gov", "alleged"),
        ("Jihadists from the Islamic State of Iraq and the Levant (ISIL) executed three officers.", "isis", "reported"),
        ("Jet strikes blamed on the Syrian regime hit the market.", "sy-gov", "alleged"),
        ("Air strikes killed 36 people including children, opposition activists said.", None, "unknown"),
        ("Syrian Army Advances in Hama, Kills 12 Militants", "sy-gov", "reported"),
        ("Some 30 militants were killed in clashes with the Syrian army near Homs.", "sy-gov", "reported"),
        ("Jets hit a camp near the border with Turkey, killing four people.", None, "unknown"),
        ("Washington says it was a chemical weapons attack by the government that killed 90.", "sy-gov", "reported"),
        ("The Daesh group claimed responsibility for the bombing in Manbij.", "isis", "claimed"),
        ("The raids were carried out by aircraft belonging to the Syrian government or Russia.", "pro-government", "reported"),
        ("IS said in a statement that one of its fighters blew himself up in Hasakeh.", "isis", "claimed"),
        ("Six were killed, the monitor said, blaming the Islamic State group for the attack.", "isis", "alleged"),
        # who holds a place is not who acted there
        ("Nine were killed in air strikes on a village held by IS on Monday.", None, "unknown"),
        ("Strikes on districts controlled by the regime killed four.", None, "unknown"),
        # an actor inside a prepositional phrase is not the subject that kills
        ("Bombardment of a rebel enclave near the capital kills 12", None, "unknown"),
        # the victims, civilians, are no side of a fight
        ("A car bomb killed eight people near an opposition office.", None, "unknown"),
    ],
)  # fmt: skip
def test_the_agent_the_sentence_names(
    matcher: ActorMatcher, sentence: str, actor: str | None, attribution: str
) -> None:
    assert _perp(matcher, sentence) == (actor, attribution)


def test_a_sides_voice_and_a_places_description_are_not_actors(matcher: ActorMatcher) -> None:
    found = matcher.find(
        "Opposition activists said rebel-held towns were hit; regime media denied it."
    )
    assert [a.actor for a in found] == []


def test_kurdish_fighters_are_not_the_syrian_army(matcher: ActorMatcher) -> None:
    found = matcher.find("IS jihadists clashed with Syrian Kurdish fighters and Hezbollah.")
    assert [a.actor for a in found] == ["isis", "sdf", "pro-government"]


def test_the_army_is_the_home_states_a_foreign_one_is_named(matcher: ActorMatcher) -> None:
    found = matcher.find(
        "The army shelled the town; the Iraqi army and the army of Jordan did not."
    )
    assert [a.actor for a in found] == ["sy-gov", "iraq"]

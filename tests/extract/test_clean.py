"""Boilerplate ranges: what is cut and, as much, what is not (hand-written page layouts)."""

from __future__ import annotations

from ceasewatch.extract.clean import body_end, boilerplate


def _cut(text: str) -> list[str]:
    return [text[s:e].strip() for s, e in boilerplate(text)]


def _kept(text: str) -> str:
    out, pos = [], 0
    for s, e in boilerplate(text):
        out.append(text[pos:s])
        pos = e
    out.append(text[pos:])
    return "".join(out)


def test_a_related_line_between_paragraphs_is_cut_alone() -> None:
    text = (
        "Jets struck a market in Idlib on Monday, a monitor said.\n"
        "Related: Rockets Hit Homs Suburb Overnight\n"
        "Five people died in the market and twelve were hurt, medics said.\n"
        "The monitor blamed government aircraft.\n"
    )
    assert _cut(text) == ["Related: Rockets Hit Homs Suburb Overnight"]
    kept = _kept(text)
    assert "Five people died in the market" in kept
    assert "government aircraft" in kept
    assert body_end(text, boilerplate(text)) == len(text)


def test_a_related_sentence_is_prose() -> None:
    text = "Jets struck Idlib on Monday.\nRelated: the strikes followed a week of clashes.\nTen died.\n"
    assert boilerplate(text) == []


def test_a_flattened_run_of_related_headlines_still_ends_the_body() -> None:
    text = (
        "Jets struck a market in Idlib on Monday, killing five people. Medics said twelve "
        "were hurt. Related Rockets Hit Homs Suburb Car Bomb Kills 40 in Azaz"
    )
    assert _cut(text) == ["Related Rockets Hit Homs Suburb Car Bomb Kills 40 in Azaz"]


def test_caption_credit_lines_are_cut_and_the_story_kept() -> None:
    text = (
        "Families wait at a camp near the border.\n"
        " Jane Roe/AFP/Getty Images\n hide caption\n toggle caption\n"
        " Jane Roe/AFP/Getty Images\n"
        "Shelling hit the camp on Tuesday and killed three children, aid workers said.\n"
        " Corbis via Getty Images\n"
        "AP\n"
        "AP reported that the shelling came from the south.\n"
        " John Doe/Reuters\n"
        "The camp holds about 4,000 people.\n"
    )
    cut = " | ".join(_cut(text))
    for credit in ("hide caption", "toggle caption", "Corbis via Getty Images", "John Doe/Reuters"):
        assert credit in cut
    kept = _kept(text)
    assert "killed three children" in kept
    assert "AP reported that the shelling came from the south." in kept
    assert "The camp holds about 4,000 people." in kept


def test_a_video_link_line_is_cut_but_not_a_sentence() -> None:
    text = (
        "Jets struck Idlib on Monday.\n"
        "WATCH: Footage of the damage in the old city\n"
        "Watch: the monitor says ten people died there.\n"
        "Rescuers searched the rubble.\n"
    )
    assert _cut(text) == ["WATCH: Footage of the damage in the old city"]

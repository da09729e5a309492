"""How well extraction matches human coding: FA-KES (Salem et al., ICWSM 2019).

Each FA-KES article is coded with the governorate, the actor, the cause of death and the
civilian and non-civilian deaths of its main event. An article's *main incident* here is
the extracted incident with the highest best fatality estimate among those its lead
reports (``main_incident``: first told within 400 characters of the first; among equals
the one whose agent is named, then the first; when the lead gives no figure, among all
its incidents); an article with no incident predicts no governorate, unknown cause and actor, and zero
deaths. Fields are mapped to FA-KES's labels as follows.

| field | ceasewatch | FA-KES |
|---|---|---|
| governorate | ``location.admin1_pcode`` | ``location``; "damascus" covers Damascus (SY01) and Rural Damascus (SY03) |
| cause | Air/drone strike, Shelling/artillery/missile attack | shelling |
| | Suicide bomb, Remote explosive/landmine/IED, Grenade | explosion |
| | Chemical weapon | chemical and toxic gases |
| | Armed clash told with a weapon or fighting word; an Attack by gunfire or sniper | shooting |
| | the method ``execution`` (unless the event type names a weapon) | execution |
| | anything else (a clash told by its dead alone) | unknown — unless the article tells another event in the same governorate with a known cause: the nearest one's (``cause_in_context``) |
| actor | ``sy-gov``, ``ru`` (or their bloc) | syrian government or russian troops |
| | ``us-coalition`` | international coalition forces |
| | ``isis`` | the ISIS label |
| | ``opposition`` | armed opposition groups |
| | ``sdf`` | self administration forces |
| | ``nusra`` | al-nusra front |
| | none — unless a scenario attribution rule that holds country-wide presumes one for a method (barrel bombs ⇒ ``sy-gov``), as the evaluation would | unknown |
| | (scored beside, not in the headline figure) none, for an air strike or chemical attack, when the article names no other perpetrator of such an event (the coders' convention, ``coders_convention``) | syrian government or russian troops |
| civilians killed | ``civilian_fatalities.best`` | ``nb_civilians`` (exact, and within ±20%) |
| total killed | ``fatalities.best`` | ``nb_civilians + nb_noncivilians`` |

The keyword baseline, computed on the same articles in the same run, is what one would
write first: the first governorate, weapon and actor word in the text, and the first
number before "killed"/"civilians".
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ceasewatch.agreement.model import AttributionRule, Scenario
from ceasewatch.errors import UsageError
from ceasewatch.extract.article import Article, Outcome
from ceasewatch.extract.reading import decode, parse_date
from ceasewatch.incidents.model import Incident

GOVERNORATES: Final[dict[str, str]] = {
    "SY01": "damascus", "SY02": "aleppo", "SY03": "damascus", "SY04": "homs", "SY05": "hama",
    "SY06": "lattakia", "SY07": "idlib", "SY08": "hasakeh", "SY09": "deir ezzor",
    "SY10": "tartous", "SY11": "raqqa", "SY12": "daraa", "SY13": "sweida", "SY14": "quneitra",
}  # fmt: skip
ISIS_LABEL: Final[str] = "the organization of the islamic state in iraq and the levant - isis"
ACTORS: Final[dict[str, str]] = {
    "sy-gov": "syrian government or russian troops",
    "ru": "syrian government or russian troops",
    "pro-government": "syrian government or russian troops",
    "us-coalition": "international coalition forces",
    "isis": ISIS_LABEL,
    "opposition": "armed opposition groups",
    "sdf": "self administration forces",
    "nusra": "al-nusra front",
}
CAUSES: Final[dict[str, str]] = {
    "Air/drone strike": "shelling",
    "Shelling/artillery/missile attack": "shelling",
    "Suicide bomb": "explosion",
    "Remote explosive/landmine/IED": "explosion",
    "Grenade": "explosion",
    "Chemical weapon": "chemical and toxic gases",
    "Armed clash": "shooting",
}
FIELDS: Final[tuple[str, ...]] = ("governorate", "cause", "actor", "civilians", "total")


@dataclass(frozen=True, slots=True)
class Row:
    article: Article
    governorate: str
    cause: str
    actor: str
    civilians: int
    total: int


@dataclass(frozen=True, slots=True)
class Coded:
    """One article's main event as a system codes it (FA-KES labels)."""

    governorate: str
    cause: str
    actor: str
    civilians: int
    total: int


_COUNT: Final = re.compile(r"\s*\d+(?:\.0*)?\s*")


def read_fakes(path: Path, limit: int | None = None, skipped: list[str] | None = None) -> list[Row]:
    """FA-KES rows (the file is Latin-1, decoded as such). A row whose counts are not
    numbers is an error, or — given ``skipped`` — left out with the reason added there."""
    text = decode(path.read_bytes())
    reader = csv.DictReader(io.StringIO(text))
    need = {
        "unit_id",
        "article_content",
        "date",
        "location",
        "actor",
        "cause_of_death",
        "nb_civilians",
        "nb_noncivilians",
    }
    missing = need - set(reader.fieldnames or ())
    if missing:
        raise UsageError(
            f"{path}: not a FA-KES file — missing column(s) {', '.join(sorted(missing))}"
        )
    rows: list[Row] = []
    for r in reader:
        if limit is not None and len(rows) >= limit:
            break
        bad = [f for f in ("nb_civilians", "nb_noncivilians") if not _COUNT.fullmatch(r[f] or "0")]
        if bad:
            problem = (
                f"{path}:{reader.line_num}: {bad[0]}: {r[bad[0]]!r} is not a count — write a "
                "whole number (or leave it empty for 0); the article is left out"
            )
            if skipped is None:
                raise UsageError(problem)
            skipped.append(problem)
            continue
        article = Article(
            r["unit_id"], r["article_content"], title=r.get("article_title") or None,
            published=parse_date(r["date"]), source=r.get("source") or None,
            origin=f"{path}:{reader.line_num}",
        )  # fmt: skip
        rows.append(
            Row(
                article, r["location"].strip().lower(), r["cause_of_death"].strip().lower(),
                r["actor"].strip().lower(), int(float(r["nb_civilians"] or 0)),
                int(float(r["nb_civilians"] or 0)) + int(float(r["nb_noncivilians"] or 0)),
            )
        )  # fmt: skip
    return rows


#: How far (characters) after the first event the article reports its lead still runs.
LEAD_CHARS: Final[int] = 400


def _first_told(i: Incident) -> int:
    return min((s.start for s in i.sources if s.start is not None), default=1 << 30)


def _deaths(i: Incident) -> int | None:
    return i.fatalities.best if i.fatalities is not None else None


def main_incident(
    incidents: Sequence[Incident], *, lead_only: bool = True, recalled: Collection[str] = ()
) -> Incident | None:
    """The article's main incident: among the incidents its lead reports (first told
    within ``LEAD_CHARS`` of the first one told), the one with the highest best fatality
    estimate — among equals, one whose agent the text names, then the first (two
    mentions of one toll that did not merge, such as a photo caption and the report it
    illustrates, are one event told twice). An event recalled further down ("days after an
    attack that killed 120") is not what the article is about, however large its toll —
    unless the lead gives no figure at all: then the article's figures are told further
    down, and the highest toll anywhere is the main incident (the issue's literal rule).

    An event the lead tells only as what came before its own ("rebels hit a school in
    Aleppo just a day after airstrikes on a school in Idlib killed 35": ``recalled``, the
    ids ``Outcome.recalled`` gives) is context too, unless the lead tells nothing else.

    ``lead_only=False`` is the issue's literal rule: the highest best fatality estimate
    among all the article's incidents (``measure extract`` prints both).
    """
    if not incidents:
        return None
    told = [i for i in incidents if i.id not in recalled] if lead_only else []
    told = told or list(incidents)
    first = min(_first_told(i) for i in told)
    lead = [i for i in told if lead_only is False or _first_told(i) <= first + LEAD_CHARS]
    if not any(_deaths(i) is not None for i in lead):
        # the lead gives no figure: the article's figures are told further down
        lead = list(incidents)
    best: Incident | None = None
    top = (-2, False)
    for i in lead:
        deaths = i.fatalities.best if i.fatalities and i.fatalities.best is not None else -1
        key = (deaths, i.perpetrator.actor is not None)
        if key > top:
            best, top = i, key
    return best


def cause_of(i: Incident) -> str:
    """The cause of death FA-KES would code: the weapon the event type names; else an
    execution; else gunfire. A clash the text tells by its dead alone ("the army killed 62
    rebels", no weapon, no fighting word) does not say what killed them: unknown."""
    if i.sub_event_type in CAUSES and i.sub_event_type != "Armed clash":
        return CAUSES[i.sub_event_type]
    if "execution" in i.method:
        return "execution"
    if i.sub_event_type == "Attack" and ({"gunfire", "sniper"} & set(i.method)):
        return "shooting"
    if i.sub_event_type == "Armed clash" and i.method:
        return "shooting"
    return "unknown"


def cause_in_context(main: Incident, incidents: Sequence[Incident]) -> str:
    """The cause of death of the main incident, as the coders read it: its own
    (``cause_of``); when its text does not say what killed ("the army killed 62 rebels",
    "an attack on the town killed 12"), the cause of the nearest other event the article
    reports in the same governorate ("... as warplanes pounded the town"), else unknown.
    The incident itself is not changed: it keeps what its own sentences say."""
    own = cause_of(main)
    if own != "unknown" or main.location.admin1_pcode is None:
        return own
    here = _first_told(main)
    told = [
        (abs(_first_told(i) - here), cause_of(i))
        for i in incidents
        if i is not main and i.location.admin1_pcode == main.location.admin1_pcode
    ]
    known = [t for t in told if t[1] != "unknown"]
    return min(known)[1] if known else own


def presumed(i: Incident, rules: Sequence[AttributionRule]) -> str | None:
    """The actor an evaluation would presume for an incident whose text names none: the
    first of the scenario's attribution rules that holds anywhere in the country (no
    zones) and covers one of its methods ("barrel bombs were dropped by the Syrian
    government's helicopters only"). The incident itself keeps ``actor: null``."""
    if i.perpetrator.actor is not None:
        return i.perpetrator.actor
    for rule in rules:
        if not rule.zones and rule.methods & set(i.method) and len(rule.actors) == 1:
            return rule.actors[0]
    return None


#: Event types whose unnamed perpetrator FA-KES's coders take to be the government bloc.
_AERIAL: Final[frozenset[str]] = frozenset({"Air/drone strike", "Chemical weapon"})
#: The bloc that flew over opposition areas and is accused of the chemical attacks.
_BLOC: Final[str] = "pro-government"
_BLOC_MEMBERS: Final[frozenset[str]] = frozenset({"sy-gov", "ru", "pro-government"})


def coders_convention(main: Incident, incidents: Sequence[Incident]) -> str | None:
    """The FA-KES coders' convention for an air strike or chemical attack whose text names
    no perpetrator: the Syrian government or Russia (the label FA-KES joins them under) —
    unless the article names another perpetrator for an event of the same kind (the US-led
    coalition's, Turkey's or Israel's jets; a group's chemical shells), when it stays
    unknown. It is how the human coding reads such reports, applied only to score against
    it: the incident keeps ``actor: null`` and ``attribution: unknown``."""
    if main.perpetrator.actor is not None or main.sub_event_type not in _AERIAL:
        return None
    others = {
        i.perpetrator.actor
        for i in incidents
        if i.sub_event_type == main.sub_event_type and i.perpetrator.actor is not None
    }
    return None if others - _BLOC_MEMBERS else _BLOC


def coded(
    outcome: Outcome,
    rules: Sequence[AttributionRule] = (),
    *,
    lead_only: bool = True,
    convention: bool = False,
) -> Coded:
    """An extraction outcome as FA-KES would code it; ``rules``: the scenario's
    attribution rules, applied as the evaluation applies them (``presumed``);
    ``lead_only``: which main-incident rule (``main_incident``); ``convention``: whether
    the coders' convention for unnamed air strikes applies (``coders_convention``; off:
    the issue's mapping, none => unknown)."""
    main = main_incident(outcome.incidents, lead_only=lead_only, recalled=outcome.recalled)
    if main is None:
        return Coded("(none)", "unknown", "unknown", 0, 0)
    actor = ACTORS.get(
        presumed(main, rules)
        or (coders_convention(main, outcome.incidents) if convention else None)
        or "",
        "unknown",
    )
    civ = main.civilian_fatalities.best if main.civilian_fatalities else None
    total = main.fatalities.best if main.fatalities else None
    return Coded(
        GOVERNORATES.get(main.location.admin1_pcode or "", "(none)"),
        cause_in_context(main, outcome.incidents), actor,
        civ or 0, total or 0,
    )  # fmt: skip


# ---- the keyword baseline: what one writes first --------------------------------------

_B_GOV = {"aleppo": "aleppo", "damascus": "damascus", "ghouta": "damascus", "douma": "damascus",
          "idlib": "idlib", "deir": "deir ezzor", "raqqa": "raqqa", "homs": "homs",
          "hasak": "hasakeh", "hama": "hama", "daraa": "daraa", "deraa": "daraa",
          "latakia": "lattakia", "lattakia": "lattakia", "quneitra": "quneitra",
          "palmyra": "homs", "tartus": "tartous", "sweida": "sweida"}  # fmt: skip
_B_CAUSE = [("chemical", "chemical and toxic gases"), ("gas", "chemical and toxic gases"),
            ("execut", "execution"), ("behead", "execution"), ("suicide", "explosion"),
            ("car bomb", "explosion"), ("explosion", "explosion"), ("blast", "explosion"),
            ("airstrike", "shelling"), ("air strike", "shelling"), ("shelling", "shelling"),
            ("raid", "shelling"), ("clash", "shooting"), ("shot", "shooting")]  # fmt: skip
_B_ACTOR = [("coalition", "international coalition forces"), ("isis", ISIS_LABEL),
            ("islamic state", ISIS_LABEL), ("daesh", ISIS_LABEL), ("nusra", "al-nusra front"),
            ("kurdish", "self administration forces"), ("sdf", "self administration forces"),
            ("rebels", "armed opposition groups"), ("russian", "syrian government or russian troops"),
            ("regime", "syrian government or russian troops"),
            ("government", "syrian government or russian troops")]  # fmt: skip
_B_NUM = re.compile(r"\b(\d+)\s+(?:\w+\s+){0,2}?(civilians|people|persons|killed|dead)\b", re.I)


def _first(text: str, pairs: Sequence[tuple[str, str]], default: str) -> str:
    hits = [(text.find(k), v) for k, v in pairs if k in text]
    return min(hits)[1] if hits else default


def keyword_baseline(article: Article) -> Coded:
    """A forty-line keyword matcher, for scale."""
    text = f"{article.title or ''} {article.text}".lower()
    gov = _first(text, list(_B_GOV.items()), "(none)")
    cause = _first(text, _B_CAUSE, "unknown")
    actor = _first(text, _B_ACTOR, "unknown")
    m = _B_NUM.search(article.text)
    n = int(m.group(1)) if m else 0
    return Coded(gov, cause, actor, n, n)


# ---- scoring -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Report:
    rows: tuple[Row, ...]
    ours: tuple[Coded, ...]
    baseline: tuple[Coded, ...]
    statuses: Counter[str]
    #: the same outcomes coded with the issue's literal main-incident rule (any incident)
    literal: tuple[Coded, ...] = ()
    #: the same outcomes coded with the coders' convention for unnamed air strikes
    conventional: tuple[Coded, ...] = ()


def run(rows: Sequence[Row], scenario: Scenario, *, workers: int = 1) -> Report:
    """Extract every article, code both systems, keep everything for ``render``."""
    from ceasewatch.extract import batch

    outcomes = list(batch.run([r.article for r in rows], scenario, workers=workers))
    return Report(
        tuple(rows),
        tuple(coded(o, scenario.world.attribution, convention=False) for o in outcomes),
        tuple(keyword_baseline(r.article) for r in rows),
        Counter(o.status for o in outcomes),
        tuple(
            coded(o, scenario.world.attribution, lead_only=False, convention=False)
            for o in outcomes
        ),
        tuple(coded(o, scenario.world.attribution, convention=True) for o in outcomes),
    )


def _truth(row: Row, field: str) -> str | int:
    value: str | int = getattr(row, field)
    return value


def _within(pred: int, truth: int, share: float = 0.2) -> bool:
    return abs(pred - truth) <= share * truth if truth else pred == 0


def accuracy(
    report: Report, field: str, system: Sequence[Coded], *, tolerant: bool = False
) -> float:
    if not report.rows:
        return 0.0
    hits = 0
    for row, c in zip(report.rows, system, strict=True):
        t, p = _truth(row, field), getattr(c, field)
        if tolerant:
            hits += _within(int(p), int(t))
        else:
            hits += p == t
    return hits / len(report.rows)


def _bin(n: int) -> str:
    return (
        next(
            label
            for bound, label in ((0, "0"), (5, "1-5"), (20, "6-20"), (100, "21-100"))
            if n <= bound
        )
        if n <= 100
        else ">100"
    )


def confusion(report: Report, field: str, system: Sequence[Coded]) -> str:
    """Truth (rows) by prediction (columns); counts in bins for the death tolls."""
    label: Callable[[str | int], str] = (
        (lambda v: _bin(int(v))) if field in ("civilians", "total") else (lambda v: str(v)[:18])
    )
    pairs = Counter(
        (label(_truth(r, field)), label(getattr(c, field)))
        for r, c in zip(report.rows, system, strict=True)
    )
    truths = sorted(
        {t for t, _ in pairs}, key=lambda v: -sum(n for (t, _), n in pairs.items() if t == v)
    )
    preds = sorted(
        {p for _, p in pairs}, key=lambda v: -sum(n for (_, p), n in pairs.items() if p == v)
    )
    width = max(8, *(len(p) for p in preds))
    lines = [" " * 19 + "".join(p.rjust(width + 1) for p in preds)]
    for t in truths:
        lines.append(
            t.ljust(19) + "".join(str(pairs.get((t, p), "")).rjust(width + 1) for p in preds)
        )
    return "\n".join(lines)


GOALS: Final[dict[str, float]] = {
    "governorate": 0.95, "cause": 0.85, "actor": 0.75, "civilians": 0.75, "total": 0.65,
}  # fmt: skip


def render(report: Report, path: Path) -> str:
    """The printed report: a summary table, then a confusion table per field."""
    n = len(report.rows)
    s = report.statuses
    lines = [
        f"FA-KES: {n} articles from {path} ({s['ok']} ok, {s['skipped']} skipped, {s['failed']} failed)",
        "",
        f"{'field':<22}{'ceasewatch':>11}{'keywords':>10}{'goal':>7}",
    ]
    for field in FIELDS:
        ours = accuracy(report, field, report.ours)
        base = accuracy(report, field, report.baseline)
        name = {"civilians": "civilians killed exact", "total": "total killed exact"}.get(
            field, field
        )
        lines.append(f"{name:<22}{ours:>11.2f}{base:>10.2f}{GOALS[field]:>7.2f}")
    ours = accuracy(report, "civilians", report.ours, tolerant=True)
    base = accuracy(report, "civilians", report.baseline, tolerant=True)
    lines.append(f"{'civilians within ±20%':<22}{ours:>11.2f}{base:>10.2f}{'':>7}")
    if report.literal:
        figures = ", ".join(
            f"{field} {accuracy(report, field, report.literal):.2f}" for field in FIELDS
        )
        lines += [
            "",
            "main incident = the lead's highest toll (above); with the highest toll "
            f"anywhere in the article instead: {figures}",
        ]
    if report.conventional:
        actor = accuracy(report, "actor", report.conventional)
        lines += [
            "actor scored with the issue's mapping (none => unknown, above); with the coders' "
            "convention instead — an air strike or chemical attack whose text names no "
            "perpetrator scored as government or Russia unless the article names another for "
            f"such an event (the incidents keep actor null): actor {actor:.2f}",
        ]
    for field in FIELDS:
        lines += [
            "",
            f"{field} — ceasewatch (rows: FA-KES, columns: predicted)",
            confusion(report, field, report.ours),
        ]
    return "\n".join(lines)

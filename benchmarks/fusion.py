"""Fusion quality and speed on real events re-reported as other feeds would report them.

    python benchmarks/fusion.py            # UCDP GED Syria 2016, then 1,000,000 reports
    python benchmarks/fusion.py --smoke    # a small slice (a few seconds)
    python benchmarks/fusion.py --year 2017 --seed 7 --scale 0

The truth: every UCDP GED Syria event of the year (../shared/data/ucdp-ged-syria, mapped
by the UCDP importer) is one real event. The UCDP record itself is one report of it; then
three other feeds — an ACLED-like dataset, a monitor and a wire — each report it or not
(0-3 re-reports per event), as such feeds do: coordinates jittered within the precision
they give, the date a day off now and then where the precision allows, the place spelled
another way (or named by its district), other death tolls, actors named in the feed's own
vocabulary (resolved to the scenario's actors the way the importers resolve them, or not
at all), the event coded in other words. Which reports belong to which event is known.

Merge quality is measured over pairs of reports: precision = the share of pairs put in
one incident that are one real event; recall = the share of pairs of one real event put
in one incident. The naive rule (same day and same place name, compared exactly after
case folding, as exact-match de-duplication does) runs on the same reports in the same
run. Then the import throughput figures of benchmarks/import_throughput.py, when present.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import math
import random
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ceasewatch.fusion import FusionSettings, Report, fuse
from ceasewatch.incidents.model import Incident, Location, Occurred, Perpetrator, Source, Toll
from ceasewatch.incidents.vocab import PRECISION_RADIUS_M

ROOT = Path(__file__).resolve().parents[1]
UCDP_CSV = ROOT.parent / "shared" / "data" / "ucdp-ged-syria" / "ged191_syria_20160101-20191130.csv"
COMMAND = "python benchmarks/fusion.py"

# --------------------------------------------------------------------------- the truth


def ucdp_incidents(rows: Iterable[dict[str, str]]) -> list[Incident]:
    """UCDP GED rows -> incidents, through the UCDP importer's mapper (the one place the
    benchmark maps rows)."""
    from ceasewatch.ingest import ucdp
    from ceasewatch.ingest.context import default_context
    from ceasewatch.ingest.result import Mapped

    ctx = default_context()
    out = []
    for row in rows:
        got = ucdp.map_row(row, ctx)
        if isinstance(got, Mapped):
            out.append(got.incident)
    return out


def load_truth(year: int, limit: int | None) -> list[Incident]:
    with UCDP_CSV.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == str(year)]
    rows.sort(key=lambda r: (r["date_start"], r["id"]))
    if limit is not None:  # a contiguous slice keeps the real density of events
        mid = len(rows) // 2
        rows = rows[mid : mid + limit]
    return ucdp_incidents(rows)


# --------------------------------------------------------------------------- the feeds

#: How each feed names the scenario's actors (text as the feed writes it).
VOCABULARIES: dict[str, dict[str, list[str]]] = {
    "acled": {
        "sy-gov": ["Military Forces of Syria (2000-)", "NDF: National Defence Forces"],
        "ru": ["Military Forces of Russia (2000-)"],
        "opposition": ["Opposition Rebels (Syria)", "Ahrar al-Sham", "Jaysh al-Islam"],
        "isis": ["IS: Islamic State"],
        "nusra": ["Jabhat Fateh al-Sham"],
        "sdf": ["QSD: Syrian Democratic Forces"],
        "turkey": ["Military Forces of Turkey (2016-)"],
        "us-coalition": ["Global Coalition Against Daesh"],
        "israel": ["Military Forces of Israel (2009-)"],
        "civilians": ["Civilians (Syria)"],
    },
    "monitor": {
        "sy-gov": ["Syrian regime forces", "regime helicopters", "Assad forces"],
        "ru": ["Russian warplanes"],
        "opposition": ["armed opposition factions", "Free Syrian Army"],
        "isis": ["ISIS"],
        "nusra": ["Nusra Front"],
        "sdf": ["YPG"],
        "turkey": ["Turkish army"],
        "us-coalition": ["international coalition"],
        "israel": ["Israeli warplanes"],
        "civilians": ["residents"],
    },
    "wire": {
        "sy-gov": ["Syrian army", "government forces", "Syrian warplanes"],
        "ru": ["Russian jets"],
        "opposition": ["rebels", "insurgents"],
        "isis": ["Islamic State", "Daesh"],
        "nusra": ["al-Nusra Front"],
        "sdf": ["Syrian Democratic Forces", "Kurdish fighters"],
        "turkey": ["Turkish forces"],
        "us-coalition": ["US-led coalition"],
        "israel": ["Israeli army"],
        "civilians": ["civilians"],
    },
}
#: Vague attributions a feed may give instead ("unknown" to fusion).
VAGUE = ["unidentified warplanes", "unknown gunmen", "warplanes", "unidentified attackers"]

FEEDS = {  # feed -> (dataset, source class, publisher)
    "acled": ("acled-like", "dataset", "ACLED-like"),
    "monitor": ("monitor-like", "monitor", "Monitor-like"),
    "wire": ("wire-like", "wire", "Wire-like"),
}

#: Exonyms and transliterations of big places: either spelling may be used.
EXONYMS = [
    ("Aleppo", "Halab"),
    ("Homs", "Hims"),
    ("Hama", "Hamah"),
    ("Latakia", "Al-Ladhiqiyah"),
    ("Deir ez Zor", "Dayr az Zawr"),
    ("Deir ez-Zor", "Deir al-Zour"),
    ("Raqqa", "Ar-Raqqah"),
    ("Idlib", "Idleb"),
    ("Daraa", "Dar'a"),
    ("Palmyra", "Tadmur"),
    ("Damascus", "Dimashq"),
    ("Douma", "Duma"),
]
_KINDS = re.compile(r"\s+(town|village|city|camp|neighbou?rhood|suburb)$", re.I)
_ARTICLE = re.compile(r"\b([Aa][lnrstdz]{1,2}|[Ee][lnrstdz]{1,2})[- ](?=[A-Za-z])")


def respell(name: str, rng: random.Random) -> str:
    """Another feed's spelling of a place name."""
    base = _KINDS.sub("", name).strip()
    for a, b in EXONYMS:
        pattern = rf"\b{re.escape(a)}\b"
        if re.search(pattern, base, re.I) and rng.random() < 0.5:
            base = re.sub(pattern, b, base, flags=re.I)
    if rng.random() < 0.6:
        base = _ARTICLE.sub(lambda m: rng.choice(["al-", "al ", "el-", "", "Al-"]), base)
    swaps = [
        ("ou", "u"),
        ("u", "ou"),
        ("ee", "i"),
        ("aa", "a"),
        ("ei", "ay"),
        ("q", "k"),
        ("-", " "),
    ]
    for old, new in swaps:
        if old in base and rng.random() < 0.25:
            base = base.replace(old, new, 1)
    admin = re.search(r"district|governorate|province|syria", base, re.I)
    if rng.random() < 0.2 and not admin:
        base += rng.choice([" town", " village"])
    return base


@dataclass(frozen=True)
class Truth:
    incident: Incident
    admin1: str | None  # governorate and district names, for feeds that place an event
    admin2: str | None  # only that precisely


#: The precision a feed gives, drawn from these (never finer than UCDP's).
COARSER = {
    "exact": ["exact", "neighbourhood", "town"],
    "neighbourhood": ["neighbourhood", "town"],
    "town": ["town"] * 8 + ["district"] * 2 + ["province"],
    "district": ["district"] * 5 + ["province"],
    "province": ["province"],
    "country": ["country"],
}


def jitter(lat: float, lon: float, radius: float, rng: random.Random) -> tuple[float, float]:
    """A point uniformly in the disc of ``radius`` metres around (lat, lon)."""
    if not radius or math.isinf(radius):
        return lat, lon
    r = radius * math.sqrt(rng.random())
    theta = rng.random() * 2 * math.pi
    dlat = r * math.cos(theta) / 111_195.0
    dlon = r * math.sin(theta) / (111_195.0 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


@dataclass(frozen=True)
class Noise:
    """How far a feed's report strays from the event, beyond the feed's own vocabulary."""

    name: str
    date_shift: float = 0.2  # a day-dated report is a day off
    coarsen: bool = False  # the feed places some events only by district or governorate
    vague_actor: float = 0.0  # "unidentified warplanes" instead of a named actor
    drop_method: float = 0.0  # the feed does not say how
    missing_toll: float = 0.0  # the feed gives no death toll
    miscode: float = 0.0  # a wire calls a bombardment fighting


#: What the issue lists: jittered coordinates within the precision, the date a day off
#: where the precision allows, other spellings, other tolls, other actor vocabularies.
AS_SPECIFIED = Noise("as specified")
#: All of that, and feeds that know less: coarser places, vague perpetrators, no method,
#: no toll, a bombardment coded as fighting.
HARDER = Noise(
    "harder", coarsen=True, vague_actor=0.15, drop_method=0.3, missing_toll=0.15, miscode=0.15
)


def recode(
    inc: Incident, feed: str, rng: random.Random, noise: Noise
) -> tuple[str, str, tuple[str, ...]]:
    """The event as the feed codes it: same kind of event, perhaps other words."""
    event, sub, methods = inc.event_type, inc.sub_event_type, tuple(inc.method)
    air = bool({"airstrike", "barrel_bomb"} & set(methods))
    if feed == "acled":  # ACLED separates remote violence from battles
        if air:
            event, sub = "Explosions/Remote violence", "Air/drone strike"
        elif {"shelling", "missile"} & set(methods):
            event, sub = "Explosions/Remote violence", "Shelling/artillery/missile attack"
    elif feed == "monitor" and event == "Violence against civilians" and air:
        event, sub = "Explosions/Remote violence", "Air/drone strike"
    elif feed == "wire" and rng.random() < noise.miscode:  # a bombardment called fighting
        if event == "Explosions/Remote violence" and sub != "Suicide bomb":
            event, sub, methods = "Battles", "Armed clash", ()
    if rng.random() < noise.drop_method:
        methods = ()  # the feed does not say how
    return event, sub, methods


def actor_text(actor: str | None, text: str | None, feed: str, rng: random.Random) -> str | None:
    names = VOCABULARIES[feed].get(actor or "")
    if names:
        return rng.choice(names)
    return text


def retoll(toll: Toll | None, feed: str, rng: random.Random, noise: Noise) -> Toll | None:
    """Another figure: the UCDP best scaled by a log-normal factor (sd 0.25), or one or two
    off; a monitor's is open-ended ("at least N")."""
    if toll is None or toll.best is None or rng.random() < noise.missing_toll:
        return None
    best = max(0, round(toll.best * math.exp(rng.gauss(0.0, 0.25))))
    if rng.random() < 0.25:
        best = toll.best + rng.choice([-1, 1, 2])
        best = max(0, best)
    if feed == "monitor":  # "at least N"
        return Toll(low=best, best=best, high=None)
    return Toll(low=best, best=best, high=best)


def rereport(
    truth: Truth, feed: str, n: int, rng: random.Random, resolve: Any, noise: Noise
) -> Report:
    inc = truth.incident
    dataset, source_class, publisher = FEEDS[feed]
    precision = inc.location.precision
    if noise.coarsen:
        precision = rng.choice(COARSER[precision])
    lat, lon = jitter(inc.location.lat, inc.location.lon, PRECISION_RADIUS_M[precision], rng)
    name = inc.location.name
    if precision != inc.location.precision and precision == "district" and truth.admin2:
        name = truth.admin2  # placed by its district, named by it
    elif precision != inc.location.precision and precision == "province" and truth.admin1:
        name = truth.admin1
    if name:
        name = respell(name, rng)
    occ = inc.occurred
    start, end, dprec = occ.start, occ.end, occ.precision
    if occ.precision == "day" and rng.random() < noise.date_shift:
        shift = dt.timedelta(days=rng.choice([-1, 1]))
        start, end = start + shift, end + shift
    elif occ.precision == "week" and rng.random() < 0.5:  # one day of the week
        start = end = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        dprec = "day"
    event, sub, methods = recode(inc, feed, rng, noise)
    perp_actor = inc.perpetrator.actor
    if perp_actor == "sy-gov" and "airstrike" in methods and rng.random() < 0.05:
        perp_actor = "ru"  # Syrian or Russian aircraft: sources disagree
    text = actor_text(perp_actor, inc.perpetrator.text, feed, rng)
    if rng.random() < noise.vague_actor:
        text = rng.choice(VAGUE)
    actor = resolve(text)
    target_text = actor_text(inc.target.actor if inc.target else None, None, feed, rng)
    rid = f"{dataset}:{n}"
    return Report(
        Incident(
            id=rid,
            event_type=event,  # type: ignore[arg-type]
            sub_event_type=sub,  # type: ignore[arg-type]
            occurred=Occurred(start=start, end=end, precision=dprec),
            location=Location(lat=lat, lon=lon, precision=precision, name=name, country="SY"),
            status="published" if source_class == "dataset" else "proposed",
            method=methods,  # type: ignore[arg-type]
            perpetrator=Perpetrator(text, actor, "reported" if text else "unknown"),
            target=None
            if target_text is None
            else replace(inc.target, text=target_text)
            if inc.target
            else None,
            fatalities=retoll(inc.fatalities, feed, rng, noise),
            sources=(Source(document_id=rid, publisher=publisher, attributed_to=None),),
        ),
        dataset,
        source_class,
    )


def build_reports(
    truths: Sequence[Truth], seed: int, noise: Noise = AS_SPECIFIED
) -> tuple[list[Report], list[str]]:
    """Every UCDP record plus 0-3 re-reports of each; returns the reports (shuffled) and
    the true event (UCDP id) of each."""
    from ceasewatch.ingest.context import default_context

    actors = default_context().actors
    rng = random.Random(seed)
    reports: list[tuple[Report, str]] = []
    n = 0
    for t in truths:
        reports.append((Report(t.incident, "ucdp", "dataset"), t.incident.id))
        k = rng.choices([0, 1, 2, 3], weights=[25, 35, 25, 15])[0]
        for feed in rng.sample(sorted(FEEDS), k):
            n += 1
            reports.append((rereport(t, feed, n, rng, actors.resolve, noise), t.incident.id))
    rng.shuffle(reports)
    return [r for r, _ in reports], [e for _, e in reports]


# --------------------------------------------------------------------------- measuring


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def pair_scores(predicted: Sequence[int], truth: Sequence[str]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of a clustering (cluster label per report)."""
    both = Counter(zip(predicted, truth, strict=True))
    tp = sum(pairs(c) for c in both.values())
    pred = sum(pairs(c) for c in Counter(predicted).values())
    true = sum(pairs(c) for c in Counter(truth).values())
    return (tp / pred if pred else 1.0), (tp / true if true else 1.0), pred, true


def naive_labels(reports: Sequence[Report]) -> list[int]:
    """Exact de-duplication: same day and same place name (case folded)."""
    keys: dict[tuple[Any, ...], int] = {}
    out = []
    for i, r in enumerate(reports):
        occ, name = r.incident.occurred, r.incident.location.name
        key = (occ.start, occ.end, (name or "").casefold()) if name else ("alone", i)
        out.append(keys.setdefault(key, len(keys)))
    return out


def fused_labels(reports: Sequence[Report], settings: FusionSettings) -> tuple[list[int], int]:
    clusters = fuse(reports, settings=settings)
    index = {}
    for k, c in enumerate(clusters):
        for m in c.members:
            index[m] = k
    return [index[r.incident.id] for r in reports], len(clusters)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def settings_for_scenario() -> FusionSettings:
    """The settings ``ceasewatch import`` fuses with under the bundled scenario: its
    blocs, actor aliases, gazetteer place names and air forces."""
    from ceasewatch.ingest.context import default_context
    from ceasewatch.ingest.pipeline import fusion_settings

    return fusion_settings(default_context())


def scale_run(reports: Sequence[Report], n: int, settings: FusionSettings) -> None:
    """Fuse ``n`` reports: the year's reports repeated, each copy a year later."""
    copies: list[Report] = []
    k = 0
    while len(copies) < n:
        shift = dt.timedelta(days=366 * k)
        for r in reports:
            if len(copies) >= n:
                break
            occ = r.incident.occurred
            inc = replace(
                r.incident,
                id=f"{r.incident.id}~{k}",
                occurred=replace(occ, start=occ.start + shift, end=occ.end + shift),
                sources=tuple(
                    replace(s, document_id=f"{s.document_id}~{k}") for s in r.incident.sources
                ),
            )
            copies.append(replace(r, incident=inc))
        k += 1
    t0 = time.perf_counter()
    clusters = fuse(copies, settings=settings)
    secs = time.perf_counter() - t0
    print(
        f"scale: fused {len(copies):,} reports into {len(clusters):,} incidents in {secs:.1f} s "
        f"({len(copies) / secs:,.0f} incidents/s), peak memory {peak_mb():,.0f} MB"
    )


#: Days after the event each feed publishes it, for the store run's order of arrival.
FEED_LAG = {"wire-like": 0, "monitor-like": 3, "acled-like": 14, "ucdp": 90}


def store_run(
    reports: Sequence[Report], events: Sequence[str], settings: FusionSettings, batch: int
) -> None:
    """The reports written to a SQLite store as the feeds publish them (a wire the same
    day, a monitor within days, ACLED in two weeks, UCDP months later) and fused batch by
    batch as `ceasewatch import` does: later reports join stored incidents, which fusion
    then changes, audits and names (store/refusion.py). Says what incremental fusion
    costs, and whether it ends where fusing everything at once does."""
    import tempfile

    from sqlalchemy import func, select

    from ceasewatch.incidents import codec
    from ceasewatch.ingest.pipeline import refuse
    from ceasewatch.store import db
    from ceasewatch.store import imports as store
    from ceasewatch.store import tables as t

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    classes = {r.dataset: r.source_class for r in reports}

    def arrives(k: int) -> tuple[dt.date, int]:
        r = reports[k]
        return r.incident.occurred.end + dt.timedelta(days=FEED_LAG.get(r.dataset, 0)), k

    order = sorted(range(len(reports)), key=arrives)
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.open_store(f"sqlite:///{tmp}/store.db")
        with engine.begin() as conn:
            run = store.open_run(
                conn, fmt="benchmark", path="-", sha256="-", size=0, options={}, header=None,
                rejects_path=None, now=now,
            )  # fmt: skip
        t0, c0 = time.perf_counter(), time.process_time()
        for start in range(0, len(order), batch):
            rows = []
            for k in order[start : start + batch]:
                inc = reports[k].incident
                rows.append(
                    store.ReportRow(
                        inc.id,
                        store.seq(run.id, k + 1),
                        reports[k].dataset,
                        inc.id,
                        run.id,
                        k + 1,
                        str(k),
                        inc.status,
                        inc.event_type,
                        inc.sub_event_type,
                        inc.occurred.start.isoformat(),
                        inc.occurred.end.isoformat(),
                        inc.location.lat,
                        inc.location.lon,
                        codec.ADAPTER.dump_json(inc).decode(),
                        "",
                    )  # fmt: skip
                )
            with engine.begin() as conn:
                store.insert_reports(conn, rows)
                refuse(conn, rows, settings, now=now, actor="benchmark", source_classes=classes)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        with engine.connect() as conn:
            head = dict(conn.execute(select(t.reports.c.id, t.reports.c.incident_id)).all())
            actions = dict(
                conn.execute(
                    select(t.audit_log.c.action, func.count()).group_by(t.audit_log.c.action)
                ).all()
            )
        engine.dispose()
    labels = [head[r.incident.id] for r in reports]
    p, r, pred, _ = pair_scores(labels, events)
    once, _ = fused_labels(reports, settings)
    differ = len({frozenset(x) for x in _groups(labels)} ^ {frozenset(x) for x in _groups(once)})
    print(
        f"store, incremental: {len(reports):,} reports in batches of {batch:,} as the feeds "
        f"publish them, fused in {secs:.1f} s, {cpu:.1f} s of CPU ({len(reports) / secs:,.0f} "
        f"reports/s); "
        f"precision {p:.3f} recall {r:.3f} ({pred:,} pairs merged; "
        f"{differ // 2:,} incidents differ from fusing all at once); "
        f"{actions.get('incident.fuse', 0):,} stored incidents changed by fusion and "
        f"{actions.get('incident.merge', 0):,} retired, each audited"
    )


def _groups(labels: Sequence[Any]) -> list[list[int]]:
    out: dict[Any, list[int]] = {}
    for k, label in enumerate(labels):
        out.setdefault(label, []).append(k)
    return list(out.values())


def import_throughput(smoke: bool) -> None:
    path = ROOT / "benchmarks" / "import_throughput.py"
    if not path.exists():
        print("import throughput: benchmarks/import_throughput.py is not there yet")
        return
    spec = importlib.util.spec_from_file_location("import_throughput", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    n = 1_000 if smoke else 1_000_000
    figures = module.run(n, smoke)
    print("import throughput (benchmarks/import_throughput.py):")
    for key, value in figures.items():
        print(f"  {key}: {value}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a small slice, a few seconds")
    parser.add_argument("--year", type=int, default=2016)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=int, default=None, help="reports for the speed run")
    parser.add_argument("--no-import", action="store_true", help="skip import throughput")
    parser.add_argument(
        "--store-batch", type=int, default=None, help="reports per batch of the store run (0: skip)"
    )
    args = parser.parse_args(argv)

    if not UCDP_CSV.exists():
        print(f"skipped: {UCDP_CSV} is absent (../shared beside the repo holds it); 0 incidents/s")
        return 0
    limit = 400 if args.smoke else None
    truth_incidents = load_truth(args.year, limit)
    admin = admin_names(args.year)
    truths = [Truth(i, *admin.get(i.id, (None, None))) for i in truth_incidents]
    settings = settings_for_scenario()
    print(
        f"{'reports':<14}{'rule':<21}{'precision':>10}{'recall':>8}{'pairs merged':>14}{'incidents':>11}"
    )
    first: list[Report] = []
    first_events: list[str] = []
    for noise in (AS_SPECIFIED,) if args.smoke else (AS_SPECIFIED, HARDER):
        reports, events = build_reports(truths, args.seed, noise)
        if not first:
            first, first_events = reports, events
        t0 = time.perf_counter()
        labels, n_clusters = fused_labels(reports, settings)
        secs = time.perf_counter() - t0
        p, r, pred, true = pair_scores(labels, events)
        naive = naive_labels(reports)
        np_, nr, npred, _ = pair_scores(naive, events)
        met = "met" if p >= 0.95 and r >= 0.90 else "NOT met"
        label = noise.name
        print(
            f"{label:<14}{'ceasewatch.fusion':<21}{p:>10.3f}{r:>8.3f}{pred:>14,}{n_clusters:>11,}"
        )
        print(
            f"{label:<14}{'naive (day + name)':<21}{np_:>10.3f}{nr:>8.3f}{npred:>14,}{len(set(naive)):>11,}"
        )
        print(f"{label:<14}{'truth':<21}{'':>10}{'':>8}{true:>14,}{len(set(events)):>11,}")
        per_event = dict(sorted(Counter(Counter(events).values()).items()))
        print(
            f"  {len(truths):,} events of {args.year} -> {len(reports):,} reports (per event: "
            f"{per_event}); fused in {secs:.2f} s ({len(reports) / secs:,.0f} incidents/s); "
            f"goal precision >= 0.95 and recall >= 0.90: {met}"
        )
    reports = first
    store_batch = (
        args.store_batch if args.store_batch is not None else (100 if args.smoke else 1000)
    )
    if store_batch:
        store_run(reports, first_events, settings, store_batch)
    scale = args.scale if args.scale is not None else (0 if args.smoke else 1_000_000)
    if scale:
        scale_run(reports, scale, settings)
    if not args.no_import:
        import_throughput(args.smoke)
    print(
        f"reproduce: {COMMAND}{' --smoke' if args.smoke else ''} --year {args.year} --seed {args.seed}"
    )
    return 0


def admin_names(year: int) -> dict[str, tuple[str | None, str | None]]:
    """UCDP id (as the importer writes it) -> (governorate, district) names as UCDP gives
    them, for re-reports placed only that precisely."""
    out = {}
    with UCDP_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["year"] == str(year):
                out[f"ucdp:{row['id']}"] = (row["adm_1"] or None, row["adm_2"] or None)
    return out


if __name__ == "__main__":
    sys.exit(main())

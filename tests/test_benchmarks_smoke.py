"""Every benchmark runs as a smoke run: it exits 0 and reports a throughput
(incidents/s or rows/s).

No timing is asserted here; the figures are for people, from full runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = sorted((ROOT / "benchmarks").glob("*.py"))


def test_there_is_a_benchmark() -> None:
    assert BENCHMARKS, "benchmarks/ holds no script"


@pytest.mark.slow
@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_benchmark_smoke_run(script: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a timing assertion
        check=False,
    )
    assert done.returncode == 0, f"{script.name} --smoke exited {done.returncode}:\n{done.stderr}"
    assert "incidents/s" in done.stdout or "rows/s" in done.stdout, done.stdout

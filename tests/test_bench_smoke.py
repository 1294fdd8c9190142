"""The benchmark still runs (a handful of requests, no timing assertions: those belong in bench/ output only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_and_prints_both_rows_for_both_paths() -> None:
    result = subprocess.run(
        [sys.executable, "bench/bench_soap.py", "--requests", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split()[:2] for line in result.stdout.splitlines()[2:]]
    assert rows == [["in-process", "bare"], ["in-process", "ips-mock"], ["HTTP", "bare"], ["HTTP", "ips-mock"]]
    assert result.stderr == ""


def test_jobs_bench_runs() -> None:
    result = subprocess.run(
        [sys.executable, "bench/bench_jobs.py"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()[1:3]] == ["baseline", "catch-up"]

"""The benchmark runs end to end (its seconds-long smoke mode) and writes one JSON key per figure.

No timing is asserted here or anywhere in the suite: figures are measurements, read in bench/ output.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIGURES = (
    "per_test",
    "fake_construction",
    "rt_get_company_info",
    "rt_submit_job",
    "rt_get_active_jobs",
    "http_get_company_info",
    "serve_first_reply",
    "scale_whole",
    "scale_by_minute",
    "scenario_load_10k",
    "history_get_active_jobs",
    "history_get_job_logs",
    "history_submit_job",
)


def test_every_figure_runs_and_is_written_with_its_baseline(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(out.read_text())
    assert document["mode"] == "smoke"
    assert list(document["figures"]) == list(FIGURES)
    for key, figure in document["figures"].items():
        # A number, not a check of it: in smoke mode a figure is one round of a few calls.
        assert math.isfinite(figure["value"]), key
        assert figure["baseline_label"], key
        low, high = figure["spread"]
        assert low <= figure["value"] <= high, key
    assert document["machine"]["packages"]["ips-mock"]
    assert [line.split()[0] for line in result.stdout.splitlines() if line[:1].isalpha()][2:] == list(FIGURES)


def _diagnostic(tmp_path: Path, group: str) -> dict[str, Any]:
    """The figures of a group that only ``--only`` runs, checked for what every diagnostic has: no target, and a
    positive value beside a positive baseline."""
    out = tmp_path / f"{group}.json"
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--only", group, "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures: dict[str, Any] = json.loads(out.read_text())["figures"]
    for key, figure in figures.items():
        assert figure["met"] is None, key  # a diagnostic: no target
        assert figure["value"] > 0, key
        assert figure["baseline"] > 0, key
    return figures


def test_the_parts_of_per_test_run_only_when_asked_for(tmp_path: Path) -> None:
    figures = _diagnostic(tmp_path, "per_test_parts")
    assert list(figures) == ["per_test_server", "per_test_fixture", "per_test_whole"]
    for key, figure in figures.items():
        assert figure["baseline_label"].startswith("pytest-httpserver"), key


def test_the_cold_cache_figures_run_only_when_asked_for(tmp_path: Path) -> None:
    figures = _diagnostic(tmp_path, "cold")
    assert list(figures) == ["cold_fake_construction", "cold_request"]
    for key, figure in figures.items():
        assert figure["unit"] == "us", key

"""``ips_mock/protocol/ipsapi_types.py`` is what ``tools/gen_types.py`` makes of Adobe's WSDLs, today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ips_mock.protocol import ipsapi_types
from ips_mock.testing import real_wsdl_path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "tools" / "gen_types.py"
COMMITTED = ROOT / "ips_mock" / "protocol" / "ipsapi_types.py"
REGENERATE = "python tools/gen_types.py"


def test_committed_module_equals_a_fresh_regeneration(tmp_path: Path) -> None:
    wsdl_dir = real_wsdl_path("2014-04-03").parent
    out = tmp_path / "ipsapi_types.py"

    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--wsdl-dir", str(wsdl_dir), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text("utf-8") == COMMITTED.read_text("utf-8"), (
        f"ips_mock/protocol/ipsapi_types.py is out of date with {wsdl_dir}: run `{REGENERATE}` and commit the result"
    )


def test_sources_are_the_files_recorded_in_sources_md() -> None:
    sources_md = (real_wsdl_path("2014-04-03").parent / "SOURCES.md").read_text("utf-8")
    for file_name, sha256 in ipsapi_types.SOURCES:
        row = next((line for line in sources_md.splitlines() if line.startswith(f"| {file_name} |")), None)
        assert row is not None, f"SOURCES.md has no row for {file_name}"
        assert f"| {sha256} |" in row, f"{file_name}: the generated module was made from another file than SOURCES.md"


def test_generator_says_what_is_missing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--wsdl-dir", str(tmp_path), "--out", str(tmp_path / "out.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2
    assert f"missing {tmp_path / 'IpsApi-2014-04-03.wsdl'}" in result.stderr
    assert not (tmp_path / "out.py").exists()

"""Java (the JDK alone) runs REAL-CLIENTS W7, AEM's smart crop migration script, against a served FakeIps.

``tests/java/W7.java`` does what ``UpdateSmartCrops.java`` does over the plain-XML transport: POST ``<Request>``
documents in 2017-10-29-beta (parameters as JAXB's formatted fragments write them), read each reply with the JDK's
DOM parser, not namespace aware, and root-anchored XPaths, and fail when ``successCount`` is not the number of
crops sent. It runs with the JDK's single-file launcher in a subprocess (with a timeout, killed in ``finally``) and
prints ``key=value`` lines. ``.ci/run`` installs Debian's ``default-jdk-headless`` when ``javac`` is missing; without
it the tests fail and say how to install it: they never skip.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ips_mock import FakeIps, ServerThread

from .conftest import run_client_process
from .test_smart_crops import SCENARIO

SCRIPT = Path(__file__).resolve().parent / "java" / "W7.java"
INSTALL_HINT = "run .ci/run, or install a JDK 11 or later (Debian: apt-get install default-jdk-headless)"
CLIENT_TIMEOUT_S = 120  # compiling and running the script; a hung JVM fails the test instead of hanging the suite
MOVES = "Large:leftN=0.0|topN=0.25|widthN=1.0|heightN=0.5,Swatch:leftN=0.5|topN=0.5|widthN=0.25|heightN=0.25"


@pytest.fixture(scope="module")
def java() -> str:
    """The ``java`` launcher of a JDK (the single-file launcher compiles the script, so a JRE is not enough)."""
    executable, compiler = shutil.which("java"), shutil.which("javac")
    if executable is None or compiler is None:
        pytest.fail(f"no JDK on PATH (java and javac): the suite drives a Java client. {INSTALL_HINT}")
    return executable


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[FakeIps, str]]:
    path = tmp_path / "crops.yaml"
    path.write_text(SCENARIO)
    fake = FakeIps(path)
    server = ServerThread(fake).start()
    try:
        yield fake, server.url + "/scene7/api/IpsApiService"
    finally:
        server.stop()
    assert fake.errors == []


def run_w7(java: str, url: str, crops: str) -> tuple[int, dict[str, str]]:
    """``java W7.java``: its exit status and its ``key=value`` lines (any other line under ``"message"``)."""
    args = [java, str(SCRIPT), url, "admin@example.com", "password", "c|100", f"Example/products/shoe.jpg,{crops}"]
    status, stdout, stderr = run_client_process(args, timeout=CLIENT_TIMEOUT_S)
    assert not stderr.strip(), stderr
    lines: dict[str, str] = {}
    for line in stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep and " " not in key:
            lines[key] = value
        else:
            lines["message"] = line
    return status, lines


def test_w7_moves_every_smart_crop_of_an_image(java: str, served: tuple[FakeIps, str]) -> None:
    fake, url = served
    status, lines = run_w7(java, url, MOVES)
    assert status == 0, lines
    assert lines == {
        "rootPath": "Example/",
        "assetHandle": "a|100|1|1001",
        "subAsset.Large": "sa|100|1001|1",
        "subAsset.Swatch": "sa|100|1001|2",
        "successCount": "2",
        "cropRect.Large": "0.0,0.25,1.0,0.5",
        "cropRect.Swatch": "0.5,0.5,0.25,0.25",
    }
    assert [e.operation for e in fake.journal] == [
        "getCompanyInfo",
        "searchAssetsByMetadata",
        "getAssociatedAssets",
        "updateSmartCrops",
        "getAssociatedAssets",
    ]
    assert {e.transport for e in fake.journal} == {"plain"}


def test_a_crop_the_fake_refuses_makes_the_script_fail_as_it_would_against_adobe(
    java: str, served: tuple[FakeIps, str]
) -> None:
    """One crop outside the image: the fake reports it in errorDetailArray and makes the other, so successCount is
    1 of 2, and the script stops with its own message."""
    _, url = served
    status, lines = run_w7(java, url, MOVES.replace("leftN=0.5|", "leftN=0.9|"))
    assert status == 1
    assert lines["successCount"] == "1"
    assert lines["message"] == "Updated count : 1, doesnt match total count : 2"

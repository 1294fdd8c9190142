"""PHP's SoapClient (ext-soap), loading the WSDL ips-mock serves, runs REAL-CLIENTS W9 against a served FakeIps.

``tests/php/w9.php`` is what a Drupal media-library module does: getCompanyInfo, searchAssets for the videos of a
folder, getAssets of the handles found, reading ``totalRows`` and ``assetArray/items`` (one item comes back as an
object, several as an array) with ``ipsImageUrl``, ``name``, ``fileName`` and ``folder``. The script runs in a
subprocess (with a timeout, killed in ``finally``) and prints JSON. ``.ci/run`` installs Debian's ``php-cli`` and
``php-soap``; without them the tests fail and say how to install them: they never skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import validate_reply

from .conftest import run_client_process

SCRIPT = Path(__file__).resolve().parent / "php" / "w9.php"
INSTALL_HINT = "run .ci/run, or install Debian's php-cli and php-soap (apt-get install php-cli php-soap)"
CLIENT_TIMEOUT_S = 60  # a hung php process fails the test instead of hanging the suite
V2014 = "http://www.scene7.com/IpsApi/xsd/2014-04-03"

SCENARIO = """\
ips_mock: 1
clock: {start: "2026-01-05T09:00:00Z"}
companies: [{name: Example, id: 100}]
users: [{email: admin@example.com, password: password, role: IpsCompanyAdmin, companies: [Example]}]
assets:
  - {company: Example, path: media/one/intro.mp4}
  - {company: Example, path: media/two/a.mp4}
  - {company: Example, path: media/two/b.mov}
  - {company: Example, path: media/two/still.jpg}
"""


@pytest.fixture(scope="module")
def php() -> str:
    """The ``php`` executable, once its soap extension is there."""
    executable = shutil.which("php")
    if executable is None:
        pytest.fail(f"php is not on PATH: the suite drives PHP's SoapClient. {INSTALL_HINT}")
    modules = subprocess.run([executable, "-m"], capture_output=True, text=True, timeout=CLIENT_TIMEOUT_S).stdout
    if "soap" not in modules.split():
        pytest.fail(f"PHP's soap extension is not loaded ({executable} -m does not list it): {INSTALL_HINT}")
    return executable


@pytest.fixture
def served(tmp_path: Path) -> Iterator[FakeIps]:
    path = tmp_path / "w9.yaml"
    path.write_text(SCENARIO)
    fake = FakeIps(path)
    server = ServerThread(fake).start()
    fake.base_url = server.url
    try:
        yield fake
    finally:
        server.stop()
    assert fake.errors == []


def run_w9(php: str, fake: FakeIps, folder: str, *extra: str) -> dict[str, Any]:
    """``php w9.php``: its JSON output."""
    args = [php, str(SCRIPT), fake.wsdl_url, "admin@example.com", "password", "Example", folder, *extra]
    status, stdout, stderr = run_client_process(args, timeout=CLIENT_TIMEOUT_S)
    assert status == 0, f"w9.php exited {status}:\n{stdout}\n{stderr}"
    output: dict[str, Any] = json.loads(stdout)
    return output


def test_w9_lists_the_videos_of_a_folder_one_or_many(php: str, served: FakeIps) -> None:
    one = run_w9(php, served, "media/one")
    assert (one["companyHandle"], one["rootPath"], one["totalRows"]) == ("c|100", "Example/", 1)
    assert one["assets"] == [
        {
            "name": "intro",
            "fileName": "intro.mp4",
            "folder": "Example/media/one/",
            "type": "Video",
            "ipsImageUrl": "https://s7d1.scene7.com/is/image/Example/intro",
        }
    ]
    many = run_w9(php, served, "media/two")
    assert many["totalRows"] == 2  # the JPEG is not a video
    assert [(a["name"], a["fileName"], a["type"]) for a in many["assets"]] == [
        ("a", "a.mp4", "Video"),
        ("b", "b.mov", "Video"),
    ]
    # What PHP sent: the authHeader in the 2014 namespace, its fields qualified, as the module must send them.
    header = etree.fromstring(many["lastRequest"].encode()).find(f"{{*}}Header/{{{V2014}}}authHeader")
    assert header is not None
    assert [etree.QName(child).text for child in header] == [
        f"{{{V2014}}}{name}" for name in ("user", "password", "appName", "appVersion")
    ]
    assert [entry.operation for entry in served.journal][-3:] == ["getCompanyInfo", "searchAssets", "getAssets"]


def test_a_plain_object_header_is_refused_with_a_reason_that_says_why(php: str, served: FakeIps) -> None:
    """The first thing a PHP developer tries, a plain object, sends the fields unqualified: 10000, whose reason
    names the fields and the namespace they belong in."""
    output = run_w9(php, served, "media/one", "--plain-object")
    assert output["fault"] == "authenticationFault"
    detail = validate_reply(output["lastResponse"].encode())
    assert detail.findtext("{*}code") == "10000"
    reason = detail.findtext("{*}reason") or ""
    assert reason.startswith("The request could not be authenticated: send an authHeader with user and password")
    assert f"the authHeader's user, password, appName, appVersion are not in its namespace {V2014}" in reason

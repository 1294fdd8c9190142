"""The README's code is run as written (only the server URL is swapped in)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from ips_mock import FakeIps, ServerThread

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_zeep_quickstart_snippet_runs_against_the_fake() -> None:
    """As written but for the port: the served WSDL at the URL ips-mock serve prints."""
    snippet = next(block for block in _python_blocks() if "import zeep" in block)
    assert "http://127.0.0.1:8080/scene7/webservice/IpsApi-2014-04-03.wsdl" in snippet
    with ServerThread(FakeIps()) as server:
        code = snippet.replace("http://127.0.0.1:8080", server.url)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), {})
    printed = out.getvalue()
    assert "'companyHandle': 'c|100'" in printed
    assert "'rootPath': 'Example/'" in printed


def test_quickstart_serve_command_and_default_port_match_the_cli() -> None:
    from ips_mock.cli import _parser

    text = README.read_text()
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/ips-mock serve\n" in text
    args = _parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8080)
    assert f"ips-mock listening on http://{args.host}:{args.port}" in text


def _nutshell_blocks() -> list[str]:
    section = README.read_text().split("## In a nutshell", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_nutshell_pytest_example_is_the_example_test() -> None:
    pytest_block = _nutshell_blocks()[0]
    example = (Path(__file__).parent / "test_nutshell.py").read_text()
    test = pytest_block.split("\n\n\n", 1)[1]  # the test function, after the imports
    assert test in example


def test_nutshell_example_without_pytest_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(README.parent)
    exec(compile(_nutshell_blocks()[1], str(README), "exec"), {})


def test_jobs_and_time_example_is_the_nightly_publish_test() -> None:
    section = README.read_text().split("## Jobs and time", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert block in (Path(__file__).parent / "test_nightly_publish.py").read_text()

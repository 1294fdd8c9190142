"""The README's "From curl" commands, run as written against the standalone server (only the port differs).

Each ``curl`` command of the section is parsed (its options, URL and here-document body) and sent with requests;
every ``# the reply holds:`` line under it must be in the reply. A line the parser does not understand fails.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from ips_mock import ServerThread
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario
from ips_mock.standalone import StandaloneApp
from ips_mock.testing import validate_reply

README = Path(__file__).resolve().parents[2] / "README.md"
HOLDS = "# the reply holds: "


@dataclass
class Curl:
    args: list[str]
    stdin: str | None
    expected: list[str] = field(default_factory=list)

    def send(self, base_url: str) -> requests.Response:
        method, headers, auth, data, url = None, {}, None, None, None
        args = iter(self.args[1:])
        for arg in args:
            if arg == "-s":
                continue
            if arg == "-X":
                method = next(args)
            elif arg == "-H":
                name, _, value = next(args).partition(":")
                headers[name.strip()] = value.strip()
            elif arg == "-u":
                user, _, password = next(args).partition(":")
                auth = (user, password)
            elif arg == "--data-binary":
                assert next(args) == "@-"
                assert self.stdin is not None
                data = self.stdin.encode()
            elif arg == "-d":
                data = next(args).encode()
            elif not arg.startswith("-") and url is None:
                url = arg
            else:
                raise AssertionError(f"the test does not know curl's {arg!r}: teach it, or change the README")
        assert url is not None
        assert url.startswith("http://127.0.0.1:8080/")
        return requests.request(
            method or ("POST" if data is not None else "GET"),
            url.replace("http://127.0.0.1:8080", base_url),
            headers=headers,
            auth=auth,
            data=data,
            timeout=10,
        )


def _commands() -> list[Curl]:
    section = README.read_text().split("\n## From curl\n", 1)[1].split("\n## ", 1)[0]
    blocks = [block.split("```", 1)[0] for block in section.split("```sh\n")[1:]]
    commands: list[Curl] = []
    for block in blocks:
        lines = iter(block.splitlines())
        for line in lines:
            if line.startswith(HOLDS):
                commands[-1].expected.append(line.removeprefix(HOLDS))
                continue
            assert line.startswith("curl "), f"not a curl command or an expected reply: {line!r}"
            parts = [line]
            while parts[-1].endswith("\\"):
                parts[-1] = parts[-1][:-1]
                parts.append(next(lines))
            text, stdin = " ".join(parts), None
            if "<<'EOF'" in text:
                text = text.replace("<<'EOF'", "")
                body = []
                while (row := next(lines)) != "EOF":
                    body.append(row)
                stdin = "\n".join(body) + "\n"
            commands.append(Curl(shlex.split(text), stdin))
    return commands


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(StandaloneApp(load_scenario(DEFAULT_SCENARIO))) as running:
        yield running


def test_the_curl_section_runs_as_written(server: ServerThread) -> None:
    commands = _commands()
    actions = [next((a for a in c.args if a.startswith("SOAPAction")), None) for c in commands]
    assert actions == ['SOAPAction: "getCompanyInfo"', 'SOAPAction: "submitJob"', None, 'SOAPAction: "getJobLogs"']
    for command in commands:
        assert command.expected, f"{command.args}: say what the reply holds"
        reply = command.send(server.url)
        assert reply.status_code == 200, reply.text
        if reply.headers["Content-Type"].startswith("text/xml"):
            validate_reply(reply.content)  # against Adobe's schema
        for fragment in command.expected:
            assert fragment in reply.text, f"{command.args}: {fragment!r} not in {reply.text}"

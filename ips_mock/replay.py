"""Replay a scenario's ``timeline``, or a recorded transcript, and report every step whose reply differs.

* A scenario's timeline runs against a fresh fake: each call is posted through the fake's WSGI app (no socket) as a
  SOAP 1.1 request signed in with a legacy authHeader for the step's user (``as``, default the scenario's first
  user); clock steps move the fake's clock; each reply is checked against the step's ``expect``.
* A transcript (:mod:`ips_mock.scenario.transcript`) re-sends each recorded request, byte for byte but for the
  credentials put back in, to a fresh fake (default) or to any URL: another ips-mock, whose clock is moved through
  its admin API by the recorded ``advance`` steps, or a real IPS, in real time. Each reply is compared with the
  recorded one after normalizing what is expected to differ (:class:`ips_mock.protocol.compare.Normalization`).
"""

from __future__ import annotations

import base64
import http.client
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from werkzeug.test import Client

from .errors import IpsFault, ScenarioError
from .fake import FakeIps, ScenarioSource
from .protocol.client import build_request, read_reply
from .protocol.compare import Difference, Normalization, diff_payloads, reply_payload
from .protocol.ns import ApiVersion
from .protocol.recording import restore_password
from .scenario import Scenario, load_scenario
from .scenario.spec import TimelineStep
from .scenario.transcript import Transcript, TranscriptStep

__all__ = ["CallOutcome", "StepResult", "replay", "replay_transcript"]

ENDPOINT = "/scene7/services/IpsApiService"


@dataclass(frozen=True)
class StepResult:
    step: TimelineStep
    where: str
    summary: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        return f"{self.where}: {self.summary}" + ("" if self.ok else f": MISMATCH: {self.problem}")


def _expected_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def replay(source: Scenario | str | Path) -> tuple[list[StepResult], list[str]]:
    """Run the timeline; return each step's result and the scenario's unmet expectations at the end."""
    scenario = source if isinstance(source, Scenario) else load_scenario(source)
    fake = FakeIps(scenario)
    client = Client(fake)
    passwords = {u.email.lower(): u.password for u in scenario.users}
    default_user = scenario.users[0].email if scenario.users else None
    results = []
    for step in scenario.timeline:
        where = str(scenario.error(["timeline", step.index], "")).rstrip(": ")
        if step.advance is not None:
            fake.advance(step.advance)
            results.append(StepResult(step, where, f"advance {step.advance} to {fake.now().isoformat()}"))
            continue
        if step.move_to is not None:
            fake.move_to(step.move_to)
            results.append(StepResult(step, where, f"move to {fake.now().isoformat()}"))
            continue
        assert step.call is not None  # the loader requires one of advance, move_to, call
        user = step.user or default_user
        body, headers = build_request(
            step.call,
            step.params or {},
            version=ApiVersion(step.version),
            user=user,
            password=passwords.get((user or "").lower()),
        )
        summary = f"{step.call} as {user} -> "
        try:
            response = client.post(ENDPOINT, data=body, headers=headers)
            reply = read_reply(response.get_data())
        except ConnectionAbortedError:  # a scenario's drop fault
            results.append(
                StepResult(step, where, summary + "connection dropped", _not_soap(step, "a dropped connection"))
            )
            continue
        except (IpsFault, IndexError):  # not a SOAP envelope: an http or garbage fault
            got = f"HTTP {response.status_code} that is not a SOAP reply"
            results.append(StepResult(step, where, summary + got, _not_soap(step, got)))
            continue
        outcome = f"fault {reply.fault_code}" if reply.fault_code is not None else "ok"
        results.append(StepResult(step, where, summary + outcome, _mismatch(step, reply)))
    return results, fake.unmet_expectations()


def _not_soap(step: TimelineStep, got: str) -> str | None:
    expected = step.expect_fault is not None or step.expect_ok or step.expect_reply is not None
    return f"expected a SOAP reply, got {got}" if expected else None


def _mismatch(step: TimelineStep, reply: Any) -> str | None:
    if step.expect_fault is not None and reply.fault_code != step.expect_fault:
        got = f"fault {reply.fault_code} ({reply.fault_reason})" if reply.fault_code else "a reply"
        return f"expected fault {step.expect_fault}, got {got}"
    if (step.expect_ok or step.expect_reply is not None) and reply.fault_code is not None:
        return f"expected a reply, got fault {reply.fault_code} ({reply.fault_reason})"
    for path, value in (step.expect_reply or {}).items():
        actual = reply.text(path)
        if value is None and actual is not None:
            return f"{path}: expected no such element, got {actual!r}"
        if value is not None and actual != _expected_text(value):
            return f"{path}: expected {_expected_text(value)!r}, got {actual!r}"
    return None


# --------------------------------------------------------------------------------------------- transcripts


@dataclass(frozen=True)
class CallOutcome:
    """One transcript step replayed: where it is, what was sent, and how the reply differed (empty: it matched)."""

    index: int
    where: str
    summary: str
    differences: tuple[Difference, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.differences

    def __str__(self) -> str:
        if self.ok:
            return f"{self.where}: {self.summary}: ok"
        lines = [f"{self.where}: {self.summary}: DIFFERENT"]
        lines += [f"    {difference}" for difference in self.differences]
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "where": self.where,
            "summary": self.summary,
            "ok": self.ok,
            "differences": [{"path": d.path, "expected": d.expected, "got": d.got} for d in self.differences],
        }


class _Target(Protocol):
    def send(self, method: str, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]: ...

    def advance(self, delta: timedelta) -> None: ...


class _InProcess:
    def __init__(self, fake: FakeIps) -> None:
        self.fake = fake
        self.client = Client(fake)

    def send(self, method: str, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        try:
            response = self.client.open(path, method=method, data=body, headers=dict(headers))
        except ConnectionAbortedError:
            return 0, b""
        return response.status_code, response.get_data()

    def advance(self, delta: timedelta) -> None:
        self.fake.advance(delta)


class _Remote:
    """Any URL: an ips-mock (its clock moved through the admin API) or a real IPS (gaps waited out)."""

    def __init__(self, url: str, *, timeout: float = 180.0) -> None:
        self.parts = urlsplit(url)
        if self.parts.scheme not in ("http", "https") or not self.parts.hostname:
            raise ValueError(f"--target must be an http(s) URL, not {url!r}")
        self.timeout = timeout
        status, _ = self.send("GET", "/__admin/clock", b"", {"Accept": "application/json"})
        self.is_ips_mock = status == 200

    def send(self, method: str, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        kind = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(self.parts.hostname or "", self.parts.port, timeout=self.timeout)
        try:
            connection.request(method, self.parts.path.rstrip("/") + path, body=body or None, headers=dict(headers))
            response = connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            return 0, b""
        finally:
            connection.close()

    def advance(self, delta: timedelta) -> None:
        if not self.is_ips_mock:
            time.sleep(delta.total_seconds())  # a real IPS: in real time
            return
        body = json.dumps({"seconds": delta.total_seconds()}).encode()
        status, reply = self.send("POST", "/__admin/clock/advance", body, {"Content-Type": "application/json"})
        if status != 200:
            raise ScenarioError(f"the target refused to move its clock: HTTP {status} {reply[:200]!r}")


def transcript_passwords(transcript: Transcript, auth: Mapping[str, str], scenario: Scenario | None) -> dict[str, str]:
    """The password of every user the transcript signs in as: from ``auth`` (``--auth``), else the scenario's
    users. A recorded user with no known password is a :class:`ScenarioError` before anything is sent."""
    known = {user.email.lower(): user.password for user in (scenario.users if scenario is not None else ())}
    known |= {user.lower(): password for user, password in auth.items()}
    missing: dict[str, str] = {}
    for step in transcript.calls:
        if step.credentials != "none" and step.user and step.user.lower() not in known:
            missing.setdefault(step.user, transcript.where(step.index))
    if missing:
        lines = [f"{where}: no password for {user!r}: pass --auth {user}:PASSWORD" for user, where in missing.items()]
        raise ScenarioError("\n".join(lines))
    return known


def _request_for(step: TranscriptStep, passwords: Mapping[str, str]) -> tuple[bytes, dict[str, str]]:
    body = step.request.encode("utf-8")
    headers = {"Content-Type": step.content_type or "text/xml; charset=UTF-8"}
    if step.soap_action is not None:
        headers["SOAPAction"] = step.soap_action
    password = passwords.get((step.user or "").lower())
    if password is None or step.credentials == "none":
        return body, headers
    if step.credentials == "basic":
        token = base64.b64encode(f"{step.user}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
        return body, headers
    return restore_password(body, password), headers


def _compare(step: TranscriptStep, status: int, body: bytes, rules: Normalization) -> tuple[Difference, ...]:
    assert step.reply is not None
    differences: list[Difference] = []
    if status != step.reply.status:
        differences.append(Difference("HTTP status", str(step.reply.status), str(status) if status else "no answer"))
    expected, got = reply_payload(step.reply.body.encode("utf-8")), reply_payload(body)
    if expected is None or got is None:
        if (expected is None) != (got is None):
            describe = "an IPS reply", "no IPS reply"
            differences.append(
                Difference("reply", describe[expected is None], describe[got is None] + f" ({body[:80]!r})")
            )
        return tuple(differences)
    return (*differences, *diff_payloads(expected, got, rules))


def replay_transcript(
    transcript: Transcript,
    *,
    target: str | None = None,
    scenario: ScenarioSource | None = None,
    auth: Mapping[str, str] | None = None,
    normalize: Normalization | None = None,
) -> list[CallOutcome]:
    """Re-send every recorded call and compare its reply; clock steps move the target's clock.

    ``target`` None replays against a fresh fake of ``scenario`` (default: the built-in one)."""
    loaded = None if scenario is None else scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    fake = FakeIps(loaded) if target is None else None
    passwords = transcript_passwords(transcript, auth or {}, fake.scenario if fake is not None else loaded)
    rules = normalize or Normalization.from_mapping(transcript.normalize)
    sender: _Target = _InProcess(fake) if fake is not None else _Remote(target or "")
    outcomes = []
    for step in transcript.steps:
        where = transcript.where(step.index)
        if step.advance is not None:
            sender.advance(step.advance)
            outcomes.append(CallOutcome(step.index, where, f"advance {step.advance}"))
            continue
        body, headers = _request_for(step, passwords)
        status, reply = sender.send("POST", step.path, body, headers)
        summary = f"{step.call} as {step.user or '(nobody)'} over {step.transport}"
        outcomes.append(CallOutcome(step.index, where, summary, _compare(step, status, reply, rules)))
    return outcomes

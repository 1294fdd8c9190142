"""Replay a scenario's ``timeline`` against a fresh fake and report every step whose reply differs.

Each call is posted through the fake's WSGI app (no socket) as a SOAP 1.1 request signed in with a legacy
authHeader for the step's user (``as``, default the scenario's first user); clock steps move the fake's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from .errors import IpsFault
from .fake import FakeIps
from .protocol.client import build_request, read_reply
from .protocol.ns import ApiVersion
from .scenario import Scenario, load_scenario
from .scenario.spec import TimelineStep

__all__ = ["StepResult", "replay"]

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

"""Scenario files built to break the loader, and the ends of time: every one is a located ScenarioError (or an
IPS fault), never a traceback, a hang or a 500, and reading one costs a bounded amount of time and memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import freezegun
import pytest
from werkzeug.test import Client

from ips_mock import FakeIps, ScenarioError, cli
from ips_mock.clock import LAST_INSTANT, ClockError
from ips_mock.cron import CronSchedule
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario
from ips_mock.scenario.loader import MAX_MESSAGE, MAX_PROBLEMS, ScenarioLimits, load_scenario_text
from ips_mock.standalone import StandaloneApp
from ips_mock.testing import SoapTestClient

USERS = (
    "companies: [{name: Example}]\nusers: [{email: a@example.com, password: p, role: IpsAdmin, companies: [Example]}]\n"
)
JOB = "{company: Example, name: j, submitted_by: a@example.com, job: {imageServingPublishJob: {publishType: Full}}"


def _alias_bomb(levels: int = 9) -> str:
    """Nine lists of nine aliases to the one before: 431 bytes that expand to 9**9 (387 million) strings."""
    chain = ['&a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    chain += [f"&a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "ips_mock: 1\ndescription: [" + ", ".join(chain) + "]\n"


# name -> (file content, line the error names, what it says)
HOSTILE: dict[str, tuple[str | bytes, int, str]] = {
    "end-of-time": ("ips_mock: 1\nclock: {start: 9999-12-31T23:59:00-08:00}\n", 2, "outside the instants"),
    "year-one": ("ips_mock: 1\nclock: {start: 0001-01-01T00:00:00+05:00}\n", 2, "outside the instants"),
    "exec-time-at-the-end": (
        f"ips_mock: 1\n{USERS}jobs:\n  - {JOB}, exec_time: 9999-12-31T23:59:59Z}}\n",
        5,
        "jobs[0].exec_time: '9999-12-31T23:59:59Z' is outside the instants ips-mock can model",
    ),
    "fault-window-at-the-end": (
        "ips_mock: 1\nfaults: [{match: {from: 9999-12-31T23:59:59-10:00}, drop: true}]\n",
        2,
        "faults[0].match.from",
    ),
    "advance-past-the-end": (
        "ips_mock: 1\nclock: {start: 9998-12-01T00:00:00Z}\ntimeline: [{advance: 300d}]\n",
        3,
        "timeline[0].advance: moves the clock past 9998-12-31T23:59:59Z",
    ),
    "huge-integer": ("ips_mock: 1\nseed: " + "9" * 5000 + "\n", 2, "an integer too long to read"),
    "big-integer": ("ips_mock: 1\nseed: " + "9" * 400 + "\n", 2, "seed: <an integer too large to quote> is more"),
    "huge-duration": ("ips_mock: 1\ntimeline: [{advance: 99999999999999d}]\n", 2, "longer than 365 days"),
    "huge-duration-number": ("ips_mock: 1\ntimeline: [{advance: 1e300}]\n", 2, "longer than 365 days"),
    "infinite-duration": ("ips_mock: 1\ntimeline: [{advance: .inf}]\n", 2, "give a finite number of seconds"),
    "nan-duration": (
        "ips_mock: 1\nbehaviours: [{match: {name: x}, duration: .nan}]\n",
        2,
        "behaviours[0].duration: nan is not a duration",
    ),
    "deep-lists": ("ips_mock: 1\ndescription: " + "[" * 5000 + "]" * 5000 + "\n", 2, "ScenarioLimits.max_depth"),
    "deep-mappings": ("ips_mock: 1\ndescription: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", 2, "max_depth"),
    "invalid-utf8": (b"ips_mock: 1\ndescription: caf\xe9\n", 2, "not UTF-8 text"),
    "control-character": ('ips_mock: 1\ndescription: "a\x07b"\n', 0, "YAML error: unacceptable character"),
    "alias-bomb": (_alias_bomb(), 2, "expands to more than 200,000 values (limit ScenarioLimits.max_nodes)"),
    "self-containing-alias": ("ips_mock: 1\ndescription: &a [*a]\n", 2, "an alias refers to a value that contains it"),
    "aliases-that-nest-too-deep": (
        "ips_mock: 1\ndescription: [&a0 [[[[[[[[[[x]]]]]]]]]]"
        + "".join(f", &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]" for i in range(1, 8))
        + "]\n",
        2,
        "nested deeper than 50 levels once aliases are expanded",
    ),
    "huge-key": ("ips_mock: 1\n? " + "k" * 100_000 + "\n: 1\n", 2, "…: unknown field"),
}


def _where(path: Path, line: int) -> str:
    return f"{path}:{line}: " if line else f"{path}: "


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_a_located_scenario_error(tmp_path: Path, name: str) -> None:
    content, line, fragment = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(_where(path, line)), message[:500]
    assert fragment in message, message[:500]
    assert len(message) < len(str(path)) + MAX_MESSAGE + 200


@pytest.mark.parametrize("name", list(HOSTILE))
def test_ips_mock_check_reports_it_without_a_traceback(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    content, _, fragment = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert cli.main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert fragment in out
    assert "Traceback" not in out + err


@pytest.mark.parametrize("name", [n for n, (content, *_) in HOSTILE.items() if isinstance(content, str)])
def test_the_admin_api_answers_400_for_it(name: str) -> None:
    content, _, fragment = HOSTILE[name]
    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO))
    response = Client(app).put("/__admin/scenario", data=content, content_type="application/x-yaml")
    assert response.status_code == 400, response.get_data()[:500]
    errors = json.loads(response.get_data())["errors"]
    assert fragment in "\n".join(errors)
    assert Client(app).get("/__admin/clock").status_code == 200  # and the server goes on


def test_the_alias_bomb_is_refused_in_bounded_time_and_memory() -> None:
    # Before the limits this took minutes and grew past 2 GB; in a child capped at 1 GB of address space, so a
    # regression fails here instead of taking the machine down.
    script = textwrap.dedent(
        """
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        from ips_mock import ScenarioError
        from ips_mock.scenario.loader import load_scenario_text
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            load_scenario_text(TEXT, name="bomb.yaml")
        except ScenarioError as exc:
            print(exc)
        # The growth: a peak inherited from the forking parent (Linux keeps it across exec) says nothing.
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
        """
    ).replace("TEXT", repr(_alias_bomb()))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    message, growth_mb = done.stdout.rsplit("\n", 2)[:2]
    assert message == "bomb.yaml:2: expands to more than 200,000 values (limit ScenarioLimits.max_nodes)"
    assert int(growth_mb) < 50


def test_aliases_within_the_limits_still_work() -> None:
    text = (
        "ips_mock: 1\n"
        "behaviours:\n"
        "  - &slow {match: {name: a}, duration: 5m}\n"
        "  - {<<: *slow, match: {name: b}}\n"
        "  - *slow\n"
    )
    scenario = load_scenario_text(text)
    assert [rule.behaviour.duration for rule in scenario.behaviours] == [timedelta(minutes=5)] * 3
    with pytest.raises(ScenarioError, match=r"<text>:5: more than 1 aliases \(limit ScenarioLimits.max_aliases\)"):
        load_scenario_text(text, limits=ScenarioLimits(max_aliases=1))
    with pytest.raises(ScenarioError, match=r"ScenarioLimits\.max_nodes"):
        load_scenario_text(text, limits=ScenarioLimits(max_nodes=20))


def test_the_size_limit(tmp_path: Path) -> None:
    limits = ScenarioLimits(max_chars=100)
    path = tmp_path / "big.yaml"
    path.write_text("ips_mock: 1\ndescription: " + "x" * 100 + "\n")
    with pytest.raises(ScenarioError, match=r"big.yaml: larger than 100 bytes \(limit ScenarioLimits.max_chars\)"):
        load_scenario(path, limits=limits)
    with pytest.raises(ScenarioError, match=r"longer than 100 characters"):
        load_scenario_text(path.read_text(), limits=limits)


def test_many_problems_are_counted_not_all_listed() -> None:
    text = "ips_mock: 1\n" + "".join(f"unknown{i}: 1\n" for i in range(1500))
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text)
    lines = str(caught.value).splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == f"<text>: … and {1500 - MAX_PROBLEMS} more problems"


def test_a_mapping_nested_too_deep_is_a_scenario_error() -> None:
    deep: dict[str, object] = {}
    inner = deep
    for _ in range(100_000):
        inner["a"] = {}
        inner = inner["a"]  # type: ignore[assignment]
    with pytest.raises(ScenarioError, match=r"^<mapping>: "):
        load_scenario({"ips_mock": 1, "description": deep})


# ---------------------------------------------------------------------------------------------- end of time


def test_a_schedule_with_no_fire_before_the_end_of_time_has_no_next_fire() -> None:
    # cronsim steps past year 9999 looking for a 29 February after 9998 (9999 is not a leap year).
    schedule = CronSchedule.parse("0 0 0 29 2 ?")
    assert schedule.next_after(datetime(9998, 12, 31, tzinfo=UTC), UTC) is None
    assert schedule.next_after(datetime(9995, 12, 31, tzinfo=UTC), UTC) == datetime(9996, 2, 29, tzinfo=UTC)
    assert list(schedule.fires_after(datetime(9995, 12, 31, tzinfo=UTC), UTC)) == [datetime(9996, 2, 29, tzinfo=UTC)]


def test_submit_job_near_the_end_of_time_is_answered_and_the_fake_keeps_no_error() -> None:
    fake = FakeIps()
    fake.move_to(datetime(9998, 12, 31, 23, 0, tzinfo=UTC))
    client = SoapTestClient(fake)
    job = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}
    for name, schedule in [("leap", "0 0 0 29 2 ?"), ("often", "0 */5 * * * ?"), ("yearly", "0 0 0 1 1 ?")]:
        client.call("submitJob", {"companyHandle": "c|100", "jobName": name, "execSchedule": schedule, **job}).ok()
    fake.advance(timedelta(minutes=59))
    scheduled = client.call("getScheduledJobs", {"companyHandle": "c|100"}).ok()
    # The leap-day job never fires again, so it has left the schedule; the others go on.
    assert [item.findtext("{*}name") for item in scheduled.payload.iterfind("{*}jobArray/{*}items")] == [
        "often",
        "yearly",
    ]
    assert fake.errors == []


@pytest.mark.parametrize("instant", ["9999-12-31T23:59:59Z", "9999-06-01T00:00:00+02:00"])
def test_an_exec_time_past_the_last_modelled_instant_is_30001(client: SoapTestClient, instant: str) -> None:
    job = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}
    reply = client.call("submitJob", {"companyHandle": "c|100", "jobName": "late", "execTime": instant, **job})
    reply.assert_fault(30001, "'execTime'", "the last instant ips-mock models")


def test_the_clock_does_not_move_past_the_last_modelled_instant(fake: FakeIps) -> None:
    with pytest.raises(ClockError, match="the last instant ips-mock models"):
        fake.move_to(datetime(9999, 12, 31, tzinfo=UTC))
    fake.move_to(LAST_INSTANT)
    with pytest.raises(ClockError):
        fake.advance(timedelta(microseconds=1))


def test_a_freezer_past_the_end_of_time_gets_a_fault_that_says_so_not_an_internal_error(fake: FakeIps) -> None:
    client = SoapTestClient(fake)
    job = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}
    with freezegun.freeze_time(datetime(9999, 12, 31, 22, tzinfo=UTC)):
        reply = client.call(
            "submitJob", {"companyHandle": "c|100", "jobName": "j", "execSchedule": "0 0 0 * * ?", **job}
        )
    reply.assert_fault(30000, "the clock reads 9999-12-31T22:00:00+00:00", "keep freezers before it")
    assert "internal error" not in (reply.reason or "")
    assert [type(e.exception).__name__ for e in fake.errors] == ["ClockOutOfRangeError"]


def test_a_transcript_is_read_within_the_same_limits(tmp_path: Path) -> None:
    from ips_mock.scenario.transcript import load_transcript

    path = tmp_path / "bomb.yaml"
    path.write_text(_alias_bomb().replace("ips_mock: 1", "ips_mock_transcript: 1"))
    with pytest.raises(ScenarioError, match=r"bomb.yaml:2: expands to more than 200,000 values"):
        load_transcript(path)
    path.write_bytes(b"ips_mock_transcript: 1\ndescription: caf\xe9\n")
    with pytest.raises(ScenarioError, match=r"bomb.yaml:2: not UTF-8 text"):
        load_transcript(path)

"""The example scenarios in ``scenarios/`` and every scenario section, proved through real replies.

Each example file loads, replays clean, and does what its comments declare: the replies (through
:class:`SoapTestClient`, which validates every reply against the real WSDL), ``fake.state`` and ``fake.journal``
show it, not only ``ips-mock replay``. Then faults of every kind, stubs, expectations, seeded jobs, determinism,
and an injected fault seen by zeep on Adobe's real 2014 WSDL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
import zeep
from lxml import etree
from werkzeug.test import Client
from zeep.exceptions import Fault

from ips_mock import FakeIps, ServerThread
from ips_mock.cli import main
from ips_mock.model.jobs import RunState
from ips_mock.replay import replay
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario_text, scenario_json_schema
from ips_mock.testing import (
    SoapReply,
    SoapTestClient,
    auth_header,
    build_envelope,
    real_wsdl_path,
    upload_urls_job,
    validate_reply,
)

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"
README = REPO / "README.md"
ENDPOINT = "/scene7/services/IpsApiService"
FLT = "http://www.scene7.com/IpsApi/xsd"
NS_2014 = "http://www.scene7.com/IpsApi/xsd/2014-04-03"
NS_2013 = "http://www.scene7.com/IpsApi/xsd/2013-02-15"
PST = timezone(timedelta(hours=-8))

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))
EXAMPLE_NAMES = [p.name for p in EXAMPLES]

ADMIN = {"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}
USER = {"email": "user@example.com", "password": "password", "role": "IpsUser", "companies": ["Example"]}
EXAMPLE_CO = [{"name": "Example", "id": 100}]
PUBLISH = {"publishType": "Full", "emailSetting": "None"}


# ------------------------------------------------------------------------------------------------- helpers


def at(hour: int, minute: int = 0, second: int = 0, *, day: int = 5, month: int = 1) -> datetime:
    """An instant in 2026, Pacific standard time."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=PST)


def scenario(**sections: Any) -> dict[str, Any]:
    """A scenario mapping: company Example (c|100), admin and user, plus ``sections``."""
    return {"ips_mock": 1, "companies": EXAMPLE_CO, "users": [ADMIN, USER], **sections}


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def rows(reply: SoapReply, array: str = "jobArray") -> list[dict[str, str]]:
    """The ``items`` of ``array`` in the reply, each as {child local name: text}."""
    assert not reply.is_fault, reply.body.decode()
    container = next(c for c in reply.payload if etree.QName(c).localname == array)
    return [{etree.QName(f).localname: f.text or "" for f in item} for item in container]


def urls_job(*names: str, email: str = "None") -> dict[str, Any]:
    return upload_urls_job(*(f"https://images.example.com/{n}" for n in names), emailSetting=email)


def post(app: Any, operation: str, params: dict[str, Any], user: str = "admin@example.com") -> Any:
    """A raw post through werkzeug's test client (no reply validation): for answers that are not SOAP."""
    body = build_envelope(operation, params, headers=[auth_header(user, "password")])
    return Client(app).post(ENDPOINT, data=body, headers={"Content-Type": "text/xml", "SOAPAction": operation})


# ------------------------------------------------------------------------------------- the example files


def test_the_examples_are_the_files_the_readme_lists() -> None:
    text = README.read_text("utf-8").split("## Scenario files", 1)[1]
    table = text.split("| file | shows |", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([a-z_]+\.yaml)` \|", table, re.MULTILINE)
    assert sorted(listed) == EXAMPLE_NAMES
    assert EXAMPLE_NAMES == [
        "auth_expired.yaml",
        "catalog.yaml",
        "cdn_invalidation.yaml",
        "default.yaml",
        "fatal_error.yaml",
        "flaky_service.yaml",
        "multi_company.yaml",
        "nightly_publish.yaml",
        "slow_upload.yaml",
        "smart_crops.yaml",
        "stuck_job.yaml",
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_NAMES)
def test_every_example_loads(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeIps(path)
    assert fake.errors == []
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok\n"


@pytest.mark.parametrize("path", EXAMPLES, ids=EXAMPLE_NAMES)
def test_every_example_replays_clean(path: Path) -> None:
    results, unmet = replay(path)
    assert [(r.where, r.problem) for r in results if not r.ok] == []
    assert unmet == []
    timeline_steps = len(FakeIps(path).scenario.timeline)
    assert len(results) == timeline_steps
    assert (timeline_steps == 0) == (path.name == "default.yaml")


def test_default_example_is_byte_identical_to_the_builtin() -> None:
    assert (SCENARIOS / "default.yaml").read_bytes() == DEFAULT_SCENARIO.read_bytes()


def test_the_builtin_scenario_passes_the_json_schema_check() -> None:
    # load_scenario skips that check for the shipped file (known by its digest); loading it as text does not.
    scenario = load_scenario_text(DEFAULT_SCENARIO.read_text("utf-8"), name="default.yaml")
    assert [c.name for c in scenario.companies] == [c.name for c in FakeIps().scenario.companies]


RECORDED_GET_USERS = """\
ips_mock_transcript: 1
timeline:
  - call: getUsers
    transport: plain
    path: /scene7/api/IpsApiService
    request: <Request xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"><getUsersParam/></Request>
    reply: {status: 500, body: "<ipsApiFault xmlns='http://www.scene7.com/IpsApi/xsd'><code>30000</code><reason>x</reason></ipsApiFault>"}
"""


def readme_example(tmp_path: Path) -> Path:
    text = README.read_text("utf-8").split("An annotated example with every section:", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert match is not None
    # The example's playback transcript, beside it: one recorded call of an operation the example never makes.
    (tmp_path / "recorded.yaml").write_text(RECORDED_GET_USERS, "utf-8")
    return write(tmp_path, match[1], "readme.yaml")


def test_readme_annotated_example_loads_and_replays_clean(tmp_path: Path) -> None:
    path = readme_example(tmp_path)
    fake = FakeIps(path)
    assert [s.index for s in fake.scenario.timeline] == [0, 1]
    assert set(fake.scenario.data) == set(scenario_json_schema()["properties"])  # "with every section"
    results, unmet = replay(path)
    assert [r.ok for r in results] == [True, True]
    assert unmet == []


def test_readme_annotated_example_stub_is_a_reply_real_clients_accept(tmp_path: Path) -> None:
    # The README's stub is the example readers copy: its getUserInfoReturn must validate against the real WSDL.
    fake = FakeIps(readme_example(tmp_path))
    reply = SoapTestClient(fake).call("getUserInfo", {"email": "admin@example.com"})
    assert reply.text("userInfo/userHandle") == "u|1"


# ------------------------------------------------------------------------------------ slow_upload.yaml


def test_slow_upload_waits_then_reports_progress_at_its_offsets() -> None:
    fake = FakeIps(SCENARIOS / "slow_upload.yaml")
    client = SoapTestClient(fake)
    start = at(9)
    assert fake.now() == start
    reply = client.call(
        "submitJob", {"companyHandle": "c|100", "jobName": "slow-upload", "uploadUrlsJob": urls_job("a.jpg", "b.jpg")}
    )
    assert reply.text("jobHandle") == "j|100|slow-upload||"

    def visible(include_waiting: bool | None = None) -> list[tuple[str, str, str]]:
        params: dict[str, Any] = {"companyHandle": "c|100"}
        if include_waiting is not None:
            params["includeWaitingJobs"] = include_waiting
        return [(r["state"], r["progress"], r["progressMessage"]) for r in rows(client.call("getActiveJobs", params))]

    # New for 1 s: shown either way.
    assert visible() == [("New", "0", "")]
    # WaitingCoordinator from 1 s to 31 s: hidden unless includeWaitingJobs is true.
    for offset in (timedelta(seconds=1), timedelta(seconds=15), timedelta(seconds=30, milliseconds=999)):
        fake.move_to(start + offset)
        assert visible() == []
        assert visible(False) == []
        assert visible(True) == [("WaitingCoordinator", "0", "")]
    fake.move_to(start + timedelta(seconds=31))
    assert visible() == [("Running", "0", "Optimizing files")]  # the upload types' own message until a step's
    # Progress exactly at 2, 5 and 8 minutes, never before.
    expected = [
        (timedelta(minutes=2), ("Running", "10", "Fetching files")),
        (timedelta(minutes=5), ("Running", "50", "Optimizing files")),
        (timedelta(minutes=8), ("Running", "90", "Optimizing files")),
    ]
    previous = ("Running", "0", "Optimizing files")
    for offset, state in expected:
        fake.move_to(start + offset - timedelta(milliseconds=1))
        assert visible() == [previous]
        fake.move_to(start + offset)
        assert visible() == [state]
        previous = state
    fake.move_to(start + timedelta(minutes=10) - timedelta(milliseconds=1))
    assert visible() == [previous]
    (run,) = fake.state.runs.values()
    assert run.state is RunState.RUNNING
    # Done at 10 minutes: it leaves getActiveJobs and its log is closed.
    fake.move_to(start + timedelta(minutes=10))
    assert visible(True) == []
    assert run.state is RunState.DONE
    (log,) = fake.state.logs
    assert (log.start_date, log.end_date) == (start, start + timedelta(minutes=10))
    assert (log.file_success_count, log.total_file_count) == (2, 2)


def test_slow_upload_behaviour_spares_other_jobs() -> None:
    fake = FakeIps(SCENARIOS / "slow_upload.yaml")
    client = SoapTestClient(fake)
    client.call("submitJob", {"companyHandle": "c|100", "jobName": "quick", "uploadUrlsJob": urls_job("c.jpg")})
    fake.advance(timedelta(seconds=1))
    assert [r["state"] for r in rows(client.call("getActiveJobs", {"companyHandle": "c|100"}))] == ["Running"]
    fake.advance(timedelta(seconds=59))
    assert rows(client.call("getActiveJobs", {"companyHandle": "c|100"})) == []


# -------------------------------------------------------------------------------- nightly_publish.yaml


def test_nightly_publish_has_two_past_logs_and_three_more_after_three_days() -> None:
    fake = FakeIps(SCENARIOS / "nightly_publish.yaml")
    client = SoapTestClient(fake)
    past = ["nightly-publish_2026-03-04-00:00:00.000", "nightly-publish_2026-03-03-00:00:00.000"]
    logs = rows(client.call("getJobLogs", {"companyHandle": "c|100"}), "jobLogArray")
    assert [r["jobName"] for r in logs] == past
    assert [r["startDate"] for r in logs] == ["2026-03-04T00:00:00.000-08:00", "2026-03-03T00:00:00.000-08:00"]
    assert [r["endDate"] for r in logs] == ["2026-03-04T00:01:00.000-08:00", "2026-03-03T00:01:00.000-08:00"]
    assert rows(client.call("getActiveJobs", {"companyHandle": "c|100"})) == []
    scheduled = rows(client.call("getScheduledJobs", {"companyHandle": "c|100"}))
    assert [(r["name"], r["triggerState"], r["nextFireTime"]) for r in scheduled] == [
        ("nightly-publish", "Normal", "2026-03-05T00:00:00.000-08:00")
    ]

    fake.move_to(at(23, 59, 59, month=3, day=4))
    assert len(fake.state.logs) == 2
    fake.advance(timedelta(days=3))  # to 2026-03-07T23:59:59
    assert len(fake.state.logs) == 5
    new = fake.state.logs[2:]
    midnights = [at(0, month=3, day=d) for d in (5, 6, 7)]
    assert [log.start_date for log in new] == midnights
    assert [log.run_name for log in new] == [f"nightly-publish_2026-03-0{d}-00:00:00.000" for d in (5, 6, 7)]
    assert all(log.end_date == log.start_date + timedelta(seconds=60) for log in new)
    assert [log.fatal_error for log in fake.state.logs] == [False] * 5
    logs = rows(client.call("getJobLogs", {"companyHandle": "c|100"}), "jobLogArray")
    assert [r["jobName"] for r in logs] == [f"nightly-publish_2026-03-0{d}-00:00:00.000" for d in (7, 6, 5, 4, 3)]
    assert fake.unmet_expectations() == []


# ------------------------------------------------------------------------------------ fatal_error.yaml


def test_fatal_error_ends_the_run_with_a_fatal_error_entry_and_counts() -> None:
    fake = FakeIps(SCENARIOS / "fatal_error.yaml")
    client = SoapTestClient(fake)
    job = urls_job("1.jpg", "2.jpg", "3.jpg", email="All")
    client.call("submitJob", {"companyHandle": "c|100", "jobName": "broken-upload", "uploadUrlsJob": job})
    fake.advance(timedelta(seconds=59))
    (log,) = fake.state.logs
    assert (log.fatal_error, log.end_date) == (False, None)
    fake.advance(timedelta(seconds=1))
    assert (log.fatal_error, log.end_date) == (True, at(9, 1))
    assert (log.file_success_count, log.file_warning_count, log.file_error_count, log.total_file_count) == (1, 1, 1, 3)

    (row,) = rows(client.call("getJobLogs", {"companyHandle": "c|100"}), "jobLogArray")
    assert (row["fatalError"], row["fileSuccessCount"], row["fileWarningCount"], row["fileErrorCount"]) == (
        "true",
        "1",
        "1",
        "1",
    )
    details = client.call("getJobLogDetails", {"companyHandle": "c|100", "jobHandle": log.handle})
    entries = [
        {etree.QName(f).localname: f.text or "" for f in item}
        for item in details.payload.iterfind(f"{{{NS_2014}}}jobLogArray/{{{NS_2014}}}items/{{{NS_2014}}}detailArray/*")
    ]
    assert [(e["logType"], e.get("assetName")) for e in entries[5:]] == [
        ("UploadSuccess", "1"),
        ("UploadWarning", "2"),
        ("UploadError", "3"),
        ("FatalError", None),
        ("EndUploadUrls", None),
    ]
    fatal = entries[8]
    assert fatal["logMessage"] == "Fatal error: Source server unreachable"
    assert fatal["dateCreated"] == "2026-01-05T09:01:00.000-08:00"
    assert fake.unmet_expectations() == []


# --------------------------------------------------------------------------------------- stuck_job.yaml


def test_stuck_job_runs_for_thirty_days_then_stops_in_exactly_five_seconds() -> None:
    fake = FakeIps(SCENARIOS / "stuck_job.yaml")
    client = SoapTestClient(fake)
    params = {"companyHandle": "c|100", "originalName": "stuck-publish"}
    client.call("submitJob", {"companyHandle": "c|100", "jobName": "stuck-publish", "imageServingPublishJob": PUBLISH})
    fake.advance(timedelta(days=30))
    (row,) = rows(client.call("getActiveJobs", params))
    assert (row["state"], row["progress"], row["progressMessage"]) == ("Running", "40", "Generating manifest files")
    (run,) = fake.state.runs.values()
    assert run.log.end_date is None

    stopped_at = fake.now()
    assert stopped_at == at(9, day=4, month=2)
    client.call("stopJob", {"companyHandle": "c|100", "jobHandle": "j|100|stuck-publish||"})
    assert [r["state"] for r in rows(client.call("getActiveJobs", params))] == ["Stopping"]
    fake.move_to(stopped_at + timedelta(seconds=5) - timedelta(milliseconds=1))
    assert [r["state"] for r in rows(client.call("getActiveJobs", params))] == ["Stopping"]
    assert run.state is RunState.STOPPING
    fake.move_to(stopped_at + timedelta(seconds=5))
    assert rows(client.call("getActiveJobs", params)) == []
    done_at = stopped_at + timedelta(seconds=5)
    assert (run.state, run.ended_at, run.log.end_date) == (RunState.DONE, done_at, done_at)
    assert fake.unmet_expectations() == []


def test_stuck_job_without_stop_leaves_its_expectations_unmet() -> None:
    path = SCENARIOS / "stuck_job.yaml"
    fake = FakeIps(path)
    SoapTestClient(fake).call(
        "submitJob", {"companyHandle": "c|100", "jobName": "stuck-publish", "imageServingPublishJob": PUBLISH}
    )
    fake.advance(timedelta(days=1))
    assert fake.unmet_expectations() == [
        f"{path}:42: expect.calls[0]: stopJob was called 0 time(s), expected 1",
        f"{path}:44: expect.jobs[0]: job 'stuck-publish' is running, expected finished",
    ]


# ----------------------------------------------------------------------------------- flaky_service.yaml


def test_flaky_service_fails_exactly_twice_then_recovers() -> None:
    fake = FakeIps(SCENARIOS / "flaky_service.yaml")
    client = SoapTestClient(fake)

    def submit(name: str) -> SoapReply:
        return client.call("submitJob", {"companyHandle": "c|100", "jobName": name, "imageServingPublishJob": PUBLISH})

    outcomes = [submit("retried-publish") for _ in range(3)] + [submit("another-publish")]
    assert [(r.status, r.fault_kind, r.code, r.reason) for r in outcomes[:2]] == [
        (500, "ipsApiFault", 30000, "Service temporarily unavailable, please retry")
    ] * 2
    assert [r.text("jobHandle") for r in outcomes[2:]] == ["j|100|retried-publish||", "j|100|another-publish||"]
    assert [e.injected for e in fake.journal] == ["fault", "fault", None, None]
    assert sorted(fake.state.definitions) == ["j|100|another-publish||", "j|100|retried-publish||"]
    # Four submitJob calls where the scenario expects three.
    assert fake.unmet_expectations() == [
        f"{SCENARIOS / 'flaky_service.yaml'}:32: expect.calls[0]: submitJob was called 4 time(s), expected 3"
    ]
    fake.reset()
    assert submit("retried-publish").code == 30000


# ------------------------------------------------------------------------------------ auth_expired.yaml


@pytest.mark.parametrize(
    ("instant", "refused"),
    [(at(9, 59, 59), False), (at(10), True), (at(10, 59, 59), True), (at(11), False)],
    ids=["09:59:59", "10:00:00", "10:59:59", "11:00:00"],
)
def test_auth_expired_refuses_every_call_in_the_window_only(instant: datetime, refused: bool) -> None:
    fake = FakeIps(SCENARIOS / "auth_expired.yaml")
    client = SoapTestClient(fake)
    fake.move_to(instant)
    reply = client.call("getCompanyInfo", {"companyHandle": "c|100"})
    anonymous = client.call("checkLogin", {"companyHandle": "c|100"}, user=None)
    if refused:
        assert (reply.fault_kind, reply.code, reply.reason) == (
            "authenticationFault",
            10001,
            "Invalid username/password",
        )
        # Injected before authentication: whoever calls, even with no credentials at all.
        assert (anonymous.code, anonymous.reason) == (10001, "Invalid username/password")
        assert [e.injected for e in fake.journal] == ["fault", "fault"]
    else:
        assert reply.text("companyInfo/name") == "Example"
        assert anonymous.code == 10000
        assert [e.injected for e in fake.journal] == [None, None]


# ----------------------------------------------------------------------------------- multi_company.yaml

MULTI_PASSWORDS = {
    "admin@acme.test": "acme-pw",
    "admin@globex.test": "globex-pw",
    "agency@example.com": "agency-pw",
    "admin@initech.test": "initech-pw",
}


def test_multi_company_isolation() -> None:
    fake = FakeIps(SCENARIOS / "multi_company.yaml")
    client = SoapTestClient(fake)

    def call(user: str, operation: str, params: dict[str, Any]) -> SoapReply:
        return client.call(operation, params, user=user, password=MULTI_PASSWORDS[user])

    def scheduled(user: str) -> list[tuple[str, str, str]]:
        return [(r["companyHandle"], r["name"], r["triggerState"]) for r in rows(call(user, "getScheduledJobs", {}))]

    assert scheduled("agency@example.com") == [
        ("c|301", "acme-nightly", "Normal"),
        ("c|302", "globex-nightly", "Paused"),
    ]
    assert scheduled("admin@acme.test") == [("c|301", "acme-nightly", "Normal")]
    assert scheduled("admin@globex.test") == [("c|302", "globex-nightly", "Paused")]
    assert scheduled("admin@initech.test") == []

    acme = call("agency@example.com", "getCompanyInfo", {"companyName": "Acme"})
    assert (acme.text("companyInfo/companyHandle"), acme.text("companyInfo/rootPath")) == ("c|301", "AcmeCorp/")
    globex = call("agency@example.com", "getCompanyInfo", {"companyName": "Globex"})
    assert (globex.text("companyInfo/companyHandle"), globex.text("companyInfo/rootPath")) == ("c|302", "Globex/")
    # Every role, IpsAdmin included, acts only on its own companies.
    assert call("agency@example.com", "getCompanyInfo", {"companyName": "Initech"}).code == 20006
    assert call("admin@initech.test", "getCompanyInfo", {"companyHandle": "c|301"}).code == 20006
    assert call("admin@acme.test", "getScheduledJobs", {"companyHandle": "c|302"}).code == 20006
    pause = call("admin@globex.test", "pauseJob", {"companyHandle": "c|302", "jobHandle": "j|301|acme-nightly||"})
    assert (pause.fault_kind, pause.code) == ("authorizationFault", 20006)
    assert fake.state.definitions["j|301|acme-nightly||"].trigger.state.value == "Normal"

    # At midnight only Acme's job runs (Globex's is paused), and each company sees only its own logs.
    fake.move_to(at(0, 0, 30, day=6))
    assert [(r.company_id, r.name) for r in fake.state.runs.values()] == [(301, "acme-nightly_2026-01-06-00:00:00.000")]
    assert [r["companyHandle"] for r in rows(call("agency@example.com", "getActiveJobs", {}))] == ["c|301"]
    assert rows(call("admin@globex.test", "getActiveJobs", {})) == []
    fake.advance(timedelta(minutes=1))

    def logs(user: str) -> list[str]:
        return [r["jobName"] for r in rows(call(user, "getJobLogs", {}), "jobLogArray")]

    assert logs("admin@acme.test") == ["acme-nightly_2026-01-06-00:00:00.000"]
    assert logs("agency@example.com") == ["acme-nightly_2026-01-06-00:00:00.000"]
    assert logs("admin@globex.test") == []
    assert logs("admin@initech.test") == []


# ------------------------------------------------------------------------------------------------ faults

FAULT_KINDS = [
    (10001, "authenticationFault", "soapenv:Client"),
    (10005, "authenticationFault", "soapenv:Client"),
    (20003, "authorizationFault", "soapenv:Client"),
    (20006, "authorizationFault", "soapenv:Client"),
    (30000, "ipsApiFault", "soapenv:Server"),
]


@pytest.mark.parametrize(("code", "kind", "faultcode"), FAULT_KINDS, ids=[str(c[0]) for c in FAULT_KINDS])
def test_ips_fault_kind_follows_the_code(code: int, kind: str, faultcode: str) -> None:
    fake = FakeIps(
        scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "ips_fault": {"code": code, "reason": "scripted"}}])
    )
    reply = SoapTestClient(fake).call("getCompanyInfo", {"companyHandle": "c|100"})
    assert (reply.status, reply.fault_kind, reply.code, reply.reason) == (500, kind, code, "scripted")
    fault = etree.fromstring(reply.body).find(".//{http://schemas.xmlsoap.org/soap/envelope/}Fault")
    assert fault is not None
    assert (fault.findtext("faultcode"), fault.findtext("faultstring")) == (faultcode, kind)
    (exchange,) = fake.journal
    assert (exchange.operation, exchange.injected, exchange.fault_code) == ("getCompanyInfo", "fault", code)


def test_ips_fault_reason_defaults_and_fault_http_status_applies() -> None:
    fake = FakeIps(scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "ips_fault": {"code": 30000}}]))
    client = SoapTestClient(fake)
    reply = client.call("getCompanyInfo", {"companyHandle": "c|100"})
    assert (reply.status, reply.code, reply.reason) == (500, 30000, "Injected by ips-mock")
    header = auth_header("admin@example.com", "password", faultHttpStatusCode=200)
    reply = client.call("getCompanyInfo", {"companyHandle": "c|100"}, headers=[header])
    assert (reply.status, reply.code) == (200, 30000)


def test_http_fault_answers_status_body_and_content_type() -> None:
    fake = FakeIps(
        scenario(
            faults=[
                {
                    "match": {"operation": "getActiveJobs"},
                    "http": {"status": 503, "body": "Service Unavailable", "content_type": "text/html"},
                }
            ]
        )
    )
    response = post(fake, "getActiveJobs", {"companyHandle": "c|100"})
    assert (response.status_code, response.get_data(), response.mimetype) == (503, b"Service Unavailable", "text/html")
    (exchange,) = fake.journal
    assert (exchange.injected, exchange.status, exchange.fault_code) == ("http", 503, None)
    assert SoapTestClient(fake).call("getCompanyInfo", {"companyHandle": "c|100"}).text("companyInfo/name") == "Example"


def test_garbage_fault_answers_200_with_n_bytes_that_are_not_xml() -> None:
    fake = FakeIps(scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "garbage": 64}]))
    first = post(fake, "getCompanyInfo", {"companyHandle": "c|100"})
    second = post(fake, "getCompanyInfo", {"companyHandle": "c|100"})
    for response in (first, second):
        data = response.get_data()
        assert (response.status_code, len(data)) == (200, 64)
        assert b"<" not in data
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(data)
    assert [e.injected for e in fake.journal] == ["garbage", "garbage"]
    # The same scenario gives the same garbage.
    again = FakeIps(scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "garbage": 64}]))
    assert post(again, "getCompanyInfo", {"companyHandle": "c|100"}).get_data() == first.get_data()


def test_delay_fault_answers_normally() -> None:
    fake = FakeIps(scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "times": 1, "delay": 0.05}]))
    client = SoapTestClient(fake)
    reply = client.call("getCompanyInfo", {"companyHandle": "c|100"})
    assert reply.text("companyInfo/name") == "Example"
    assert client.call("getCompanyInfo", {"companyHandle": "c|100"}).text("companyInfo/name") == "Example"
    assert [(e.injected, e.ok) for e in fake.journal] == [("delay", True), (None, True)]


def test_delay_fault_accepts_text_durations() -> None:
    fake = FakeIps(scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "delay": "20ms"}]))
    assert fake.scenario.faults[0].action.delay == timedelta(milliseconds=20)
    reply = SoapTestClient(fake).call("getCompanyInfo", {"companyHandle": "c|100"})
    assert reply.text("companyInfo/name") == "Example"
    assert [e.injected for e in fake.journal] == ["delay"]


def test_drop_fault_in_process_raises_connection_aborted() -> None:
    fake = FakeIps(scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "times": 1, "drop": True}]))
    with pytest.raises(ConnectionAbortedError):
        post(fake, "getCompanyInfo", {"companyHandle": "c|100"})
    assert fake.errors == []  # a scripted drop is not an error inside the fake
    assert [(e.operation, e.injected) for e in fake.journal] == [("getCompanyInfo", "drop")]
    assert SoapTestClient(fake).call("getCompanyInfo", {"companyHandle": "c|100"}).text("companyInfo/name") == "Example"


def test_drop_fault_over_a_socket_closes_the_connection() -> None:
    fake = FakeIps(scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "times": 1, "drop": True}]))
    body = build_envelope("getCompanyInfo", {"companyHandle": "c|100"}, headers=[auth_header()])
    headers = {"Content-Type": "text/xml", "SOAPAction": "getCompanyInfo"}
    with ServerThread(fake) as server, requests.Session() as session:
        with pytest.raises(requests.ConnectionError):
            session.post(server.url + ENDPOINT, data=body, headers=headers, timeout=10)
        after = session.post(server.url + ENDPOINT, data=body, headers=headers, timeout=10)
    assert after.status_code == 200
    assert validate_reply(after.content).findtext(f"{{{NS_2014}}}companyInfo/{{{NS_2014}}}name") == "Example"
    assert [e.injected for e in fake.journal] == ["drop", None]
    assert fake.errors == []


def test_fault_matches_submit_job_by_job_name_glob() -> None:
    fake = FakeIps(
        scenario(faults=[{"match": {"operation": "submitJob", "job_name": "nightly-*"}, "ips_fault": {"code": 30000}}])
    )
    client = SoapTestClient(fake)

    def submit(name: str) -> SoapReply:
        return client.call("submitJob", {"companyHandle": "c|100", "jobName": name, "imageServingPublishJob": PUBLISH})

    assert submit("nightly-publish").code == 30000
    assert submit("daily-publish").text("jobHandle") == "j|100|daily-publish||"
    assert submit("Nightly-publish").text("jobHandle") == "j|100|Nightly-publish||"  # globs are case-sensitive
    assert [e.injected for e in fake.journal] == ["fault", None, None]


def test_fault_matches_the_job_in_job_handles_of_other_operations() -> None:
    fake = FakeIps(
        scenario(
            jobs=[
                {
                    "company": "Example",
                    "name": name,
                    "submitted_by": "admin@example.com",
                    "exec_schedule": "0 0 * * *",
                    "job": {"imageServingPublishJob": PUBLISH},
                }
                for name in ("nightly-a", "daily-a")
            ],
            faults=[{"match": {"job_name": "nightly-*"}, "ips_fault": {"code": 30500, "reason": "scripted"}}],
        )
    )
    client = SoapTestClient(fake)
    # A submit handle (pause/resume) names the job.
    assert client.call("pauseJob", {"companyHandle": "c|100", "jobHandle": "j|100|nightly-a||"}).code == 30500
    assert client.call("pauseJob", {"companyHandle": "c|100", "jobHandle": "j|100|daily-a||"}).names() == []
    # Run and log handles name it through the run name.
    fake.move_to(at(0, 0, 30, day=6))
    runs = {r.definition.name: r for r in fake.state.runs.values()}
    assert sorted(runs) == ["nightly-a"]  # daily-a is paused
    run_handle = runs["nightly-a"].handle
    log_handle = runs["nightly-a"].log.handle
    assert client.call("stopJob", {"companyHandle": "c|100", "jobHandle": run_handle}).code == 30500
    assert client.call("getJobLogDetails", {"companyHandle": "c|100", "jobHandle": log_handle}).code == 30500
    assert client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "nightly-a"}).code == 30500
    # Calls about no job, or another job, are not matched.
    assert rows(client.call("getActiveJobs", {"companyHandle": "c|100"}))[0]["originalName"] == "nightly-a"
    assert client.call("resumeJob", {"companyHandle": "c|100", "jobHandle": "j|100|daily-a||"}).names() == []
    assert [e.injected for e in fake.journal] == ["fault", None, "fault", "fault", "fault", None, None]


def test_fault_matches_by_user_case_insensitively() -> None:
    fake = FakeIps(
        scenario(faults=[{"match": {"user": "user@example.com"}, "ips_fault": {"code": 20003, "reason": "scripted"}}])
    )
    client = SoapTestClient(fake)
    assert client.call("getCompanyInfo", {"companyHandle": "c|100"}, user="user@example.com").code == 20003
    assert client.call("getCompanyInfo", {"companyHandle": "c|100"}, user="USER@Example.com").code == 20003
    assert client.call("getCompanyInfo", {"companyHandle": "c|100"}).text("companyInfo/name") == "Example"
    assert [e.injected for e in fake.journal] == ["fault", "fault", None]


def test_fault_matches_in_its_from_until_window() -> None:
    fake = FakeIps(
        scenario(
            faults=[
                {
                    "match": {"from": "2026-01-05T12:00:00-08:00", "until": "2026-01-05T12:30:00-08:00"},
                    "ips_fault": {"code": 30000},
                }
            ]
        )
    )
    client = SoapTestClient(fake)
    outcomes = []
    for instant in (at(11, 59, 59), at(12), at(12, 29, 59), at(12, 30)):
        fake.move_to(instant)
        outcomes.append(client.call("getCompanyInfo", {"companyHandle": "c|100"}).code)
    assert outcomes == [None, 30000, 30000, None]
    assert [e.virtual_time for e in fake.journal] == [at(11, 59, 59), at(12), at(12, 29, 59), at(12, 30)]


def test_fault_times_are_consumed_and_restored_by_reset() -> None:
    fake = FakeIps(
        scenario(faults=[{"match": {"operation": "getCompanyInfo"}, "times": 2, "ips_fault": {"code": 30000}}])
    )
    client = SoapTestClient(fake)

    def codes(n: int) -> list[int | None]:
        return [client.call("getCompanyInfo", {"companyHandle": "c|100"}).code for _ in range(n)]

    assert codes(4) == [30000, 30000, None, None]
    fake.reset()
    assert codes(3) == [30000, 30000, None]


def test_first_matching_rule_with_uses_left_wins() -> None:
    fake = FakeIps(
        scenario(
            faults=[
                {"match": {"operation": "getCompanyInfo"}, "times": 1, "ips_fault": {"code": 30010}},
                {"match": {"user": "admin@example.com"}, "times": 3, "ips_fault": {"code": 30020}},
                {"match": {}, "ips_fault": {"code": 30030}},
            ]
        )
    )
    client = SoapTestClient(fake)
    calls = [
        ("getCompanyInfo", "admin@example.com"),  # rule 0 (its one use)
        ("getCompanyInfo", "admin@example.com"),  # rule 1
        ("checkLogin", "user@example.com"),  # rule 2: rule 1 is for the admin only
        ("checkLogin", "admin@example.com"),  # rule 1
        ("checkLogin", "admin@example.com"),  # rule 1 (its last use)
        ("checkLogin", "admin@example.com"),  # rule 2, for ever
    ]
    codes = [client.call(op, {"companyHandle": "c|100"}, user=user).code for op, user in calls]
    assert codes == [30010, 30020, 30030, 30020, 30020, 30030]


# ------------------------------------------------------------------------------------------------- stubs

USER_INFO = {
    "2014-04-03": (
        "<getUserInfoReturn xmlns='urn:ignored'><userInfo><userHandle>u|7</userHandle><firstName>Ada</firstName>"
        "<lastName>Admin</lastName><email>admin@example.com</email><isValid>true</isValid>"
        "<isIpsAdmin>true</isIpsAdmin></userInfo></getUserInfoReturn>"
    ),
    "2013-02-15": (
        "<getUserInfoReturn><userInfo><userHandle>u|7</userHandle><firstName>Ada</firstName>"
        "<lastName>Admin</lastName><email>admin@example.com</email><defaultRole>IpsAdmin</defaultRole>"
        "<isValid>true</isValid></userInfo></getUserInfoReturn>"
    ),
}


@pytest.mark.parametrize(("version", "namespace"), [("2014-04-03", NS_2014), ("2013-02-15", NS_2013)])
def test_xml_stub_answers_an_unmodelled_operation_in_the_request_namespace(version: str, namespace: str) -> None:
    fake = FakeIps(scenario(stubs=[{"operation": "getUserInfo", "times": 2, "xml": USER_INFO[version]}]))
    client = SoapTestClient(fake, version=version)
    # Still authenticated: no credentials, no stub.
    anonymous = client.call("getUserInfo", {"email": "admin@example.com"}, user=None)
    assert (anonymous.fault_kind, anonymous.code) == ("authenticationFault", 10000)
    wrong = client.call("getUserInfo", {"email": "admin@example.com"}, password="wrong")
    assert (wrong.fault_kind, wrong.code) == ("authenticationFault", 10001)
    for _ in range(2):
        reply = client.call("getUserInfo", {"email": "admin@example.com"})  # validated against the real WSDL
        assert etree.QName(reply.payload).text == f"{{{namespace}}}getUserInfoReturn"
        assert {etree.QName(el).namespace for el in reply.payload.iter()} == {namespace}
        assert (reply.text("userInfo/userHandle"), reply.text("userInfo/email")) == ("u|7", "admin@example.com")
    # Its uses spent, the operation is unmodelled again.
    spent = client.call("getUserInfo", {"email": "admin@example.com"})
    assert (spent.fault_kind, spent.code, spent.reason) == (
        "ipsApiFault",
        30000,
        "ips-mock does not implement getUserInfo (add a stubs entry)",
    )
    assert [(e.operation, e.injected, e.fault_code) for e in fake.journal] == [
        ("getUserInfo", None, 10000),
        ("getUserInfo", None, 10001),
        ("getUserInfo", "stub", None),
        ("getUserInfo", "stub", None),
        ("getUserInfo", None, 30000),
    ]


def test_stub_still_authorizes_the_caller() -> None:
    web_user = {"email": "ws@example.com", "password": "password", "role": "WebServiceUser", "companies": ["Example"]}
    stub = {"companyInfo": {"companyHandle": "c|9", "name": "Canned", "rootPath": "Canned/", "expires": None}}
    fake = FakeIps({**scenario(stubs=[{"operation": "getCompanyInfo", "fields": stub}]), "users": [ADMIN, web_user]})
    client = SoapTestClient(fake)
    refused = client.call("getCompanyInfo", {"companyHandle": "c|100"}, user="ws@example.com")
    assert (refused.fault_kind, refused.code) == ("authorizationFault", 20003)
    assert client.call("getCompanyInfo", {"companyHandle": "c|100"}).text("companyInfo/name") == "Canned"


def test_fields_stub_overrides_the_real_answer_then_falls_back() -> None:
    canned = {
        "companyInfo": {
            "companyHandle": "c|999",
            "name": "Stubbed",
            "rootPath": "Stubbed/",
            "expires": "2030-01-01T00:00:00-08:00",
        }
    }
    fake = FakeIps(scenario(stubs=[{"operation": "getCompanyInfo", "times": 1, "fields": canned}]))
    client = SoapTestClient(fake)
    stubbed = client.call("getCompanyInfo", {"companyName": "Example"})
    assert [stubbed.text(f"companyInfo/{f}") for f in ("companyHandle", "name", "rootPath", "expires")] == [
        "c|999",
        "Stubbed",
        "Stubbed/",
        "2030-01-01T00:00:00.000-08:00",
    ]
    real = client.call("getCompanyInfo", {"companyName": "Example"})
    assert [real.text(f"companyInfo/{f}") for f in ("companyHandle", "name", "rootPath")] == [
        "c|100",
        "Example",
        "Example/",
    ]
    assert [e.injected for e in fake.journal] == ["stub", None]


def test_fields_stub_is_encoded_in_every_version() -> None:
    canned = {"companyInfo": {"companyHandle": "c|999", "name": "Stubbed", "rootPath": "S/", "expires": None}}
    fake = FakeIps(scenario(stubs=[{"operation": "getCompanyInfo", "fields": canned}]))
    for version, namespace in (("2014-04-03", NS_2014), ("2013-02-15", NS_2013)):
        reply = SoapTestClient(fake, version=version).call("getCompanyInfo", {"companyName": "Example"})
        assert etree.QName(reply.payload).namespace == namespace
        assert reply.text("companyInfo/name") == "Stubbed"


# ---------------------------------------------------------------------------------------------- expect

EXPECT_BASE = """\
ips_mock: 1
companies:
  - {name: Example, id: 100}
users:
  - {email: admin@example.com, password: password, role: IpsAdmin, companies: [Example]}
jobs:
  - company: Example
    name: nightly
    submitted_by: admin@example.com
    exec_schedule: "0 0 * * *"
    job: {imageServingPublishJob: {publishType: Full, emailSetting: None}}
    past_runs: [2026-01-04T00:00:00-08:00]
behaviours:
  - match: {name: "broken-*"}
    fatal_error: boom
  - match: {name: "mixed-*"}
    error_items: 1
expect:
"""
EXPECT_LINE = EXPECT_BASE.count("\n") + 2  # the line of the entry under the expect section's key

Action = Callable[[FakeIps, SoapTestClient], None]


def call_times(operation: str, n: int, **params: Any) -> Action:
    def act(fake: FakeIps, client: SoapTestClient) -> None:
        for _ in range(n):
            client.call(operation, {"companyHandle": "c|100", **params})

    return act


def submit_upload(name: str, *files: str) -> Action:
    def act(fake: FakeIps, client: SoapTestClient) -> None:
        client.call("submitJob", {"companyHandle": "c|100", "jobName": name, "uploadUrlsJob": urls_job(*files)})
        fake.advance(timedelta(minutes=2))

    return act


def past_midnight(fake: FakeIps, client: SoapTestClient) -> None:
    fake.move_to(at(0, 5, day=6))


def pause_nightly(fake: FakeIps, client: SoapTestClient) -> None:
    client.call("pauseJob", {"companyHandle": "c|100", "jobHandle": "j|100|nightly||"})


def nothing(fake: FakeIps, client: SoapTestClient) -> None:
    return None


EXPECT_CASES: list[tuple[str, str, str, Action, str | None]] = [
    ("times-met", "calls", "{operation: getCompanyInfo, times: 2}", call_times("getCompanyInfo", 2), None),
    (
        "times-unmet",
        "calls",
        "{operation: getCompanyInfo, times: 2}",
        call_times("getCompanyInfo", 3),
        "getCompanyInfo was called 3 time(s), expected 2",
    ),
    ("at-least-met", "calls", "{operation: checkLogin, at_least: 2}", call_times("checkLogin", 3), None),
    (
        "at-least-unmet",
        "calls",
        "{operation: checkLogin, at_least: 2}",
        call_times("checkLogin", 1),
        "checkLogin was called 1 time(s), expected at least 2",
    ),
    ("never-met", "calls", "{operation: deleteJob, never: true}", call_times("checkLogin", 1), None),
    (
        "never-unmet",
        "calls",
        "{operation: deleteJob, never: true}",
        call_times("deleteJob", 1, jobHandle="j|100|nightly||"),
        "deleteJob was called 1 time(s), expected never",
    ),
    (
        "where-unmet",
        "calls",
        "{operation: getCompanyInfo, where: {companyName: Example}, times: 1}",
        call_times("getCompanyInfo", 2),  # by handle: not counted
        "getCompanyInfo was called 0 time(s), expected 1",
    ),
    ("state-met", "jobs", "{name: nightly, state: paused}", pause_nightly, None),
    ("state-unmet", "jobs", "{name: nightly, state: paused}", nothing, "job 'nightly' is scheduled, expected paused"),
    ("runs-met", "jobs", "{name: nightly, company: Example, runs: 2}", past_midnight, None),
    ("runs-unmet", "jobs", "{name: nightly, runs: 2}", nothing, "job 'nightly' ran 1 time(s), expected 2"),
    (
        "finished-met",
        "jobs",
        "{name: broken-upload, state: finished, runs: 1}",
        submit_upload("broken-upload", "a.jpg"),
        None,
    ),
    ("count-met", "logs", "{job_name: nightly, count: 2}", past_midnight, None),
    ("count-unmet", "logs", "{job_name: nightly, count: 2}", nothing, "1 log(s) for 'nightly', expected 2"),
    (
        "fatal-met",
        "logs",
        "{job_name: broken-upload, fatal_error: true}",
        submit_upload("broken-upload", "a.jpg"),
        None,
    ),
    (
        "fatal-unmet",
        "logs",
        "{job_name: nightly, fatal_error: true}",
        past_midnight,
        "fatal_error of the logs for 'nightly' is [False, False], expected True in every log",
    ),
    (
        "files-met",
        "logs",
        "{job_name: mixed-upload, file_success_count: 2, file_error_count: 1}",
        submit_upload("mixed-upload", "a.jpg", "b.jpg", "c.jpg"),
        None,
    ),
    (
        "success-unmet",
        "logs",
        "{job_name: mixed-upload, file_success_count: 2}",
        submit_upload("mixed-upload", "a.jpg", "b.jpg"),
        "file_success_count of the logs for 'mixed-upload' is [1], expected 2 in every log",
    ),
    (
        "errors-unmet",
        "logs",
        "{job_name: mixed-upload, file_error_count: 2}",
        submit_upload("mixed-upload", "a.jpg", "b.jpg"),
        "file_error_count of the logs for 'mixed-upload' is [1], expected 2 in every log",
    ),
]


@pytest.mark.parametrize(
    ("kind", "entry", "action", "message"), [c[1:] for c in EXPECT_CASES], ids=[c[0] for c in EXPECT_CASES]
)
def test_expectation(tmp_path: Path, kind: str, entry: str, action: Action, message: str | None) -> None:
    path = write(tmp_path, f"{EXPECT_BASE}  {kind}:\n    - {entry}\n")
    fake = FakeIps(path)
    action(fake, SoapTestClient(fake))
    expected = [] if message is None else [f"{path}:{EXPECT_LINE}: expect.{kind}[0]: {message}"]
    assert fake.unmet_expectations() == expected
    if message is None:
        fake.verify()
    else:
        with pytest.raises(AssertionError) as info:
            fake.verify()
        report = str(info.value)
        assert report.startswith(expected[0] + "\nips-mock journal:")
        assert report.splitlines()[2:] == ["  " + e.describe() for e in fake.journal]


def test_where_expectation_counts_matching_params(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{EXPECT_BASE}  calls:\n    - {{operation: getCompanyInfo, where: {{companyName: Example}}, times: 1}}\n",
    )
    fake = FakeIps(path)
    client = SoapTestClient(fake)
    client.call("getCompanyInfo", {"companyHandle": "c|100"})
    client.call("getCompanyInfo", {"companyName": "Example"})
    assert fake.unmet_expectations() == []


def test_unmet_expectations_are_listed_in_file_order_and_verify_reports_the_journal(tmp_path: Path) -> None:
    text = (
        f"{EXPECT_BASE}"
        "  calls:\n"
        "    - {operation: checkLogin, at_least: 1}\n"
        "    - {operation: getCompanyInfo, never: true}\n"
        "  jobs:\n"
        "    - {name: nightly, state: deleted, runs: 0}\n"
        "  logs:\n"
        "    - {job_name: nightly, count: 0}\n"
    )
    path = write(tmp_path, text)
    fake = FakeIps(path)
    SoapTestClient(fake).call("getCompanyInfo", {"companyHandle": "c|100"})
    line = EXPECT_LINE
    expected = [
        f"{path}:{line}: expect.calls[0]: checkLogin was called 0 time(s), expected at least 1",
        f"{path}:{line + 1}: expect.calls[1]: getCompanyInfo was called 1 time(s), expected never",
        f"{path}:{line + 3}: expect.jobs[0]: job 'nightly' is scheduled, expected deleted",
        f"{path}:{line + 3}: expect.jobs[0]: job 'nightly' ran 1 time(s), expected 0",
        f"{path}:{line + 5}: expect.logs[0]: 1 log(s) for 'nightly', expected 0",
    ]
    assert fake.unmet_expectations() == expected
    with pytest.raises(AssertionError) as info:
        fake.verify()
    assert str(info.value) == "\n".join(expected) + "\n" + fake.journal.report()
    assert fake.journal.report() == (
        "ips-mock journal:\n  #1 2026-01-05T09:00:00-08:00 getCompanyInfo as admin@example.com -> ok"
    )


def test_verify_with_no_expectations_and_no_errors_passes() -> None:
    fake = FakeIps(SCENARIOS / "default.yaml")
    SoapTestClient(fake).call("getCompanyInfo", {"companyHandle": "c|100"})
    assert fake.unmet_expectations() == []
    fake.verify()


# ------------------------------------------------------------------------------------------ seeded jobs


def seeded(**job: Any) -> dict[str, Any]:
    base = {"company": "Example", "submitted_by": "admin@example.com", "job": {"imageServingPublishJob": PUBLISH}}
    return base | job


def test_seeded_exec_time_job_fires_at_its_time() -> None:
    fake = FakeIps(scenario(jobs=[seeded(name="later", exec_time="2026-01-05T12:00:00-08:00")]))
    client = SoapTestClient(fake)
    scheduled = rows(client.call("getScheduledJobs", {"companyHandle": "c|100"}))
    assert [(r["name"], r["triggerState"], r["nextFireTime"]) for r in scheduled] == [
        ("later", "Normal", "2026-01-05T12:00:00.000-08:00")
    ]
    fake.move_to(at(11, 59, 59))
    assert fake.state.runs == {}
    fake.move_to(at(12))
    (run,) = fake.state.runs.values()
    assert (run.id, run.name, run.trigger_time, run.state) == (
        1001,
        "later_2026-01-05-12:00:00.000",
        at(12),
        RunState.NEW,
    )
    assert [r["name"] for r in rows(client.call("getActiveJobs", {"companyHandle": "c|100"}))] == [run.name]
    assert rows(client.call("getScheduledJobs", {"companyHandle": "c|100"})) == []


def test_seeded_job_without_trigger_runs_at_clock_start() -> None:
    fake = FakeIps(scenario(jobs=[seeded(name="now")]))
    (run,) = fake.state.runs.values()
    assert (run.name, run.trigger_time, run.state) == ("now_2026-01-05-09:00:00.000", at(9), RunState.NEW)
    fake.advance(timedelta(seconds=60))
    assert run.state is RunState.DONE


def test_seeded_paused_job_stays_paused() -> None:
    fake = FakeIps(scenario(jobs=[seeded(name="held", exec_schedule="0 0 * * *", paused=True)]))
    client = SoapTestClient(fake)
    fake.advance(timedelta(days=3))
    assert fake.state.runs == {}
    assert fake.state.logs == []
    scheduled = rows(client.call("getScheduledJobs", {"companyHandle": "c|100"}))
    assert [(r["name"], r["triggerState"]) for r in scheduled] == [("held", "Paused")]
    client.call("resumeJob", {"companyHandle": "c|100", "jobHandle": "j|100|held||"})
    fake.move_to(at(0, day=9))
    assert [r.name for r in fake.state.runs.values()] == ["held_2026-01-09-00:00:00.000"]


def test_seeded_past_runs_have_logs_before_start() -> None:
    fake = FakeIps(
        scenario(
            jobs=[
                seeded(
                    name="nightly",
                    exec_schedule="0 0 * * *",
                    past_runs=["2026-01-04T00:00:00-08:00", "2026-01-03T00:00:00-08:00"],
                )
            ]
        )
    )
    assert [(log.run_name, log.start_date, log.end_date) for log in fake.state.logs] == [
        ("nightly_2026-01-03-00:00:00.000", at(0, day=3), at(0, 1, day=3)),
        ("nightly_2026-01-04-00:00:00.000", at(0, day=4), at(0, 1, day=4)),
    ]
    assert [r.state for r in fake.state.runs.values()] == [RunState.DONE, RunState.DONE]
    client = SoapTestClient(fake)
    assert rows(client.call("getActiveJobs", {"companyHandle": "c|100"})) == []
    logs = rows(client.call("getJobLogs", {"companyHandle": "c|100"}), "jobLogArray")
    assert [r["jobName"] for r in logs] == ["nightly_2026-01-04-00:00:00.000", "nightly_2026-01-03-00:00:00.000"]


def test_behaviours_match_by_name_glob_and_type_first_rule_wins() -> None:
    fake = FakeIps(
        scenario(
            behaviours=[
                {"match": {"name": "fast-*"}, "duration": "10s"},
                {"match": {"type": "imageServingPublishJob"}, "duration": "5m"},
                {"match": {"name": "fast-*", "type": "imageServingPublishJob"}, "duration": "1h"},
            ]
        )
    )
    client = SoapTestClient(fake)
    jobs = {
        "fast-publish": {"imageServingPublishJob": PUBLISH},
        "slow-publish": {"imageServingPublishJob": PUBLISH},
        "fast-upload": {"uploadUrlsJob": urls_job("a.jpg")},
        "plain-upload": {"uploadUrlsJob": urls_job("b.jpg")},
    }
    for name, job in jobs.items():
        client.call("submitJob", {"companyHandle": "c|100", "jobName": name, **job})
    fake.advance(timedelta(hours=2))
    durations = {r.definition.name: r.log.end_date - r.trigger_time for r in fake.state.runs.values() if r.log.end_date}
    assert durations == {
        "fast-publish": timedelta(seconds=10),
        "slow-publish": timedelta(minutes=5),
        "fast-upload": timedelta(seconds=10),
        "plain-upload": timedelta(seconds=60),
    }


# ----------------------------------------------------------------------------------------- determinism

DIRECTORY_JOB = {
    "serverDir": "incoming/",
    "overwrite": True,
    "readyForPublish": True,
    "includeSubfolders": False,
    "createMask": False,
    "processMetadataFiles": False,
    "emailSetting": "None",
}


def session_bodies(fake: FakeIps) -> list[bytes]:
    """The same calls and clock moves, returning every reply body."""
    client = SoapTestClient(fake)
    bodies = [
        client.call(
            "submitJob", {"companyHandle": "c|100", "jobName": "dir-upload", "uploadDirectoryJob": DIRECTORY_JOB}
        ).body
    ]
    fake.advance(timedelta(seconds=30))
    bodies.append(client.call("getActiveJobs", {"companyHandle": "c|100"}).body)
    fake.advance(timedelta(seconds=31))
    bodies.append(client.call("getJobLogs", {"companyHandle": "c|100"}).body)
    bodies.append(client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "dir-upload"}).body)
    bodies.append(client.call("getAssetJobLogs", {"assetHandle": "a|100|1|1001"}).body)
    return bodies


def generated_names(body: bytes) -> list[str]:
    return [el.text or "" for el in etree.fromstring(body).iter(f"{{{NS_2014}}}assetName")]


def test_same_scenario_same_moves_same_calls_give_identical_bytes() -> None:
    first = session_bodies(FakeIps(scenario(seed=7)))
    second = session_bodies(FakeIps(scenario(seed=7)))
    assert first == second
    names = generated_names(first[3])
    assert len(names) == 3
    assert len(set(names)) == 3
    assert all(name and name not in {"1", "2", "3"} for name in names)
    fake = FakeIps(scenario(seed=7))
    session_bodies(fake)
    fake.reset()
    assert session_bodies(fake) == first


def test_a_different_seed_gives_different_generated_names() -> None:
    seven = generated_names(session_bodies(FakeIps(scenario(seed=7)))[3])
    eight = generated_names(session_bodies(FakeIps(scenario(seed=8)))[3])
    assert len(eight) == 3
    assert seven != eight


# --------------------------------------------------------------------------------------------- via zeep


@pytest.fixture
def flaky_server() -> Iterator[tuple[FakeIps, ServerThread]]:
    fake = FakeIps(
        scenario(
            faults=[
                {
                    "match": {"operation": "submitJob"},
                    "times": 1,
                    "ips_fault": {"code": 30000, "reason": "Service temporarily unavailable, please retry"},
                }
            ]
        )
    )
    with ServerThread(fake, host="127.0.0.1", port=0) as server:
        yield fake, server


def test_injected_fault_reaches_zeep_as_an_ips_api_fault(flaky_server: tuple[FakeIps, ServerThread]) -> None:
    fake, server = flaky_server
    with requests.Session() as session:
        client = zeep.Client(str(real_wsdl_path("2014-04-03")), transport=zeep.Transport(session=session))
        service = client.create_service("{http://www.scene7.com/IpsApi}IpsApiServiceSoapBinding", server.url + ENDPOINT)
        auth = client.get_element(f"{{{FLT}/2014-04-03}}authHeader")(
            user="admin@example.com", password="password", appName="ips-mock-tests", appVersion="1.0"
        )

        def submit() -> Any:
            return service.submitJob(
                companyHandle="c|100",
                jobName="zeep-publish",
                imageServingPublishJob={"publishType": "Full", "emailSetting": "None"},
                _soapheaders=[auth],
            )

        with pytest.raises(Fault) as caught:
            submit()
        retried = submit()
    assert caught.value.message == "ipsApiFault"
    assert caught.value.detail is not None
    (detail,) = list(caught.value.detail)
    assert detail.tag == f"{{{FLT}}}ipsApiFault"
    assert [(etree.QName(c).text, c.text) for c in detail] == [
        (f"{{{FLT}}}code", "30000"),
        (f"{{{FLT}}}reason", "Service temporarily unavailable, please retry"),
    ]
    assert retried == "j|100|zeep-publish||"
    assert [e.injected for e in fake.journal] == ["fault", None]
    assert fake.errors == []

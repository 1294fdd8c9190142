"""Invalid scenario files: one per kind of error, each reported as exactly ``FILE:LINE: PATH: MESSAGE``.

Every file is loaded the way ``ips-mock check`` loads it (``FakeIps(path)``), so the checks the loader makes and
the ones made when the scenario is put to use (operation names, stubs, timeline parameters, job elements) are
covered alike. Then several errors in one file, and the ``check`` and ``replay`` commands.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ips_mock import FakeIps, ScenarioError
from ips_mock.cli import main
from ips_mock.scenario import load_scenario

COMPANY_AND_ADMIN = """\
ips_mock: 1
companies:
  - name: Example
users:
  - email: admin@example.com
    password: password
    role: IpsAdmin
    companies: [Example]
"""
# Lines 1-8 above; a section appended after them starts on line 9.

PUBLISH_JOB = "    job: {imageServingPublishJob: {publishType: Full, emailSetting: None}}\n"

ROLES = (
    "['IpsAdmin', 'IpsCompanyAdmin', 'IpsUser', 'WebServiceUser', 'TrialSiteAdmin', 'TrialSiteUser', "
    "'ImagePortalAdmin', 'ImagePortalUser', 'ImagePortalContrib', 'ImagePortalContribUser']"
)
TOP_LEVEL = (
    "assets, behaviours, callbacks, clock, companies, description, expect, faults, folders, ips_mock, jobs, "
    "playback, property_sets, retention, seed, stubs, timeline, users"
)
OPERATIONS = (
    "checkLogin, getCompanyInfo, submitJob, executeJob, getActiveJobs, getScheduledJobs, stopJob, pauseJob, "
    "resumeJob, deleteJob, getJobLogs, getJobLogDetails, getAssetJobLogs"
)

# (id, file text, line, field path, message)
CASES: list[tuple[str, str, int, str, str]] = [
    (
        "unknown-top-level-field",
        "ips_mock: 1\ndescription: x\nscenario_name: nightly\n",
        3,
        "scenario_name",
        f"unknown field; expected one of {TOP_LEVEL}",
    ),
    (
        "unknown-nested-field",
        "ips_mock: 1\nclock:\n  start: 2026-01-05T09:00:00-08:00\n  speed: 2\n",
        4,
        "clock.speed",
        "unknown field; expected one of misfire, start, zone",
    ),
    ("bad-version", "# a comment\nips_mock: '1'\n", 2, "ips_mock", "1 was expected"),
    (
        "missing-required-field",
        "ips_mock: 1\nusers:\n  - email: a@example.com\n    role: IpsUser\n    companies: []\n",
        3,
        "users[0]",
        "'password' is a required property",
    ),
    ("wrong-type", "ips_mock: 1\nseed: seven\n", 2, "seed", "'seven' is not of type 'integer'"),
    (
        "bad-role",
        "ips_mock: 1\nusers:\n  - email: a@example.com\n    password: p\n    role: Admin\n    companies: []\n",
        5,
        "users[0].role",
        f"'Admin' is not one of {ROLES}",
    ),
    (
        "unknown-company-in-user",
        COMPANY_AND_ADMIN + "  - email: b@example.com\n    password: p\n    role: IpsUser\n"
        "    companies:\n      - Example\n      - Exmaple\n",
        14,
        "users[1].companies[1]",
        "unknown company 'Exmaple'; known: 'Example'",
    ),
    (
        "unknown-submitter",
        COMPANY_AND_ADMIN
        + "jobs:\n  - company: Example\n    name: j\n    submitted_by: ghost@example.com\n"
        + PUBLISH_JOB,
        12,
        "jobs[0].submitted_by",
        "unknown user 'ghost@example.com'; known: 'admin@example.com'",
    ),
    (
        "submitter-not-a-member",
        "ips_mock: 1\ncompanies:\n  - name: Example\n  - name: Other\nusers:\n  - email: o@example.com\n"
        "    password: p\n    role: IpsCompanyAdmin\n    companies: [Other]\n"
        "jobs:\n  - company: Example\n    name: j\n    submitted_by: o@example.com\n" + PUBLISH_JOB,
        13,
        "jobs[0].submitted_by",
        "o@example.com is not a member of Example",
    ),
    (
        "exec-time-and-exec-schedule",
        COMPANY_AND_ADMIN + "jobs:\n  - company: Example\n    name: j\n    submitted_by: admin@example.com\n"
        "    exec_time: 2026-02-01T00:00:00-08:00\n    exec_schedule: '0 0 * * *'\n" + PUBLISH_JOB,
        10,
        "jobs[0]",
        "give exec_time or exec_schedule, not both",
    ),
    (
        "bad-cron",
        COMPANY_AND_ADMIN + "jobs:\n  - company: Example\n    name: j\n    submitted_by: admin@example.com\n"
        "    exec_schedule: '0 61 * * *'\n" + PUBLISH_JOB,
        13,
        "jobs[0].exec_schedule",
        "'0 61 * * *': as cron (min hour dom mon dow): hour must be 0-23, not 61; "
        "as IPS/Quartz (sec min hour dom mon): minute must be 0-59, not 61",
    ),
    (
        "naive-instant",
        "ips_mock: 1\nfaults:\n  - match:\n      from: 2026-01-05T10:00:00\n    ips_fault: {code: 10001}\n",
        4,
        "faults[0].match.from",
        "'2026-01-05T10:00:00' has no offset; write one, e.g. 2026-01-05T10:00:00-08:00 or 2026-01-05T10:00:00Z",
    ),
    (
        "not-an-instant",
        "ips_mock: 1\nclock:\n  start: next monday\n",
        3,
        "clock.start",
        "'next monday' is not an ISO 8601 instant such as 2030-01-01T00:00:00-08:00",
    ),
    (
        "exec-time-before-start",
        COMPANY_AND_ADMIN + "jobs:\n  - company: Example\n    name: j\n    submitted_by: admin@example.com\n"
        "    exec_time: 2026-01-05T08:59:59-08:00\n" + PUBLISH_JOB,
        13,
        "jobs[0].exec_time",
        "2026-01-05T08:59:59-08:00 is before clock.start 2026-01-05T09:00:00-08:00",
    ),
    (
        "past-run-after-start",
        COMPANY_AND_ADMIN + "jobs:\n  - company: Example\n    name: j\n    submitted_by: admin@example.com\n"
        "    exec_schedule: '0 0 * * *'\n" + PUBLISH_JOB + "    past_runs:\n      - 2026-01-04T00:00:00-08:00\n"
        "      - 2026-01-05T09:00:00-08:00\n",
        17,
        "jobs[0].past_runs[1]",
        "2026-01-05T09:00:00-08:00 is not before clock.start 2026-01-05T09:00:00-08:00",
    ),
    (
        "step-outside-running",
        "ips_mock: 1\nbehaviours:\n  - match: {name: 'slow-*'}\n    waiting: 30s\n    duration: 2m\n"
        "    steps:\n      - {at: 1m, progress: 50}\n      - {at: 2m, progress: 90}\n",
        8,
        "behaviours[0].steps[1].at",
        "2m must fall while the run is Running: after 0:00:31 and before 0:02:00",
    ),
    (
        "bad-duration",
        "ips_mock: 1\nbehaviours:\n  - match: {type: uploadUrlsJob}\n    duration: 5 minutes\n",
        4,
        "behaviours[0].duration",
        "'5 minutes' is not a duration such as 90s, 2m, 1h30m, 500ms or 1d",
    ),
    (
        "fault-with-two-actions",
        "ips_mock: 1\nfaults:\n  - match: {operation: submitJob}\n    drop: true\n    garbage: 10\n",
        3,
        "faults[0]",
        "give exactly one of ips_fault, http, delay, drop, garbage",
    ),
    (
        "fault-with-no-action",
        "ips_mock: 1\nfaults:\n  - match: {operation: submitJob}\n    times: 1\n",
        3,
        "faults[0]",
        "give exactly one of ips_fault, http, delay, drop, garbage",
    ),
    (
        "fault-shadowed",
        "ips_mock: 1\nfaults:\n  - match: {operation: submitJob}\n    ips_fault: {code: 30000}\n"
        "  - match: {operation: submitJob, job_name: 'nightly-*'}\n    http: {status: 503}\n",
        5,
        "faults[1]",
        "can never apply: faults[0] always matches the same requests first "
        "(narrow that one, give it 'times', or reorder)",
    ),
    (
        "until-before-from",
        "ips_mock: 1\nfaults:\n  - match:\n      from: 2026-01-05T11:00:00-08:00\n"
        "      until: 2026-01-05T10:00:00-08:00\n    ips_fault: {code: 10001}\n",
        5,
        "faults[0].match.until",
        "must be after match.from",
    ),
    (
        "delay-too-long",
        "ips_mock: 1\nfaults:\n  - match: {operation: submitJob}\n    delay: 1m\n",
        4,
        "faults[0].delay",
        "1m is longer than the 30s limit",
    ),
    (
        "unknown-fault-operation",
        "ips_mock: 1\nfaults:\n  - match:\n      operation: submitJobs\n    ips_fault: {code: 30000}\n",
        4,
        "faults[0].match.operation",
        "unknown operation 'submitJobs'",
    ),
    (
        "stub-xml-wrong-root",
        "ips_mock: 1\nstubs:\n  - operation: getUserInfo\n    xml: <getUserReturn><userInfo/></getUserReturn>\n",
        3,
        "stubs[0]",
        "xml must be a <getUserInfoReturn> element, not <getUserReturn>",
    ),
    (
        "stub-fields-of-an-unmodelled-operation",  # checked against Adobe's types like any other
        "ips_mock: 1\nstubs:\n  - operation: getUserInfo\n    fields: {userInfo: {userHandle: u|1}}\n",
        4,
        "stubs[0].fields",
        "Missing required parameter 'getUserInfoReturn/userInfo/firstName'",
    ),
    (
        "timeline-move-backwards",
        "ips_mock: 1\nclock:\n  start: 2026-01-05T09:00:00-08:00\ntimeline:\n  - advance: 1h\n"
        "  - move_to: 2026-01-05T12:00:00-08:00\n  - move_to: 2026-01-05T11:00:00-08:00\n",
        7,
        "timeline[2].move_to",
        "2026-01-05T11:00:00-08:00 goes back in time; the clock only moves forward",
    ),
    (
        "timeline-params-unknown-field",
        COMPANY_AND_ADMIN + "timeline:\n  - call: getCompanyInfo\n    params:\n      companyHandle: c|100\n"
        "      colour: red\n",
        11,
        "timeline[0].params",
        "Unknown field 'colour' in getCompanyInfoParam; expected companyHandle, companyName, imsOrgId",
    ),
    (
        "two-job-elements",
        COMPANY_AND_ADMIN + "jobs:\n  - company: Example\n    name: j\n    submitted_by: admin@example.com\n"
        "    job:\n      imageServingPublishJob: {publishType: Full, emailSetting: None}\n      uploadUrlsJob: {}\n",
        13,
        "jobs[0].job",
        "give exactly one job element, e.g. uploadUrlsJob: {...}",
    ),
    (
        "duplicate-job-name",
        COMPANY_AND_ADMIN
        + "jobs:\n  - company: Example\n    name: j\n    submitted_by: admin@example.com\n"
        + PUBLISH_JOB
        + "  - company: Example\n    name: j\n    submitted_by: admin@example.com\n"
        + PUBLISH_JOB,
        15,
        "jobs[1].name",
        "duplicate job name 'j' in Example",
    ),
    (
        "fault-unknown-user",
        COMPANY_AND_ADMIN + "faults:\n  - match: {user: ghost@example.com}\n    drop: true\n",
        10,
        "faults[0].match.user",
        "unknown user 'ghost@example.com'; known: 'admin@example.com'",
    ),
    (
        "timeline-unknown-operation",
        COMPANY_AND_ADMIN + "timeline:\n  - call: getCompanyInfos\n",
        10,
        "timeline[0].call",
        "unknown operation 'getCompanyInfos'",
    ),
    (
        "timeline-unknown-caller",
        COMPANY_AND_ADMIN + "timeline:\n  - call: getCompanyInfo\n    as: ghost@example.com\n",
        11,
        "timeline[0].as",
        "unknown user 'ghost@example.com'; known: 'admin@example.com'",
    ),
    (
        "timeline-call-without-users",
        "ips_mock: 1\ntimeline:\n  - call: getCompanyInfo\n",
        3,
        "timeline[0]",
        "a call needs a user: add users, or 'as'",
    ),
    (
        "timeline-unknown-version",
        COMPANY_AND_ADMIN + "timeline:\n  - call: getCompanyInfo\n    version: 2099-01-01\n",
        11,
        "timeline[0].version",
        "unknown API version '2099-01-01'",
    ),
    (
        "expect-two-counts",
        COMPANY_AND_ADMIN + "expect:\n  calls:\n    - {operation: submitJob, times: 1, never: true}\n",
        11,
        "expect.calls[0]",
        "give at most one of times, at_least, never",
    ),
    (
        "expect-unknown-operation",
        COMPANY_AND_ADMIN + "expect:\n  calls:\n    - {operation: submitJobz, times: 1}\n",
        11,
        "expect.calls[0].operation",
        "unknown operation 'submitJobz'",
    ),
    (
        "expect-unknown-company",
        COMPANY_AND_ADMIN + "expect:\n  jobs:\n    - {company: Acme, name: nightly}\n",
        11,
        "expect.jobs[0].company",
        "unknown company 'Acme'; known: 'Example'",
    ),
    (
        "job-element-missing-field",
        COMPANY_AND_ADMIN + "jobs:\n  - company: Example\n    name: upload\n    submitted_by: admin@example.com\n"
        "    job:\n      uploadUrlsJob:\n        urlArray:\n          items:\n"
        "            - {sourceUrl: 'https://images.example.com/a.jpg', destPath: ''}\n"
        "        overwrite: true\n        readyForPublish: true\n        createMask: false\n",
        14,
        "jobs[0].job.uploadUrlsJob",
        "Missing required parameter 'uploadUrlsJob/emailSetting'",
    ),
]


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        FakeIps(path)
    return str(info.value).splitlines()


@pytest.mark.parametrize(("text", "line", "field", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error_names_file_line_path_and_problem(tmp_path: Path, text: str, line: int, field: str, message: str) -> None:
    path = write(tmp_path, text)
    assert errors_of(path) == [str(path) + f":{line}: " + field + ": " + message]


def test_there_are_at_least_sixteen_kinds_of_error() -> None:
    assert len({c[0] for c in CASES}) == len(CASES) >= 16


def test_bad_cron_names_the_minute_field(tmp_path: Path) -> None:
    (case,) = [c for c in CASES if c[0] == "bad-cron"]
    (error,) = errors_of(write(tmp_path, case[1]))
    assert "minute must be 0-59" in error


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "ips_mock: 1\ncompanies:\n  - name: Example\n    id: 100\n  - name: [Other\n")
    assert errors_of(path) == [f"{path}:6: YAML syntax error: expected ',' or ']', but got '<stream end>'"]


def test_yaml_duplicate_key_is_an_error_too(tmp_path: Path) -> None:
    path = write(tmp_path, "ips_mock: 1\nseed: 1\nseed: 2\n")
    assert errors_of(path) == [
        f'{path}:3: YAML syntax error: found duplicate key "seed" with value "2" (original value: "1")'
    ]


def test_stub_xml_that_is_not_well_formed(tmp_path: Path) -> None:
    # The parser's own words follow the prefix (they vary with the libxml2 version).
    path = write(tmp_path, "ips_mock: 1\nstubs:\n  - operation: getUserInfo\n    xml: <getUserInfoReturn>\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:3: stubs[0]: xml is not well-formed: ")


def test_stub_fields_are_checked_against_the_type_description(tmp_path: Path) -> None:
    text = COMPANY_AND_ADMIN + "stubs:\n  - operation: getCompanyInfo\n    fields:\n      companyInfo: {colour: red}\n"
    path = write(tmp_path, text)
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:11: stubs[0].fields: ")
    assert error.endswith(
        "Unknown field 'colour' in getCompanyInfoReturn/companyInfo; expected companyHandle, name, rootPath, "
        "expires, imsOrgId"
    )


def test_several_errors_are_all_reported_in_line_order_and_nothing_loads(tmp_path: Path) -> None:
    text = (
        "ips_mock: 1\n"  # 1
        "companies:\n"  # 2
        "  - name: Example\n"  # 3
        "jobs:\n"  # 4
        "  - company: Example\n"  # 5
        "    name: j\n"  # 6
        "    submitted_by: ghost@example.com\n"  # 7
        "    exec_schedule: '0 61 * * *'\n"  # 8
        + PUBLISH_JOB  # 9
        + "users:\n"  # 10
        "  - email: a@example.com\n"  # 11
        "    password: p\n"  # 12
        "    role: IpsUser\n"  # 13
        "    companies: [Nope]\n"  # 14
        "faults:\n"  # 15
        "  - match: {from: 2026-01-05T11:00:00-08:00, until: 2026-01-05T10:00:00-08:00}\n"  # 16
        "    ips_fault: {code: 10001}\n"  # 17
        "clock:\n"  # 18
        "  start: 2026-01-05T09:00:00\n"  # 19
    )
    path = write(tmp_path, text)
    expected = [
        f"{path}:7: jobs[0].submitted_by: unknown user 'ghost@example.com'; known: 'a@example.com'",
        f"{path}:8: jobs[0].exec_schedule: '0 61 * * *': as cron (min hour dom mon dow): hour must be 0-23, "
        "not 61; as IPS/Quartz (sec min hour dom mon): minute must be 0-59, not 61",
        f"{path}:14: users[0].companies[0]: unknown company 'Nope'; known: 'Example'",
        f"{path}:16: faults[0].match.until: must be after match.from",
        f"{path}:19: clock.start: '2026-01-05T09:00:00' has no offset; write one, e.g. 2026-01-05T09:00:00-08:00 "
        "or 2026-01-05T09:00:00Z",
    ]
    assert errors_of(path) == expected
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).splitlines() == expected
    fake = FakeIps()
    before = fake.scenario
    with pytest.raises(ScenarioError):
        fake.load(path)
    assert fake.scenario is before
    assert sorted(fake.state.users) == ["admin@example.com", "other@example.com", "user@example.com"]


def test_several_schema_errors_are_reported_in_line_order(tmp_path: Path) -> None:
    text = (
        "ips_mock: 1\n"
        "users:\n"
        "  - email: not-an-email\n"
        "    password: p\n"
        "    role: Boss\n"
        "    companies: []\n"
        "seed: 1.5\n"
        "clock: {misfire: sometimes}\n"
    )
    path = write(tmp_path, text)
    assert errors_of(path) == [
        f"{path}:3: users[0].email: 'not-an-email' does not match '^[^@\\\\s]+@[^@\\\\s]+$'",
        f"{path}:5: users[0].role: 'Boss' is not one of {ROLES}",
        f"{path}:7: seed: 1.5 is not of type 'integer'",
        f"{path}:8: clock.misfire: 'sometimes' is not one of ['fire_all', 'fire_once', 'skip']",
    ]


def test_errors_are_reported_stage_by_stage_each_stage_complete(tmp_path: Path) -> None:
    # The README: problems are reported in stages (JSON Schema; references, times, schedules; the IPS types),
    # every problem of a stage at once. Fixing one stage shows the next.
    lines = [
        "ips_mock: 1",  # 1
        "seed: x",  # 2
        "companies:",  # 3
        "  - name: Example",  # 4
        "users:",  # 5
        "  - email: a@example.com",  # 6
        "    password: p",  # 7
        "    role: IpsAdmin",  # 8
        "    companies: [Example, Nope]",  # 9
        "jobs:",  # 10
        "  - company: Example",  # 11
        "    name: upload",  # 12
        "    submitted_by: a@example.com",  # 13
        "    job:",  # 14
        "      uploadUrlsJob:",  # 15
        "        urlArray: [{sourceUrl: 'https://images.example.com/a.jpg', destPath: ''}]",  # 16
        "        overwrite: true",  # 17
        "        readyForPublish: true",  # 18
        "        createMask: false",  # 19
        "faults:",  # 20
        "  - match: {operation: submitJobs}",  # 21
        "    ips_fault: {code: 30000}",  # 22
    ]
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert errors_of(path) == [f"{path}:2: seed: 'x' is not of type 'integer'"]

    lines[1] = "seed: 1"
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert errors_of(path) == [f"{path}:9: users[0].companies[1]: unknown company 'Nope'; known: 'Example'"]

    lines[8] = "    companies: [Example]"
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert errors_of(path) == [
        f"{path}:15: jobs[0].job.uploadUrlsJob: Missing required parameter 'uploadUrlsJob/emailSetting'",
        f"{path}:21: faults[0].match.operation: unknown operation 'submitJobs'",
    ]


# ------------------------------------------------------------------------------------------- the commands


def test_check_prints_ok_for_good_files_and_errors_for_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, COMPANY_AND_ADMIN, "good.yaml")
    bad = write(tmp_path, "ips_mock: 1\nseed: seven\n", "bad.yaml")
    worse = write(tmp_path, "ips_mock: 1\nfaults:\n  - match: {operation: nope}\n    drop: true\n", "worse.yaml")
    assert main(["check", str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: ok\n"
    assert main(["check", str(good), str(bad), str(worse)]) == 1
    assert capsys.readouterr().out == (
        f"{good}: ok\n"
        f"{bad}:2: seed: 'seven' is not of type 'integer'\n"
        f"{worse}:3: faults[0].match.operation: unknown operation 'nope'\n"
    )


def test_check_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    assert main(["check", str(missing)]) == 1
    assert capsys.readouterr().out == f"{missing}: cannot read the scenario file: No such file or directory\n"


REPLAY = (
    COMPANY_AND_ADMIN  # lines 1-8
    + "timeline:\n"  # 9
    "  - call: getCompanyInfo\n"  # 10
    "    params: {companyHandle: 'c|100'}\n"  # 11
    "    expect: {reply: {companyInfo/name: Example}}\n"  # 12
    "  - advance: 90s\n"  # 13
    "  - call: getCompanyInfo\n"  # 14
    "    params: {companyHandle: 'c|100'}\n"  # 15
    "    expect: {reply: {companyInfo/name: Acme}}\n"  # 16
    "  - call: getCompanyInfo\n"  # 17
    "    params: {companyHandle: 'c|100'}\n"  # 18
    "    expect: {fault: 20006}\n"  # 19
    "expect:\n"  # 20
    "  calls:\n"  # 21
    "    - {operation: getCompanyInfo, times: 2}\n"  # 22
)


def test_replay_marks_mismatches_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, REPLAY)
    assert main(["replay", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:10: timeline[0]: getCompanyInfo as admin@example.com -> ok",
        f"{path}:13: timeline[1]: advance 0:01:30 to 2026-01-05T09:01:30-08:00",
        f"{path}:14: timeline[2]: getCompanyInfo as admin@example.com -> ok: MISMATCH: "
        "companyInfo/name: expected 'Acme', got 'Example'",
        f"{path}:17: timeline[3]: getCompanyInfo as admin@example.com -> ok: MISMATCH: "
        "expected fault 20006, got a reply",
        f"{path}:22: expect.calls[0]: getCompanyInfo was called 3 time(s), expected 2 (expect)",
        "4 steps, 3 failed",
    ]


def test_replay_of_a_matching_timeline_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, REPLAY.replace("name: Acme", "name: Example").replace("{fault: 20006}", "{ok: true}"))
    assert main(["replay", str(path)]) == 1  # the expect section still wants two calls, not three
    out = capsys.readouterr().out
    assert "MISMATCH" not in out
    assert out.splitlines()[-1] == "4 steps, 1 failed"
    fixed = write(tmp_path, path.read_text().replace("times: 2", "times: 3"), "fixed.yaml")
    assert main(["replay", str(fixed)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "4 steps, all as expected"


def test_replay_of_an_invalid_file_exits_1_with_the_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ips_mock: 1\nseed: seven\n")
    assert main(["replay", str(path)]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"ips-mock: {path}:2: seed: 'seven' is not of type 'integer'\n")

"""Scenario replay, complete: record a conversation through the proxy, replay it, play it back.

A second ips-mock (a StandaloneApp on its own ServerThread) stands in for the real IPS service, as the README's
walkthrough does.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import zeep
from zeep.exceptions import Fault

from ips_mock import FakeIps, ServerThread
from ips_mock.cli import main
from ips_mock.errors import ScenarioError
from ips_mock.protocol import ns
from ips_mock.recording import Recorder
from ips_mock.replay import replay_transcript
from ips_mock.scenario.transcript import TranscriptWriter, load_transcript
from ips_mock.standalone import StandaloneApp
from ips_mock.testing import auth_header, build_plain_request, upload_urls_job

NS_2014 = ns.ApiVersion("2014-04-03").namespace
PASSWORD = "password"


class Recording:
    """A target ips-mock and a recorder in front of it, both on loopback."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.target_app = StandaloneApp(FakeIps().scenario)
        self.target = ServerThread(self.target_app).start()
        self.stream = out.open("w", encoding="utf-8")
        self.writer = TranscriptWriter(self.stream, target=self.target.url)
        self.recorder = Recorder(self.target.url, self.writer)
        self.proxy = ServerThread(self.recorder).start()
        self.recorder.proxy_url = self.proxy.url

    def stop(self) -> None:
        self.proxy.stop()
        self.target.stop()
        self.stream.close()

    def zeep(self, *, basic: bool = True) -> Any:
        session = requests.Session()
        if basic:
            session.auth = ("admin@example.com", PASSWORD)
        return zeep.Client(
            f"{self.proxy.url}/scene7/webservice/IpsApi-2014-04-03.wsdl",
            transport=zeep.Transport(session=session),
        )

    def advance_target(self, seconds: float) -> None:
        response = requests.post(
            f"{self.proxy.url}/__admin/clock/advance", json={"seconds": seconds}, timeout=10
        )  # through the recorder: the admin API is forwarded too
        assert response.status_code == 200, response.text


@pytest.fixture
def recording(tmp_path: Path) -> Iterator[Recording]:
    rec = Recording(tmp_path / "session.yaml")
    try:
        yield rec
    finally:
        rec.stop()


def record_upload_session(rec: Recording) -> None:
    """A small conversation: company info, an upload, ten minutes, its logs; zeep (Basic, then authHeader) and
    plain XML."""
    client = rec.zeep()
    assert client.service.getCompanyInfo(companyName="Example").companyHandle == "c|100"
    client.service.submitJob(
        companyHandle="c|100", jobName="upload-1", uploadUrlsJob=upload_urls_job("https://img.example.com/a.jpg")
    )
    rec.advance_target(600)
    header_client = rec.zeep(basic=False)
    auth = header_client.get_element(f"{{{NS_2014}}}authHeader")(
        user="admin@example.com", password=PASSWORD, appName="tests", appVersion="1"
    )
    logs = header_client.service.getJobLogs(companyHandle="c|100", _soapheaders=[auth])
    assert [log.originalJobName for log in logs] == ["upload-1"]
    plain = build_plain_request(
        "getJobLogDetails",
        {"companyHandle": "c|100", "originalName": "upload-1"},
        auth=auth_header(namespace=NS_2014),
    )
    reply = requests.post(
        f"{rec.proxy.url}/scene7/api/IpsApiService", data=plain, headers={"Content-Type": "text/xml"}, timeout=10
    )
    assert reply.status_code == 200


def test_the_proxy_records_every_transport_with_the_target_clock_and_no_secret(recording: Recording) -> None:
    record_upload_session(recording)
    recording.stream.flush()
    text = recording.out.read_text("utf-8")
    assert f">{PASSWORD}<" not in text  # the value, never (the element name stays)
    assert "password>REDACTED</" in text  # the authHeader's password was there, and is gone

    transcript = load_transcript(recording.out)
    kinds = [step.call or f"advance {step.advance}" for step in transcript.steps]
    assert kinds == ["getCompanyInfo", "submitJob", "advance 0:10:00", "getJobLogs", "getJobLogDetails"]
    calls = transcript.calls
    assert [(c.transport, c.credentials, c.user) for c in calls] == [
        ("soap11", "basic", "admin@example.com"),
        ("soap11", "basic", "admin@example.com"),
        ("soap11", "authHeader", "admin@example.com"),
        ("plain", "authHeader", "admin@example.com"),
    ]
    assert calls[0].params == {"companyName": "Example"}
    assert calls[0].virtual_time == "2026-01-05T09:00:00.000-08:00"
    assert calls[2].virtual_time == "2026-01-05T09:10:00.000-08:00"
    assert calls[1].reply is not None
    assert "j|100|upload-1||" in calls[1].reply.body


def test_replay_against_a_fresh_fake_matches(recording: Recording) -> None:
    record_upload_session(recording)
    recording.stream.flush()
    outcomes = replay_transcript(load_transcript(recording.out))
    assert [o.ok for o in outcomes] == [True] * 5, "\n".join(map(str, outcomes))


def test_replay_names_what_changed_and_exits_1(
    recording: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_upload_session(recording)
    recording.stream.flush()
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        (Path(FakeIps().scenario.source).read_text("utf-8"))
        + "behaviours:\n  - match: {name: upload-*}\n    error_items: 1\n",
        "utf-8",
    )
    assert main(["replay", str(recording.out), "--scenario", str(changed)]) == 1
    out = capsys.readouterr().out
    assert "getJobLogs as admin@example.com over soap11: DIFFERENT" in out
    assert "getJobLogsReturn/jobLogArray/items/fileErrorCount: expected '0', got '1'" in out
    assert "getCompanyInfo as admin@example.com over soap11: ok" in out

    assert main(["replay", str(recording.out), "--scenario", str(changed), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert {"path": "getJobLogsReturn/jobLogArray/items/fileErrorCount", "expected": "0", "got": "1"} in [
        d for step in report["steps"] for d in step["differences"]
    ]


def test_replay_with_a_target_moves_its_clock_by_the_recorded_gaps(recording: Recording) -> None:
    record_upload_session(recording)
    recording.stream.flush()
    other = StandaloneApp(FakeIps().scenario)
    with ServerThread(other) as server:
        outcomes = replay_transcript(
            load_transcript(recording.out), target=server.url, auth={"admin@example.com": PASSWORD}
        )
        assert all(o.ok for o in outcomes), "\n".join(map(str, outcomes))
        assert other.default.now() - FakeIps().now() == timedelta(minutes=10)
        assert [e.operation for e in other.default.journal] == [
            "getCompanyInfo",
            "submitJob",
            "getJobLogs",
            "getJobLogDetails",
        ]


def test_replay_needs_every_recorded_users_password_before_sending(recording: Recording, tmp_path: Path) -> None:
    record_upload_session(recording)
    recording.stream.flush()
    strangers = tmp_path / "strangers.yaml"
    strangers.write_text(
        "ips_mock: 1\ncompanies: [{name: Example, id: 100}]\n"
        "users: [{email: someone@example.com, password: x, role: IpsAdmin, companies: [Example]}]\n",
        "utf-8",
    )
    with pytest.raises(ScenarioError, match=r"timeline\[0\]: no password for 'admin@example.com': pass --auth"):
        replay_transcript(load_transcript(recording.out), scenario=strangers)


def test_playback_answers_zeep_with_the_recorded_replies(recording: Recording) -> None:
    record_upload_session(recording)
    recording.stream.flush()
    transcript = load_transcript(recording.out)
    app = StandaloneApp(FakeIps().scenario, playback=transcript)
    with ServerThread(app) as server:
        session = requests.Session()
        session.auth = ("admin@example.com", "any password: playback ignores credentials")
        client = zeep.Client(
            f"{server.url}/scene7/webservice/IpsApi-2014-04-03.wsdl", transport=zeep.Transport(session=session)
        )
        logs = client.service.getJobLogs(companyHandle="c|100")
        assert [log.originalJobName for log in logs] == ["upload-1"]  # though this fake never ran a job
        assert client.service.getCompanyInfo(companyName="Example").rootPath == "Example/"

        with pytest.raises(Fault) as unmatched:
            client.service.getCompanyInfo(companyName="Acme")
        reason = unmatched.value.detail[0].findtext(f"{{{ns.FLT}}}reason")
        assert "no recorded getCompanyInfo over soap11" in reason
        assert "timeline[0]" in reason
        assert "companyName: recorded 'Example', got 'Acme'" in reason

        verify = requests.get(f"{server.url}/__admin/verify", timeout=10).json()
        assert verify["ok"] is False
        assert any("getCompanyInfo" in problem for problem in verify["problems"])


def test_identical_requests_get_the_recorded_replies_in_order_then_the_last(tmp_path: Path) -> None:
    fake = FakeIps()
    from ips_mock.testing import SoapTestClient

    client = SoapTestClient(fake)
    client.call(
        "submitJob", {"companyHandle": "c|100", "jobName": "up", "uploadUrlsJob": upload_urls_job("https://x/a.jpg")}
    )
    for _ in range(3):
        client.call("getActiveJobs", {"companyHandle": "c|100"})
        fake.advance(timedelta(seconds=20))
    out = tmp_path / "saved.yaml"
    assert fake.save_transcript(out) == 4
    transcript = load_transcript(out)
    recorded_progress = [
        step.reply.body.count("<progress>") and step.reply.body.split("<progress>")[1].split("<")[0]
        for step in transcript.calls
        if step.call == "getActiveJobs" and step.reply is not None
    ]
    assert recorded_progress == ["0", "25", "50"]

    from ips_mock.playback import Playback

    player = FakeIps(playback=Playback(transcript, covers_all=True))
    replayer = SoapTestClient(player)
    got = [replayer.call("getActiveJobs", {"companyHandle": "c|100"}).text("jobArray/items/progress") for _ in range(4)]
    assert got == ["0", "25", "50", "50"]


def test_a_saved_journal_replays_clean(tmp_path: Path) -> None:
    fake = FakeIps(SCENARIOS / "nightly_publish.yaml")
    from ips_mock.testing import SoapTestClient

    client = SoapTestClient(fake)
    client.call("getScheduledJobs", {"companyHandle": "c|100"})
    fake.advance(timedelta(days=2))
    client.call("getJobLogs", {"companyHandle": "c|100", "numRows": 3})
    out = tmp_path / "journal.yaml"
    fake.save_transcript(out)
    outcomes = replay_transcript(load_transcript(out), scenario=SCENARIOS / "nightly_publish.yaml")
    assert [o.summary.split(" ")[0] for o in outcomes] == ["getScheduledJobs", "advance", "getJobLogs"]
    assert all(o.ok for o in outcomes), "\n".join(map(str, outcomes))
    assert main(["check", str(out)]) == 0


SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_record_command_writes_as_it_goes_and_exits_0_on_a_signal(tmp_path: Path, stop_signal: signal.Signals) -> None:
    out = tmp_path / "cli.yaml"
    with ServerThread(StandaloneApp(FakeIps().scenario)) as target:
        process = subprocess.Popen(
            [sys.executable, "-m", "ips_mock", "record", "--target", target.url, "--out", str(out), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            first = process.stdout.readline().strip()
            assert first.startswith("ips-mock recording on http://127.0.0.1:")
            proxy = first.rsplit(" ", 1)[1]
            body = build_plain_request(
                "getCompanyInfo", {"companyName": "Example"}, auth=auth_header(namespace=NS_2014)
            )
            reply = requests.post(f"{proxy}/scene7/api/IpsApiService", data=body, timeout=10)
            assert reply.status_code == 200
            assert "getCompanyInfo" in out.read_text("utf-8")  # written before the recorder stops
            process.send_signal(stop_signal)
            assert process.wait(timeout=20) == 0
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
    transcript = load_transcript(out)
    assert [c.call for c in transcript.calls] == ["getCompanyInfo"]
    assert f">{PASSWORD}<" not in out.read_text("utf-8")


def test_bad_transcripts_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "ips_mock_transcript: 1\ntimeline:\n  - advance: 5s\n  - call: getUsers\n    reply: {status: 200, body: x}\n",
        "utf-8",
    )
    assert main(["check", str(bad)]) == 1
    assert (
        f"{bad}:4: timeline[1]: a call step needs call, request and reply; missing request" in capsys.readouterr().out
    )


def test_serve_playback_command_answers_from_the_transcript(tmp_path: Path) -> None:
    fake = FakeIps()
    from ips_mock.testing import SoapTestClient

    SoapTestClient(fake).call("getCompanyInfo", {"companyName": "Example"})
    transcript = tmp_path / "played.yaml"
    fake.save_transcript(transcript)
    process = subprocess.Popen(
        [sys.executable, "-m", "ips_mock", "serve", "--playback", str(transcript), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[1]
        body = build_plain_request("getCompanyInfo", {"companyName": "Example"})
        # Plain XML this time: playback matches the transport too, so this request has no recording.
        unmatched = requests.post(f"{url}/scene7/api/IpsApiService", data=body, timeout=10)
        assert unmatched.status_code == 500
        assert "the closest is" in unmatched.text
        assert "transport: recorded soap11, got plain" in unmatched.text
        from ips_mock.testing import build_envelope

        envelope = build_envelope("getCompanyInfo", {"companyName": "Example"})  # no credentials at all
        matched = requests.post(
            f"{url}/scene7/services/IpsApiService", data=envelope, headers={"Content-Type": "text/xml"}, timeout=10
        )
        assert matched.status_code == 200
        assert "<rootPath>Example/</rootPath>" in matched.text
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_a_scenario_mixes_playback_for_the_operations_its_transcript_holds(tmp_path: Path) -> None:
    recorded = FakeIps(
        {
            "ips_mock": 1,
            "companies": [{"name": "Example", "id": 100}],
            "users": [
                {"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}
            ],
            "stubs": [{"operation": "getPropertySets", "fields": {"setArray": []}}],
        }
    )
    from ips_mock.testing import SoapTestClient

    SoapTestClient(recorded).call("getPropertySets", {"companyHandle": "c|100"}).ok()
    recorded.save_transcript(tmp_path / "sets.yaml")
    scenario = tmp_path / "mixed.yaml"
    scenario.write_text(
        "ips_mock: 1\n"
        "companies: [{name: Example, id: 100}]\n"
        "users: [{email: admin@example.com, password: password, role: IpsAdmin, companies: [Example]}]\n"
        "playback: sets.yaml\n",
        "utf-8",
    )
    fake = FakeIps(scenario)
    client = SoapTestClient(fake)
    assert client.call("getPropertySets", {"companyHandle": "c|100"}).ok().names() == ["setArray"]  # played back
    assert client.call("getCompanyInfo", {"companyName": "Example"}).ok().text("companyInfo/companyHandle") == "c|100"
    unmatched = client.call("getPropertySets", {"companyHandle": "c|999"})
    assert unmatched.code == 30000
    assert "companyHandle: recorded 'c|100', got 'c|999'" in (unmatched.reason or "")
    assert [e.injected for e in fake.journal] == ["playback", None, "playback"]

"""The plugin's replay side: saving a test's conversation, and transcripts and timelines collected as tests."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import freezegun  # noqa: F401 - imported before pytester's in-process runs (see test_plugin.py)
import pytest
import requests  # noqa: F401
import time_machine  # noqa: F401
import zeep  # noqa: F401

from ips_mock.replay import replay_transcript
from ips_mock.scenario.transcript import load_transcript

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

TEST_WITH_CONVERSATION = """
    from datetime import timedelta

    import pytest

    @pytest.mark.ips(save_transcript="saved/conversation.yaml")
    def test_talks(ips, ips_client):
        ips_client.service.submitJob(
            companyHandle="c|100", jobName="nightly", execSchedule="0 0 0 * * ?",
            imageServingPublishJob={"publishType": "Full", "emailSetting": "None"},
        )
        ips.advance(timedelta(days=1))
        assert len(ips_client.service.getJobLogs(companyHandle="c|100")) == 1
"""


def test_a_marked_test_saves_its_conversation_and_it_replays_clean(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_downstream=textwrap.dedent(TEST_WITH_CONVERSATION))
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
    transcript = load_transcript(pytester.path / "saved" / "conversation.yaml")
    assert [s.call or "advance" for s in transcript.steps] == ["submitJob", "advance", "getJobLogs"]
    assert all(o.ok for o in replay_transcript(transcript))


def test_the_command_line_option_saves_every_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_downstream=textwrap.dedent(TEST_WITH_CONVERSATION))
    pytester.runpytest("-p", "no:randomly", "--ips-save-transcripts", "all").assert_outcomes(passed=1)
    (saved,) = (pytester.path / "all").iterdir()
    assert saved.name == "test_downstream.py_test_talks.yaml"
    assert [c.call for c in load_transcript(saved).calls] == ["submitJob", "getJobLogs"]


def _collecting_project(pytester: pytest.Pytester) -> Path:
    pytester.makeini("[pytest]\nips_mock_collect = true\n")
    pytester.makepyfile(test_downstream=textwrap.dedent(TEST_WITH_CONVERSATION))
    pytester.runpytest("-p", "no:randomly", "test_downstream.py").assert_outcomes(passed=1)
    recorded = pytester.path / "recorded"
    recorded.mkdir()
    shutil.move(pytester.path / "saved" / "conversation.yaml", recorded / "conversation.yaml")
    shutil.copy(SCENARIOS / "nightly_publish.yaml", recorded / "nightly_publish.yaml")  # has a timeline
    shutil.copy(SCENARIOS / "default.yaml", recorded / "default.yaml")  # no timeline: not a test
    (pytester.path / "saved").rmdir()
    return recorded


def test_transcripts_and_timelines_are_collected_and_pass_as_their_replay_does(pytester: pytest.Pytester) -> None:
    _collecting_project(pytester)
    result = pytester.runpytest("-p", "no:randomly", "-v", "recorded")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*recorded/conversation.yaml::conversation.yaml PASSED*", "*nightly_publish.yaml PASSED*"]
    )


def test_a_collected_transcript_fails_with_the_replay_diff(pytester: pytest.Pytester) -> None:
    recorded = _collecting_project(pytester)
    transcript = recorded / "conversation.yaml"
    text = transcript.read_text("utf-8")
    assert text.count("<originalJobName>nightly</originalJobName>") == 1  # in the recorded getJobLogs reply
    transcript.write_text(text.replace("<originalJobName>nightly<", "<originalJobName>nightly-2<"), "utf-8")
    result = pytester.runpytest("-p", "no:randomly", "recorded/conversation.yaml")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*replay of conversation.yaml differs:*",
            "*getJobLogs as admin@example.com over soap11: DIFFERENT",
            "*getJobLogsReturn/jobLogArray/items/originalJobName: expected 'nightly-2', got 'nightly'",
        ]
    )


def test_nothing_is_collected_unless_asked(pytester: pytest.Pytester) -> None:
    shutil.copy(SCENARIOS / "nightly_publish.yaml", pytester.path / "nightly_publish.yaml")
    result = pytester.runpytest("-p", "no:randomly")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED  # the timeline is there, but nobody asked

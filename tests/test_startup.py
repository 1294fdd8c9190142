"""What ``ips-mock serve`` loads before its first reply, and that every path loaded later still works.

The built-in scenario is read from its compiled form (``ips_mock/builtin/default.json``, made by
``tools/compile_builtin.py``) instead of through ruamel; ruamel, jsonschema, the scenario section classes, the
dashboard, playback and recording are imported by the first thing that needs them, and so are the job and asset
bindings (with the first request for one of their operations), the job records, types, behaviours and scheduler
(with the first job or job request), and the freezer adapters (when a freezer travels). The checks of what a process
imported run in fresh interpreters, where nothing else imported those modules first.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

import ips_mock
from ips_mock import FakeIps, ScenarioError
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario, load_scenario_text
from ips_mock.scenario.loader import DEFAULT_SCENARIO_LIMITS, ScenarioLimits, _measure
from ips_mock.scenario.located import LocatedMap
from ips_mock.scenario.yamltext import parse_yaml
from ips_mock.testing import auth_header, build_envelope

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "tools" / "compile_builtin.py"
COMPILED = ROOT / "ips_mock" / "builtin" / "default.json"
HEADERS = {"Content-Type": "text/xml; charset=UTF-8"}
PATH = "/scene7/services/IpsApiService"
NOT_FOR_SERVING = (
    "ruamel",
    "jsonschema",
    "ips_mock.dashboard",
    "ips_mock.playback",
    "ips_mock.recording",
    "ips_mock.replay",
    "ips_mock.scenario.spec",
    "ips_mock.scenario.transcript",
    "ips_mock.scenario.yamltext",
    "ips_mock.exports",
    "ips_mock.effects",
    "ips_mock.cron",
    "ips_mock.operations.jobs",
    "ips_mock.operations.assets",
    "ips_mock.freezers",
    "ips_mock.scheduler",
    "ips_mock.model.behaviour",
    "ips_mock.model.jobtypes",
    "ips_mock.model.jobs",
    "ips_mock.services.results",
    "cronsim",
    "werkzeug.routing",
    "importlib.metadata",
    "zipfile",
)


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _ruamel_document() -> Any:
    return parse_yaml(DEFAULT_SCENARIO.read_text("utf-8"), str(DEFAULT_SCENARIO), DEFAULT_SCENARIO_LIMITS)


# ------------------------------------------------------------------------------------ the compiled scenario


def test_compiled_builtin_equals_a_fresh_regeneration(tmp_path: Path) -> None:
    out = tmp_path / "default.json"
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text("utf-8") == COMPILED.read_text("utf-8"), (
        "ips_mock/builtin/default.json is out of date: run `python tools/compile_builtin.py` and commit the result"
    )


def test_compiled_document_is_ruamels_reading_of_the_yaml_value_for_value() -> None:
    compiled = json.loads(COMPILED.read_text("utf-8"))
    assert compiled["source_sha256"] == hashlib.sha256(DEFAULT_SCENARIO.read_bytes()).hexdigest()

    def same(ours: Any, theirs: Any, at: str) -> None:
        assert isinstance(theirs, type(ours)), f"{at}: {type(theirs).__name__} in the YAML, {type(ours).__name__}"
        if isinstance(ours, dict):
            assert list(ours) == list(theirs), at
            for key in ours:
                same(ours[key], theirs[key], f"{at}.{key}")
        elif isinstance(ours, list):
            assert len(ours) == len(theirs), at
            for index, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
                same(mine, other, f"{at}[{index}]")
        else:
            assert ours == theirs, at

    same(compiled["document"], _ruamel_document(), "document")


def test_builtin_scenario_is_the_same_from_its_compiled_form_and_from_its_yaml() -> None:
    compiled = load_scenario(DEFAULT_SCENARIO)
    from_yaml = load_scenario_text(DEFAULT_SCENARIO.read_text("utf-8"), name=str(DEFAULT_SCENARIO))

    assert type(compiled.data) is dict  # the compiled form was used
    assert type(from_yaml.data) is LocatedMap
    assert compiled == from_yaml


def test_builtin_scenario_answers_the_same_from_both_forms() -> None:
    from werkzeug.test import Client

    compiled = load_scenario(DEFAULT_SCENARIO)
    from_yaml = load_scenario_text(DEFAULT_SCENARIO.read_text("utf-8"), name=str(DEFAULT_SCENARIO))
    for operation, params in [
        ("getCompanyInfo", {"companyName": "Example"}),
        ("getUsers", {}),
        ("getCompanyMembership", {}),
    ]:
        body = build_envelope(operation, params, headers=[auth_header()])
        replies = [
            Client(FakeIps(scenario)).post(PATH, data=body, headers=HEADERS).get_data()
            for scenario in (compiled, from_yaml)
        ]
        assert replies[0] == replies[1], operation


def test_a_byte_identical_copy_elsewhere_loads_from_the_compiled_form_under_its_own_name(tmp_path: Path) -> None:
    copy = tmp_path / "mine.yaml"
    copy.write_bytes(DEFAULT_SCENARIO.read_bytes())

    scenario = load_scenario(copy)

    assert scenario.source == str(copy)
    assert type(scenario.data) is dict
    assert scenario.companies == load_scenario(DEFAULT_SCENARIO).companies


def test_an_edited_copy_is_read_as_yaml_with_its_lines(tmp_path: Path) -> None:
    edited = tmp_path / "edited.yaml"
    text = DEFAULT_SCENARIO.read_text("utf-8")
    edited.write_text(text + "# one more line\n", encoding="utf-8")
    assert type(load_scenario(edited).data) is LocatedMap

    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("id: 200", "id: 100"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.yaml:13: companies\[1\]\.id: duplicate company id 100"):
        load_scenario(broken)


@pytest.mark.parametrize("field", ["max_nodes", "max_depth"])
@pytest.mark.parametrize("below", [0, 1])
def test_limits_refuse_the_builtin_scenario_exactly_as_they_refuse_its_yaml(field: str, below: int) -> None:
    nodes, depth = _measure(_ruamel_document())
    limits = ScenarioLimits(**{field: (nodes if field == "max_nodes" else depth) - below})
    text = DEFAULT_SCENARIO.read_text("utf-8")

    def outcome(load: Any) -> str:
        try:
            load()
        except ScenarioError as exc:
            return str(exc)
        return "ok"

    compiled = outcome(lambda: load_scenario(DEFAULT_SCENARIO, limits=limits))
    from_yaml = outcome(lambda: load_scenario_text(text, name=str(DEFAULT_SCENARIO), limits=limits))
    assert compiled == from_yaml
    assert (compiled == "ok") == (below == 0)


# ------------------------------------------------------------------------------------ lazily loaded paths


def test_serving_the_builtin_scenario_loads_no_yaml_schema_dashboard_or_recording_code(tmp_path: Path) -> None:
    url_file, report = tmp_path / "url", tmp_path / "report.json"
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()]).decode()
    script = """
        import http.client, json, os, signal, sys, threading, time
        from pathlib import Path

        from ips_mock.cli import main

        url_file, report, body = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].encode()

        def first_request():
            try:
                deadline = time.monotonic() + 60
                while not url_file.exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
                host, port = url_file.read_text().strip().removeprefix("http://").rsplit(":", 1)
                connection = http.client.HTTPConnection(host, int(port), timeout=60)
                connection.request("POST", "/scene7/services/IpsApiService", body, {"Content-Type": "text/xml"})
                status = connection.getresponse().status
                report.write_text(json.dumps({"status": status, "modules": sorted(sys.modules)}))
            finally:
                os.kill(os.getpid(), signal.SIGTERM)  # ends main() as Ctrl-C does

        threading.Thread(target=first_request, daemon=True).start()
        sys.exit(main(["serve", "--port", "0", "--url-file", sys.argv[1]]))
    """
    result = _run(script, str(url_file), str(report), body)

    assert "ips-mock listening on http://127.0.0.1:" in result.stdout
    outcome = json.loads(report.read_text())
    assert outcome["status"] == 200
    loaded = [m for m in outcome["modules"] if any(m == name or m.startswith(f"{name}.") for name in NOT_FOR_SERVING)]
    assert loaded == [], f"serving the built-in scenario imported {loaded}"


def test_the_area_of_every_operation_is_the_area_whose_table_has_it() -> None:
    """``operations.AREAS`` names each area's operations without importing it; each area module's table is the
    truth it must match, name for name and in order."""
    from ips_mock import operations
    from ips_mock.operations import assets, cdn, company, jobs, propertysets

    modules = {"company": company, "jobs": jobs, "assets": assets, "cdn": cdn, "propertysets": propertysets}
    assert set(operations.AREAS) == set(modules)
    for area, module in modules.items():
        assert operations.AREAS[area] == tuple(module.OPERATIONS), area
        assert operations.area_table(area) is module.OPERATIONS
        for name, handler in module.OPERATIONS.items():
            assert operations.OPERATIONS[name] is handler, name
    assert list(operations.OPERATIONS) == [name for module in modules.values() for name in module.OPERATIONS]
    assert "getCompanyInfo" in operations.OPERATIONS
    assert "noSuchOperation" not in operations.OPERATIONS
    with pytest.raises(KeyError):
        operations.OPERATIONS["noSuchOperation"]
    with pytest.raises(KeyError):
        operations.area_table("catalog")


def test_each_area_binding_loads_with_the_first_request_for_one_of_its_operations() -> None:
    """The job and asset bindings arrive with their first request, the scheduler (and the job types and
    behaviours it runs) and the job records with the job binding; a job submitted then runs on the clock as it
    always did."""
    result = _run(
        """
        import sys
        from datetime import timedelta
        from werkzeug.test import Client
        from ips_mock import FakeIps
        from ips_mock.testing import auth_header, build_envelope, upload_urls_job

        fake = FakeIps()
        client = Client(fake)
        lazy = ("ips_mock.operations.jobs", "ips_mock.operations.assets", "ips_mock.scheduler", "ips_mock.model.jobs")
        job = {"uploadUrlsJob": upload_urls_job(("http://images.example.net/a.jpg", "a.jpg"))}
        for operation, params in [
            ("getCompanyInfo", {"companyName": "Example"}),
            ("getActiveJobs", {"companyHandle": "c|100"}),
            ("getFolders", {"companyHandle": "c|100"}),
            ("submitJob", {"companyHandle": "c|100", "jobName": "one", **job}),
        ]:
            body = build_envelope(operation, params, headers=[auth_header()])
            reply = client.post("/scene7/services/IpsApiService", data=body, headers={"Content-Type": "text/xml"})
            print(operation, reply.status_code, [name in sys.modules for name in lazy])
        fake.advance(timedelta(minutes=5))
        print(sorted(run.state.name for run in fake.state.runs.values()))
        """
    )
    assert result.stdout.splitlines() == [
        "getCompanyInfo 200 [False, False, False, False]",
        "getActiveJobs 200 [True, False, True, True]",
        "getFolders 200 [True, True, True, True]",
        "submitJob 200 [True, True, True, True]",
        "['DONE']",
    ]


def test_version_option_in_a_fresh_process() -> None:
    result = _run("import sys; from ips_mock.cli import main; sys.exit(main(['--version']))")
    assert result.stdout == f"ips-mock {version('ips-mock')}\n"


def test_every_package_export_resolves_in_a_fresh_process() -> None:
    result = _run("""
        import ips_mock
        assert "FakeIps" in dir(ips_mock)
        from ips_mock import *
        print(all(getattr(ips_mock, name) is not None for name in ips_mock.__all__))
        print(FakeIps.__name__, ServerThread.__name__, Retention.__name__, __version__)
    """)
    assert result.stdout.splitlines() == ["True", f"FakeIps ServerThread Retention {version('ips-mock')}"]
    assert ips_mock.__version__ == version("ips-mock")
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = ips_mock.Nothing  # type: ignore[attr-defined]


def test_yaml_scenarios_load_after_the_builtin_one_in_a_fresh_process() -> None:
    """Every section class, ruamel and the schema check arrive with the first scenario that needs them; a
    problem found when a scenario is put to use still names its line."""
    result = _run(
        """
        import sys
        from pathlib import Path

        from ips_mock import FakeIps, ScenarioError
        from ips_mock.scenario import load_scenario_text

        FakeIps()
        assert "ruamel" not in sys.modules and "ips_mock.scenario.spec" not in sys.modules
        for path in sorted(Path("scenarios").glob("*.yaml")):
            fake = FakeIps(path)
            print(path.name, len(fake.scenario.jobs), len(fake.scenario.timeline), bool(fake.scenario.expect))
        text = "ips_mock: 1\\nfaults:\\n  - match:\\n      operation: submitJobs\\n    ips_fault: {code: 30000}\\n"
        try:
            FakeIps(load_scenario_text(text, name="faulty.yaml"))
        except ScenarioError as exc:
            print(exc)
        """
    )
    lines = result.stdout.splitlines()
    names = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert [line.split()[0] for line in lines[:-1]] == names
    assert any(int(line.split()[1]) > 0 for line in lines[:-1])
    assert any(int(line.split()[2]) > 0 for line in lines[:-1])
    assert lines[-1] == "faulty.yaml:4: faults[0].match.operation: unknown operation 'submitJobs'"


def test_the_pytest_plugin_loads_the_fake_only_for_a_test_that_uses_it() -> None:
    # pytest loads the plugin in every session of a project with ips-mock installed, most of them without a fake.
    result = _run(
        """
        import sys
        import ips_mock.pytest_plugin
        print(sorted(m for m in ("ips_mock.fake", "ips_mock.server", "lxml", "werkzeug") if m in sys.modules))
        """
    )
    assert result.stdout.strip() == "[]"

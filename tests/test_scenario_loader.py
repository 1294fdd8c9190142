"""Scenario loading: the built-in default, and errors that name the file, line and field path."""

from __future__ import annotations

from pathlib import Path

import pytest

from ips_mock import FakeIps, ScenarioError
from ips_mock.model import Role
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario


def test_builtin_default_scenario_has_the_documented_users() -> None:
    scenario = load_scenario(DEFAULT_SCENARIO)
    companies = {c.name: c.handle for c in scenario.companies}
    assert companies == {"Example": "c|100", "Other": "c|200"}
    users = {(u.email, u.password, u.role, tuple(sorted(u.company_ids))) for u in scenario.users}
    assert users == {
        ("admin@example.com", "password", Role.IPS_ADMIN, (100,)),
        ("user@example.com", "password", Role.IPS_USER, (100,)),
        ("other@example.com", "password", Role.IPS_COMPANY_ADMIN, (200,)),
    }
    assert str(scenario.zone) == "America/Los_Angeles"


def test_default_scenario_ships_inside_the_package() -> None:
    assert DEFAULT_SCENARIO.is_file()
    assert "ips_mock" in DEFAULT_SCENARIO.parts[-3:-1]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ips_mock: 2\n", ":1: ips_mock: 1 was expected"),
        ("description: no version\n", ":1: (top level): 'ips_mock' is a required property"),
        (
            "ips_mock: 1\ncompanys: []\n",
            ":2: companys: unknown field; expected one of assets, behaviours, callbacks, clock, companies,",
        ),
        ("ips_mock: 1\ncompanies:\n  - name: A\n  - id: 3\n", ":4: companies[1]: 'name' is a required property"),
        ("ips_mock: 1\nclock:\n  zone: Mars/Olympus\n", ":3: clock.zone: unknown time zone 'Mars/Olympus'"),
        (
            "ips_mock: 1\ncompanies:\n  - name: A\nusers:\n  - email: a@b.c\n    password: p\n    role: IpsUser\n"
            "    companies: [A, B]\n",
            ":8: users[0].companies[1]: unknown company 'B'; known: 'A'",
        ),
        ("ips_mock: 1\ncompanies:\n  - name: A\n  - name: A\n", ":4: companies[1].name: duplicate company name 'A'"),
        (
            "ips_mock: 1\ncompanies:\n  - name: A\n    expires: 2030-01-01T00:00:00\n",
            ":4: companies[0].expires: '2030-01-01T00:00:00' has no offset",
        ),
        ("ips_mock: 1\ncompanies: [\n", ":3: YAML syntax error"),
    ],
    ids=[
        "version",
        "no-version",
        "unknown-section",
        "missing-field",
        "zone",
        "unknown-company",
        "duplicate",
        "naive-instant",
        "yaml-syntax",
    ],
)
def test_errors_name_file_line_and_path(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert f"{path}{message}" in str(info.value)


def test_all_errors_are_reported_in_line_order(tmp_path: Path) -> None:
    path = _write(tmp_path, "ips_mock: 1\nseed: x\ncompanies:\n  - name: 5\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = str(info.value).splitlines()
    assert [line.split(": ")[0] for line in lines] == [f"{path}:2", f"{path}:4"]


def test_unquoted_instants_are_read_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, "ips_mock: 1\ncompanies:\n  - name: A\n    expires: 2030-01-01T00:00:00-08:00\n")
    assert load_scenario(path).companies[0].expires is not None


def test_a_mapping_is_a_scenario_too() -> None:
    with pytest.raises(ScenarioError, match=r"^<mapping>: ips_mock: 1 was expected"):
        FakeIps({"ips_mock": 3})


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the scenario file"):
        load_scenario(tmp_path / "nope.yaml")


def test_load_replaces_state_and_a_bad_scenario_changes_nothing(tmp_path: Path) -> None:
    fake = FakeIps()
    with pytest.raises(ScenarioError):
        fake.load({"ips_mock": 1, "companies": [{"name": 1}]})
    assert {c.name for c in fake.state.companies.values()} == {"Example", "Other"}
    fake.load({"ips_mock": 1, "companies": [{"name": "Solo"}]})
    assert [c.handle for c in fake.state.companies.values()] == ["c|100"]
    assert fake.state.users == {}


def test_reset_rebuilds_state_from_the_scenario() -> None:
    fake = FakeIps()
    before = fake.state
    fake.state.users.clear()
    fake.reset()
    assert fake.state is not before
    assert "admin@example.com" in fake.state.users

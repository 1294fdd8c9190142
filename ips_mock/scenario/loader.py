"""Load a scenario (YAML file or mapping), validate it, and turn it into a :class:`Scenario`.

Validation is the shipped JSON Schema (``scenario.schema.json``, usable by editors) plus the semantic checks a
schema cannot express. Every error names the file, the line and the field path, e.g.
``scenarios/x.yaml:14: users[2].companies[0]: unknown company 'Acme'``; a file with errors loads nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from ..errors import ScenarioError
from ..model import Company, State, User
from ..model.roles import Role

__all__ = ["DEFAULT_SCENARIO", "Scenario", "load_scenario", "scenario_json_schema"]

DEFAULT_ZONE: Final = "America/Los_Angeles"
DEFAULT_START: Final = "2026-01-05T09:00:00-08:00"


def _builtin_path() -> Path:
    return Path(str(resources.files("ips_mock.builtin").joinpath("default.yaml")))


DEFAULT_SCENARIO: Final = _builtin_path()
"""The built-in default scenario shipped inside the package."""


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format (also shipped as ``ips_mock/scenario/scenario.schema.json``)."""
    text = resources.files("ips_mock.scenario").joinpath("scenario.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Immutable: every reset rebuilds fresh state from it."""

    source: str
    data: Mapping[str, Any]
    zone: ZoneInfo
    start: datetime
    misfire: str
    seed: int
    companies: tuple[Company, ...]
    users: tuple[User, ...]

    def build_state(self) -> State:
        return State.build(self.companies, self.users, seed=self.seed)


class _Errors:
    """Collects ``file:line: path: message`` lines against the parsed document."""

    def __init__(self, source: str, document: Any) -> None:
        self.source = source
        self.document = document
        self.lines: list[tuple[int, str]] = []

    def add(self, path: Sequence[str | int], message: str) -> None:
        line = _line_of(self.document, path)
        where = f"{self.source}:{line}" if line else self.source
        self.lines.append((line or 0, f"{where}: {_format_path(path) or '(top level)'}: {message}"))

    def raise_if_any(self) -> None:
        if self.lines:
            ordered = [text for _, text in sorted(self.lines, key=lambda item: item[0])]
            raise ScenarioError("\n".join(ordered))


def _format_path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(document: Any, path: Sequence[str | int]) -> int | None:
    """1-based line of the deepest node of ``path`` that the YAML document holds (None for a plain mapping)."""
    node, line = document, None
    for part in path:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
        else:
            break
        node = node[part]
    if line is None and isinstance(document, CommentedMap | CommentedSeq):
        line = document.lc.line + 1
    return line


class _Constructor(RoundTripConstructor):
    """Keeps instants and dates as the strings the user wrote, so every instant is parsed in one place."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    return yaml


def _read(source: str | Path | Mapping[str, Any]) -> tuple[str, Any]:
    if isinstance(source, Mapping):
        return "<mapping>", source
    path = Path(source)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file: {exc.strerror or exc}") from None
    try:
        document = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{path}{line}: YAML syntax error: {exc.problem or exc.context}") from None
    return str(path), document


def load_scenario(source: str | Path | Mapping[str, Any]) -> Scenario:
    """Read and validate a scenario; raise :class:`ScenarioError` listing every problem found."""
    name, document = _read(source)
    errors = _Errors(name, document)
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    for error in validator.iter_errors(document):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            allowed = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    errors.add([*path, key], f"unknown field; expected one of {', '.join(sorted(allowed))}")
            continue
        errors.add(path, error.message)
    errors.raise_if_any()
    return _build(name, document, errors)


def _build(name: str, document: Mapping[str, Any], errors: _Errors) -> Scenario:
    clock = document.get("clock", {})
    zone_name = clock.get("zone", DEFAULT_ZONE)
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        errors.add(["clock", "zone"], f"unknown time zone {zone_name!r}; use an IANA name such as {DEFAULT_ZONE}")
        zone = ZoneInfo(DEFAULT_ZONE)
    start = _instant(clock.get("start", DEFAULT_START), ["clock", "start"], errors)

    companies: list[Company] = []
    by_name: dict[str, Company] = {}
    used_ids = {c["id"] for c in document.get("companies", []) if "id" in c}
    next_id = 100
    for i, spec in enumerate(document.get("companies", [])):
        if "id" in spec:
            company_id = spec["id"]
        else:
            while next_id in used_ids:
                next_id += 100
            company_id = next_id
            used_ids.add(company_id)
        if spec["name"] in by_name:
            errors.add(["companies", i, "name"], f"duplicate company name {spec['name']!r}")
        if any(c.id == company_id for c in companies):
            errors.add(["companies", i, "id"], f"duplicate company id {company_id}")
        expires = None
        if "expires" in spec:
            expires = _instant(spec["expires"], ["companies", i, "expires"], errors)
        company = Company(
            company_id,
            spec["name"],
            spec.get("root_path", f"{spec['name']}/"),
            expires,
            spec.get("ims_org_id"),
        )
        companies.append(company)
        by_name[company.name] = company

    users: list[User] = []
    for i, spec in enumerate(document.get("users", [])):
        if any(u.email.lower() == spec["email"].lower() for u in users):
            errors.add(["users", i, "email"], f"duplicate user {spec['email']!r}")
        company_ids = set()
        for j, company_name in enumerate(spec["companies"]):
            if company_name not in by_name:
                known = ", ".join(repr(n) for n in by_name) or "none"
                errors.add(["users", i, "companies", j], f"unknown company {company_name!r}; known: {known}")
            else:
                company_ids.add(by_name[company_name].id)
        users.append(
            User(
                id=i + 1,
                email=spec["email"],
                password=spec["password"],
                role=Role(spec["role"]),
                company_ids=frozenset(company_ids),
                first_name=spec.get("first_name", ""),
                last_name=spec.get("last_name", ""),
                locale=spec.get("locale", "en-US"),
            )
        )
    errors.raise_if_any()
    assert start is not None  # an invalid start was reported above
    misfire = clock.get("misfire", "fire_all")
    return Scenario(name, document, zone, start, misfire, int(document.get("seed", 0)), tuple(companies), tuple(users))


def _instant(value: str, path: list[str | int], errors: _Errors) -> datetime | None:
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        errors.add(path, f"{value!r} is not an ISO 8601 instant such as 2030-01-01T00:00:00-08:00")
        return None
    if instant.tzinfo is None:
        errors.add(path, f"{value!r} has no offset; write one, e.g. {value}-08:00 or {value}Z")
        return None
    return instant

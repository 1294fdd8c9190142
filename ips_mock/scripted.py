"""What a scenario scripts at run time: seeded jobs, injected faults, canned replies, and expectations.

This is composition code: it checks the scenario's job elements, stubs and calls against the protocol's type
description (which the scenario loader cannot see) and reports problems at the scenario's file and line.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from lxml import etree

from .errors import IpsFault, MalformedXml, ScenarioError
from .journal import Journal
from .model import State
from .model.catalog import Asset, asset_type_for
from .model.handles import parse_job_handle
from .model.jobstates import RunState, TriggerState
from .model.state import Retention
from .operations import OPERATIONS
from .protocol.codec import encode, from_mapping, in_namespace
from .protocol.ns import API_VERSIONS, ApiVersion
from .protocol.schema import schema_for, wsdl_operations
from .protocol.xml import parse_xml
from .scenario import Scenario
from .scenario.gc_pause import gc_paused
from .service import IpsService

if TYPE_CHECKING:
    from .scenario.spec import FaultRule, StubSpec

__all__ = ["Injector", "build_runtime", "check_scenario", "install_jobs", "job_name_of", "unmet_expectations"]

_LATEST: Final = ApiVersion("2014-04-03")
_OLDER: Final = ApiVersion("2013-02-15")  # its port type has two operations 2014 dropped
_NEWEST: Final = max(API_VERSIONS)
"""The newest namespace (2022-11-01-beta): 2014's description plus every beta's additions (stubs are checked
against it)."""


def _known_operation(name: str) -> bool:
    return name in OPERATIONS or name in wsdl_operations(_NEWEST) or name in wsdl_operations(_OLDER)


def check_scenario(scenario: Scenario) -> list[ScenarioError]:
    """What only the protocol layer can check: operation names, stub replies and timeline parameters."""
    problems: list[ScenarioError] = []
    for rule in scenario.faults:
        if rule.operation is not None and not _known_operation(rule.operation):
            problems.append(
                scenario.error(["faults", rule.index, "match", "operation"], f"unknown operation {rule.operation!r}")
            )
    for stub in scenario.stubs:
        try:
            _compile_stub(stub, scenario.zone)
        except ValueError as exc:
            problems.append(scenario.error(["stubs", stub.index], str(exc)))
        except IpsFault as exc:
            problems.append(scenario.error(["stubs", stub.index, "fields"], exc.reason))
    for step in scenario.timeline:
        if step.call is None:
            continue
        at: list[str | int] = ["timeline", step.index]
        if not _known_operation(step.call):
            problems.append(scenario.error([*at, "call"], f"unknown operation {step.call!r}"))
            continue
        try:
            step_schema = schema_for(ApiVersion(step.version))
        except KeyError:
            problems.append(scenario.error([*at, "version"], f"unknown API version {step.version!r}"))
            continue
        param = step_schema.param(step.call)
        if param is not None:
            try:
                from_mapping(step.params or {}, param, step_schema)
            except IpsFault as exc:
                problems.append(scenario.error([*at, "params"], exc.reason))
    for call in scenario.expect.calls:
        if not _known_operation(call.operation):
            problems.append(
                scenario.error(["expect", "calls", call.index, "operation"], f"unknown operation {call.operation!r}")
            )
    return problems


# submitJob parameters that a scenario job spells differently.
_JOB_FIELDS: Final = {"jobName": "name", "execTime": "exec_time", "execSchedule": "exec_schedule"}


def _job_path(seed_index: int, field: str | None) -> list[str | int]:
    """Where in the scenario a submitJob parameter path (``uploadUrlsJob/emailSetting``) was written."""
    at: list[str | int] = ["jobs", seed_index]
    if field is None:
        return at
    first, *rest = field.split("/")
    if first in _JOB_FIELDS:
        return [*at, _JOB_FIELDS[first]]
    if first[:1].islower() and first.endswith("Job"):
        return [*at, "job", first, *(re.sub(r"\[\d+\]$", "", part) for part in rest)]
    return at


def install_jobs(scenario: Scenario, state: State, service: IpsService) -> list[ScenarioError]:
    """Submit the scenario's jobs at ``clock.start`` and run their past runs, as if they had happened.

    Returns a problem for every bad job (at the field it is about); the state is only usable without any."""
    if not scenario.jobs:  # most fakes: no pause to make
        return _install_jobs(scenario, state, service)
    with gc_paused():  # thousands of definitions and runs, all kept: see gc_pause
        return _install_jobs(scenario, state, service)


def _install_jobs(scenario: Scenario, state: State, service: IpsService) -> list[ScenarioError]:
    problems: list[ScenarioError] = []
    for seed in scenario.jobs:
        schema = schema_for(_LATEST)  # cached; not built at all for a scenario without jobs
        company = state.company_by_name(seed.company)
        user = state.user_by_email(seed.submitted_by)
        if company is None or user is None:  # ruled out by the loader
            raise AssertionError(f"jobs[{seed.index}]: company or user vanished")
        element = schema.type(seed.element[:1].upper() + seed.element[1:])
        try:
            job = from_mapping(seed.spec, element, schema, seed.element)
        except IpsFault as exc:
            field = exc.field or seed.element
            if exc.code == IpsFault.MISSING_PARAMETER:  # point at the element the field is missing from
                field = field.rpartition("/")[0] or seed.element
            problems.append(scenario.error(_job_path(seed.index, field), exc.reason))
            continue
        params: dict[str, Any] = {"companyHandle": company.handle, "jobName": seed.name, seed.element: job}
        if seed.exec_time is not None:
            params["execTime"] = seed.exec_time
        if seed.exec_schedule is not None:
            params["execSchedule"] = seed.exec_schedule
        if seed.description is not None:
            params["description"] = seed.description
        if seed.locale is not None:
            params["locale"] = seed.locale
        try:
            handle = service.submit_job(user, scenario.start, params)
        except IpsFault as exc:
            problems.append(scenario.error(_job_path(seed.index, exc.field), exc.reason))
            continue
        definition = state.definitions[handle]
        if seed.paused:
            service.scheduler.pause(definition)
        for fired in seed.past_runs:
            service.scheduler.fire(definition, fired)
    if not problems:
        service.observe(scenario.start)
    return problems


def _synthetic_size(path: str) -> int:
    from .effects import synthetic_size  # the job effects module comes with the first asset or run

    return synthetic_size(path)


def seed_catalog(scenario: Scenario, state: State) -> None:
    """Every company's root folder, and the scenario's folders and assets, as they are at clock.start."""
    catalog, start = state.catalog, scenario.start
    for company in scenario.companies:
        catalog.ensure_folder(company.id, company.root_path, start)
    for company_id, path in scenario.folders:
        catalog.ensure_folder(company_id, path, start)
    for seed in scenario.assets:
        folder, _, file_name = seed.path.rpartition("/")
        folder += "/"
        catalog.ensure_folder(seed.company_id, folder, start)
        asset_type = seed.type or asset_type_for(file_name)
        image = asset_type == "Image"
        creator = seed.created_by or next(
            (u.email for u in scenario.users if seed.company_id in u.company_ids), "ips-mock"
        )
        asset = catalog.add(
            Asset(
                state.take_asset_id(),
                seed.company_id,
                file_name.rsplit(".", 1)[0] if "." in file_name else file_name,
                file_name,
                folder,
                asset_type,
                start,
                start,
                creator,
                creator,
                size=seed.size if seed.size is not None else _synthetic_size(seed.path),
                width=seed.width or (1000 if image else None),
                height=seed.height or (1000 if image else None),
                source=seed.path,
                ready_for_publish=seed.ready_for_publish,
                publish_state="MarkedForPublish" if seed.ready_for_publish else "NotMarkedForPublish",
                metadata=dict(seed.metadata),
            )
        )
        for crop in seed.smart_crops:
            asset.add_smart_crop(crop.name, crop.width, crop.height, crop.crop, start, creator)


def seed_property_sets(scenario: Scenario, state: State) -> list[ScenarioError]:
    """The scenario's property sets (and their types, made as first named), once the catalog is seeded; a problem
    for every owner that is not its company's."""
    if not scenario.property_sets:
        return []
    from .model.propertysets import PropertySet, PropertySetType, owner_companies

    problems: list[ScenarioError] = []
    types: dict[tuple[int, str], str] = {}
    for seed in scenario.property_sets:
        company = state.companies[seed.company_id]
        owner = seed.owner.strip() if seed.owner is not None else company.handle
        if company.id not in (owner_companies(state, owner) or ()):
            problems.append(
                scenario.error(
                    ["property_sets", seed.index, "owner"],
                    f"{owner!r} is not {company.name}, nor one of its users, assets or folders",
                )
            )
            continue
        handle = types.get((company.id, seed.type_name))
        if handle is None:
            handle = types[(company.id, seed.type_name)] = f"pt|{state.next_property_set_type}"
            state.next_property_set_type += 1
            kind = PropertySetType(handle, company.id, seed.type_name, seed.type_name, seed.allow_multiple)
            state.property_set_types[handle] = kind
        created = PropertySet(f"ps|{state.next_property_set}", handle, owner, None, seed.properties)
        state.next_property_set += 1
        state.property_sets[created.handle] = created
    return problems


def build_runtime(scenario: Scenario, *, retention: Retention | None = None) -> tuple[State, IpsService, Injector]:
    """Fresh state, service and injector for ``scenario``; a :class:`ScenarioError` lists every problem found
    against the IPS types, in line order. ``retention`` bounds the finished runs and logs kept (default:
    :class:`Retention`'s)."""
    problems = check_scenario(scenario)
    state = scenario.build_state()
    seed_catalog(scenario, state)
    problems += seed_property_sets(scenario, state)
    service = IpsService(
        state,
        zone=scenario.zone,
        misfire=scenario.misfire,
        behaviours=scenario.behaviour_for,
        retention=retention or scenario.retention,
    )
    problems += install_jobs(scenario, state, service)
    if problems:
        ordered = sorted(problems, key=lambda problem: problem.line or 0)
        raise ScenarioError("\n".join(str(p) for p in ordered), line=ordered[0].line)
    return state, service, Injector(scenario)


# ------------------------------------------------------------------------------------------------- injection


def _compile_stub(stub: StubSpec, zone: ZoneInfo) -> tuple[etree._Element | None, Mapping[str, Any] | None]:
    if not _known_operation(stub.operation):
        raise ValueError(f"unknown operation {stub.operation!r}")
    if stub.xml is not None:
        try:
            root = parse_xml(stub.xml.encode())
        except IpsFault as exc:  # parse_xml words its reasons for requests; say them of the stub
            if isinstance(exc, MalformedXml):
                raise ValueError(f"xml is not well-formed: {exc.problem}") from None
            raise ValueError(f"xml: {exc.reason}") from None
        if etree.QName(root).localname != f"{stub.operation}Return":
            raise ValueError(f"xml must be a <{stub.operation}Return> element, not <{etree.QName(root).localname}>")
        return root, None
    # Every operation of Adobe's port types is described: the newest version that has it checks the fields.
    schema = schema_for(_NEWEST if stub.operation in wsdl_operations(_NEWEST) else _OLDER)
    result = schema.result(stub.operation)
    if result is None:  # an operation ips-mock models beyond Adobe's WSDLs
        raise ValueError(f"no IPS type describes {stub.operation}Return; write it as xml instead")
    return None, _localized(from_mapping(stub.fields or {}, result, schema, f"{stub.operation}Return"), zone)


def _localized(value: Any, zone: ZoneInfo) -> Any:
    """``value`` with every naive datetime read as server local time (as date inputs are everywhere)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zone)
    if isinstance(value, Mapping):
        return {key: _localized(item, zone) for key, item in value.items()}
    if isinstance(value, list):
        return [_localized(item, zone) for item in value]
    return value


def job_name_of(param: etree._Element) -> str | None:
    """The job a request is about, for fault matching: jobName, originalName, or the name in jobHandle."""
    values = {etree.QName(c).localname: (c.text or "").strip() for c in param if isinstance(c.tag, str)}
    if values.get("jobName"):
        return values["jobName"]
    if values.get("originalName"):
        return values["originalName"]
    parsed = parse_job_handle(values.get("jobHandle", ""))
    return parsed.name if parsed is not None else None


class Injector:
    """The scenario's faults and stubs, with their remaining uses (reset with the fake)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._uses: dict[tuple[str, int], int] = {}  # (kind, index) -> times used (a Counter costs a fake more)
        self._stubs = {stub.index: _compile_stub(stub, scenario.zone) for stub in scenario.stubs}
        self._garbage: random.Random | None = None  # made by the first garbage fault: seeding costs

    def _take(self, kind: str, index: int, times: int | None) -> bool:
        used = self._uses.get((kind, index), 0)
        if times is not None and used >= times:
            return False
        self._uses[(kind, index)] = used + 1
        return True

    def fault_for(self, operation: str, job_name: str | None, user: str | None, now: datetime) -> FaultRule | None:
        for rule in self.scenario.faults:
            if rule.matches(operation, job_name, user, now) and self._take("fault", rule.index, rule.times):
                return rule
        return None

    def garbage(self, size: int) -> bytes:
        # Deterministic bytes that are never XML: no '<' at all.
        if self._garbage is None:
            self._garbage = random.Random(self.scenario.seed)
        return bytes(self._garbage.choice(b"abcdefghijklmnopqrstuvwxyz0123456789{}[]#%&*") for _ in range(size))

    def stub_for(self, operation: str, version: ApiVersion) -> etree._Element | None:
        for stub in self.scenario.stubs:
            if stub.operation == operation and self._take("stub", stub.index, stub.times):
                xml, fields = self._stubs[stub.index]
                if xml is not None:
                    return in_namespace(xml, version.namespace)
                schema = schema_for(version)
                result = schema.result(operation)
                if result is None or fields is None:  # ruled out when the stub was compiled
                    raise AssertionError(f"stub for {operation} has no fields")
                return encode(f"{operation}Return", fields, result, schema)
        return None


# ---------------------------------------------------------------------------------------------- expectations


def unmet_expectations(scenario: Scenario, journal: Journal, state: State) -> list[str]:
    """One line per scenario ``expect`` entry that does not hold, located in the scenario file."""
    problems: list[str] = []

    def fail(path: Sequence[str | int], message: str) -> None:
        problems.append(str(scenario.error(path, message)))

    for call in scenario.expect.calls:
        found = len(journal.calls(call.operation, where=call.where))
        at: list[str | int] = ["expect", "calls", call.index]
        if call.never and found:
            fail(at, f"{call.operation} was called {found} time(s), expected never")
        elif call.times is not None and found != call.times:
            fail(at, f"{call.operation} was called {found} time(s), expected {call.times}")
        elif call.at_least is not None and found < call.at_least:
            fail(at, f"{call.operation} was called {found} time(s), expected at least {call.at_least}")
    for job in scenario.expect.jobs:
        at = ["expect", "jobs", job.index]
        companies = [c for c in state.companies.values() if job.company is None or c.name == job.company]
        runs = [
            r
            for r in state.runs.values()
            if r.definition.name == job.name and r.definition.company_id in {c.id for c in companies}
        ]
        ids = {c.id for c in companies}
        definition = next((d for d in state.definitions.values() if d.name == job.name and d.company_id in ids), None)
        deleted = any(d.name == job.name and d.company_id in ids for d in state.deleted)
        if job.state is not None:
            actual = _job_state(definition, runs, deleted)
            if actual != job.state:
                fail(at, f"job {job.name!r} is {actual}, expected {job.state}")
        if job.runs is not None and len(runs) != job.runs:
            fail(at, f"job {job.name!r} ran {len(runs)} time(s), expected {job.runs}")
    for expected in scenario.expect.logs:
        at = ["expect", "logs", expected.index]
        logs = [log for log in state.logs if log.original_job_name == expected.job_name]
        if expected.count is not None and len(logs) != expected.count:
            fail(at, f"{len(logs)} log(s) for {expected.job_name!r}, expected {expected.count}")
        for name, value in (
            ("fatal_error", expected.fatal_error),
            ("file_success_count", expected.file_success_count),
            ("file_error_count", expected.file_error_count),
        ):
            if value is not None and logs and any(getattr(log, name) != value for log in logs):
                values = [getattr(log, name) for log in logs]
                fail(at, f"{name} of the logs for {expected.job_name!r} is {values}, expected {value} in every log")
    return problems


def _job_state(definition: Any, runs: Sequence[Any], deleted: bool) -> str:
    if any(r.state is not RunState.DONE for r in runs):
        return "running"
    if definition is None:
        return "deleted" if deleted else "unknown"
    if definition.trigger.state is TriggerState.PAUSED:
        return "paused"
    if definition.scheduled:
        return "scheduled"
    return "finished"

"""Job operations: submit and control jobs, and read their runs and logs (IPS-REFERENCE §4)."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from ..clock import LAST_INSTANT
from ..errors import IpsFault
from ..model import Company, User
from ..model.enums import ENUMS, JOB_LOG_TYPES
from ..model.handles import JobHandle, parse_job_handle
from ..model.jobspec import spec_problems
from ..model.jobstates import TriggerState
from ..model.roles import ADMIN_ROLES
from .base import ServiceBase

if TYPE_CHECKING:
    from ..model.behaviour import Behaviour
    from ..model.jobs import JobDefinition, JobLog, JobLogDetail, Run
    from ..scheduler import Scheduler
    from .results import LogPage

__all__ = ["JobService"]

_LOCALE_RE: Final = re.compile(r"[a-z]{2}(-[A-Z]{2})?")
MAX_RECORDS_PER_PAGE: Final = 1000
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


class _JobKit:
    """What submitting a job takes beyond serving: the job records, job types and cron schedules. Imported with
    the first job, not with the server (cronsim included), and then held by :func:`_job_kit`: an import statement
    in ``submit_job`` itself cost a few microseconds on every call, a tenth of installing a scenario's job."""

    __slots__ = ("definition", "echo_spec", "job_types", "parse_schedule", "schedule_error", "submittable", "trigger")

    def __init__(self) -> None:
        from ..cron import CronSchedule, ScheduleError
        from ..model.jobs import JobDefinition, Trigger
        from ..model.jobtypes import JOB_TYPES, SUBMITTABLE_JOB_TYPES, echo_spec

        self.definition = JobDefinition
        self.trigger = Trigger
        self.job_types = JOB_TYPES
        self.submittable = SUBMITTABLE_JOB_TYPES
        self.echo_spec = echo_spec
        self.parse_schedule = CronSchedule.parse
        self.schedule_error = ScheduleError


@cache
def _job_kit() -> _JobKit:
    return _JobKit()


class JobService(ServiceBase):
    behaviours: Callable[[str, str], Behaviour]

    @property
    def scheduler(self) -> Scheduler:
        """The job scheduler (:class:`ips_mock.service.IpsService` makes it on first use)."""
        raise NotImplementedError

    def _companies(self, caller: User, handle: str | None) -> list[Company]:
        if handle is not None:
            return [self.company(caller, handle)]
        return [c for c in self.state.companies.values() if caller.belongs_to(c.id)]

    def _check_handle_company(self, caller: User, handle: str, company: Company | None) -> JobHandle | None:
        """The parsed handle (None for an unknown shape); 20006 for a handle of a company the caller is not in,
        30001 when it is not ``company``'s."""
        parsed = parse_job_handle(handle)
        if parsed is None:
            return None
        if not caller.belongs_to(parsed.company_id):
            raise IpsFault(IpsFault.ILLEGAL_COMPANY, f"Job handle '{handle}' belongs to another company")
        if company is not None and parsed.company_id != company.id:
            raise IpsFault.invalid_parameter(
                "jobHandle", f"'{handle}' belongs to company c|{parsed.company_id}, not {company.handle}"
            )
        return parsed

    def _definition_named(self, company_id: int, name: str) -> JobDefinition | None:
        return self.state.definitions.get(f"j|{company_id}|{name}||")

    def _resolve(self, caller: User, company: Company | None, handle: str) -> tuple[JobDefinition | None, Run | None]:
        """A submit handle gives its definition; a run or log handle gives its run (and that run's definition)."""
        parsed = self._check_handle_company(caller, handle, company)
        if parsed is None:
            return None, None
        if parsed.kind == "submit":
            return self._definition_named(parsed.company_id, parsed.job_name), None
        run = self.state.runs.get(self.state.run_names.get((parsed.company_id, parsed.run_name), -1))
        if run is None or (parsed.run_id is not None and run.id != parsed.run_id):
            return None, None
        return run.definition, run

    def _unknown_handle(self, handle: str) -> IpsFault:
        return IpsFault.invalid_parameter("jobHandle", f"unknown job handle '{handle}'")

    def _live_definition(self, caller: User, company: Company, handle: str) -> JobDefinition:
        definition, _ = self._resolve(caller, company, handle)
        if definition is None or definition.deleted:
            raise self._unknown_handle(handle)
        return definition

    def _utc(self, instant: datetime, field: str) -> datetime:
        """A client instant in UTC, as the model keeps every instant; one without an offset is server local time."""
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=self.zone)
        try:
            return instant.astimezone(UTC)
        except OverflowError:  # e.g. 9999-12-31T23:59:59-14:00 is past the last datetime Python can hold
            raise IpsFault.invalid_parameter(field, f"{instant.isoformat()} is out of range") from None

    def submit_job(self, caller: User, now: datetime, p: Mapping[str, Any]) -> str:
        kit = _job_kit()
        company = self.company(caller, p["companyHandle"])
        recipient = self._recipient(caller, company, p.get("userHandle"))
        name = p["jobName"]
        if not name.strip() or "|" in name:
            raise IpsFault.invalid_parameter("jobName", f"{name!r}: give a non-empty name without '|'")
        locale = p.get("locale")
        if locale is not None and not _LOCALE_RE.fullmatch(locale):
            raise IpsFault.invalid_parameter("locale", f"{locale!r} is not ll or ll-CC, e.g. en-US")
        elements = [e for e in kit.submittable if e in p]
        if not elements:
            raise IpsFault(
                IpsFault.MISSING_PARAMETER,
                f"Missing job type: submitJob needs one of {', '.join(kit.submittable)}",
            )
        if len(elements) > 1:
            raise IpsFault.invalid_parameter("submitJob", f"give exactly one job type, got {', '.join(elements)}")
        element = elements[0]
        if problems := spec_problems(element, p[element]):
            path, problem = problems[0]
            raise IpsFault.invalid_parameter(path, problem)
        if "execTime" in p and "execSchedule" in p:
            raise IpsFault.invalid_parameter("execTime", "give execTime or execSchedule, not both")
        trigger = kit.trigger(state=TriggerState.COMPLETE)
        if "execTime" in p:
            exec_time = self._utc(p["execTime"], "execTime")
            if exec_time > LAST_INSTANT:
                last = LAST_INSTANT.isoformat()
                raise IpsFault.invalid_parameter(
                    "execTime", f"{exec_time.isoformat()} is after {last}, the last instant ips-mock models"
                )
            if exec_time < now:
                raise IpsFault.invalid_parameter(
                    "execTime",
                    f"{exec_time.astimezone(self.zone).isoformat()} is in the past "
                    f"(server time is {now.astimezone(self.zone).isoformat()})",
                )
            trigger = kit.trigger(exec_time=exec_time)
        elif "execSchedule" in p:
            try:
                trigger = kit.trigger(schedule=kit.parse_schedule(p["execSchedule"]))
            except kit.schedule_error as exc:
                raise IpsFault.invalid_parameter("execSchedule", str(exc)) from None
        existing = self._definition_named(company.id, name)
        running = next(self.state.active_runs_of(company.id, name), None) is not None
        if (existing is not None and existing.scheduled) or running:
            raise IpsFault.invalid_parameter(
                "jobName",
                f"a job named {name!r} is already scheduled or running in {company.name}; names must be unique",
            )
        submitted = p[element]
        definition = kit.definition(
            company_id=company.id,
            name=name,
            job_type=element,
            spec=kit.echo_spec(kit.job_types[element], submitted, root_path=company.root_path),
            submitted=dict(submitted),
            submit_user_email=caller.email,
            notify_user_email=recipient.email,
            locale=locale or caller.locale,
            description=p.get("description"),
            trigger=trigger,
            submitted_at=now,
            behaviour=self.behaviours(name, element),
        )
        self.state.definitions[definition.handle] = definition
        if trigger.state is TriggerState.COMPLETE:  # neither execTime nor execSchedule: run at once
            self.scheduler.fire(definition, now)
        else:
            self.scheduler.arm(definition, now)
        return definition.handle

    def _recipient(self, caller: User, company: Company, user_handle: str | None) -> User:
        if user_handle is None:
            return caller
        user = self.state.user_by_handle(user_handle)
        if user is None:
            raise IpsFault(IpsFault.INVALID_REQUEST_USER, f"Invalid user handle '{user_handle}'")
        if not user.belongs_to(company.id):
            raise IpsFault(IpsFault.ILLEGAL_REQUEST_USER, f"User '{user.email}' is not a member of {company.name}")
        if user is not caller and caller.role not in ADMIN_ROLES:
            raise IpsFault(
                IpsFault.NO_IMPERSONATION_PERMISSION, f"User '{caller.email}' may not submit jobs for '{user.email}'"
            )
        return user

    def execute_job(self, caller: User, now: datetime, company_handle: str, job_handle: str) -> None:
        company = self.company(caller, company_handle)
        definition, run = self._resolve(caller, company, job_handle)
        if run is not None:
            raise IpsFault.invalid_parameter(
                "jobHandle",
                f"'{job_handle}' is a run handle; executeJob takes the job's handle {run.definition.handle}",
            )
        if definition is None or definition.deleted:
            raise self._unknown_handle(job_handle)
        self.scheduler.fire(definition, now)

    def stop_job(self, caller: User, now: datetime, company_handle: str, job_handle: str) -> None:
        company = self.company(caller, company_handle)
        definition, run = self._resolve(caller, company, job_handle)
        if definition is None and run is None:
            raise self._unknown_handle(job_handle)
        if run is not None:
            if not run.active:
                raise IpsFault.invalid_parameter("jobHandle", f"job '{job_handle}' is not active: it has finished")
            targets = [run]
        else:
            targets = self._active_runs_of(definition) if definition is not None else []
            if not targets:
                raise IpsFault.invalid_parameter("jobHandle", f"job '{job_handle}' has no active run to stop")
        for target in targets:
            self.scheduler.stop(target, now, caller.email)

    def pause_job(self, caller: User, now: datetime, company_handle: str, job_handle: str) -> None:
        definition = self._live_definition(caller, self.company(caller, company_handle), job_handle)
        if not definition.scheduled:
            raise IpsFault.invalid_parameter("jobHandle", f"job '{job_handle}' has no schedule to pause")
        self.scheduler.pause(definition)

    def resume_job(self, caller: User, now: datetime, company_handle: str, job_handle: str) -> None:
        definition = self._live_definition(caller, self.company(caller, company_handle), job_handle)
        if not definition.scheduled:
            raise IpsFault.invalid_parameter("jobHandle", f"job '{job_handle}' has no schedule to resume")
        self.scheduler.resume(definition, now)

    def delete_job(self, caller: User, now: datetime, company_handle: str, job_handle: str) -> None:
        definition = self._live_definition(caller, self.company(caller, company_handle), job_handle)
        definition.deleted = True
        definition.trigger.state = TriggerState.NONE
        definition.trigger.generation = self.state.new_generation()
        del self.state.definitions[definition.handle]
        self.state.deleted.append(definition)
        for run in self._active_runs_of(definition):
            self.scheduler.stop(run, now, caller.email)

    def _active_runs_of(self, definition: JobDefinition) -> list[Run]:
        """The definition's own active runs (not its follow-on runs, which carry the same job name)."""
        return [
            r for r in self.state.active_runs_of(definition.company_id, definition.name) if r.definition is definition
        ]

    # ---------------------------------------------------------------------------------------------- queries

    def active_jobs(
        self,
        caller: User,
        *,
        company_handle: str | None = None,
        job_handle: str | None = None,
        original_name: str | None = None,
        include_waiting: bool = False,
    ) -> list[Run]:
        companies = self._companies(caller, company_handle)
        ids = {c.id for c in companies}
        runs = [r for r in self.state.active_runs() if r.company_id in ids]
        if job_handle is not None:
            definition, run = self._resolve(caller, companies[0] if company_handle else None, job_handle)
            # A finished or unknown handle selects nothing: that is how pollers see a job end.
            runs = [
                r
                for r in runs
                if (r is run if run is not None else definition is not None and r.definition is definition)
            ]
        if original_name is not None:
            runs = [r for r in runs if r.definition.name == original_name]
        if not include_waiting:
            runs = [r for r in runs if not r.state.is_waiting]
        return sorted(runs, key=lambda r: (r.trigger_time, r.id))

    def scheduled_jobs(
        self,
        caller: User,
        *,
        company_handle: str | None = None,
        job_handle: str | None = None,
        original_name: str | None = None,
    ) -> list[JobDefinition]:
        companies = self._companies(caller, company_handle)
        ids = {c.id for c in companies}
        definitions = [d for d in self.state.definitions.values() if d.company_id in ids and d.scheduled]
        if job_handle is not None:
            # Resolved like everywhere else: another company's handle is 20006; a run handle selects nothing.
            wanted, run = self._resolve(caller, companies[0] if company_handle else None, job_handle)
            definitions = [d for d in definitions if run is None and d is wanted]
        if original_name is not None:
            definitions = [d for d in definitions if d.name == original_name]
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(definitions, key=lambda d: (d.trigger.next_fire or far, d.handle))

    _LOG_SORT_KEYS: Final[Mapping[str, Callable[[JobService, JobLog], Any]]] = {
        "JobName": lambda self, log: log.run_name,
        "LogType": lambda self, log: log.log_type,
        "StartDate": lambda self, log: log.start_date,
        "CompanyName": lambda self, log: self.state.companies[log.company_id].name,
        "UserId": lambda self, log: self._user_id(log.submit_user_email),
        "Email": lambda self, log: log.submit_user_email,
        "FileErrorCount": lambda self, log: log.file_error_count,
        "FileWarningCount": lambda self, log: log.file_warning_count,
        "FileSuccessCount": lambda self, log: log.file_success_count,
    }

    def _user_id(self, email: str) -> int:
        user = self.state.user_by_email(email)
        return user.id if user is not None else 0

    def _direction(self, value: str | None, default: str) -> bool:
        """True for descending."""
        direction = value if value is not None else default
        if direction not in ENUMS["sortDirection"]:
            raise IpsFault.invalid_parameter("sortDirection", f"{direction!r} is not Ascending or Descending")
        return direction == "Descending"

    def job_logs(self, caller: User, p: Mapping[str, Any]) -> list[JobLog]:
        """getJobLogs. Defaults: every log, newest first (StartDate, Descending); date bounds are inclusive."""
        companies = self._companies(caller, p.get("companyHandle"))
        email: str | None = None
        if (user_handle := p.get("userHandle")) is not None:
            user = self.state.user_by_handle(user_handle)
            if user is None:
                raise IpsFault(IpsFault.INVALID_REQUEST_USER, f"Invalid user handle '{user_handle}'")
            email = user.email.lower()
        low = self._utc(start, "startDate") if (start := p.get("startDate")) is not None else None
        high = self._utc(end, "endDate") if (end := p.get("endDate")) is not None else None
        sort_by = p.get("sortBy", "StartDate")
        if sort_by not in self._LOG_SORT_KEYS:
            raise IpsFault.invalid_parameter("sortBy", f"{sort_by!r} is not one of {', '.join(self._LOG_SORT_KEYS)}")
        descending = self._direction(p.get("sortDirection"), "Descending")
        rows = p.get("numRows")
        if rows is not None and rows < 0:
            raise IpsFault.invalid_parameter("numRows", f"{rows} is negative")

        def wanted(log: JobLog) -> bool:
            return (
                (email is None or log.submit_user_email.lower() == email)
                and (low is None or log.start_date >= low)
                and (high is None or log.start_date <= high)
            )

        logs: list[JobLog] = []
        for company in companies:
            kept = self.state.company_logs(company.id)
            if rows is not None and sort_by == "StartDate":
                logs += self._first_by_start(kept, wanted, rows, descending=descending)
            else:
                logs += filter(wanted, kept.values())
        key = self._LOG_SORT_KEYS[sort_by]
        logs.sort(key=lambda log: log.run_id)
        logs.sort(key=lambda log: key(self, log), reverse=descending)
        return logs if rows is None else logs[:rows]

    def _first_by_start(
        self, kept: dict[int, JobLog], wanted: Callable[[JobLog], bool], rows: int, *, descending: bool
    ) -> list[JobLog]:
        """The logs that can be among the first ``rows`` by start date (ties included), read from the newest (or
        oldest) end of ``kept`` only: the cost follows ``rows``, not the history.

        ``kept`` is in start order, and a run starts at most ``State.max_start_lag`` after its start date (its
        fire). So once ``rows`` candidates are found, a log whose start date is more than that lag beyond the
        worst candidate's proves every log further along is beyond it too."""
        if rows == 0:
            return []
        lag = self.state.max_start_lag
        found: list[JobLog] = []
        best: list[Any] = []  # a heap whose top is the worst of the ``rows`` best start dates found so far
        if descending:
            for log in reversed(kept.values()):
                if len(best) == rows and log.start_date + lag < best[0]:
                    break
                if wanted(log):
                    found.append(log)
                    (heapq.heappush if len(best) < rows else heapq.heappushpop)(best, log.start_date)
        else:
            for log in kept.values():
                if len(best) == rows and log.start_date - lag > _EPOCH - best[0]:
                    break
                if wanted(log):
                    found.append(log)
                    (heapq.heappush if len(best) < rows else heapq.heappushpop)(best, _EPOCH - log.start_date)
        return found

    def job_log_details(self, caller: User, p: Mapping[str, Any]) -> list[LogPage]:
        """getJobLogDetails: the logs one job handle or original name selects, each with a page of details."""
        from .results import LogPage

        company = self.company(caller, p["companyHandle"])
        logs: Iterable[JobLog]
        if (handle := p.get("jobHandle")) is not None:
            definition, run = self._resolve(caller, company, handle)
            if run is not None:
                logs = [run.log] if run.log.started else []
            elif definition is not None:
                logs = self.state.job_logs(company.id, definition.name).values()
            else:
                raise self._unknown_handle(handle)
        elif (original := p.get("originalName")) is not None:
            logs = self.state.job_logs(company.id, original).values()
        else:
            raise IpsFault(IpsFault.MISSING_PARAMETER, "Missing required parameter 'jobHandle' or 'originalName'")
        types = p.get("logTypeArray")
        for i, log_type in enumerate(types or [], start=1):
            if log_type not in JOB_LOG_TYPES:
                raise IpsFault.invalid_parameter(f"logTypeArray/items[{i}]", f"{log_type!r} is not a job log type")
        per_page = min(p.get("recordsPerPage", MAX_RECORDS_PER_PAGE), MAX_RECORDS_PER_PAGE)
        page = p.get("resultsPage", 1)
        if per_page < 1:
            raise IpsFault.invalid_parameter("recordsPerPage", f"{per_page} must be 1-{MAX_RECORDS_PER_PAGE}")
        if page < 1:
            raise IpsFault.invalid_parameter("resultsPage", f"{page} must be 1 or more")
        sort_by = p.get("sortBy", "Date")
        if sort_by not in ENUMS["getJobLogDetails/sortBy"]:
            raise IpsFault.invalid_parameter("sortBy", f"{sort_by!r} is not Date or LogType")
        descending = self._direction(p.get("sortDirection"), "Ascending")
        pages = []
        for log in logs:
            chosen = [(i, d) for i, d in enumerate(log.details) if types is None or d.log_type in types]
            chosen.sort(
                key=lambda pair: (pair[1].log_type if sort_by == "LogType" else "", pair[1].date_created, pair[0]),
                reverse=descending,
            )
            details = [d for _, d in chosen]
            first = (page - 1) * per_page
            pages.append(LogPage(log, len(details), details[first : first + per_page]))
        return pages

    def asset_job_logs(self, caller: User, company_handle: str, asset_handle: str) -> list[tuple[JobLog, JobLogDetail]]:
        company = self.company(caller, company_handle)
        return [
            (log, detail)
            for log in self.state.asset_logs(asset_handle)
            if log.company_id == company.id
            for detail in log.details
            if detail.asset_handle == asset_handle
        ]

"""Runs what is due: trigger fires and run steps, in (due time, sequence) order, at their exact virtual instants.

Every instant it stores in the model is in UTC: time arithmetic and ordering on datetimes that share a zone go by
wall clock and lose the repeated hour at the end of daylight saving time. The server zone is used only to name runs
and to evaluate schedules; replies convert to it at the edge.

There is no thread. The owner calls :meth:`Scheduler.run_until` with the current time before every request and after
every clock move; each event runs with its own due time as "now", so a run that fired three days ago in a jump
has the log it would have had if the clock had ticked through. Nothing here reads the time.
"""

from __future__ import annotations

import gc
import heapq
import math
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, Literal
from zoneinfo import ZoneInfo

from .model import State
from .model.behaviour import DEFAULT_BEHAVIOUR, Behaviour, RunStep
from .model.catalog import join_path
from .model.jobs import (
    DOWNLOAD_SCHEME,
    JobDefinition,
    JobLog,
    LogEntry,
    LogRecord,
    Notification,
    Run,
    RunState,
    TaskProgress,
    Trigger,
    TriggerState,
    WorkItem,
    run_stamp,
)
from .model.jobtypes import JOB_TYPES, JobType, SourceItem, echo_spec, source_items

if TYPE_CHECKING:
    from .cron import FireSequences
    from .effects import CatalogEffects

__all__ = ["SERVER_NAME", "Misfire", "Scheduler"]

Misfire = Literal["fire_all", "fire_once", "skip"]

SERVER_NAME: Final = "ips-mock-1"
"""ActiveJob/serverName of every run (observed values look like ``saastex_100_52``)."""
JOB_CLIENT: Final = "ips-mock"

_ASSET_TYPES: Final = {
    ".mp4": "Video",
    ".mov": "Video",
    ".avi": "Video",
    ".webm": "Video",
    ".m4v": "Video",
    ".pdf": "Pdf",
    ".svg": "Svg",
    ".zip": "Zip",
    ".xml": "Xml",
}

# Human names of the job kinds in "… has begun!" messages (the documented sample: "Upload has begun!").
_LABELS: Final = {
    "UrlUpload": "Upload",
    "UploadFromServerDirectory": "Upload",
    "UploadPost": "Upload",
    "ImageServingPublish": "Image Serving publish",
    "ImageRenderingPublish": "Image Rendering publish",
    "VideoPublish": "Video publish",
    "ServerDirectoryPublish": "Server directory publish",
    "MetadataPublish": "Metadata publish",
    "ImageOptimization": "Image optimization",
    "RipPdfs": "PDF rip",
    "ReprocessAssets": "Reprocessing",
    "CreateVideoSitemap": "Video sitemap generation",
    "Export": "Export",
    "AutomatedSetGeneration": "Automated set generation",
}

_LABEL_ARGS: Final = {type_name: (label,) for type_name, label in _LABELS.items()}
"""The arguments of the begin and end messages, one tuple per job kind."""

_LONG_CATCH_UP: Final = 64
"""Events a catch-up runs before it pauses the cyclic garbage collector until it ends (see run_until): small
enough that a clock moved minute by minute gets the same pause as one long move."""

_SUB_TYPES: Final = {"Full": "full", "Incremental": "increment", "FullWithSearch": "fullwithsearch"}


def _default_behaviour(name: str, job_type: str) -> Behaviour:
    return DEFAULT_BEHAVIOUR


# A follow-on publish job (IPS-REFERENCE §8.3): the field of the upload job, and the job element it runs as.
_FOLLOW_ONS: Final = {
    "postImageServingPublishJob": "imageServingPublishJob",
    "postImageRenderingPublishJob": "imageRenderingPublishJob",
    "postVideoPublishJob": "videoPublishJob",
}


@dataclass
class Scheduler:
    """Runs the work due on the virtual clock: fires of job definitions and the steps of their runs."""

    state: State
    zone: ZoneInfo
    misfire: Misfire = "fire_all"
    behaviours: Callable[[str, str], Behaviour] = _default_behaviour
    """Picks the behaviour of a follow-on publish run from its job name and job element."""
    _fire_sequences: FireSequences | None = field(default=None, init=False, repr=False)
    _effects: CatalogEffects | None = field(default=None, init=False, repr=False)
    _openings: dict[tuple[str, str, int], tuple[LogEntry, ...]] = field(default_factory=dict, repr=False)
    _stamped_at: datetime | None = field(default=None, repr=False)
    _stamp: str = field(default="", repr=False)
    """The run name stamp of the instant ``_stamped_at`` (server zone), for the next fire at the same instant."""

    @property
    def effects(self) -> CatalogEffects:
        """What runs do to the asset catalog (uploads create assets, exports leave downloads, …)."""
        if self._effects is None:
            from .effects import CatalogEffects  # with the first run: serving needs none before

            self._effects = CatalogEffects(self.state)
        return self._effects

    @property
    def fire_sequences(self) -> FireSequences:
        """The cron iterators of this scheduler's zone (cronsim is imported with the first schedule)."""
        if self._fire_sequences is None:
            from .cron import FireSequences

            self._fire_sequences = FireSequences(self.zone)
        return self._fire_sequences

    # --------------------------------------------------------------------------------------------- driving

    def run_until(self, now: datetime) -> int:
        """Run every event due at or before ``now`` in order (and those they schedule, if due); return how many."""
        count = 0
        state = self.state
        events = state.events
        newest = state.newest_events
        pop = heapq.heappop
        step = self._step
        scheduled_fire = self._scheduled_fire
        paused_collector = False
        try:
            while events and events[0][0] <= now:
                event = pop(events)
                due, _, kind, members = event
                if newest.get(due) is event:  # work scheduled for ``due`` from now on runs after this event
                    del newest[due]
                count += len(members)
                if kind == "step":
                    for run, generation in members:
                        if generation == run.generation:
                            step(run, due)
                else:
                    for definition, generation in members:
                        if generation == definition.trigger.generation:
                            scheduled_fire(definition, due, now)
                if count >= _LONG_CATCH_UP and not paused_collector and gc.isenabled():
                    # A catch-up only builds objects that form no cycles (runs, logs, tuples), yet the
                    # cyclic collector would re-scan the growing history again and again: a fifth of the time.
                    # Paused until this catch-up ends; the collector then runs as usual.
                    gc.disable()
                    paused_collector = True
        finally:
            if paused_collector:
                gc.enable()
        return count

    # ---------------------------------------------------------------------------------------------- triggers

    def arm(self, definition: JobDefinition, after: datetime) -> None:
        """Compute the next fire strictly after ``after`` (or the exec time) and schedule it."""
        trigger = definition.trigger
        trigger.generation = self.state.new_generation()
        if trigger.schedule is not None:
            # One cron iterator for the trigger from now on: every later fire is its next item.
            trigger.fires = self.fire_sequences.fires_after(trigger.schedule, after)
            trigger.next_fire = next(trigger.fires, None)
        elif trigger.exec_time is not None:
            trigger.next_fire = trigger.exec_time.astimezone(UTC)
        if trigger.next_fire is None:
            trigger.state = TriggerState.COMPLETE
            return
        self.state.schedule(trigger.next_fire, "fire", definition, trigger.generation)

    def pause(self, definition: JobDefinition) -> None:
        if definition.trigger.state is TriggerState.NORMAL:
            definition.trigger.state = TriggerState.PAUSED
            # The pending fire is void; next_fire stays for display.
            definition.trigger.generation = self.state.new_generation()

    def resume(self, definition: JobDefinition, now: datetime) -> None:
        """Paused → Normal. Recurring: the next fire after now (fires missed while paused never run).
        One-shot whose time passed while paused: fires now."""
        trigger = definition.trigger
        if trigger.state is not TriggerState.PAUSED:
            return
        trigger.state = TriggerState.NORMAL
        if trigger.schedule is None and trigger.exec_time is not None and trigger.exec_time < now:
            trigger.exec_time = now
        self.arm(definition, now)

    def _scheduled_fire(self, definition: JobDefinition, at: datetime, now: datetime) -> None:
        trigger = definition.trigger
        if trigger.schedule is None:
            self.fire(definition, at)
            trigger.state = TriggerState.COMPLETE
            trigger.next_fire = None
            return
        fires = trigger.fires
        if fires is None:  # armed by hand, without arm(): start the iterator at this fire
            fires = trigger.fires = self.fire_sequences.fires_after(trigger.schedule, at)
        if at < now and self.misfire != "fire_all":
            # A fire the clock jumped over: 'skip' runs none of the missed fires, 'fire_once' one for all of them
            # (stamped with the latest). A fire due exactly now is not missed and runs normally.
            latest = at
            following = next(fires, None)
            while following is not None and following < now:
                latest, following = following, next(fires, None)
            if self.misfire == "fire_once":
                self.fire(definition, latest)
        else:
            self.fire(definition, at)
            following = next(fires, None)
        state = self.state
        state.next_seq = generation = state.next_seq + 1  # State.new_generation, inlined (every fire)
        trigger.generation = generation
        trigger.next_fire = following
        if following is None:
            trigger.state = TriggerState.COMPLETE
        else:
            state.schedule(following, "fire", definition, generation)

    # --------------------------------------------------------------------------------------------------- runs

    def fire(self, definition: JobDefinition, at: datetime, *, initiated_by: Run | None = None) -> Run:
        """Start one run of ``definition`` at ``at``: it is ``New`` now and follows its behaviour's plan.

        A follow-on publish run (``initiated_by`` its upload run) is named after it and logs it as InitiatingJobName.
        """
        job_type = JOB_TYPES[definition.job_type]
        if at.tzinfo is not UTC:
            at = at.astimezone(UTC)
        state = self.state
        run_id = state.next_run_id  # State.take_run_id, inlined
        state.next_run_id = run_id + 1
        if initiated_by is None:
            if at is not self._stamped_at:  # the fires of one event share its instant, and so their stamp
                self._stamp = run_stamp(at.astimezone(self.zone))
                self._stamped_at = at
            stamp = f"{definition.name}_{self._stamp}"
        else:
            stamp = f"{initiated_by.name}-{job_type.type_name}"
        name = (
            stamp if (definition.company_id, stamp) not in state.run_names else self._unique_run_name(definition, stamp)
        )
        behaviour = definition.behaviour
        sources = source_items(job_type, definition.submitted)
        if behaviour.files and definition.job_type == "uploadDirectoryJob":  # the directory the scenario describes
            server_dir = str(definition.submitted.get("serverDir", "")).rstrip("/")
            dest = str(definition.submitted.get("destFolder", ""))
            sources = [
                SourceItem(f"{server_dir}/{f}", posixpath.basename(f), posixpath.join(dest, posixpath.dirname(f)))
                for f in behaviour.files
            ]
        items: tuple[WorkItem, ...] = ()
        if sources:
            root = state.companies[definition.company_id].root_path
            items = tuple(self._work_item(definition, job_type, s, root) for s in sources)
        # Positional arguments, in field order (run for every fire: keywords cost twice as much here).
        log = JobLog(
            definition.company_id,  # company_id
            run_id,
            name,  # run_name
            definition.name,  # original_job_name
            definition.submit_user_email,
            job_type.log.begin,  # log_type
            _SUB_TYPES.get(definition.submitted.get("publishType", ""), ""),  # job_sub_type
            at,  # start_date
            definition.description or "",
            None,  # end_date
            0,  # file_success_count
            0,  # file_error_count
            0,  # file_warning_count
            0,  # file_duplicate_count
            0,  # file_update_count
            len(items),  # total_file_count
        )
        run = Run(
            run_id,
            definition,
            name,
            at,  # trigger_time
            RunState.NEW,
            0,  # progress
            "",  # progress_message
            at,  # last_progress_update
            items,
            log,
            behaviour.plan,
        )
        if initiated_by is not None:
            run.initiated_by = initiated_by.name
        if behaviour.start_lag > state.max_start_lag:
            state.max_start_lag = behaviour.start_lag
        state.add_run(run)
        plan = run.plan
        if plan:  # _schedule_next_step and State.schedule, inlined
            due = at + plan[0].at
            newest = state.newest_events.get(due)
            if newest is not None and newest[2] == "step":
                newest[3].append((run, run.generation))
            else:
                state.schedule(due, "step", run, run.generation)
        return run

    def _unique_run_name(self, definition: JobDefinition, name: str) -> str:
        taken = self.state.run_names
        company = definition.company_id
        unique, n = name, 2
        while (company, unique) in taken:
            unique, n = f"{name}-{n}", n + 1
        return unique

    def _work_item(self, definition: JobDefinition, job_type: JobType, source: SourceItem, root: str) -> WorkItem:
        company = definition.company_id
        if source.source.startswith("a|"):  # an existing asset the job works on
            asset_id = source.source.rsplit("|", 1)[-1]
            existing = self.state.catalog.assets.get(int(asset_id)) if asset_id.isdigit() else None
            name = existing.name if existing is not None else f"asset-{asset_id}"
            path = existing.path if existing is not None else root
            return WorkItem(name, source.source, source.source, "MasterImage", path)
        file_name = source.name or self.state.faker.file_name(category="image")
        stem, ext = posixpath.splitext(file_name)
        if not ext:  # a destPath naming the asset without an extension keeps the source file's
            source_ext = posixpath.splitext(source.source.split("?", 1)[0].rstrip("/"))[1]
            file_name = f"{file_name}{source_ext}"
            ext = source_ext
        asset_type = _ASSET_TYPES.get(ext.lower(), "MasterImage")
        folder = join_path(root, source.path)
        handle = f"a|{company}|1|{self.state.take_asset_id()}"
        return WorkItem(stem or file_name, source.source, handle, asset_type, f"{folder}{file_name}")

    def _schedule_next_step(self, run: Run) -> None:
        plan, index = run.plan, run.next_step
        if index < len(plan):
            self.state.schedule(run.trigger_time + plan[index].at, "step", run, run.generation)

    def _step(self, run: Run, at: datetime) -> None:
        step = run.plan[run.next_step]
        run.next_step += 1
        kind = step.kind
        if kind == "progress":  # the most frequent step, handled here without further calls
            if run.state is RunState.RUNNING:
                run.progress = step.progress
                if step.message is not None:
                    run.progress_message = step.message
                run.last_progress_update = at
                if run.items or run.tasks:
                    self._complete_items(run, at, math.floor(len(run.items) * step.progress / 100))
        elif kind == "start":
            self._start(run, at)
        elif kind == "wait":
            run.state = RunState.WAITING_COORDINATOR
        elif kind == "stopped":
            self._stopped(run, at)
        else:
            self._finish(run, at)
        plan, index = run.plan, run.next_step
        if index < len(plan):  # _schedule_next_step and State.schedule, inlined: this runs for every step of every run
            due = run.trigger_time + plan[index].at
            state = self.state
            newest = state.newest_events.get(due)
            if newest is not None and newest[2] == "step":
                newest[3].append((run, run.generation))
            else:
                state.schedule(due, "step", run, run.generation)

    def _start(self, run: Run, at: datetime) -> None:
        definition = run.definition
        job_type = JOB_TYPES[definition.job_type]
        run.state = RunState.RUNNING
        run.progress_message = job_type.progress_message
        run.last_progress_update = at
        log = run.log
        log.opening = self._opening(definition.name, job_type, len(run.items))
        log.opened_at = at
        if run.initiated_by is not None:
            self.state.add_entries(log, [("InitiatingJobName", at, run.initiated_by, (), False, None, None, None)])
        self.state.add_log(log)
        if job_type.task_type is not None:
            run.tasks = (TaskProgress(job_type.task_type, "Processing", 0, 0, len(run.items), 0.0, "", at),)

    def _opening(self, job_name: str, job_type: JobType, items: int) -> tuple[LogEntry, ...]:
        """The entries a log opens with: the begin entry and the information entries (README "Job types")."""
        key = (job_name, job_type.element, items)
        opening = self._openings.get(key)
        if opening is None:
            if len(self._openings) >= 10_000:  # a cache, kept small when job names never repeat
                self._openings.clear()
            opening = self._openings[key] = (
                (job_type.log.begin, "begin", _LABEL_ARGS[job_type.type_name], True),
                ("OriginalJobName", job_name, (), False),
                ("JobType", job_type.type_name, (), False),
                ("JobClient", JOB_CLIENT, (), False),
                ("TotalFileCount", str(items), (), False),
            )
        return opening

    def _complete_items(self, run: Run, at: datetime, upto: int) -> None:
        if not run.items and not run.tasks:  # nothing to complete and no task to report on
            return
        behaviour = run.definition.behaviour
        plan = JOB_TYPES[run.definition.job_type].log
        n = len(run.items)
        first_error = n - min(behaviour.error_items, n)
        first_warning = max(0, first_error - behaviour.warning_items)
        log = run.log
        upload = JOB_TYPES[run.definition.job_type].task_type is not None
        records: list[LogRecord] = []
        effects = self.effects
        for index in range(run.items_done, min(upto, n)):
            item = run.items[index]
            handle: str | None = item.asset_handle
            if index >= first_error:
                log_type, key = plan.error, "error"
                log.file_error_count += 1
                log.transfer_error_count += upload
                records.append((log_type, at, key, (item.path,), True, item.name, item.asset_type, handle))
                continue
            done = effects.item_done(run, item, at)
            if done is not None and done[0] == "duplicate":  # overwrite false and the name is taken: skipped
                log.file_duplicate_count += 1
                args = (item.path, item.name)
                records.append(("DuplicateSkipped", at, "duplicate", args, True, item.name, item.asset_type, done[1]))
                continue
            if done is not None:
                handle = done[1]
            if index >= first_warning:
                log_type, key = plan.warning, "warning"
                log.file_warning_count += 1
                log.transfer_warning_count += upload
            else:
                log_type, key = plan.success, "success"
                if log_type == "FileUpdated":
                    log.file_update_count += 1
                else:
                    log.file_success_count += 1
                log.transfer_success_count += upload
            records.append((log_type, at, key, (item.path,), True, item.name, item.asset_type, handle))
        self.state.add_entries(log, records)
        run.items_done = max(run.items_done, min(upto, n))
        for task in run.tasks:
            task.num_processed = run.items_done
            task.num_pending = n - run.items_done
            task.progress = run.items_done / n if n else run.progress / 100
            task.last_progress_update = at

    def _finish(self, run: Run, at: datetime) -> None:
        behaviour = run.definition.behaviour
        if behaviour.fatal_error is not None:
            run.log.fatal_error = True
            self.state.add_entries(
                run.log, [("FatalError", at, "fatal", (behaviour.fatal_error,), True, None, None, None)]
            )
        else:
            if run.items or run.tasks:
                self._complete_items(run, at, len(run.items))
            run.progress = 100
            archive = self.effects.run_ended(run, at)
            if archive is not None:  # an export: its download, named in the log as W1 reads it (an http URL)
                where = f"export/{archive.run_id}.zip"
                download = (
                    JOB_TYPES[run.definition.job_type].log.success,
                    at,
                    "download",
                    (DOWNLOAD_SCHEME + where,),
                    True,
                    DOWNLOAD_SCHEME + where,
                    "Zip",
                    None,
                )
                self.state.add_entries(run.log, [download])
        self._end(run, at, "Failed" if behaviour.fatal_error else "Done")
        if behaviour.fatal_error is None:
            self._follow_on(run, at)

    def _follow_on(self, run: Run, at: datetime) -> None:
        """Start the job's follow-on publish job, if it has one (and, with postJobOnlyIfFiles, if files came in)."""
        parent = run.definition
        for follow_field in _FOLLOW_ONS:
            if follow_field in parent.submitted:
                break
        else:
            return
        log = run.log
        processed = log.file_success_count + log.file_warning_count + log.file_update_count
        if parent.submitted.get("postJobOnlyIfFiles") and processed == 0:
            return
        element = _FOLLOW_ONS[follow_field]
        spec = parent.submitted[follow_field]
        root = self.state.companies[parent.company_id].root_path
        follow_on = replace(
            parent,
            job_type=element,
            spec=echo_spec(JOB_TYPES[element], spec, root_path=root),
            submitted=dict(spec),
            trigger=Trigger(state=TriggerState.COMPLETE),
            behaviour=self.behaviours(parent.name, element),
        )
        self.fire(follow_on, at, initiated_by=run)

    def _end(self, run: Run, at: datetime, task_state: str, *, stopped: bool = False) -> None:
        job_type = JOB_TYPES[run.definition.job_type]
        end = (job_type.log.end, at, "end", _LABEL_ARGS[job_type.type_name], True, None, None, None)
        self.state.add_entries(run.log, (end,))
        run.log.end_date = at
        run.last_progress_update = at
        for task in run.tasks:
            task.task_state = task_state
            task.last_progress_update = at
        if stopped:
            run.outcome = "stopped"
        elif run.log.fatal_error or run.log.file_error_count:
            run.outcome = "error"
        elif run.log.file_warning_count:
            run.outcome = "warning"
        else:
            run.outcome = "success"
        self.state.end_run(run, at)
        self._notify(run, at, run.outcome)

    def _notify(self, run: Run, at: datetime, outcome: Literal["success", "warning", "error", "stopped"]) -> None:
        """Record what IPS would send now: e-mail per emailSetting, then the completion/post HTTP call."""
        definition, log = run.definition, run.log
        submitted = definition.submitted
        setting = submitted.get("emailSetting", "None")
        if setting == "None" and "httpCompletionUrl" not in submitted and "postHttpUrl" not in submitted:
            return  # nothing to send (the common case, decided without building anything)
        wanted = {
            "All": True,
            "JobCompletion": True,
            "Error": outcome == "error",
            "ErrorAndWarning": outcome in ("error", "warning"),
        }.get(setting, False)
        targets: list[tuple[Literal["email", "http"], str]] = []
        if wanted:
            targets.append(("email", definition.notify_user_email))
        for url_field in ("httpCompletionUrl", "postHttpUrl"):
            if url := definition.submitted.get(url_field):
                targets.append(("http", url))
        for kind, to in targets:
            self.state.send(
                Notification(kind, at, to, definition.name, run.name, log.handle, outcome, definition.locale)
            )

    def stop(self, run: Run, at: datetime, by: str) -> None:
        """stopJob: Stopping now, Done after the behaviour's stop delay, unprocessed items logged as cancelled."""
        if run.state in (RunState.STOPPING, RunState.DONE):
            return
        at = at.astimezone(UTC)
        if run.log.opened_at is None:  # stopped before it started: the log still records the stop
            self._start(run, at)
        run.state = RunState.STOPPING
        run.last_progress_update = at
        for task in run.tasks:
            task.task_state = "Stopping"
        stopped = ("FileCancel", at, "stopped", (run.definition.name, by), True, None, None, None)
        self.state.add_entries(run.log, [stopped])
        # Replace what is left of the plan with the end of the stop; steps scheduled for the old plan are void.
        run.generation = self.state.new_generation()
        done_at = at + run.definition.behaviour.stop_delay - run.trigger_time
        run.plan = (*run.plan[: run.next_step], RunStep(done_at, "stopped"))
        self._schedule_next_step(run)

    def _stopped(self, run: Run, at: datetime) -> None:
        self.state.add_entries(
            run.log,
            [
                ("FileCancel", at, "cancel", (item.path,), True, item.name, item.asset_type, None)
                for item in run.items[run.items_done :]
            ],
        )
        self._end(run, at, "Done", stopped=True)

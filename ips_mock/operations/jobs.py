"""Job operations: submit and control jobs, and read their runs and logs (IPS-REFERENCE §4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

from ..model import User
from ..model.jobs import DOWNLOAD_SCHEME, JobDefinition, JobLog, JobLogDetail, Run, TaskProgress
from ..model.jobtypes import JOB_TYPES
from ..model.messages import render
from ..scheduler import SERVER_NAME
from ..service import IpsService
from .base import Call, Handler

__all__ = ["OPERATIONS"]


def _job_element(definition: JobDefinition) -> dict[str, Any]:
    return {definition.job_type: definition.spec}


def _task(call: Call, task: TaskProgress) -> dict[str, Any]:
    return {
        "taskType": task.task_type,
        "taskState": task.task_state,
        "numProcessed": task.num_processed,
        "numProcessing": task.num_processing,
        "numPending": task.num_pending,
        "progress": task.progress,
        "progressMessage": task.progress_message,
        "lastProgressUpdate": call.local(task.last_progress_update),
        "taskItemProgressArray": [],
    }


def _active_job(call: Call, run: Run) -> dict[str, Any]:
    definition = run.definition
    return {
        "companyHandle": f"c|{run.company_id}",
        "jobHandle": run.handle,
        "name": run.name,
        "originalName": definition.name,
        "type": JOB_TYPES[definition.job_type].type_name,
        "state": run.state.value,
        "submitUserEmail": definition.submit_user_email,
        "locale": definition.locale,
        "description": definition.description,
        "serverName": SERVER_NAME,
        "startDate": call.local(run.trigger_time),
        "triggerTime": call.local(run.trigger_time),
        "totalSize": 0,
        "progress": run.progress,
        "progressMessage": run.progress_message,
        "lastProgressUpdate": call.local(run.last_progress_update),
        "taskProgressArray": [_task(call, t) for t in run.tasks],
        **_job_element(definition),
    }


def _scheduled_job(call: Call, definition: JobDefinition) -> dict[str, Any]:
    trigger = definition.trigger
    return {
        "companyHandle": f"c|{definition.company_id}",
        "jobHandle": definition.handle,
        "name": definition.name,
        "originalName": definition.name,
        "type": JOB_TYPES[definition.job_type].type_name,
        "submitUserEmail": definition.submit_user_email,
        "locale": definition.locale,
        "description": definition.description,
        "execSchedule": trigger.schedule.expression if trigger.schedule is not None else None,
        "nextFireTime": call.local(trigger.next_fire),
        "timeZone": call.zone.key,
        "triggerState": trigger.state.value,
        **_job_element(definition),
    }


def _job_log(call: Call, log: JobLog) -> dict[str, Any]:
    return {
        "companyHandle": f"c|{log.company_id}",
        "jobHandle": log.handle,
        "jobName": log.run_name,
        "originalJobName": log.original_job_name,
        "submitUserEmail": log.submit_user_email,
        "logType": log.log_type,
        "jobSubType": log.job_sub_type,
        "startDate": call.local(log.start_date),
        "endDate": call.local(log.end_date),
        "description": log.description,
        "fileSuccessCount": log.file_success_count,
        "fileErrorCount": log.file_error_count,
        "fileWarningCount": log.file_warning_count,
        "fileDuplicateCount": log.file_duplicate_count,
        "fileUpdateCount": log.file_update_count,
        "totalFileCount": log.total_file_count,
        "transferSuccessCount": log.transfer_success_count,
        "transferErrorCount": log.transfer_error_count,
        "transferWarningCount": log.transfer_warning_count,
        "fatalError": log.fatal_error,
    }


def _message(call: Call, detail: JobLogDetail) -> str:
    if not detail.localized:
        return detail.message
    return render(detail.message, tuple(_link(call, arg) for arg in detail.args), call.locale)


def _link(call: Call, value: str) -> str:
    """A download the fake serves, as an http URL on the server the reader asked (an export's zip)."""
    return call.service_root + value.removeprefix(DOWNLOAD_SCHEME) if value.startswith(DOWNLOAD_SCHEME) else value


def _detail(call: Call, detail: JobLogDetail) -> dict[str, Any]:
    return {
        "logMessage": _message(call, detail),
        "logType": detail.log_type,
        "dateCreated": call.local(detail.date_created),
        "assetName": None if detail.asset_name is None else _link(call, detail.asset_name),
        "assetType": detail.asset_type,
        "assetHandle": detail.asset_handle,
    }


def submit_job(call: Call) -> Mapping[str, Any]:
    return {"jobHandle": call.service.submit_job(call.caller, call.now, call.params)}


def _control(method: Callable[[IpsService], Callable[[User, datetime, str, str], None]]) -> Handler:
    def handler(call: Call) -> Mapping[str, Any]:
        method(call.service)(call.caller, call.now, call.params["companyHandle"], call.params["jobHandle"])
        return {}

    return handler


def get_active_jobs(call: Call) -> Mapping[str, Any]:
    p = call.params
    runs = call.service.active_jobs(
        call.caller,
        company_handle=p.get("companyHandle"),
        job_handle=p.get("jobHandle"),
        original_name=p.get("originalName"),
        include_waiting=p.get("includeWaitingJobs", False),
    )
    return {"jobArray": [_active_job(call, r) for r in runs]}


def get_scheduled_jobs(call: Call) -> Mapping[str, Any]:
    p = call.params
    definitions = call.service.scheduled_jobs(
        call.caller,
        company_handle=p.get("companyHandle"),
        job_handle=p.get("jobHandle"),
        original_name=p.get("originalName"),
    )
    return {"jobArray": [_scheduled_job(call, d) for d in definitions]}


def get_job_logs(call: Call) -> Mapping[str, Any]:
    return {"jobLogArray": [_job_log(call, log) for log in call.service.job_logs(call.caller, call.params)]}


def get_job_log_details(call: Call) -> Mapping[str, Any]:
    pages = call.service.job_log_details(call.caller, call.params)
    return {
        "jobLogArray": [
            _job_log(call, page.log)
            | {"detailTotalRows": page.total_rows, "detailArray": [_detail(call, d) for d in page.details]}
            for page in pages
        ]
    }


def get_asset_job_logs(call: Call) -> Mapping[str, Any]:
    p = call.params
    entries = call.service.asset_job_logs(call.caller, p["companyHandle"], p["assetHandle"])
    return {
        "jobLogArray": [
            {
                "jobHandle": log.handle,
                "jobName": log.run_name,
                "logMessage": _message(call, detail),
                "logType": detail.log_type,
                "submitUserEmail": log.submit_user_email,
                "logDate": call.local(detail.date_created),
            }
            for log, detail in entries
        ]
    }


OPERATIONS: Final[Mapping[str, Handler]] = {
    "submitJob": submit_job,
    "executeJob": _control(lambda s: s.execute_job),
    "getActiveJobs": get_active_jobs,
    "getScheduledJobs": get_scheduled_jobs,
    "stopJob": _control(lambda s: s.stop_job),
    "pauseJob": _control(lambda s: s.pause_job),
    "resumeJob": _control(lambda s: s.resume_job),
    "deleteJob": _control(lambda s: s.delete_job),
    "getJobLogs": get_job_logs,
    "getJobLogDetails": get_job_log_details,
    "getAssetJobLogs": get_asset_job_logs,
}

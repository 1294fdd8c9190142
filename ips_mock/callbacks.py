"""Delivering the HTTP calls a run's end asks for (``httpCompletionUrl``, ``postHttpUrl``).

The scheduler records each call in ``State.outbox`` when the run ends, after its log is closed. The fake delivers
them in outbox order as soon as the work that produced them has run (the request, ``advance`` or ``move_to`` that
caught the clock up returns only after delivery), never while it holds its lock: a slow or dead receiver delays
only the caller whose clock move produced the call, up to ``timeout`` per call, and no other request.

Each call is ``POST <url>`` (the URL as given, query string kept) with a form body ``jobHandle`` (the log handle),
``jobName`` (the run name), ``originalName`` and ``status`` (``success``, ``warning``, ``error`` or ``stopped``);
no retry. Only loopback hosts are called unless more are allowed; any other URL is recorded as not delivered and
never sent. Calls go through ``requests``, so ``responses`` (``fake.intercept()``) captures them with no socket.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .model.jobs import Notification

__all__ = ["DEFAULT_CALLBACK_TIMEOUT", "CallbackPolicy", "deliver"]

DEFAULT_CALLBACK_TIMEOUT: Final = 5.0


@dataclass(frozen=True)
class CallbackPolicy:
    """Which hosts the HTTP calls of ended runs may go to, and how long each call may take."""

    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    """Host names (lower case) called beside loopback; ``*`` allows every host."""
    timeout: float = DEFAULT_CALLBACK_TIMEOUT
    """Seconds to connect and to read the answer, each."""

    @classmethod
    def allowing(cls, hosts: Iterable[str] = (), *, timeout: float = DEFAULT_CALLBACK_TIMEOUT) -> CallbackPolicy:
        return cls(frozenset(h.strip().lower() for h in hosts if h.strip()), timeout)

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be called, or None when it may."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"not delivered: {url!r} is not an http(s) URL"
        host = parts.hostname.lower()
        if "*" in self.allowed_hosts or host in self.allowed_hosts or _is_loopback(host):
            return None
        return f"not delivered: host {host} is not loopback and not allowed (allow it with callback_hosts)"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def deliver(calls: Sequence[Notification], policy: CallbackPolicy) -> None:
    """Make each call in order and record its outcome on it (``Notification.delivery``)."""
    if not calls:
        return
    import requests  # only when there is something to send: importing requests costs start-up time

    for call in calls:
        refusal = policy.refusal(call.to)
        if refusal is not None:
            call.delivery = refusal
            continue
        form = {
            "jobHandle": call.log_handle,
            "jobName": call.run_name,
            "originalName": call.job_name,
            "status": call.outcome,
        }
        try:
            response = requests.post(call.to, data=form, timeout=policy.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            call.delivery = f"failed: {type(exc).__name__}: {str(exc)[:200]}"
        else:
            call.delivery = f"delivered: HTTP {response.status_code}"

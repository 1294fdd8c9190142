"""Every request the fake saw: when (virtual and real time), what, who, the raw bytes, and how it was answered.

Tests read it through :class:`Journal` (``fake.journal``) instead of mocking their own client; recording and the
admin API read the same entries. It is bounded (:class:`JournalLimits`): a long-running fake keeps the newest
entries, and the raw bytes of only the newest of those, and counts what it let go.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

__all__ = ["Exchange", "Journal", "JournalLimits"]


@dataclass(frozen=True)
class JournalLimits:
    """How much of its history a fake keeps. Every limit is a count of entries or of bytes."""

    max_entries: int = 20_000
    """Older entries are dropped (``Journal.dropped`` counts them)."""
    max_body_bytes: int = 64 * 1024
    """Raw request and reply bodies longer than this are kept cut to this length (``*_truncated`` says so)."""
    max_total_body_bytes: int = 64 * 1024 * 1024
    """Past this total, the oldest entries lose their raw bodies (``Journal.bodies_dropped`` counts them)."""
    max_param_chars: int = 4096
    """Decoded string parameters longer than this are kept cut to this length, with a ``…`` mark."""


@dataclass
class Exchange:
    """One request and its answer. Fields the request never reached stay None (e.g. no operation for bad XML)."""

    seq: int
    real_time: datetime
    virtual_time: datetime | None = None
    method: str = "POST"
    path: str = ""
    """The request path as the fake saw it (under a tenant, without the ``/t/<name>`` prefix)."""
    content_type: str | None = None
    soap_action: str | None = None
    transport: str | None = None
    """``soap11``, ``soap12`` or ``plain`` (the plain-XML transport)."""
    operation: str | None = None
    api_version: str | None = None
    caller: str | None = None
    credentials: str | None = None
    """How the caller signed in: ``authHeader``, ``basic`` or ``AuthUser``; None when no credentials came."""
    params: Mapping[str, Any] | None = None
    status: int = 0
    fault_code: int | None = None
    fault_reason: str | None = None
    injected: str | None = None
    """What a scenario did to this request: ``fault``, ``http``, ``drop``, ``garbage``, ``delay`` or ``stub``."""
    unhandled: bool = False
    """The fake could not handle it: an unknown operation, or one ips-mock does not implement (and no stub)."""
    request_body: bytes | None = field(default=None, repr=False)
    """The raw request body as received (gzip is refused, so never compressed); None once dropped."""
    reply_body: bytes | None = field(default=None, repr=False)
    """The raw reply body before any gzip; None for a dropped connection or once dropped."""
    reply_content_type: str | None = None
    request_truncated: bool = False
    reply_truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.fault_code is None

    @property
    def soap_version(self) -> str | None:
        """``1.1`` or ``1.2`` for SOAP requests, None for plain XML or when unknown."""
        return {"soap11": "1.1", "soap12": "1.2"}.get(self.transport or "")

    def _body_size(self) -> int:
        return len(self.request_body or b"") + len(self.reply_body or b"")

    def describe(self) -> str:
        when = self.virtual_time.isoformat() if self.virtual_time else "?"
        outcome = (
            "ok"
            if self.ok
            else f"fault {self.fault_code}: {self.fault_reason}"
            if self.fault_code
            else f"HTTP {self.status}"
        )
        extra = f" [{self.injected}]" if self.injected else ""
        return f"#{self.seq} {when} {self.operation or '(no operation)'} as {self.caller or '-'} -> {outcome}{extra}"


DEFAULT_JOURNAL_LIMITS: Final = JournalLimits()


Where = Mapping[str, Any] | Callable[[Exchange], bool]


def _matches(exchange: Exchange, where: Where | None) -> bool:
    if where is None:
        return True
    if callable(where):
        return bool(where(exchange))
    params = exchange.params or {}
    return all(params.get(key) == value for key, value in where.items())


def _shorten(value: Any, limit: int) -> Any:
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    if isinstance(value, Mapping):
        return {key: _shorten(item, limit) for key, item in value.items()}
    if isinstance(value, list):
        return [_shorten(item, limit) for item in value]
    return value


@dataclass
class Journal:
    """The fake's request log, thread safe. Assertions raise ``AssertionError`` with the journal in the message."""

    limits: JournalLimits = field(default_factory=JournalLimits)
    _entries: collections.deque[Exchange] = field(default_factory=collections.deque)
    _with_bodies: collections.deque[Exchange] = field(default_factory=collections.deque, repr=False)
    _body_bytes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _issued: int = 0
    dropped: int = 0
    """Entries let go because there were more than ``limits.max_entries``."""
    bodies_dropped: int = 0
    """Entries whose raw bodies were let go to stay within ``limits.max_total_body_bytes``."""

    def record(self, exchange: Exchange) -> None:
        """Keep ``exchange``, cutting what is over the limits."""
        limits = self.limits
        cut = limits.max_body_bytes
        if exchange.request_body is not None and len(exchange.request_body) > cut:
            exchange.request_body, exchange.request_truncated = exchange.request_body[:cut], True
        if exchange.reply_body is not None and len(exchange.reply_body) > cut:
            exchange.reply_body, exchange.reply_truncated = exchange.reply_body[:cut], True
        if exchange.params is not None:
            exchange.params = _shorten(exchange.params, limits.max_param_chars)
        with self._lock:
            self._entries.append(exchange)
            while len(self._entries) > limits.max_entries:
                self._entries.popleft()
                self.dropped += 1
            if size := exchange._body_size():
                self._with_bodies.append(exchange)
                self._body_bytes += size
            while self._body_bytes > limits.max_total_body_bytes and self._with_bodies:
                oldest = self._with_bodies.popleft()
                self._body_bytes -= oldest._body_size()
                oldest.request_body = oldest.reply_body = None
                self.bodies_dropped += 1

    def next_seq(self) -> int:
        """The number of a request that starts now (requests in flight at once each get their own)."""
        with self._lock:
            self._issued += 1
            return self._issued

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._with_bodies.clear()
            self._body_bytes = self._issued = self.dropped = self.bodies_dropped = 0

    def __iter__(self) -> Iterator[Exchange]:
        """Exchanges in the order their requests arrived (they are recorded when they finish)."""
        with self._lock:
            return iter(sorted(self._entries, key=lambda e: e.seq))

    def __len__(self) -> int:
        return len(self._entries)

    def calls(
        self,
        operation: str | None = None,
        *,
        where: Where | None = None,
        between: tuple[datetime, datetime] | None = None,
    ) -> list[Exchange]:
        """Exchanges for ``operation`` (all when None) whose params match ``where``, optionally with virtual
        time in ``[start, end]``."""
        out = []
        for e in self:
            if operation is not None and e.operation != operation:
                continue
            if not _matches(e, where):
                continue
            if between is not None and (e.virtual_time is None or not between[0] <= e.virtual_time <= between[1]):
                continue
            out.append(e)
        return out

    def assert_called(
        self,
        operation: str,
        *,
        times: int | None = None,
        where: Where | None = None,
        between: tuple[datetime, datetime] | None = None,
    ) -> list[Exchange]:
        found = self.calls(operation, where=where, between=between)
        if (times is None and not found) or (times is not None and len(found) != times):
            expected = "at least once" if times is None else f"{times} time(s)"
            raise AssertionError(
                f"expected {operation} to be called {expected}{_qualifiers(where, between)}, "
                f"it was called {len(found)} time(s)\n{self.report()}"
            )
        return found

    def assert_not_called(self, operation: str, *, where: Where | None = None) -> None:
        found = self.calls(operation, where=where)
        if found:
            raise AssertionError(
                f"expected no {operation} call{_qualifiers(where, None)}, got {len(found)}\n{self.report()}"
            )

    def assert_order(self, *operations: str) -> None:
        """The operations were first called in this order."""
        firsts = []
        for op in operations:
            found = self.calls(op)
            if not found:
                raise AssertionError(f"{op} was never called\n{self.report()}")
            firsts.append(found[0].seq)
        if firsts != sorted(firsts):
            raise AssertionError(f"expected first calls in the order {', '.join(operations)}\n{self.report()}")

    def report(self) -> str:
        entries = list(self)
        if not entries:
            return "ips-mock journal: no requests"
        return "ips-mock journal:\n" + "\n".join("  " + e.describe() for e in entries)


def _qualifiers(where: Where | None, between: tuple[datetime, datetime] | None) -> str:
    text = ""
    if where is not None and not callable(where):
        text += f" with {dict(where)}"
    elif where is not None:
        text += " matching the given predicate"
    if between is not None:
        text += f" between {between[0].isoformat()} and {between[1].isoformat()}"
    return text

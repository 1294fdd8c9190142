"""Every request the fake saw: when (virtual and real time), what, who, and how it was answered.

Tests read it through :class:`Journal` (``fake.journal``) instead of mocking their own client.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Exchange", "Journal"]


@dataclass
class Exchange:
    """One request and its answer. Fields the request never reached stay None (e.g. no operation for bad XML)."""

    seq: int
    real_time: datetime
    virtual_time: datetime | None = None
    operation: str | None = None
    api_version: str | None = None
    soap_version: str | None = None
    caller: str | None = None
    params: Mapping[str, Any] | None = None
    status: int = 0
    fault_code: int | None = None
    fault_reason: str | None = None
    injected: str | None = None
    """What a scenario did to this request: ``fault``, ``http``, ``drop``, ``garbage``, ``delay`` or ``stub``."""

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.fault_code is None

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


Where = Mapping[str, Any] | Callable[[Exchange], bool]


def _matches(exchange: Exchange, where: Where | None) -> bool:
    if where is None:
        return True
    if callable(where):
        return bool(where(exchange))
    params = exchange.params or {}
    return all(params.get(key) == value for key, value in where.items())


@dataclass
class Journal:
    """The fake's request log, thread safe. Assertions raise ``AssertionError`` with the journal in the message."""

    _entries: list[Exchange] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _issued: int = 0

    def record(self, exchange: Exchange) -> None:
        with self._lock:
            self._entries.append(exchange)

    def next_seq(self) -> int:
        """The number of a request that starts now (requests in flight at once each get their own)."""
        with self._lock:
            self._issued += 1
            return self._issued

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._issued = 0

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

"""The standalone server's tenants: named fakes, created on demand, bounded in number, dropped when idle.

A request to a tenant that does not exist yet gets a provisional fake; the tenant becomes real (listed, kept)
only when a request to it is *confirmed* (it reached a real endpoint). A provisional tenant is dropped as soon
as its last request ends, so URLs that answer 404 never leave a tenant behind. When every slot is taken, the
tenant idle the longest makes room; only when every tenant has a request in flight is a new one refused.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from .fake import FakeIps

__all__ = ["DEFAULT_MAX_TENANTS", "DEFAULT_TENANT_IDLE_TIMEOUT", "Tenant", "Tenants", "TooManyTenants"]

DEFAULT_MAX_TENANTS: Final = 1000
DEFAULT_TENANT_IDLE_TIMEOUT: Final = 3600.0


class TooManyTenants(Exception):
    """Every tenant slot holds a tenant with a request in flight."""


@dataclass(eq=False)
class Tenant:
    """One tenant: its fake (replaced whole when a scenario is loaded) and its use."""

    name: str
    fake: FakeIps
    last_used: float
    active: int = 0
    confirmed: bool = False


class Tenants:
    """Thread-safe registry of tenants, least recently used first."""

    def __init__(
        self,
        factory: Callable[[], FakeIps],
        *,
        max_tenants: int = DEFAULT_MAX_TENANTS,
        idle_timeout: float | None = DEFAULT_TENANT_IDLE_TIMEOUT,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``factory`` builds the fake of a new tenant; ``idle_timeout`` (seconds, None: never) drops tenants
        nobody used for that long; ``monotonic`` is the clock those seconds are read from."""
        if max_tenants < 1:
            raise ValueError(f"max_tenants must be at least 1, not {max_tenants}")
        if idle_timeout is not None and not idle_timeout > 0:
            raise ValueError(f"idle_timeout must be a positive number of seconds or None, not {idle_timeout!r}")
        self._factory = factory
        self.max_tenants = max_tenants
        self.idle_timeout = idle_timeout
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._tenants: OrderedDict[str, Tenant] = OrderedDict()

    def names(self) -> list[str]:
        """The tenants that exist (confirmed), sorted."""
        with self._lock:
            self._expire(self._monotonic())
            return sorted(name for name, tenant in self._tenants.items() if tenant.confirmed)

    def fakes(self) -> dict[str, FakeIps]:
        """The fake of every tenant that exists, by name."""
        with self._lock:
            self._expire(self._monotonic())
            return {name: tenant.fake for name, tenant in sorted(self._tenants.items()) if tenant.confirmed}

    def get(self, name: str) -> Tenant | None:
        """The tenant if it exists (confirmed), without touching it."""
        with self._lock:
            self._expire(self._monotonic())
            tenant = self._tenants.get(name)
            return tenant if tenant is not None and tenant.confirmed else None

    @contextmanager
    def using(self, name: str) -> Iterator[Tenant]:
        """Hold ``name`` for one request, creating it provisionally if needed; :meth:`confirm` keeps it."""
        tenant = self._acquire(name)
        try:
            yield tenant
        finally:
            self._release(tenant)

    def confirm(self, tenant: Tenant) -> None:
        """The request to ``tenant`` reached a real endpoint: a provisional tenant becomes real."""
        with self._lock:
            tenant.confirmed = True

    def install(self, name: str, fake: FakeIps) -> None:
        """Give ``name`` this fake, creating the tenant if needed (in one step: nothing half-done on failure)."""
        with self._lock:
            now = self._monotonic()
            self._expire(now)
            tenant = self._tenants.get(name)
            if tenant is None:
                self._make_room()
                self._tenants[name] = Tenant(name, fake, now, confirmed=True)
            else:
                tenant.fake, tenant.confirmed, tenant.last_used = fake, True, now
                self._tenants.move_to_end(name)

    def delete(self, name: str) -> bool:
        """Forget ``name``; requests still in flight finish on its fake. False if there was no such tenant."""
        with self._lock:
            tenant = self._tenants.get(name)
            if tenant is None or not tenant.confirmed:
                return False
            del self._tenants[name]
            return True

    # ----------------------------------------------------------------------------------------------- inside

    def _acquire(self, name: str) -> Tenant:
        with self._lock:
            if (tenant := self._touch(name)) is not None:
                return tenant
        fake = self._factory()  # outside the lock: building a fake takes a few milliseconds
        with self._lock:
            if (tenant := self._touch(name)) is not None:
                return tenant  # another request created it meanwhile; ours was never used
            self._make_room()
            tenant = self._tenants[name] = Tenant(name, fake, self._monotonic(), active=1)
            return tenant

    def _touch(self, name: str) -> Tenant | None:
        now = self._monotonic()
        self._expire(now)
        tenant = self._tenants.get(name)
        if tenant is not None:
            tenant.active += 1
            tenant.last_used = now
            self._tenants.move_to_end(name)
        return tenant

    def _release(self, tenant: Tenant) -> None:
        with self._lock:
            tenant.active -= 1
            tenant.last_used = self._monotonic()
            if self._tenants.get(tenant.name) is not tenant:
                return  # deleted, evicted or replaced meanwhile
            if tenant.confirmed:
                self._tenants.move_to_end(tenant.name)
            elif tenant.active == 0:
                del self._tenants[tenant.name]

    def _make_room(self) -> None:
        while len(self._tenants) >= self.max_tenants:
            idle = next((name for name, tenant in self._tenants.items() if tenant.active == 0), None)
            if idle is None:
                raise TooManyTenants(f"all {self.max_tenants} tenants have a request in flight; retry later")
            del self._tenants[idle]

    def _expire(self, now: float) -> None:
        if self.idle_timeout is None:
            return
        cutoff = now - self.idle_timeout
        stale = []
        for name, tenant in self._tenants.items():  # least recently used first: stop at the first recent one
            if tenant.last_used > cutoff:
                break
            if tenant.active == 0:
                stale.append(name)
        for name in stale:
            del self._tenants[name]

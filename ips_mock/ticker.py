"""A light thread that runs due work on a schedule, for fakes whose clock follows real time.

With ``ips-mock serve --clock wall`` the virtual clock moves by itself, but work falls due only when someone asks:
the ticker asks every ``interval`` seconds, so runs progress, finish and fill the outbox with no request coming in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from types import TracebackType

from .fake import FakeIps

__all__ = ["Ticker"]

log = logging.getLogger("ips_mock.ticker")


class Ticker:
    """Call :meth:`FakeIps.run_due` on each of ``fakes()`` every ``interval`` seconds, from a daemon thread.

    ``start()``/``stop()`` or a ``with`` block; ``stop`` wakes the thread at once and waits for it. An error in one
    fake is logged and the others still run; the thread carries on.
    """

    def __init__(self, fakes: Callable[[], Iterable[FakeIps]], *, interval: float = 1.0) -> None:
        if not interval > 0:
            raise ValueError(f"interval must be a positive number of seconds, not {interval!r}")
        self._fakes = fakes
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Ticker:
        if self._thread is not None:
            raise RuntimeError("the ticker is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="ips-mock-ticker", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop and wait for the thread (at most the time one round of run_due takes); safe to call twice."""
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join()

    def tick(self) -> None:
        """Run what is due in every fake, now."""
        for fake in list(self._fakes()):
            try:
                fake.run_due()
            except Exception:
                log.exception("ips-mock ticker: running due work failed")

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.tick()

    def __enter__(self) -> Ticker:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

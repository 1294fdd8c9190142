"""FakeClock's wall mode on a monotonic reading the test controls: no real waiting, exact instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import freezegun
import pytest

from ips_mock import ClockError, FakeIps
from ips_mock.clock import FakeClock

START = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)


class Seconds:
    def __init__(self) -> None:
        self.value = 100.0

    def __call__(self) -> float:
        return self.value


def test_wall_mode_follows_real_seconds_and_admin_moves_add_to_them() -> None:
    seconds = Seconds()
    clock = FakeClock(START, mode="wall", monotonic=seconds)
    assert (clock.now(), clock.source) == (START, "wall")
    seconds.value += 2.5
    assert clock.now() == START + timedelta(seconds=2.5)
    clock.advance(timedelta(minutes=1))
    assert clock.now() == START + timedelta(seconds=62.5)
    seconds.value += 1
    assert clock.now() == START + timedelta(seconds=63.5)
    with pytest.raises(ClockError):
        clock.move_to(START)


def test_manual_mode_ignores_real_seconds() -> None:
    seconds = Seconds()
    clock = FakeClock(START, monotonic=seconds)
    seconds.value += 60
    assert (clock.now(), clock.source) == (START, "manual")


def test_a_freezer_still_wins_and_wall_time_goes_on_from_where_it_left() -> None:
    seconds = Seconds()
    clock = FakeClock(START, mode="wall", monotonic=seconds)
    with freezegun.freeze_time(START + timedelta(hours=1)):
        assert clock.now() == START + timedelta(hours=1)
        assert clock.source == "freezegun"
    seconds.value += 1
    assert clock.now() == START + timedelta(hours=1, seconds=1)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="clock mode must be 'manual' or 'wall'"):
        FakeClock(START, mode="sundial")  # type: ignore[arg-type]


def test_a_wall_fake_resets_to_the_scenario_start() -> None:
    fake = FakeIps(clock_mode="wall")
    fake.advance(timedelta(days=1))
    fake.reset()
    assert fake.clock.source == "wall"
    assert fake.now() - fake.scenario.start < timedelta(minutes=1)

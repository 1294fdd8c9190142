"""Reading a scenario pauses the cyclic garbage collector and always resumes it; one switched off stays off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ips_mock.errors import ScenarioError
from ips_mock.scenario import load_scenario_text
from ips_mock.scenario.gc_pause import gc_paused


@pytest.fixture
def collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        else:
            gc.disable()


@pytest.mark.usefixtures("collector_restored")
def test_the_collector_is_off_while_reading_and_on_after() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    load_scenario_text("ips_mock: 1\n")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_the_collector_is_resumed_after_an_error() -> None:
    gc.enable()
    with pytest.raises(ScenarioError):
        load_scenario_text("ips_mock: 1\nunknown: 1\n")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_a_collector_switched_off_stays_off() -> None:
    gc.disable()
    load_scenario_text("ips_mock: 1\n")
    with gc_paused():
        pass
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
@pytest.mark.parametrize("frozen_by_the_program", [False, True])
def test_after_a_large_read_its_objects_are_old_and_the_programs_frozen_stay_frozen(
    frozen_by_the_program: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ips_mock.scenario import gc_pause

    monkeypatch.setattr(gc_pause, "_PROMOTE_AFTER", 0)  # this small read counts as large
    gc.enable()
    marker: list[object] = []  # tracked by the collector; frozen with the rest when the program freezes
    if frozen_by_the_program:
        gc.freeze()
    try:
        with gc_paused():
            kept = [[i] for i in range(1_000)]
        assert gc.isenabled()
        assert gc.get_count()[0] < 100  # nothing young left to walk
        # (Not the freeze count: frozen objects freed meanwhile by reference counting leave it.)
        tracked = {id(item) for generation in (0, 1, 2) for item in gc.get_objects(generation=generation)}
        if frozen_by_the_program:
            assert id(marker) not in tracked  # still frozen
        else:
            assert gc.get_freeze_count() == 0
            assert id(marker) in tracked
        young = {id(item) for item in gc.get_objects(generation=0)}
        assert not any(id(item) in young for item in kept)
    finally:
        if frozen_by_the_program:
            gc.unfreeze()

"""``execSchedule`` expressions: parse, explain what is wrong, and compute fire times in the server's zone.

IPS calls its format a "custom schedule format" and documents one sample, ``00 00 00 * * `` (daily at midnight).
ips-mock accepts (README "Choices"):

* 5 fields, standard cron ``min hour dom mon dow``; if that reading is invalid, Quartz without day-of-week
  ``sec min hour dom mon`` (which is how the IPS sample reads);
* 6 or 7 fields, Quartz ``sec min hour dom mon dow [year]``: ``?`` allowed, day-of-week 1-7 = SUN-SAT,
  ``L``/``LW`` in day-of-month, ``nL`` and ``n#k`` in day-of-week.

Matching minutes are computed by cronsim (pinned in pyproject), which follows Debian cron across DST changes: a
fire in a skipped hour happens at the first valid minute after it; a fixed-time fire in a repeated hour happens
once, an interval schedule fires through both passes. This module adds the seconds and year fields and the error
messages.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError

__all__ = ["CronSchedule", "FireSequences", "ScheduleError"]


class ScheduleError(ValueError):
    """An execSchedule expression ips-mock cannot evaluate; the message says what is wrong."""


_MONTHS: Final = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
_DAYS: Final = "SUN MON TUE WED THU FRI SAT".split()


@dataclass(frozen=True)
class _FieldRule:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    specials: re.Pattern[str] | None = None


_SECOND = _FieldRule("second", 0, 59)
_MINUTE = _FieldRule("minute", 0, 59)
_HOUR = _FieldRule("hour", 0, 23)
_DOM = _FieldRule("day-of-month", 1, 31, specials=re.compile(r"L|LW|\?"))
_MONTH = _FieldRule("month", 1, 12, names=tuple(_MONTHS))
_CRON_DOW = _FieldRule("day-of-week", 0, 7, names=tuple(_DAYS), specials=re.compile(r"[0-7]L|[0-7]#[1-5]|\?"))
_QUARTZ_DOW = _FieldRule("day-of-week", 1, 7, names=tuple(_DAYS), specials=re.compile(r"[1-7]L|[1-7]#[1-5]|\?"))
_YEAR = _FieldRule("year", 1970, 2099)

_ATOM: Final = re.compile(r"(?P<start>\*|[0-9A-Za-z]+)(?:-(?P<end>[0-9A-Za-z]+))?(?:/(?P<step>[0-9]+))?")


def _value(token: str, rule: _FieldRule) -> int:
    upper = token.upper()
    if upper in rule.names:
        return rule.names.index(upper) + (1 if rule is _MONTH or rule is _QUARTZ_DOW else 0)
    if not token.isdigit():
        raise ScheduleError(
            f"{rule.name} {token!r} is not a number" + (f" or a name ({', '.join(rule.names)})" if rule.names else "")
        )
    value = int(token)
    if not rule.low <= value <= rule.high:
        raise ScheduleError(f"{rule.name} must be {rule.low}-{rule.high}, not {value}")
    return value


def _check_field(text: str, rule: _FieldRule) -> None:
    """Raise :class:`ScheduleError` naming the problem when ``text`` is not a valid ``rule`` field."""
    for part in text.split(","):
        if rule.specials is not None and rule.specials.fullmatch(part.upper()):
            continue
        if rule is _DOM and part.upper().endswith("W"):
            raise ScheduleError(f"day-of-month {part!r}: 'nW' (nearest weekday) is not supported; use LW or a day")
        match = _ATOM.fullmatch(part)
        if not match:
            raise ScheduleError(f"{rule.name} {part!r} is not a value, range, list or step")
        start, end, step = match["start"], match["end"], match["step"]
        if start != "*":
            low = _value(start, rule)
            if end is not None and _value(end, rule) < low:
                raise ScheduleError(f"{rule.name} range {part!r} runs backwards")
        elif end is not None:
            raise ScheduleError(f"{rule.name} {part!r}: '*' cannot start a range")
        if step is not None and int(step) == 0:
            raise ScheduleError(f"{rule.name} step in {part!r} must be at least 1")


def _values(text: str, rule: _FieldRule) -> frozenset[int]:
    """All values a checked seconds or year field matches."""
    out: set[int] = set()
    for part in text.split(","):
        match = _ATOM.fullmatch(part)
        assert match is not None  # checked by _check_field
        low = rule.low if match["start"] == "*" else _value(match["start"], rule)
        high = (
            _value(match["end"], rule)
            if match["end"]
            else (rule.high if match["start"] == "*" or match["step"] else low)
        )
        out.update(range(low, high + 1, int(match["step"] or 1)))
    return frozenset(out)


def _quartz_dow_to_cron(text: str) -> str:
    """Quartz counts SUN=1..SAT=7, cron SUN=0..SAT=6: shift every day number (names, steps and nth stay)."""
    # A step with no end runs to Quartz's last day (7 = SAT); spelled out, so it cannot wrap onto cron's 7 = SUN.
    text = re.sub(r"(?<![-\w])(\*|[1-7])/", lambda m: f"{'1' if m[1] == '*' else m[1]}-7/", text)
    return re.sub(r"(?<![#/])[1-7]", lambda m: str(int(m.group()) - 1), text)


def _probe(expression: str) -> None:
    try:
        CronSim(expression, datetime(2000, 1, 1))
    except CronSimError as exc:  # something the field checks let through but cronsim cannot evaluate
        raise ScheduleError(f"cannot be evaluated ({exc}); the combination may never occur") from None


@dataclass(frozen=True)
class CronSchedule:
    """A parsed schedule: a 5-field cron expression for the minutes, plus the seconds and years to fire at."""

    expression: str
    minutes: str
    seconds: frozenset[int]
    years: frozenset[int] | None
    dialect: str
    """``cron`` or ``quartz``: how the expression was read."""

    @classmethod
    def parse(cls, expression: str) -> CronSchedule:
        """Parse ``expression``; raise :class:`ScheduleError` whose message says what is wrong. A schedule is
        immutable, so each expression is parsed once (a scenario's jobs and their submissions share one)."""
        parsed = _PARSED.get(expression)
        if parsed is None:
            parsed = cls._parse(expression)
            if len(_PARSED) >= _MAX_PARSED:
                _PARSED.clear()
            _PARSED[expression] = parsed
        return parsed

    @classmethod
    def _parse(cls, expression: str) -> CronSchedule:
        fields = expression.split()
        if len(fields) == 5:
            try:
                return cls._cron(expression, fields)
            except ScheduleError as cron_error:
                try:
                    return cls._quartz(expression, [*fields, "?"])
                except ScheduleError as quartz_error:
                    raise ScheduleError(
                        f"{expression!r}: as cron (min hour dom mon dow): {cron_error}; "
                        f"as IPS/Quartz (sec min hour dom mon): {quartz_error}"
                    ) from None
        if len(fields) in (6, 7):
            try:
                return cls._quartz(expression, fields)
            except ScheduleError as exc:
                raise ScheduleError(f"{expression!r}: {exc}") from None
        raise ScheduleError(
            f"{expression!r}: expected 5 fields (cron: min hour dom mon dow) or 6-7 fields "
            f"(Quartz: sec min hour dom mon dow [year]), got {len(fields)}"
        )

    @classmethod
    def _cron(cls, expression: str, fields: list[str]) -> CronSchedule:
        for text, rule in zip(fields, (_MINUTE, _HOUR, _DOM, _MONTH, _CRON_DOW), strict=True):
            _check_field(text, rule)
        minutes = " ".join(f.replace("?", "*") for f in fields)
        _probe(minutes)
        return cls(expression, minutes, frozenset({0}), None, "cron")

    @classmethod
    def _quartz(cls, expression: str, fields: list[str]) -> CronSchedule:
        rules = (_SECOND, _MINUTE, _HOUR, _DOM, _MONTH, _QUARTZ_DOW, _YEAR)
        for text, rule in zip(fields, rules, strict=False):
            _check_field(text, rule)
        second, minute, hour, dom, month, dow = fields[:6]
        if "?" not in (dom, dow) and "*" not in (dom, dow):
            raise ScheduleError("Quartz needs '?' in day-of-month or day-of-week when both are given")
        minutes = " ".join([minute, hour, dom.replace("?", "*"), month, _quartz_dow_to_cron(dow.replace("?", "*"))])
        _probe(minutes)
        years = _values(fields[6], _YEAR) if len(fields) == 7 else None
        return cls(expression, minutes, _values(second, _SECOND), years, "quartz")

    def fires_after(self, after: datetime, zone: ZoneInfo) -> Iterator[datetime]:
        """Every fire strictly after ``after``, in order, as UTC instants; the same sequence repeated
        :meth:`next_after` calls give, from one cronsim iterator instead of a new one per fire."""
        after_utc = after.astimezone(UTC)
        minute = after.astimezone(zone).replace(second=0, microsecond=0)
        seconds = [timedelta(seconds=s) for s in sorted(self.seconds)]
        candidates = CronSim(self.minutes, (minute.astimezone(UTC) - timedelta(minutes=1)).astimezone(zone))
        skipped = 0  # minutes in a row that yielded no fire: a bound, as in next_after
        while skipped < 1_000_000:
            try:
                fire_minute = next(candidates)
            except (StopIteration, CronSimError, OverflowError):  # OverflowError: no fire before the end of time
                return
            if self.years is not None and fire_minute.year not in self.years:
                later = [year for year in self.years if year > fire_minute.year]
                if not later:
                    return
                candidates = CronSim(self.minutes, datetime(min(later), 1, 1, tzinfo=zone) - timedelta(minutes=1))
                skipped += 1
                continue
            base = fire_minute.astimezone(UTC)
            fired = False
            for second in seconds:
                fire = base + second
                if fire > after_utc:
                    fired = True
                    yield fire
            skipped = 0 if fired else skipped + 1

    def next_after(self, after: datetime, zone: ZoneInfo) -> datetime | None:
        """The first fire strictly after ``after``, in ``zone``; None when the schedule never fires again, or not
        before the end of time (cronsim steps past year 9999 as it searches, which Python cannot represent)."""
        try:
            return self._next_after(after, zone)
        except OverflowError:
            return None

    def _next_after(self, after: datetime, zone: ZoneInfo) -> datetime | None:
        # Arithmetic and comparisons in UTC: on aware datetimes sharing one ZoneInfo, Python adds and compares
        # wall-clock times and drops ``fold``, which merges the two passes of a repeated hour.
        after_utc = after.astimezone(UTC)
        minute = after.astimezone(zone).replace(second=0, microsecond=0)
        # The current minute may still hold a later second; CronSim only yields minutes after its start.
        candidates = CronSim(self.minutes, (minute.astimezone(UTC) - timedelta(minutes=1)).astimezone(zone))
        for _ in range(1_000_000):  # a bound, so an impossible schedule cannot spin forever
            try:
                fire_minute = next(candidates)
            except (StopIteration, CronSimError):
                return None
            if self.years is not None and fire_minute.year not in self.years:
                later = [year for year in self.years if year > fire_minute.year]
                if not later:
                    return None
                # Jump to the next allowed year rather than stepping through every minute until then.
                candidates = CronSim(self.minutes, datetime(min(later), 1, 1, tzinfo=zone) - timedelta(minutes=1))
                continue
            for second in sorted(self.seconds):
                fire = (fire_minute.astimezone(UTC) + timedelta(seconds=second)).astimezone(zone)
                if fire.astimezone(UTC) > after_utc:
                    return fire
        return None


_PARSED: dict[str, CronSchedule] = {}
_MAX_PARSED: Final = 10_000
"""Parsed schedules kept by expression (a cache: cleared when full)."""


class _Fire:
    """One fire of a shared sequence; the next one is computed once, when the first reader asks for it."""

    __slots__ = ("__weakref__", "_next", "_source", "at")

    def __init__(self, at: datetime, source: Iterator[datetime]) -> None:
        self.at = at
        self._next: _Fire | None = None
        self._source: Iterator[datetime] | None = source

    def following(self) -> _Fire | None:
        if self._source is not None:
            at = next(self._source, None)
            self._next = None if at is None else _Fire(at, self._source)
            self._source = None
        return self._next


def _walk(fire: _Fire | None) -> Iterator[datetime]:
    while fire is not None:
        yield fire.at
        fire = fire.following()


class FireSequences:
    """Fire iterators for triggers, shared: triggers with the same schedule armed at the same instant (a
    scenario's jobs, all armed at its start) read one cron sequence, computed once. Fires every reader has passed
    are freed, as is a sequence nobody reads any more."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._heads: weakref.WeakValueDictionary[tuple[str, datetime], _Fire] = weakref.WeakValueDictionary()

    def fires_after(self, schedule: CronSchedule, after: datetime) -> Iterator[datetime]:
        """What ``schedule.fires_after(after, zone)`` yields."""
        # By expression, which determines the schedule: a str hashes once, a schedule in Python on every call.
        key = (schedule.expression, after.astimezone(UTC))
        first = self._heads.get(key)
        if first is None:
            source = schedule.fires_after(after, self.zone)
            at = next(source, None)
            if at is None:
                return iter(())
            first = self._heads[key] = _Fire(at, source)
        return _walk(first)

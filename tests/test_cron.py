"""ips_mock.cron.CronSchedule: the execSchedule grammar of the README's Choices table, fire times, error messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ips_mock.cron import CronSchedule, ScheduleError

LA = ZoneInfo("America/Los_Angeles")
START = datetime(2026, 1, 5, 9, 0, tzinfo=LA)  # a Monday, the default scenario's clock start


def _fires(expression: str, after: datetime = START, count: int = 3) -> list[str]:
    """The next ``count`` fire times after ``after`` as ISO strings ("None" once the schedule has ended)."""
    schedule = CronSchedule.parse(expression)
    out: list[str] = []
    moment: datetime | None = after
    for _ in range(count):
        assert moment is not None
        moment = schedule.next_after(moment, LA)
        out.append("None" if moment is None else moment.isoformat())
        if moment is None:
            break
    return out


def _error(expression: str) -> str:
    with pytest.raises(ScheduleError) as info:
        CronSchedule.parse(expression)
    return str(info.value)


# ---------------------------------------------------------------------------------------------- 5-field cron


def test_five_field_cron_daily_midnight() -> None:
    schedule = CronSchedule.parse("0 0 * * *")
    assert (schedule.dialect, schedule.expression) == ("cron", "0 0 * * *")
    assert _fires("0 0 * * *") == [
        "2026-01-06T00:00:00-08:00",
        "2026-01-07T00:00:00-08:00",
        "2026-01-08T00:00:00-08:00",
    ]


def test_five_field_cron_steps_ranges_and_weekdays() -> None:
    assert _fires("*/20 9-10 * * 1-5", count=4) == [
        "2026-01-05T09:20:00-08:00",
        "2026-01-05T09:40:00-08:00",
        "2026-01-05T10:00:00-08:00",
        "2026-01-05T10:20:00-08:00",
    ]


def test_five_field_cron_lists_and_names() -> None:
    assert _fires("30 8 * JAN MON,FRI") == [
        "2026-01-09T08:30:00-08:00",
        "2026-01-12T08:30:00-08:00",
        "2026-01-16T08:30:00-08:00",
    ]


@pytest.mark.parametrize("sunday", ["0", "7", "SUN"])
def test_five_field_cron_sunday_is_0_or_7(sunday: str) -> None:
    assert _fires(f"0 6 * * {sunday}", count=2) == ["2026-01-11T06:00:00-08:00", "2026-01-18T06:00:00-08:00"]


def test_the_ips_sample_is_daily_at_midnight() -> None:
    schedule = CronSchedule.parse("00 00 00 * * ")
    assert schedule.dialect == "quartz"
    assert schedule.expression == "00 00 00 * * "
    assert _fires("00 00 00 * * ") == [
        "2026-01-06T00:00:00-08:00",
        "2026-01-07T00:00:00-08:00",
        "2026-01-08T00:00:00-08:00",
    ]


def test_five_fields_read_as_quartz_have_seconds() -> None:
    assert CronSchedule.parse("45 30 10 * *").dialect == "quartz"  # hour 30 is no cron: sec 45, min 30, hour 10
    assert _fires("45 30 10 * *", count=2) == ["2026-01-05T10:30:45-08:00", "2026-01-06T10:30:45-08:00"]


def test_next_after_is_strictly_after() -> None:
    schedule = CronSchedule.parse("0 9 * * *")
    assert schedule.next_after(START, LA) == datetime(2026, 1, 6, 9, 0, tzinfo=LA)


def test_next_after_takes_any_zone_and_answers_in_the_server_zone() -> None:
    schedule = CronSchedule.parse("0 0 * * *")
    fire = schedule.next_after(datetime(2026, 1, 5, 7, 59, tzinfo=ZoneInfo("UTC")), LA)  # 23:59 local
    assert fire is not None
    assert fire.isoformat() == "2026-01-05T00:00:00-08:00"


# ------------------------------------------------------------------------------------------------ Quartz


def test_quartz_six_fields_with_question_mark() -> None:
    schedule = CronSchedule.parse("0 15 10 ? * MON-FRI")
    assert schedule.dialect == "quartz"
    assert _fires("0 15 10 ? * MON-FRI", count=2) == ["2026-01-05T10:15:00-08:00", "2026-01-06T10:15:00-08:00"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [("1", "2026-01-11T12:00:00-08:00"), ("7", "2026-01-10T12:00:00-08:00"), ("2", "2026-01-05T12:00:00-08:00")],
    ids=["1-is-sunday", "7-is-saturday", "2-is-monday"],
)
def test_quartz_day_of_week_counts_1_to_7_from_sunday(day: str, expected: str) -> None:
    assert _fires(f"0 0 12 ? * {day}", count=1) == [expected]


def test_quartz_last_day_of_month() -> None:
    assert _fires("0 0 12 L * ?") == [
        "2026-01-31T12:00:00-08:00",
        "2026-02-28T12:00:00-08:00",
        "2026-03-31T12:00:00-07:00",
    ]


def test_quartz_last_weekday_of_month() -> None:
    # January 31 2026 is a Saturday, May 31 a Sunday.
    assert _fires("0 0 12 LW * ?", count=5) == [
        "2026-01-30T12:00:00-08:00",
        "2026-02-27T12:00:00-08:00",
        "2026-03-31T12:00:00-07:00",
        "2026-04-30T12:00:00-07:00",
        "2026-05-29T12:00:00-07:00",
    ]


def test_quartz_last_friday_of_month() -> None:
    assert _fires("0 0 12 ? * 6L") == [
        "2026-01-30T12:00:00-08:00",
        "2026-02-27T12:00:00-08:00",
        "2026-03-27T12:00:00-07:00",
    ]


def test_quartz_third_friday_of_month() -> None:
    assert _fires("0 0 12 ? * 6#3") == [
        "2026-01-16T12:00:00-08:00",
        "2026-02-20T12:00:00-08:00",
        "2026-03-20T12:00:00-07:00",
    ]


def test_quartz_first_monday_includes_today_later() -> None:
    assert _fires("0 0 12 ? * 2#1", count=2) == ["2026-01-05T12:00:00-08:00", "2026-02-02T12:00:00-08:00"]


def test_quartz_day_of_week_step_keeps_its_step() -> None:
    # Quartz 2/2: from MON every second day, i.e. MON, WED, FRI. Only the day numbers shift to cron's 0-6.
    assert _fires("0 0 12 ? * 2/2", after=datetime(2026, 1, 4, 13, 0, tzinfo=LA), count=4) == [
        "2026-01-05T12:00:00-08:00",
        "2026-01-07T12:00:00-08:00",
        "2026-01-09T12:00:00-08:00",
        "2026-01-12T12:00:00-08:00",
    ]


def test_quartz_day_of_week_range_with_step() -> None:
    # Quartz 1-7/3: SUN, WED, SAT.
    assert _fires("0 0 12 ? * 1-7/3", after=datetime(2026, 1, 4, 13, 0, tzinfo=LA), count=3) == [
        "2026-01-07T12:00:00-08:00",
        "2026-01-10T12:00:00-08:00",
        "2026-01-11T12:00:00-08:00",
    ]


def test_quartz_seconds_list() -> None:
    assert _fires("0,30 * * * * ?", count=3) == [
        "2026-01-05T09:00:30-08:00",
        "2026-01-05T09:01:00-08:00",
        "2026-01-05T09:01:30-08:00",
    ]


def test_quartz_seconds_step() -> None:
    schedule = CronSchedule.parse("10/20 * * * * ?")
    assert schedule.seconds == frozenset({10, 30, 50})
    assert _fires("10/20 * * * * ?", count=4) == [
        "2026-01-05T09:00:10-08:00",
        "2026-01-05T09:00:30-08:00",
        "2026-01-05T09:00:50-08:00",
        "2026-01-05T09:01:10-08:00",
    ]


def test_quartz_later_second_in_the_current_minute() -> None:
    schedule = CronSchedule.parse("0,30 * * * * ?")
    assert schedule.next_after(datetime(2026, 1, 5, 9, 0, 15, tzinfo=LA), LA) == datetime(
        2026, 1, 5, 9, 0, 30, tzinfo=LA
    )


def test_quartz_year_field() -> None:
    assert _fires("0 0 12 1 1 ? 2027-2028") == ["2027-01-01T12:00:00-08:00", "2028-01-01T12:00:00-08:00", "None"]


def test_schedule_whose_years_are_over_never_fires() -> None:
    schedule = CronSchedule.parse("0 0 12 1 1 ? 2026")
    assert schedule.years == frozenset({2026})
    assert schedule.next_after(START, LA) is None


def test_schedule_ends_after_its_last_year() -> None:
    assert _fires("0 0 12 ? * 2#1 2026", after=datetime(2026, 11, 3, tzinfo=LA), count=3) == [
        "2026-12-07T12:00:00-08:00",
        "None",
    ]


# ------------------------------------------------------------------------------------------------------ DST


def test_fire_in_the_skipped_hour_happens_at_the_first_valid_minute_after_it() -> None:
    assert _fires("30 2 * * *", after=datetime(2026, 3, 7, 12, 0, tzinfo=LA)) == [
        "2026-03-08T03:00:00-07:00",
        "2026-03-09T02:30:00-07:00",
        "2026-03-10T02:30:00-07:00",
    ]


def test_fire_in_the_repeated_hour_happens_once() -> None:
    assert _fires("30 1 * * *", after=datetime(2026, 10, 31, 12, 0, tzinfo=LA)) == [
        "2026-11-01T01:30:00-07:00",
        "2026-11-02T01:30:00-08:00",
        "2026-11-03T01:30:00-08:00",
    ]


def test_quartz_fire_in_the_repeated_hour_happens_once() -> None:
    assert _fires("0 30 1 * * ?", after=datetime(2026, 10, 31, 12, 0, tzinfo=LA), count=2) == [
        "2026-11-01T01:30:00-07:00",
        "2026-11-02T01:30:00-08:00",
    ]


def test_interval_schedule_fires_in_both_passes_of_the_repeated_hour() -> None:
    # As Debian cron (and cronsim): a wildcard schedule keeps its interval in real time through fall-back.
    assert _fires("*/30 * * * *", after=datetime(2026, 11, 1, 0, 45, tzinfo=LA), count=5) == [
        "2026-11-01T01:00:00-07:00",
        "2026-11-01T01:30:00-07:00",
        "2026-11-01T01:00:00-08:00",
        "2026-11-01T01:30:00-08:00",
        "2026-11-01T02:00:00-08:00",
    ]


def test_daily_schedule_across_spring_forward_keeps_local_time() -> None:
    assert _fires("0 9 * * *", after=datetime(2026, 3, 7, 12, 0, tzinfo=LA), count=2) == [
        "2026-03-08T09:00:00-07:00",
        "2026-03-09T09:00:00-07:00",
    ]


# --------------------------------------------------------------------------------------------------- errors


def test_minute_out_of_range_explains_both_readings() -> None:
    message = _error("0 61 * * *")
    assert message.startswith("'0 61 * * *': ")
    assert "as cron (min hour dom mon dow): hour must be 0-23, not 61" in message
    assert "minute must be 0-59, not 61" in message


@pytest.mark.parametrize("expression", ["", "1 2 3", "0 0 12 * * ? 2026 extra"], ids=["empty", "three", "eight"])
def test_wrong_field_count(expression: str) -> None:
    count = len(expression.split())
    assert _error(expression) == (
        f"{expression!r}: expected 5 fields (cron: min hour dom mon dow) or 6-7 fields "
        f"(Quartz: sec min hour dom mon dow [year]), got {count}"
    )


def test_quartz_without_question_mark() -> None:
    assert _error("0 0 12 1 * MON") == (
        "'0 0 12 1 * MON': Quartz needs '?' in day-of-month or day-of-week when both are given"
    )


def test_nearest_weekday_is_not_supported() -> None:
    assert "'nW' (nearest weekday) is not supported" in _error("0 0 12 15W * ?")


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("0 0 25 * * ?", "hour must be 0-23, not 25"),
        ("0 0 12 ? * 8", "day-of-week must be 1-7, not 8"),
        ("0 0 12 32 * ?", "day-of-month must be 1-31, not 32"),
        ("0 0 12 ? 13 *", "month must be 1-12, not 13"),
        ("60 0 12 * * ?", "second must be 0-59, not 60"),
        ("0 0 12 * * ? 1969", "year must be 1970-2099, not 1969"),
        ("5-1 * * * * ?", "second range '5-1' runs backwards"),
        ("*/0 * * * *", "step in '*/0' must be at least 1"),
        ("x * * * *", "minute 'x' is not a number"),
        ("0 0 12 ? * 6#6", "day-of-week '6#6'"),
        ("0 0 0 30 2 ?", "the combination may never occur"),
    ],
    ids=[
        "hour",
        "quartz-dow",
        "dom",
        "month",
        "second",
        "year",
        "backwards",
        "zero-step",
        "not-a-number",
        "sixth-friday",
        "february-30",
    ],
)
def test_errors_name_the_wrong_field(expression: str, fragment: str) -> None:
    message = _error(expression)
    assert message.startswith(f"{expression!r}: ")
    assert fragment in message


def test_schedule_error_is_a_value_error() -> None:
    assert issubclass(ScheduleError, ValueError)


@pytest.mark.parametrize(
    "expression",
    [
        "*/7 * * * *",
        "30 1 * * *",
        "0 30 1 * * ?",
        "0,30 */20 1-3 * * ?",
        "15,45 * * * * ?",
        "0 0 0 L * ?",
        "0 0 12 ? * 6L",
        "0 0 9 ? * 2#1 2026-2028",
        "00 00 00 * * ",
    ],
)
@pytest.mark.parametrize(
    "start", ["2026-03-07T22:00:00-08:00", "2026-10-31T22:00:00-07:00", "2027-12-30T23:59:59-08:00"]
)
def test_one_iterator_gives_the_fires_of_repeated_next_after(expression: str, start: str) -> None:
    """The scheduler keeps one iterator per trigger; it must fire exactly when next_after, called again and
    again, says (across both DST changes, year ends, and with seconds and year fields)."""
    schedule = CronSchedule.parse(expression)
    after = datetime.fromisoformat(start)
    fires = schedule.fires_after(after, LA)
    moment: datetime | None = after
    for _ in range(120):
        assert moment is not None
        moment = schedule.next_after(moment, LA)
        following = next(fires, None)
        if moment is None:
            assert following is None
            break
        # Compared in UTC: an instant in a repeated hour never equals one of another zone (PEP 495).
        assert following is not None
        assert following.utcoffset() == timedelta(0)
        assert following == moment.astimezone(UTC)


def test_each_expression_is_parsed_once_and_errors_every_time() -> None:
    """A parsed schedule is immutable, so one expression gives one shared schedule; a bad one is refused each
    time it is given (refusals are not kept)."""
    assert CronSchedule.parse("0 15 3 * * ?") is CronSchedule.parse("0 15 3 * * ?")
    for _ in range(2):
        with pytest.raises(ScheduleError, match="minute must be 0-59, not 61"):
            CronSchedule.parse("0 61 3 * * ?")

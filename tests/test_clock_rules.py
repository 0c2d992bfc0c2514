"""The clock's rules: DST configuration errors, naive instants, policies, windows, JSON."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from replyaudit.campaign import Dealer
from replyaudit.clock import DealerClock, explain_delay
from replyaudit.errors import ClockError

WEEK = {
    day: ["09:00-12:00", "14:00-19:00"] for day in ("mon", "tue", "wed", "thu", "fri")
}
WEEK["sat"] = ["09:00-12:00"]


def dealer(**fields):
    values = {"id": "d1", "name": "Dealer One", "hours": WEEK, "holidays": "FR"}
    values.update(fields)
    return Dealer(**values)


def at(text):
    return datetime.fromisoformat(text)


def test_clock_rejects_nonexistent_local_time_on_spring_forward():
    """Hours 02:00-03:00 on 29 Mar 2026 in Paris name a time the clocks skip."""
    clock = DealerClock(dealer(hours={"sun": ["02:00-03:00"]}))

    with pytest.raises(ClockError) as caught:
        clock.open_minutes(
            at("2026-03-28T12:00:00+01:00"), at("2026-03-30T12:00:00+02:00")
        )

    message = str(caught.value)
    assert "d1" in message
    assert "2026-03-29" in message
    assert "02:00-03:00" in message
    assert "does not exist" in message
    assert "special_hours" in message


def test_clock_rejects_ambiguous_local_time_on_fall_back():
    """Hours starting 02:30 on 25 Oct 2026 in Paris name a time that happens twice."""
    clock = DealerClock(dealer(hours={"sun": ["02:30-05:00"]}))

    with pytest.raises(ClockError, match="exists twice") as caught:
        clock.measure(at("2026-10-24T12:00:00+02:00"), at("2026-10-26T12:00:00+01:00"))

    assert "2026-10-25" in str(caught.value)


def test_clock_accepts_interval_spanning_dst_change_and_counts_real_length():
    """01:00-04:00 on the spring-forward day lasts 2 real hours, on fall-back 4."""
    clock = DealerClock(dealer(hours={"sun": ["01:00-04:00"]}))

    spring = clock.open_minutes(
        at("2026-03-29T00:00:00+01:00"), at("2026-03-29T12:00:00+02:00")
    )
    autumn = clock.open_minutes(
        at("2026-10-25T00:00:00+02:00"), at("2026-10-25T12:00:00+01:00")
    )

    assert spring == 120.0
    assert autumn == 240.0


@pytest.mark.parametrize("method", ["open_minutes", "measure"])
def test_clock_rejects_naive_datetimes(method):
    """A naive datetime is a bug: it raises ClockError saying how to fix it."""
    clock = DealerClock(dealer())

    with pytest.raises(ClockError, match="timezone-aware"):
        getattr(clock, method)(
            datetime(2026, 6, 2, 10), at("2026-06-02T11:00:00+02:00")
        )
    with pytest.raises(ClockError, match="timezone-aware"):
        clock.window_end(datetime(2026, 6, 2, 10), 1)


def test_clock_policies_differ_on_the_documented_example():
    """Sat 11:30 -> Mon 12:10 (DST weekend): 210 open min is 1 wd, but past Mon 11:30."""
    start, end = at("2026-03-28T11:30:00+01:00"), at("2026-03-30T12:10:00+02:00")

    hours = DealerClock(dealer()).measure(start, end)
    calendar = DealerClock(dealer(), policy="calendar").measure(start, end)

    assert hours.open_minutes == calendar.open_minutes == 210.0
    assert hours.bucket == "within_1_working_day"
    assert calendar.bucket == "within_2_working_days"
    assert (hours.policy, calendar.policy) == ("open-hours", "calendar")
    assert "policy calendar" in calendar.explanation
    assert DealerClock(dealer(), "calendar").window_end(start, 1) == at(
        "2026-03-30T11:30:00+02:00"
    )


def test_clock_calendar_starts_at_next_opening_when_sent_closed():
    """Sent Sunday: the calendar deadline is Tuesday at the Monday opening time."""
    clock = DealerClock(dealer(), policy="calendar")

    deadline = clock.window_end(at("2026-06-07T15:00:00+02:00"), 1)

    assert deadline == at("2026-06-09T09:00:00+02:00")


@pytest.mark.parametrize("working_days", [0, 1, 2, 5])
@pytest.mark.parametrize(
    "start",
    [
        "2026-06-07T15:00:00+02:00",  # Sunday, closed
        "2026-03-27T18:30:00+01:00",  # Friday before the spring DST change
        "2026-05-13T17:00:00+02:00",  # before Ascension
        "2026-12-24T11:59:00+01:00",  # Christmas Eve
    ],
)
def test_clock_window_end_has_exactly_n_working_days(start, working_days):
    """open_minutes(start, window_end(start, n)) == n x working day under open-hours."""
    clock = DealerClock(dealer())

    end = clock.window_end(at(start), working_days)

    assert (
        clock.open_minutes(at(start), end) == working_days * clock.working_day_minutes
    )
    if working_days:
        before = end - timedelta(seconds=1)
        assert clock.open_minutes(at(start), before) < working_days * 480


def test_clock_window_end_bucket_boundary_is_inclusive():
    """A reply at window_end(start, 1) is within 1 working day, a second later not."""
    clock = DealerClock(dealer())
    start = at("2026-06-09T10:00:00+02:00")
    end = clock.window_end(start, 1)

    assert clock.measure(start, end).bucket == "within_1_working_day"
    assert (
        clock.measure(start, end + timedelta(seconds=1)).bucket
        == "within_2_working_days"
    )


def test_clock_skew_is_flagged_with_both_instants_and_reason():
    """A reply before the inquiry gets no bucket, the clock_skew flag and a reason."""
    clock = DealerClock(dealer())
    start, end = at("2026-06-09T10:05:00+02:00"), at("2026-06-09T07:00:00+00:00")

    timing = clock.measure(start, end)

    assert timing.bucket is None
    assert timing.flags == ["clock_skew"]
    assert timing.open_minutes == -65.0
    assert start.isoformat() in timing.explanation
    assert end.isoformat() in timing.explanation
    assert "before the inquiry" in timing.explanation


def test_clock_working_day_ties_take_the_larger_and_setting_wins():
    """Two 3-h days and two 8-h days: 480; a configured working day overrides."""
    hours = {
        "mon": ["09:00-12:00"],
        "tue": ["09:00-12:00"],
        "wed": ["09:00-17:00"],
        "thu": ["09:00-17:00"],
    }

    assert DealerClock(dealer(hours=hours)).working_day_minutes == 480
    assert (
        DealerClock(dealer(hours=hours, working_day_minutes=420)).working_day_minutes
        == 420
    )
    assert (
        DealerClock(dealer(hours={"mon": ["00:00-24:00"]})).working_day_minutes == 1440
    )


def test_clock_without_weekly_hours_needs_a_working_day():
    """No weekly hours and no working_day_minutes: a ClockError says what to add."""
    with pytest.raises(ClockError, match="working_day_minutes"):
        DealerClock(dealer(hours={}))


def test_clock_special_hours_override_holiday_and_closure():
    """special_hours on a holiday opens it; [] closes an ordinary weekday."""
    clock = DealerClock(
        dealer(
            closures=["2026-08-10/2026-08-21"],
            special_hours={
                "2026-07-14": ["10:00-11:00"],
                "2026-08-12": ["10:00-11:00"],
                "2026-06-10": [],
            },
        )
    )

    assert (
        clock.open_minutes(
            at("2026-07-14T00:00:00+02:00"), at("2026-07-15T00:00:00+02:00")
        )
        == 60
    )
    assert (
        clock.open_minutes(
            at("2026-08-12T00:00:00+02:00"), at("2026-08-13T00:00:00+02:00")
        )
        == 60
    )
    assert (
        clock.open_minutes(
            at("2026-08-13T00:00:00+02:00"), at("2026-08-14T00:00:00+02:00")
        )
        == 0
    )
    assert (
        clock.open_minutes(
            at("2026-06-10T00:00:00+02:00"), at("2026-06-11T00:00:00+02:00")
        )
        == 0
    )


def test_clock_alsace_departement_code_closes_good_friday():
    """FR-68 resolves to the Alsace subdivision, so Good Friday 3 Apr 2026 is closed."""
    day = (at("2026-04-03T00:00:00+02:00"), at("2026-04-04T00:00:00+02:00"))

    assert DealerClock(dealer(holidays="FR-68")).open_minutes(*day) == 0
    assert DealerClock(dealer(holidays="FR")).open_minutes(*day) == 480


def test_clock_instants_in_any_offset_give_the_same_minutes():
    """The same instants written in UTC or local offsets measure the same."""
    clock = DealerClock(dealer())
    local = clock.open_minutes(
        at("2026-06-05T18:45:00+02:00"), at("2026-06-08T10:30:00+02:00")
    )
    utc = clock.open_minutes(
        datetime(2026, 6, 5, 16, 45, tzinfo=UTC),
        datetime(2026, 6, 8, 8, 30, tzinfo=UTC),
    )

    assert local == utc == 285.0


def test_clock_timeline_names_start_pause_holiday_and_reply():
    """The explanation reads as a timeline with the closed start and the holiday."""
    timing = DealerClock(dealer()).measure(
        at("2026-05-13T20:00:00+02:00"), at("2026-05-15T11:00:00+02:00")
    )

    text = timing.explanation
    assert text.startswith(
        "sent Wed 13 May 20:00 (closed) → clock starts Fri 15 May 09:00"
    )
    assert "Ascension" in text
    assert text.endswith(
        "reply 11:00: 120 open minutes, within 2 hours (policy open-hours, 480 min a working day)"
    )
    assert [
        (i.start.isoformat(), i.end.isoformat(), i.minutes) for i in timing.intervals
    ] == [("2026-05-15T09:00:00+02:00", "2026-05-15T11:00:00+02:00", 120.0)]


def test_clock_explain_delay_is_json_ready():
    """explain_delay returns what `replyaudit delay --format json` prints."""
    data = explain_delay(
        dealer(), at("2026-06-09T11:30:00+02:00"), at("2026-06-09T14:45:00+02:00")
    )

    decoded = json.loads(json.dumps(data))
    assert decoded["open_minutes"] == 75.0
    assert decoded["bucket"] == "within_2h"
    assert decoded["policy"] == "open-hours"
    assert decoded["working_day_minutes"] == 480
    assert decoded["flags"] == []
    assert decoded["intervals"] == [
        {
            "start": "2026-06-09T11:30:00+02:00",
            "end": "2026-06-09T12:00:00+02:00",
            "minutes": 30.0,
        },
        {
            "start": "2026-06-09T14:00:00+02:00",
            "end": "2026-06-09T14:45:00+02:00",
            "minutes": 45.0,
        },
    ]
    assert "paused 12:00–14:00" in decoded["explanation"]


def test_clock_explain_delay_reports_skew_without_bucket():
    """explain_delay on a reversed pair gives bucket null and the clock_skew flag."""
    data = explain_delay(
        dealer(),
        at("2026-06-09T10:05:00+02:00"),
        at("2026-06-09T10:00:00+02:00"),
        "calendar",
    )

    assert data["bucket"] is None
    assert data["flags"] == ["clock_skew"]
    assert data["policy"] == "calendar"
    assert data["open_minutes"] == -5.0


def test_clock_rejects_unknown_policy():
    """A policy other than open-hours or calendar is refused with the choices."""
    with pytest.raises(ClockError, match="open-hours"):
        DealerClock(dealer(), policy="wall-clock")


def test_clock_timeline_names_a_closure_as_one_range():
    """A summer closure is named once as a date range where the clock paused."""
    clock = DealerClock(dealer(closures=["2026-08-10/2026-08-21"]))

    timing = clock.measure(
        at("2026-08-07T17:30:00+02:00"), at("2026-08-24T09:55:00+02:00")
    )

    assert "(Mon 10 Aug–Fri 21 Aug closure)" in timing.explanation
    assert timing.open_minutes == 90 + 180 + 180 + 55  # Fri, Sat 8, Sat 22, Mon 24


def test_clock_timeline_shortens_long_delays():
    """A three-week delay keeps the first and last pauses and counts the others."""
    timing = DealerClock(dealer()).measure(
        at("2026-06-01T09:00:00+02:00"), at("2026-06-22T10:00:00+02:00")
    )

    assert "more pauses" in timing.explanation
    assert timing.explanation.count("paused") == 8
    assert timing.bucket == "none_within_2_working_days"


@pytest.mark.parametrize(
    "start, end",
    [
        ("0001-01-01T00:00:00+00:00", "2026-06-08T11:30:00+02:00"),
        ("2026-06-07T15:00:00+02:00", "9999-12-31T23:59:59+00:00"),
    ],
)
def test_clock_refuses_instants_outside_the_supported_years_by_name(start, end):
    """Year 1 or 9999 made days_between overflow (OverflowError) instead of a ClockError."""
    clock = DealerClock(dealer())
    for measure in (clock.measure, clock.open_minutes, clock.bucket):
        with pytest.raises(ClockError) as caught:
            measure(at(start), at(end))
        assert "1970" in str(caught.value) and "2100" in str(caught.value)

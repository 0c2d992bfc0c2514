"""Properties of the clock on random calendars: additivity, order, closures, brute force."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from hypothesis import given, settings
from hypothesis import strategies as st

from replyaudit.campaign import WEEKDAYS, Dealer, parse_interval, resolve_holiday_region
from replyaudit.clock import DealerClock

ZONES = ["UTC", "Europe/Paris", "America/Martinique", "America/New_York"]
REGIONS = ["FR", "FR-57", "FR-972", "FR-67"]
# Windows around both 2026 European and American clock changes.
BASES = [
    datetime(2026, 3, 5, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 10, 20, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 12, 20, tzinfo=ZoneInfo("UTC")),
]
SETTINGS = settings(max_examples=60, deadline=None)

# Interval ends on a 5-minute grid from 04:00 to 24:00: never inside a DST change
# (those are between 00:00 and 03:00 in the zones above), so every day is valid.
GRID = list(range(4 * 60, 24 * 60 + 1, 5))


def _text(minute):
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def day_hours(draw):
    ends = sorted(draw(st.sets(st.sampled_from(GRID), max_size=6)))
    if len(ends) % 2:
        ends = ends[:-1]
    return [f"{_text(a)}-{_text(b)}" for a, b in zip(ends[::2], ends[1::2])]


@st.composite
def dealers(draw):
    base = draw(st.sampled_from(BASES)).date()
    hours = {day: draw(day_hours()) for day in WEEKDAYS}
    if not any(hours.values()):
        hours["mon"] = ["09:00-12:00"]

    def some_date():
        return base + timedelta(days=draw(st.integers(0, 45)))

    closures = []
    for _ in range(draw(st.integers(0, 2))):
        first = some_date()
        last = first + timedelta(days=draw(st.integers(0, 4)))
        closures.append(f"{first.isoformat()}/{last.isoformat()}")
    special = {some_date(): draw(day_hours()) for _ in range(draw(st.integers(0, 2)))}
    return Dealer(
        id="random",
        name="Random",
        timezone=draw(st.sampled_from(ZONES)),
        holidays=draw(st.sampled_from(REGIONS)),
        hours=hours,
        closures=closures,
        open_on_holidays=[some_date() for _ in range(draw(st.integers(0, 1)))],
        special_hours=special,
    ), base


def instants(base, count, span_minutes):
    offsets = st.lists(
        st.integers(0, span_minutes), min_size=count, max_size=count
    ).map(sorted)
    start = datetime.combine(base, time(0), tzinfo=ZoneInfo("UTC"))
    return offsets.map(lambda xs: [start + timedelta(minutes=x) for x in xs])


def brute_open_minutes(dealer, start, end):
    """Counts open minutes one at a time from local wall clock, without the clock."""
    zone = ZoneInfo(dealer.timezone)
    country, subdiv = resolve_holiday_region(dealer.holidays)
    closures = dealer.closure_ranges()
    tables = {}
    count = 0
    instant = start
    while instant < end:
        local = (instant + timedelta(seconds=30)).astimezone(zone)
        day = local.date()
        if day.year not in tables:
            tables[day.year] = holidays_lib.country_holidays(
                country, subdiv=subdiv, years=day.year
            )
        holiday = day in tables[day.year] and day not in dealer.open_on_holidays
        if day in dealer.special_hours:
            spans = dealer.special_hours[day]
        elif holiday or any(a <= day <= b for a, b in closures):
            spans = []
        else:
            spans = dealer.hours.get(WEEKDAYS[day.weekday()], [])
        wall = local.time()
        for text in spans:
            first, last = parse_interval(text)
            if first <= wall and (last == time.max or wall < last):
                count += 1
                break
        instant += timedelta(minutes=1)
    return count


@SETTINGS
@given(st.data())
def test_clock_open_minutes_matches_minute_by_minute_count(data):
    """On ranges up to 3 days, open minutes equal a brute-force per-minute count."""
    dealer, base = data.draw(dealers())
    start, end = data.draw(instants(base, 2, 45 * 1440))
    end = min(end, start + timedelta(days=3))

    assert DealerClock(dealer).open_minutes(start, end) == brute_open_minutes(
        dealer, start, end
    )


@SETTINGS
@given(st.data())
def test_clock_open_time_is_additive_and_antisymmetric(data):
    """a→b + b→c == a→c, and b→a == -(a→b), exactly."""
    dealer, base = data.draw(dealers())
    seconds = data.draw(st.lists(st.integers(0, 59), min_size=3, max_size=3))
    a, b, c = (
        t + timedelta(seconds=s)
        for t, s in zip(data.draw(instants(base, 3, 45 * 1440)), seconds)
    )
    a, b, c = sorted((a, b, c))
    clock = DealerClock(dealer)

    assert clock.open_time(a, b) + clock.open_time(b, c) == clock.open_time(a, c)
    assert clock.open_time(b, a) == -clock.open_time(a, b)


@SETTINGS
@given(st.data())
def test_clock_open_minutes_grow_with_the_end(data):
    """For a <= b <= c: 0 <= a→b <= a→c, and no more than the wall-clock time."""
    dealer, base = data.draw(dealers())
    a, b, c = data.draw(instants(base, 3, 45 * 1440))
    clock = DealerClock(dealer)

    first, whole = clock.open_minutes(a, b), clock.open_minutes(a, c)

    assert 0 <= first <= whole
    assert whole <= (c - a).total_seconds() / 60


@SETTINGS
@given(st.data())
def test_clock_is_zero_when_closed_throughout(data):
    """A closure covering every date of the range leaves no open minute."""
    dealer, base = data.draw(dealers())
    a, b = data.draw(instants(base, 2, 20 * 1440))
    zone = ZoneInfo(dealer.timezone)
    first, last = a.astimezone(zone).date(), b.astimezone(zone).date()
    closed = dealer.model_copy(
        update={
            "closures": [f"{first.isoformat()}/{last.isoformat()}"],
            "special_hours": {},
        }
    )
    clock = DealerClock(closed)

    timing = clock.measure(a, b)

    assert timing.open_minutes == 0
    assert timing.intervals == []
    assert timing.bucket == "within_2h"


@SETTINGS
@given(st.data(), st.integers(0, 3))
def test_clock_window_end_gives_exactly_n_working_days(data, working_days):
    """open_minutes(start, window_end(start, n)) == n x working day under open-hours."""
    dealer, base = data.draw(dealers())
    (start,) = data.draw(instants(base, 1, 45 * 1440))
    clock = DealerClock(dealer)

    end = clock.window_end(start, working_days)

    assert clock.open_time(start, end) == timedelta(
        minutes=working_days * clock.working_day_minutes
    )
    assert end >= start


@SETTINGS
@given(st.data())
def test_clock_calendar_deadline_falls_on_an_open_day_after_start(data):
    """The calendar deadline is later than the start, on a day the dealer opens."""
    dealer, base = data.draw(dealers())
    (start,) = data.draw(instants(base, 1, 45 * 1440))
    clock = DealerClock(dealer, policy="calendar")

    one, two = clock.window_end(start, 1), clock.window_end(start, 2)

    assert start < one < two
    assert clock.day(one.astimezone(clock.zone).date()).is_open
    assert clock.day(two.astimezone(clock.zone).date()).is_open


def test_clock_brute_force_helper_counts_a_known_day():
    """The brute-force helper itself gives 480 on an ordinary Paris Tuesday."""
    dealer = Dealer(
        id="d",
        name="d",
        hours={"tue": ["09:00-12:00", "14:00-19:00"]},
    )
    start = datetime(2026, 6, 9, tzinfo=ZoneInfo("Europe/Paris"))

    assert brute_open_minutes(dealer, start, start + timedelta(days=1)) == 480
    assert date(2026, 6, 9).weekday() == 1

"""The business-time clock: open minutes between two instants in a dealer's calendar.

A dealer's calendar is its IANA time zone, its weekly opening hours (several
intervals a day), the public holidays of its `holidays` region, its closures,
the holidays on which it opens anyway (`open_on_holidays`) and dates with their
own hours (`special_hours`, `[]` = closed). For one local date the hours are, in
order of precedence: `special_hours` for that date, else closed on a closure,
else closed on a public holiday not listed in `open_on_holidays`, else the
weekly hours of that weekday.

Every opening interval is turned into a pair of aware UTC instants and delays
are summed in UTC, so a day on which the clocks change counts its real length.
A configured local time that does not exist (spring forward) or exists twice
(fall back) on some date raises `ClockError` naming the dealer, date and
interval, because the intended instant cannot be known.

A working day is `dealer.working_day_minutes` when set, else the most common
length in open minutes of the dealer's open weekdays (ties: the larger).
Thresholds are inclusive: 120 open minutes is still `within_2h`.

Two policies decide what "N working days" means (`within_2h` is always at most
120 open minutes):

- ``open-hours`` (default): N working days of *open time*, N x working day.
- ``calendar``: the same local time on the N-th following day the dealer opens,
  counted from the start, or from the next opening when sent while closed.

Where they differ: a dealer open Mon-Fri 09:00-12:00 and 14:00-19:00 and
Saturday 09:00-12:00 (480 minutes a working day) receives an inquiry on
Saturday 28 March 2026 at 11:30 and replies on Monday 30 March at 12:10. Open
time is Sat 11:30-12:00 + Mon 09:00-12:00 = 210 minutes, so open-hours says
``within_1_working_day``; the calendar deadline is the next opening day at the
same local time, Mon 11:30, so calendar says ``within_2_working_days``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from replyaudit.campaign import WEEKDAYS, Dealer, parse_interval, resolve_holiday_region
from replyaudit.clock_explain import explain_delay, skew_explanation, timeline
from replyaudit.errors import ClockError
from replyaudit.models import Bucket, Interval, Policy, Timing

__all__ = [
    "SUPPORTED",
    "Day",
    "DealerClock",
    "explain_delay",
    "holidays_for",
    "is_supported",
]

POLICIES: tuple[Policy, ...] = ("open-hours", "calendar")
TWO_HOURS = timedelta(minutes=120)
# A search for the next opening gives up after this many days (a dealer that never
# opens would otherwise loop forever).
MAX_SEARCH_DAYS = 3660
# The instants the clock measures: an e-mail audit has nothing before the Unix epoch, and
# a bound well short of year 9999 keeps every date computed from them in range.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
SUPPORTED = f"between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d} (UTC)"

DayStatus = Literal["open", "weekly_closed", "holiday", "closure", "special"]


@dataclass(frozen=True)
class Day:
    """One local date of a dealer: its opening intervals as UTC instants, and why."""

    date: date
    intervals: tuple[tuple[datetime, datetime], ...]
    status: DayStatus
    reason: str = ""

    @property
    def is_open(self) -> bool:
        return bool(self.intervals)


@lru_cache(maxsize=512)
def holidays_for(country: str, subdiv: str | None, year: int) -> dict[date, str]:
    """The public holidays of a region for one year (cached: built once per year)."""
    table = holidays_lib.country_holidays(country, subdiv=subdiv, years=year)
    return dict(table.items())


def _minutes_of(value: time) -> int:
    """Wall-clock minutes since midnight; `time.max` (written '24:00') is 1440."""
    return 1440 if value == time.max else value.hour * 60 + value.minute


def _require_aware(value: datetime, name: str) -> None:
    """A timezone-aware instant within EARLIEST and LATEST, else ClockError naming it."""
    if (
        not isinstance(value, datetime)
        or value.tzinfo is None
        or value.utcoffset() is None
    ):
        raise ClockError(
            f"{name}: expected a timezone-aware datetime, found {value!r} "
            "(naive). Fix: attach the UTC offset or zone the instant was recorded in "
            "(e.g. datetime.fromisoformat('2026-06-02T21:30:00+02:00'))."
        )
    if not is_supported(value):
        raise ClockError(
            f"{name}: expected an instant {SUPPORTED}, found {value.isoformat()}. "
            "Fix: check the date (a mistyped year, or a sender's clock set wrong)."
        )


def is_supported(value: datetime) -> bool:
    """Whether the clock can measure from or to this aware instant."""
    try:
        return EARLIEST <= value.astimezone(UTC) < LATEST
    except OverflowError:  # year 1 or 9999 with an offset pushing it out of range
        return False


class DealerClock:
    """Measures delays in one dealer's opening hours under one policy."""

    def __init__(self, dealer: Dealer, policy: Policy = "open-hours"):
        if policy not in POLICIES:
            raise ClockError(
                f"dealer {dealer.id}: expected a policy among {', '.join(POLICIES)}, "
                f"found {policy!r}. Fix: use 'open-hours' (default) or 'calendar'."
            )
        self.dealer = dealer
        self.policy: Policy = policy
        self.zone = ZoneInfo(dealer.timezone)
        self.country, self.subdiv = resolve_holiday_region(dealer.holidays)
        self._weekly = {
            index: sorted(parse_interval(item) for item in dealer.hours.get(name, []))
            for index, name in enumerate(WEEKDAYS)
        }
        self._special = {
            day: sorted(parse_interval(item) for item in items)
            for day, items in dealer.special_hours.items()
        }
        self._closures = dealer.closure_ranges()
        self._open_on_holidays = set(dealer.open_on_holidays)
        self._days: dict[date, Day] = {}
        self.working_day_minutes = dealer.working_day_minutes or self._usual_day()

    def _usual_day(self) -> int:
        lengths = [
            sum(_minutes_of(end) - _minutes_of(start) for start, end in spans)
            for spans in self._weekly.values()
            if spans
        ]
        if not lengths:
            raise ClockError(
                f"dealer {self.dealer.id}: expected weekly opening hours "
                "([dealers.hours]) to derive a working day, found none. Fix: add "
                "the weekly hours, or set working_day_minutes for this dealer."
            )
        counts = Counter(lengths)
        return max(counts, key=lambda length: (counts[length], length))

    # -- the calendar, one local date at a time ---------------------------------

    def day(self, local_date: date) -> Day:
        """The opening intervals of one local date (cached), with why it is closed."""
        cached = self._days.get(local_date)
        if cached is None:
            cached = self._build_day(local_date)
            self._days[local_date] = cached
        return cached

    def holiday_name(self, local_date: date) -> str | None:
        """The public holiday on that date in the dealer's region, if any."""
        return holidays_for(self.country, self.subdiv, local_date.year).get(local_date)

    def _build_day(self, local_date: date) -> Day:
        if local_date in self._special:
            spans = self._special[local_date]
            status: DayStatus = "special" if spans else "closure"
            reason = "special hours" if spans else "closed (special hours)"
            return Day(local_date, self._to_utc(local_date, spans), status, reason)
        for first, last in self._closures:
            if first <= local_date <= last:
                return Day(local_date, (), "closure", "closure")
        holiday = self.holiday_name(local_date)
        if holiday and local_date not in self._open_on_holidays:
            return Day(local_date, (), "holiday", f"public holiday: {holiday}")
        spans = self._weekly[local_date.weekday()]
        status = "open" if spans else "weekly_closed"
        return Day(local_date, self._to_utc(local_date, spans), status)

    def _to_utc(
        self, local_date: date, spans: list[tuple[time, time]]
    ) -> tuple[tuple[datetime, datetime], ...]:
        result = []
        for start, end in spans:
            text = f"{start:%H:%M}-{'24:00' if end == time.max else f'{end:%H:%M}'}"
            first = self._instant(local_date, start, text)
            if end == time.max:
                last = self._instant(local_date + timedelta(days=1), time(0), text)
            else:
                last = self._instant(local_date, end, text)
            result.append((first, last))
        return tuple(result)

    def _instant(self, local_date: date, wall: time, interval: str) -> datetime:
        """A configured local time as a UTC instant; refuses gaps and repeats."""
        local = datetime.combine(local_date, wall, tzinfo=self.zone)
        back = local.astimezone(UTC).astimezone(self.zone)
        if back.replace(tzinfo=None) != local.replace(tzinfo=None):
            problem = "does not exist (the clocks skip it)"
        elif local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
            problem = "exists twice (the clocks go back over it)"
        else:
            return local.astimezone(UTC)
        raise ClockError(
            f"dealer {self.dealer.id}: opening interval {interval} on "
            f"{local_date.isoformat()} in {self.dealer.timezone}: expected local "
            f"times that exist exactly once, found {wall:%H:%M} which {problem} "
            "on that date (daylight-saving change). Fix: give that date its own "
            f'hours in [dealers.special_hours], e.g. "{local_date.isoformat()}" '
            "= [...] with times outside the change, or move the interval."
        )

    def days_between(self, start: datetime, end: datetime) -> list[Day]:
        """Every local date touched by [start, end] (start <= end), in order."""
        first = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        count = (last - first).days + 1
        return [self.day(first + timedelta(days=n)) for n in range(count)]

    # -- measuring ----------------------------------------------------------------

    def open_spans(
        self, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """The open stretches inside [start, end] as UTC instant pairs (start <= end)."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        spans = []
        for day in self.days_between(start, end):
            for first, last in day.intervals:
                lo, hi = max(first, start), min(last, end)
                if lo < hi:
                    spans.append((lo, hi))
        return spans

    def open_time(self, start: datetime, end: datetime) -> timedelta:
        """Open time between two instants, exact to the microsecond; negative if reversed."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end < start:
            return -self.open_time(end, start)
        total = timedelta(0)
        for lo, hi in self.open_spans(start, end):
            total += hi - lo
        return total

    def open_minutes(self, start: datetime, end: datetime) -> float:
        """Open minutes between two instants; negative when end is before start."""
        return self.open_time(start, end).total_seconds() / 60

    def is_open_at(self, instant: datetime) -> bool:
        """Whether the dealer is open at that instant (an interval's end is closed)."""
        _require_aware(instant, "instant")
        day = self.day(instant.astimezone(self.zone).date())
        return any(first <= instant < last for first, last in day.intervals)

    def next_opening(self, instant: datetime) -> datetime:
        """The instant itself when the dealer is open then, else its next opening."""
        _require_aware(instant, "instant")
        local_date = instant.astimezone(self.zone).date()
        for n in range(MAX_SEARCH_DAYS):
            for first, last in self.day(local_date + timedelta(days=n)).intervals:
                if first <= instant < last:
                    return instant
                if first > instant:
                    return first
        raise self._never_opens(instant)

    def _never_opens(self, instant: datetime) -> ClockError:
        return ClockError(
            f"dealer {self.dealer.id}: expected an opening within {MAX_SEARCH_DAYS} "
            f"days after {instant.isoformat()}, found none (hours, closures and "
            "special hours close it throughout). Fix: correct its hours or closures."
        )

    def window_end(self, start: datetime, working_days: int) -> datetime:
        """The instant when `working_days` working days have elapsed since start.

        open-hours: the earliest instant with working_days x working day open minutes
        since start (a reply up to the next opening after it has the same count).
        calendar: the same local time as the (effective) start on the N-th following
        day the dealer opens; a local time the clocks skip moves forward by the change.
        """
        _require_aware(start, "start")
        if working_days < 0:
            raise ClockError(
                f"dealer {self.dealer.id}: expected a number of working days >= 0, "
                f"found {working_days}. Fix: pass 0 or more."
            )
        if self.policy == "calendar":
            return self._calendar_deadline(start, working_days)
        return self._open_deadline(start, working_days)

    def _open_deadline(self, start: datetime, working_days: int) -> datetime:
        remaining = timedelta(minutes=working_days * self.working_day_minutes)
        if not remaining:
            return start
        local_date = start.astimezone(self.zone).date()
        for n in range(MAX_SEARCH_DAYS * max(1, working_days)):
            for first, last in self.day(local_date + timedelta(days=n)).intervals:
                lo = max(first, start)
                if lo >= last:
                    continue
                if remaining <= last - lo:
                    return lo + remaining
                remaining -= last - lo
        raise self._never_opens(start)

    def _calendar_deadline(self, start: datetime, working_days: int) -> datetime:
        effective = self.next_opening(start)
        if not working_days:
            return effective
        local = effective.astimezone(self.zone)
        target = local.date()
        found = 0
        for _ in range(MAX_SEARCH_DAYS * working_days):
            target += timedelta(days=1)
            if self.day(target).is_open:
                found += 1
                if found == working_days:
                    wall = datetime.combine(target, local.time(), tzinfo=self.zone)
                    return wall.astimezone(UTC).astimezone(self.zone)
        raise self._never_opens(start)

    def bucket(self, start: datetime, end: datetime) -> Bucket:
        """The response-time option for a reply at `end` to an inquiry at `start`."""
        elapsed = self.open_time(start, end)
        if elapsed < timedelta(0):
            raise ClockError(
                f"dealer {self.dealer.id}: expected a reply after the inquiry, found "
                f"{end.isoformat()} before {start.isoformat()}. Fix: use measure(), "
                "which flags clock skew for review instead of bucketing it."
            )
        if elapsed <= TWO_HOURS:
            return "within_2h"
        if self.policy == "calendar":
            if end <= self._calendar_deadline(start, 1):
                return "within_1_working_day"
            if end <= self._calendar_deadline(start, 2):
                return "within_2_working_days"
            return "none_within_2_working_days"
        day = timedelta(minutes=self.working_day_minutes)
        if elapsed <= day:
            return "within_1_working_day"
        if elapsed <= 2 * day:
            return "within_2_working_days"
        return "none_within_2_working_days"

    def measure(self, start: datetime, end: datetime) -> Timing:
        """The delay from start to end: open minutes, bucket, stretches and a timeline."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        minutes = self.open_minutes(start, end)
        if end < start:
            return Timing(
                start=start,
                end=end,
                open_minutes=minutes,
                working_day_minutes=self.working_day_minutes,
                bucket=None,
                policy=self.policy,
                flags=["clock_skew"],
                explanation=skew_explanation(self, start, end),
            )
        spans = self.open_spans(start, end)
        intervals = [
            Interval(
                start=lo.astimezone(self.zone),
                end=hi.astimezone(self.zone),
                minutes=(hi - lo).total_seconds() / 60,
            )
            for lo, hi in spans
        ]
        bucket = self.bucket(start, end)
        return Timing(
            start=start,
            end=end,
            open_minutes=minutes,
            working_day_minutes=self.working_day_minutes,
            bucket=bucket,
            policy=self.policy,
            intervals=intervals,
            explanation=timeline(self, start, end, spans, minutes, bucket),
        )


def dst_problems(dealer: Dealer, years: tuple[int, ...]) -> list[str]:
    """Opening times that do not exist, or exist twice, on the DST change days of `years`.

    A measurement would stop on them only when it reaches that date; this finds them now.
    """
    zone = ZoneInfo(dealer.timezone)
    problems = []
    for year in years:
        day = date(year, 1, 1)
        while day.year == year:
            noon = datetime.combine(day, time(12), zone)
            before = datetime.combine(day - timedelta(days=1), time(12), zone)
            if noon.utcoffset() != before.utcoffset():
                for changed in (day - timedelta(days=1), day):
                    try:
                        DealerClock(dealer).day(changed)
                    except ClockError as exc:
                        problems.append(str(exc))
            day += timedelta(days=1)
    return sorted(set(problems))

"""How a delay was counted, in words: the one-line timeline and `replyaudit delay` data.

The timeline reads like the count a reviewer would do by hand, e.g.

    sent Sun 7 Jun 15:00 (closed) → clock starts Mon 8 Jun 09:00 → reply 11:30:
    150 open minutes, within 1 working day (policy open-hours, 480 min a working day)

A date is written only when it changes from the previous mention; days the dealer
would usually open but did not (public holiday, closure, special hours) are named
where the clock was paused over them.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from replyaudit.campaign import Dealer
from replyaudit.models import Bucket, Policy

if TYPE_CHECKING:
    from replyaudit.clock import DealerClock

BUCKET_WORDS: dict[str, str] = {
    "within_2h": "within 2 hours",
    "within_1_working_day": "within 1 working day",
    "within_2_working_days": "within 2 working days",
    "none_within_2_working_days": "not within 2 working days",
}
# Pauses shown in full in one timeline; longer delays show the first and last ones.
MAX_PAUSES_SHOWN = 8


class _Writer:
    """Formats local instants, writing the date only when it changes."""

    def __init__(self, clock: DealerClock):
        self.clock = clock
        self.last_date: date | None = None

    def __call__(self, instant: datetime) -> str:
        local = instant.astimezone(self.clock.zone)
        clock_time = f"{local:%H:%M:%S}" if local.second else f"{local:%H:%M}"
        if local.date() == self.last_date:
            return clock_time
        self.last_date = local.date()
        special = self.clock.day(local.date()).status == "special"
        note = " (special hours)" if special else ""
        return f"{local:%a} {local.day} {local:%b} {clock_time}{note}"


def format_minutes(minutes: float) -> str:
    """150.0 -> '150'; 90.6833 -> '90.68'."""
    text = f"{minutes:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _skipped(clock: DealerClock, after: datetime, before: datetime) -> str:
    """Dates strictly between two instants closed by a holiday or closure, and why.

    Consecutive dates closed for the same reason are written as one range.
    """
    first = after.astimezone(clock.zone).date()
    last = before.astimezone(clock.zone).date()
    runs: list[list[Any]] = []  # [first date, last date, reason]
    for offset in range(1, (last - first).days):
        day = clock.day(date.fromordinal(first.toordinal() + offset))
        if day.status not in ("holiday", "closure"):
            continue
        if runs and runs[-1][2] == day.reason and (day.date - runs[-1][1]).days == 1:
            runs[-1][1] = day.date
        else:
            runs.append([day.date, day.date, day.reason])
    notes = [
        f"{_label(a)}{'' if a == b else f'–{_label(b)}'} {reason}"
        for a, b, reason in runs
    ]
    if len(notes) > 3:
        notes = [*notes[:2], f"… {len(notes) - 3} more …", notes[-1]]
    return f" ({'; '.join(notes)})" if notes else ""


def _day_note(clock: DealerClock, instant: datetime) -> str:
    day = clock.day(instant.astimezone(clock.zone).date())
    return f": {day.reason}" if day.status in ("holiday", "closure") else ""


def timeline(
    clock: DealerClock,
    start: datetime,
    end: datetime,
    spans: list[tuple[datetime, datetime]],
    minutes: float,
    bucket: Bucket,
) -> str:
    """The one-line story of a measured delay (start <= end)."""
    write = _Writer(clock)
    steps = []
    if clock.is_open_at(start):
        steps.append(f"sent {write(start)}")
    else:
        steps.append(f"sent {write(start)} (closed{_day_note(clock, start)})")
        if spans:
            note = _skipped(clock, start, spans[0][0])
            steps.append(f"clock starts {write(spans[0][0])}{note}")
    pauses = [
        (prev_end, next_start)
        for (_, prev_end), (next_start, _) in pairwise(spans)
        if prev_end < next_start
    ]
    hidden = 0
    if len(pauses) > MAX_PAUSES_SHOWN:
        half = MAX_PAUSES_SHOWN // 2
        hidden = len(pauses) - 2 * half
        pauses = [*pauses[:half], *pauses[-half:]]
    for index, (paused, resumed) in enumerate(pauses):
        if hidden and index == MAX_PAUSES_SHOWN // 2:
            steps.append(f"… {hidden} more pauses …")
            write.last_date = None
        note = _skipped(clock, paused, resumed)
        steps.append(f"paused {write(paused)}–{write(resumed)}{note}")
    if spans and spans[-1][1] < end:
        note = _skipped(clock, spans[-1][1], end)
        steps.append(f"closes {write(spans[-1][1])}{note}")
        steps.append(f"reply {write(end)} (closed{_day_note(clock, end)})")
    elif spans or start == end:
        steps.append(f"reply {write(end)}")
    else:
        steps.append(f"reply {write(end)} (closed throughout)")
    summary = (
        f"{format_minutes(minutes)} open minutes, {BUCKET_WORDS[bucket]} "
        f"({_policy_words(clock, start)})"
    )
    return " → ".join(steps) + ": " + summary


def _policy_words(clock: DealerClock, start: datetime) -> str:
    text = f"policy {clock.policy}, {clock.working_day_minutes} min a working day"
    if clock.policy == "calendar":
        write = _Writer(clock)
        one = write(clock.window_end(start, 1))
        two = write(clock.window_end(start, 2))
        text += f"; deadlines {one} (1 working day), {two} (2 working days)"
    return text


def skew_explanation(clock: DealerClock, start: datetime, end: datetime) -> str:
    """Why a reply dated before its inquiry is flagged instead of bucketed."""
    write = _Writer(clock)
    gap = format_minutes((start - end).total_seconds() / 60)
    return (
        f"clock skew: reply {write(end)} ({end.isoformat()}) is {gap} minutes before "
        f"the inquiry sent {write(start)} ({start.isoformat()}); a reply cannot "
        "precede the inquiry, so a mail server clock or a Date header is wrong: "
        "no bucket, flagged for review "
        f"(policy {clock.policy}, {clock.working_day_minutes} min a working day)"
    )


def explain_delay(
    dealer: Dealer, start: datetime, end: datetime, policy: Policy = "open-hours"
) -> dict[str, Any]:
    """What `replyaudit delay --format json` prints: the count, bucket and timeline."""
    from replyaudit.clock import DealerClock

    clock = DealerClock(dealer, policy)
    timing = clock.measure(start, end)
    return {
        "dealer": dealer.id,
        "timezone": dealer.timezone,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "open_minutes": timing.open_minutes,
        "bucket": timing.bucket,
        "policy": timing.policy,
        "working_day_minutes": timing.working_day_minutes,
        "intervals": [
            {
                "start": item.start.isoformat(),
                "end": item.end.isoformat(),
                "minutes": item.minutes,
            }
            for item in timing.intervals
        ],
        "deadlines": {
            "within_1_working_day": clock.window_end(start, 1).isoformat(),
            "within_2_working_days": clock.window_end(start, 2).isoformat(),
        },
        "explanation": timing.explanation,
        "flags": list(timing.flags),
    }

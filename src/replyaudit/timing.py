"""Questions 1 and 8 from the dealer clock: the sending time, the replies, the buckets."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from replyaudit.campaign import Inquiry
from replyaudit.clock import DealerClock
from replyaudit.models import Answer, Evidence, ParsedMessage, Timing
from replyaudit.scorecard import Scorecard
from replyaudit.store import utcnow

# A timing answer is sure only when the arrival time comes from a server stamp.
_ARRIVAL_CONFIDENCE = {"internaldate": 1.0, "received": 1.0, "date": 0.8, "none": 0.3}
REVIEW_THRESHOLD = 0.7
UNDETERMINED = "undetermined"


def arrival_key(message: ParsedMessage) -> tuple[datetime, str]:
    return (
        message.arrival or message.date or datetime.max.replace(tzinfo=utcnow().tzinfo),
        message.sha256,
    )


def resolve_sent(
    inquiry: Inquiry, sent_message: ParsedMessage | None
) -> tuple[datetime | None, str]:
    """The inquiry's sending time: the campaign's, else its sent message's arrival or Date."""
    if inquiry.sent_at is not None:
        return inquiry.sent_at, "campaign"
    if sent_message is not None:
        if sent_message.arrival is not None:
            return sent_message.arrival, f"sent message ({sent_message.arrival_source})"
        if sent_message.date is not None:
            return sent_message.date, "sent message (date)"
    return None, "unknown"


def timing_answer(
    key: str,
    value: str,
    scorecard: Scorecard,
    timing: Timing | None,
    message: ParsedMessage | None,
    rule: str,
    note: str,
    confidence: float = 1.0,
) -> Answer:
    question = scorecard.question(key)
    points = question.points_for(value) if value != UNDETERMINED else 0
    evidence = []
    if timing is not None and message is not None:
        role: Literal["initial", "follow_up"] = (
            "initial" if key == "response_time" else "follow_up"
        )
        evidence.append(
            Evidence(
                message=message.sha256,
                role=role,
                part="timing",
                sentence=timing.explanation,
            )
        )
    return Answer(
        key=key,
        value=value,
        points=points,
        evidence=evidence,
        rule=rule,
        confidence=confidence,
        needs_review=confidence < REVIEW_THRESHOLD or value == UNDETERMINED,
        note=note,
    )


def answer_timing(
    scorecard: Scorecard,
    clock: DealerClock,
    sent_at: datetime | None,
    replies: list[ParsedMessage],
    now: datetime,
    working_windows: int,
) -> tuple[Answer, Answer, Timing | None, Timing | None, bool]:
    """Questions 1 and 8 from the clock; also says whether a window is still open (waiting)."""
    waiting = False
    first = replies[0] if replies else None
    response: Timing | None = None
    if sent_at is None:
        q1 = timing_answer(
            "response_time",
            UNDETERMINED,
            scorecard,
            None,
            first,
            "q1.no_sent_time",
            "the inquiry's sending time is unknown: give sent_at in the campaign",
            0.0,
        )
    elif first is not None and first.arrival is None:
        q1 = timing_answer(
            "response_time",
            UNDETERMINED,
            scorecard,
            None,
            first,
            "q1.no_arrival_time",
            "the first personalised reply has no readable arrival time "
            "(no INTERNALDATE, Received: or Date:): read it in the raw message",
            0.0,
        )
    elif first is None or first.arrival is None:
        waiting = now < clock.window_end(sent_at, working_windows)
        q1 = timing_answer(
            "response_time",
            "none_within_2_working_days",
            scorecard,
            None,
            None,
            "q1.no_reply",
            "no personalised reply received",
            0.5 if waiting else 1.0,
        )
    else:
        response = clock.measure(sent_at, first.arrival)
        confidence = _ARRIVAL_CONFIDENCE[first.arrival_source]
        if response.bucket is None:
            q1 = timing_answer(
                "response_time",
                UNDETERMINED,
                scorecard,
                response,
                first,
                "q1.clock_skew",
                response.explanation,
                0.0,
            )
        else:
            q1 = timing_answer(
                "response_time",
                response.bucket,
                scorecard,
                response,
                first,
                f"q1.{clock.policy}",
                f"{response.open_minutes:.0f} open minutes",
                confidence,
            )

    follow: Timing | None = None
    if first is None:
        q8 = timing_answer(
            "follow_up",
            "no",
            scorecard,
            None,
            None,
            "q8.no_reply",
            "no personalised reply",
            1.0,
        )
    elif first.arrival is None or (len(replies) >= 2 and replies[1].arrival is None):
        q8 = timing_answer(
            "follow_up",
            UNDETERMINED if len(replies) >= 2 else "no",
            scorecard,
            None,
            None,
            "q8.no_arrival_time",
            "a personalised message has no readable arrival time: read it in the raw message",
            0.0,
        )
    elif len(replies) < 2:
        still_open = now < clock.window_end(first.arrival, working_windows)
        waiting = waiting or still_open
        q8 = timing_answer(
            "follow_up",
            "no",
            scorecard,
            None,
            None,
            "q8.no_follow_up",
            "no later personalised message",
            0.5 if still_open else 1.0,
        )
    else:
        second = replies[1]
        assert second.arrival is not None
        follow = clock.measure(first.arrival, second.arrival)
        limit = working_windows * clock.working_day_minutes
        confidence = min(
            _ARRIVAL_CONFIDENCE[first.arrival_source],
            _ARRIVAL_CONFIDENCE[second.arrival_source],
        )
        if follow.bucket is None:
            q8 = timing_answer(
                "follow_up",
                UNDETERMINED,
                scorecard,
                follow,
                second,
                "q8.clock_skew",
                follow.explanation,
                0.0,
            )
        else:
            # The bucket follows the timing policy (open-hours or calendar).
            value = "no" if follow.bucket == "none_within_2_working_days" else "yes"
            q8 = timing_answer(
                "follow_up",
                value,
                scorecard,
                follow,
                second,
                f"q8.{clock.policy}",
                f"{follow.open_minutes:.0f} open minutes after the first reply "
                f"(2 working days = {limit} under open-hours)",
                confidence,
            )
    return q1, q8, response, follow, waiting

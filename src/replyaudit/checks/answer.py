"""Shared helpers of the checks: building an Answer with its points and review flag."""

from __future__ import annotations

from replyaudit.models import Answer, AnswerValue, Evidence
from replyaudit.scorecard import Scorecard

# Answers below this confidence are flagged for a reviewer.
REVIEW_THRESHOLD = 0.7


def make_answer(
    scorecard: Scorecard,
    key: str,
    value: AnswerValue,
    rule: str,
    confidence: float,
    note: str,
    evidence: list[Evidence] | None = None,
) -> Answer:
    """An Answer scored by the scorecard; needs_review when confidence < threshold."""
    confidence = round(max(0.0, min(1.0, confidence)), 2)
    return Answer(
        key=key,
        value=value,
        points=scorecard.question(key).points_for(value),
        evidence=evidence or [],
        rule=rule,
        confidence=confidence,
        needs_review=confidence < REVIEW_THRESHOLD,
        note=note,
    )

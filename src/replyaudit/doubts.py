"""Marks answers for review where what they rest on is in doubt: match, class, arrival."""

from __future__ import annotations

from replyaudit.models import Answer, Classification, MatchResult, ParsedMessage
from replyaudit.timing import REVIEW_THRESHOLD

TIMING_KEYS = ("response_time", "follow_up")


def mark_doubts(
    answers: dict[str, Answer],
    received: list[tuple[ParsedMessage, Classification, MatchResult]],
    messages: list[ParsedMessage],
) -> tuple[dict[str, Answer], list[str]]:
    """The answers with needs_review set where their ground is uncertain, and the flags why."""
    flags: list[str] = []

    doubtful = [
        match for _, _, match in received if match.confidence < REVIEW_THRESHOLD
    ]
    if doubtful:
        # A message that may belong to another inquiry puts the whole scorecard in doubt.
        flags.append("uncertain_match")
        why = "; ".join(" ".join(match.reasons) for match in doubtful)
        answers = {
            key: _for_review(answer, f"uncertain match: {why}")
            for key, answer in answers.items()
        }

    uncertain = [m for m, c, _ in received if c.confidence < REVIEW_THRESHOLD]
    if uncertain:
        # Which message is the first personalised reply decides questions 1 and 8.
        flags.append("uncertain_classification")
        why = "; ".join(
            f"{m.source or m.sha256[:12]} classified with low confidence"
            for m in uncertain
        )
        answers = {**answers, **{k: _for_review(answers[k], why) for k in TIMING_KEYS}}

    if any(d.startswith("arrival mismatch") for m in messages for d in m.defects):
        # The mailbox's INTERNALDATE was used; the message's own Received: says otherwise.
        flags.append("arrival_mismatch")
        why = "INTERNALDATE and Received: disagree"
        answers = {**answers, **{k: _for_review(answers[k], why) for k in TIMING_KEYS}}

    if any(not m.new_text.strip() for m, c, _ in received if c.kind == "personalised"):
        # A personalised message with no readable text (images only): every answer drawn
        # from text may be missing what the image says.
        flags.append("no_readable_text")
        why = "a reply has no readable text (images only)"
        answers = {key: _for_review(answer, why) for key, answer in answers.items()}

    return answers, flags


def _for_review(answer: Answer, why: str) -> Answer:
    return answer.model_copy(
        update={"needs_review": True, "note": f"{answer.note} ({why})"}
    )

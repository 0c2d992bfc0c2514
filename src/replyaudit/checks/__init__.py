"""The scorecard checks (questions 2 to 13) over a case's personalised replies."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from replyaudit.checks.answer import REVIEW_THRESHOLD, make_answer
from replyaudit.checks.answered import check_answered_question
from replyaudit.checks.brand import check_brand_address, check_brand_only_signature
from replyaudit.checks.contact import check_advisor_contact
from replyaudit.checks.conversation import (
    check_asked_call_time,
    check_availability_confirmed,
    check_checked_clarity,
    check_future_contact_consent,
    check_other_help,
    check_proposed_call,
    check_test_drive,
)
from replyaudit.checks.docs import prepare_docs
from replyaudit.checks.nlp import analyse, load_nlp
from replyaudit.checks.phrases import analyse_parts
from replyaudit.checks.rules import QUESTIONS, RuleSet
from replyaudit.checks.rules_folder import cached_rules, check_rules, load_rules
from replyaudit.context import CaseContext
from replyaudit.message.limits import TRUNCATION_DEFECT
from replyaudit.models import Answer
from replyaudit.scorecard import Scorecard

__all__ = [
    "QUESTION_KEYS",
    "REVIEW_THRESHOLD",
    "RuleSet",
    "analyse_texts_batch",
    "check_rules",
    "load_rules",
    "prepare_docs",
    "run_checks",
]

# The questions the checks answer, defined once with the rule files' vocabulary.
QUESTION_KEYS = QUESTIONS


def run_checks(
    ctx: CaseContext, scorecard: Scorecard, rules: RuleSet | None = None
) -> dict[str, Answer]:
    """Answer questions 2 to 13 from the body and signature of ctx.replies (never quoted text)."""
    rules = rules or cached_rules()
    if not ctx.replies:
        return {
            key: make_answer(
                scorecard,
                key,
                scorecard.question(key).zero_value(),
                "no_personalised_reply",
                1.0,
                "no personalised reply was received",
            )
            for key in QUESTION_KEYS
        }
    parts = analyse_parts(ctx.replies, rules)
    answers = [
        check_advisor_contact(ctx, scorecard, rules, parts),
        check_brand_address(ctx, scorecard, rules),
        check_brand_only_signature(ctx, scorecard, rules),
        check_answered_question(ctx, scorecard, rules, parts),
        check_proposed_call(ctx, scorecard, parts, rules),
        check_asked_call_time(ctx, scorecard, parts, rules),
        check_checked_clarity(ctx, scorecard, parts, rules),
        check_test_drive(ctx, scorecard, parts, rules),
        check_other_help(ctx, scorecard, parts, rules),
        check_future_contact_consent(ctx, scorecard, parts, rules),
        check_availability_confirmed(ctx, scorecard, parts, rules),
    ]
    truncated = [
        d for msg in ctx.replies for d in msg.defects if d.startswith(TRUNCATION_DEFECT)
    ]
    if truncated:
        # Part of a reply was not read: any answer may have missed its evidence.
        answers = [
            a.model_copy(
                update={"needs_review": True, "note": f"{a.note} ({truncated[0]})"}
            )
            for a in answers
        ]
    return {a.key: a for a in answers}


def analyse_texts_batch(texts: Iterable[str]) -> int:
    """Warm spaCy over many texts at once (nlp.pipe); returns how many were analysed."""
    return len(analyse(texts))


def warm_up(rules_dir: Path | None = None) -> RuleSet:
    """Load spaCy and the rules once, before a batch of cases."""
    load_nlp()
    return cached_rules(rules_dir)

"""Every refusal of the review core says it in English (logs, CLI) and in French (page)."""

from __future__ import annotations

import re

import pytest

from test_web_support import CAMPAIGN, CASE

pytest_plugins = ["test_web_support"]

ENGLISH = re.compile(r"\b(expected|found|Fix|case corpus|question \w+_\w+)\b")


def _unknown_case(store, card):
    from replyaudit.review import change_answer

    change_answer(store, card, CAMPAIGN, "nope", "test_drive", [], "x", "ana")


def _bad_multi_value(store, card):
    from replyaudit.review import change_answer

    change_answer(store, card, CAMPAIGN, CASE, "test_drive", ["bogus"], "x", "ana")


def _same_value(store, card):
    from replyaudit.review import change_answer

    current = store.answers(CAMPAIGN, CASE)["response_time"]["value"]
    change_answer(
        store, card, CAMPAIGN, CASE, "response_time", current.strip('"'), "x", "ana"
    )


def _no_comment(store, card):
    from replyaudit.review import change_answer

    change_answer(store, card, CAMPAIGN, CASE, "test_drive", [], " ", "ana")


def _reopen_open_case(store, card):
    from replyaudit.review import reopen

    reopen(store, CAMPAIGN, CASE, "ana", "why")


def _unknown_message(store, card):
    from conftest import RULES
    from replyaudit.review import mark_irrelevant

    mark_irrelevant(store, CAMPAIGN, "0" * 64, "ana", RULES)


def _short_password(store, card):
    from replyaudit.review import add_user

    add_user(store, "ana", "short")


@pytest.mark.parametrize(
    "action",
    [
        _unknown_case,
        _bad_multi_value,
        _same_value,
        _no_comment,
        _reopen_open_case,
        _unknown_message,
        _short_password,
    ],
)
def test_review_error_carries_english_and_french(db, scorecard, action):
    """Each refusal keeps its English message and carries a French one for the page."""
    from replyaudit.review import ReviewError
    from replyaudit.store import Store

    with Store(db) as store, pytest.raises(ReviewError) as caught:
        action(store, scorecard)
    assert "expected" in str(caught.value)
    assert caught.value.message_fr
    assert not ENGLISH.search(caught.value.message_fr), caught.value.message_fr

"""The typed core of reviewer actions: checks before writing, and the audit rows it leaves."""

from __future__ import annotations

import pytest

from test_web_support import CAMPAIGN, CASE

pytest_plugins = ["test_web_support"]


@pytest.fixture
def store(db):
    from replyaudit.store import Store

    with Store(db) as opened:
        yield opened


def test_review_change_rejects_an_unknown_option(store, scorecard):
    """A value outside the question's options is refused before anything is written."""
    from replyaudit.review import ReviewError, change_answer

    with pytest.raises(ReviewError, match="one of"):
        change_answer(
            store, scorecard, CAMPAIGN, CASE, "brand_address", "peut-être", "why", "ana"
        )
    assert store.audit_trail(CAMPAIGN, CASE) == []


def test_review_change_refused_on_an_approved_case(store, scorecard):
    """An approved scorecard is locked until reopened with a reason."""
    from replyaudit.review import ReviewError, approve, change_answer, reopen

    approve(store, CAMPAIGN, CASE, "ana")
    with pytest.raises(ReviewError, match="reopen"):
        change_answer(store, scorecard, CAMPAIGN, CASE, "test_drive", [], "none", "ana")
    with pytest.raises(ReviewError, match="reason"):
        reopen(store, CAMPAIGN, CASE, "ana", " ")
    reopen(store, CAMPAIGN, CASE, "ana", "client called back")
    change_answer(
        store,
        scorecard,
        CAMPAIGN,
        CASE,
        "test_drive",
        [],
        "no test drive offered",
        "ana",
    )
    assert store.answers(CAMPAIGN, CASE)["test_drive"]["source"] == "review"


def test_review_multi_value_is_scored_and_capped(store, scorecard):
    """A multi answer scores its options, capped at the question's maximum."""
    from replyaudit.review import change_answer, parse_value

    value = parse_value(scorecard, "advisor_contact", ["email", "name", "email"])
    assert value == ["name", "email"]
    change_answer(
        store, scorecard, CAMPAIGN, CASE, "advisor_contact", value, "no phone", "ana"
    )
    assert store.answers(CAMPAIGN, CASE)["advisor_contact"]["points"] == 2


def test_review_password_is_hashed_with_argon2(store):
    """Passwords are stored as argon2 hashes and checked against them."""
    from replyaudit.review import ReviewError, add_user, check_password

    add_user(store, "ana", "long enough secret")
    assert store.get_user("ana")["password_hash"].startswith("$argon2")
    assert check_password(store, "ana", "long enough secret")
    assert not check_password(store, "nobody", "long enough secret")
    with pytest.raises(ReviewError, match="8 characters"):
        add_user(store, "bob", "short")

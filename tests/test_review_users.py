"""Reviewer accounts: password checks and explicit replacement of an existing account."""

from __future__ import annotations

import io
import sys

import pytest

pytest_plugins = ["test_web_support"]


@pytest.fixture
def store(db):
    from replyaudit.store import Store

    with Store(db) as opened:
        yield opened


@pytest.mark.parametrize("password", [" " * 8, "\t" * 10, "   short   ", " abc\t\t  "])
def test_review_password_blank_or_short_after_strip_is_refused(store, password):
    """Whitespace-only passwords, and ones under 8 characters once stripped, are refused."""
    from replyaudit.review import ReviewError, add_user

    with pytest.raises(ReviewError, match="8 characters"):
        add_user(store, "ana", password)
    assert store.get_user("ana") is None


def test_review_existing_user_needs_replace(store):
    """Adding a name that exists is refused unless replace is asked; the old password holds."""
    from replyaudit.review import ReviewError, add_user, check_password

    add_user(store, "ana", "first long secret")
    with pytest.raises(ReviewError, match="--replace"):
        add_user(store, "ana", "second long secret")
    assert check_password(store, "ana", "first long secret")
    add_user(store, "ana", "second long secret", replace=True)
    assert check_password(store, "ana", "second long secret")
    assert not check_password(store, "ana", "first long secret")


def test_review_cli_users_add_refuses_blank_password(cli, db, monkeypatch):
    """users add --password-stdin with eight spaces fails with a message and saves nothing."""
    from replyaudit.store import Store

    monkeypatch.setattr(sys, "stdin", io.StringIO(" " * 8 + "\n"))
    code, _, err = cli("users", "add", "ana", "--password-stdin", "--database", db)
    assert code != 0
    assert "8 characters" in err
    with Store(db) as store:
        assert store.get_user("ana") is None


def test_review_cli_users_add_twice_names_the_replace_flag(cli, db, monkeypatch):
    """Re-adding a reviewer fails naming --replace; with the flag the password changes."""
    from replyaudit.review import check_password
    from replyaudit.store import Store

    monkeypatch.setattr(sys, "stdin", io.StringIO("first long secret\n"))
    assert cli("users", "add", "ana", "--password-stdin", "--database", db)[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("second long secret\n"))
    code, _, err = cli("users", "add", "ana", "--password-stdin", "--database", db)
    assert code != 0
    assert "--replace" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("second long secret\n"))
    code, _, err = cli(
        "users", "add", "ana", "--password-stdin", "--replace", "--database", db
    )
    assert code == 0, err
    with Store(db) as store:
        assert check_password(store, "ana", "second long secret")

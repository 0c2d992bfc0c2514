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


def test_review_replace_of_a_missing_reviewer_is_refused(store):
    """--replace changes an existing account only: an unknown name creates nothing."""
    from replyaudit.review import ReviewError, add_user

    with pytest.raises(ReviewError, match="found none.*without --replace"):
        add_user(store, "ghost", "long enough secret", replace=True)
    assert store.get_user("ghost") is None


def test_review_names_are_unique_ignoring_case(store):
    """Camille cannot be added beside camille, nor replace it under another spelling."""
    from replyaudit.review import ReviewError, add_user, check_password

    add_user(store, "camille", "first long secret")
    with pytest.raises(ReviewError, match="'camille'.*ignoring case"):
        add_user(store, "Camille", "second long secret")
    with pytest.raises(ReviewError, match="users add camille --replace"):
        add_user(store, "CAMILLE", "second long secret", replace=True)
    assert [row["name"] for row in store.users()] == ["camille"]
    assert check_password(store, "camille", "first long secret")


def test_review_name_longer_than_64_characters_is_refused(store):
    """A name is at most 64 characters; the message gives the length, not the name."""
    from replyaudit.review import ReviewError, add_user

    add_user(store, "a" * 64, "long enough secret")
    with pytest.raises(
        ReviewError, match="at most 64 characters, found 100000"
    ) as info:
        add_user(store, "b" * 100_000, "long enough secret")
    assert "b" * 65 not in str(info.value)
    assert [len(row["name"]) for row in store.users()] == [64]


@pytest.mark.parametrize("name", ["ana\x00", "ana\x1b[31m", "ana\u200bx"])
def test_review_name_with_control_characters_is_refused(store, name):
    """Invisible or control characters would make two names look alike in the audit trail."""
    from replyaudit.review import ReviewError, add_user

    with pytest.raises(ReviewError, match="printable"):
        add_user(store, name, "long enough secret")
    assert store.users() == []


def test_review_cli_replace_of_a_missing_reviewer_is_refused(cli, db, monkeypatch):
    """users add ghost --replace exits 2 saying there is no such reviewer."""
    from replyaudit.store import Store

    monkeypatch.setattr(sys, "stdin", io.StringIO("long enough secret\n"))
    code, out, err = cli(
        "users", "add", "ghost", "--replace", "--password-stdin", "--database", db
    )
    assert code == 2
    assert err.startswith("error: user ghost: expected an existing reviewer")
    assert "ok:" not in out
    with Store(db) as store:
        assert store.get_user("ghost") is None


def test_review_cli_without_terminal_asks_for_password_stdin(cli, db, monkeypatch):
    """With no terminal to type on, users add says to use --password-stdin (exit 2)."""
    from replyaudit.store import Store

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = cli("users", "add", "zed", "--database", db)
    assert code == 2
    assert "error:" in err and "--password-stdin" in err
    assert "aborted" not in err and "echoed" not in err
    assert "Password for" not in out
    with Store(db) as store:
        assert store.get_user("zed") is None


def test_review_cli_refuses_a_taken_name_before_asking_the_password(
    cli, db, monkeypatch
):
    """A name already taken is refused before the password is typed twice for nothing."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("first long secret\n"))
    assert cli("users", "add", "camille", "--password-stdin", "--database", db)[0] == 0

    def no_prompt(*args, **kwargs):
        raise AssertionError("the password was asked for")

    monkeypatch.setattr(
        sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})()
    )
    monkeypatch.setattr("typer.prompt", no_prompt)
    code, _, err = cli("users", "add", "Camille", "--database", db)
    assert code == 2
    assert "'camille'" in err and "ignoring case" in err

"""Commands that only read the database refuse a missing one instead of creating it empty."""

from __future__ import annotations

import io
import sys

import pytest

pytest_plugins = ["test_web_support"]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "-o", "{tmp}/typo.csv"],
        ["export", "--format", "xlsx", "-o", "{tmp}/typo.xlsx"],
        ["users", "list"],
        ["serve", "--port", "0"],
    ],
)
def test_web_read_only_command_refuses_a_missing_database(
    cli, tmp_path, monkeypatch, command
):
    """A mistyped --database exits 3 naming the path and the fix, and creates nothing."""
    from werkzeug.serving import BaseWSGIServer

    monkeypatch.setattr(BaseWSGIServer, "serve_forever", lambda self: pytest.fail())
    missing = tmp_path / "no" / "such" / "dir" / "x.sqlite3"
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    code, out, err = cli(*args, "--database", missing)
    assert code == 3, out + err
    assert err.startswith(f"error: {missing}: ")
    assert "does not exist" in err
    assert "--database" in err and "replay" in err and "scan" in err
    assert "ok:" not in out
    assert not (tmp_path / "no").exists()
    assert (
        not (tmp_path / "typo.csv").exists() and not (tmp_path / "typo.xlsx").exists()
    )


def test_web_users_add_may_create_the_database(cli, tmp_path, monkeypatch):
    """users add still creates a new database, so reviewers can be added before a scan."""
    from replyaudit.store import Store

    target = tmp_path / "fresh" / "review.sqlite3"
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    code, _, err = cli(
        "users", "add", "camille", "--password-stdin", "--database", target
    )
    assert code == 0, err
    with Store(target) as store:
        assert store.get_user("camille") is not None
    code, out, err = cli("users", "list", "--database", target)
    assert code == 0, err
    assert out.startswith("camille\t")

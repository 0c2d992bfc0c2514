"""serve refuses a port or host it cannot listen on with one clear error, never a traceback."""

from __future__ import annotations

import socket

import pytest

from test_web_support import make_settings

pytest_plugins = ["test_web_support"]


@pytest.fixture
def never_served(monkeypatch):
    """Fail the test if the page ever starts serving; stop at once otherwise."""
    from werkzeug.serving import BaseWSGIServer

    started: list[int] = []

    def stop(self):
        started.append(self.port)
        raise KeyboardInterrupt

    monkeypatch.setattr(BaseWSGIServer, "serve_forever", stop)
    return started


@pytest.fixture
def reviewer_db(db):
    from replyaudit.review import add_user
    from replyaudit.store import Store

    with Store(db) as store:
        add_user(store, "camille", "correct horse battery")
    return db


@pytest.mark.parametrize("port", ["70000", "65536", "-1"])
def test_web_serve_port_out_of_range_is_a_usage_error(cli, db, never_served, port):
    """--port 70000 no longer wraps to 4464, and -1 no longer ends in an OverflowError."""
    code, out, err = cli("serve", "--database", db, "--port", port)
    assert code == 2
    assert "--port" in err and port in err
    assert "expected a port from 0 to 65535" in err
    assert "Traceback" not in err and "Review page" not in out
    assert never_served == []


def test_web_serve_empty_host_is_refused(cli, db, never_served):
    """--host '' is refused instead of binding to every interface."""
    code, out, err = cli("serve", "--database", db, "--host", "", "--port", "0")
    assert code == 2
    assert "--host" in err and "empty" in err
    assert "listening on all interfaces" not in out
    assert never_served == []


def test_web_serve_empty_host_in_settings_names_the_key(db, tmp_path, never_served):
    """review.host = "" in a settings file is refused naming the key."""
    from replyaudit.web.app import ServeError
    from replyaudit.web.commands import serve_page

    settings = make_settings(db, tmp_path, host="  ", port=0)
    with pytest.raises(ServeError, match=r"review\.host.*empty.*Fix:"):
        serve_page(settings)
    assert never_served == []


def test_web_serve_unknown_host_says_error_option_and_fix(
    cli, reviewer_db, never_served
):
    """--host 999.1.1.1 gives an error: line naming the option and a fix, exit 2."""
    code, out, err = cli(
        "serve", "--database", reviewer_db, "--host", "999.1.1.1", "--port", "0"
    )
    assert code == 2, err
    assert "Review page" not in out
    assert err.startswith("error: --host 999.1.1.1:")
    assert "Fix:" in err
    assert never_served == []


def test_web_serve_port_in_use_says_error_option_and_fix(cli, db, never_served):
    """A port another program listens on gives an error: line naming --port and a fix."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        code, out, err = cli("serve", "--database", db, "--port", port)
    assert code == 2, err
    assert err.startswith(f"error: --port {port}:")
    assert "already in use" in err and "Fix:" in err and "--port 0" in err
    assert "Review page" not in out
    assert never_served == []


def test_web_serve_port_zero_prints_the_port_really_bound(cli, db, never_served):
    """--port 0 still picks a free port, and the printed URL carries the bound one."""
    code, out, err = cli("serve", "--database", db, "--port", "0")
    assert code == 0, err
    assert never_served and never_served[0] > 0
    assert f"Review page: http://127.0.0.1:{never_served[0]}/" in out

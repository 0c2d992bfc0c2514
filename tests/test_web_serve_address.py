"""serve prints an address a browser can open, also when bound to every interface."""

from __future__ import annotations

import pytest

from test_web_support import make_settings

pytest_plugins = ["test_web_support"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", ["http://127.0.0.1:8797/"]),
        ("localhost", ["http://localhost:8797/"]),
        ("192.0.2.10", ["http://192.0.2.10:8797/"]),
        ("::1", ["http://[::1]:8797/"]),
        ("0.0.0.0", ["http://auditbox:8797/", "http://127.0.0.1:8797/"]),
        ("::", ["http://auditbox:8797/", "http://[::1]:8797/"]),
    ],
)
def test_web_serve_urls_are_usable(monkeypatch, host, expected):
    """A wildcard bind address is replaced by the machine's name and loopback."""
    from replyaudit.web import commands

    monkeypatch.setattr(commands.socket, "gethostname", lambda: "auditbox")
    urls = commands.page_urls(host, 8797)
    assert urls == expected
    assert not any("0.0.0.0" in url or "[::]" in url for url in urls)


def test_web_serve_on_all_interfaces_prints_bind_and_usable_url(
    db, tmp_path, monkeypatch, capsys
):
    """serve --host 0.0.0.0 names the bind address, says all interfaces, prints real URLs."""
    from werkzeug.serving import BaseWSGIServer

    from replyaudit.review import add_user
    from replyaudit.store import Store
    from replyaudit.web import commands

    with Store(db) as store:
        add_user(store, "camille", "correct horse battery")
    settings = make_settings(db, tmp_path, host="0.0.0.0", port=0)

    def stop(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(BaseWSGIServer, "serve_forever", stop)
    monkeypatch.setattr(commands.socket, "gethostname", lambda: "auditbox")
    commands.serve_page(settings)
    out = capsys.readouterr().out
    assert "listening on all interfaces" in out
    assert "0.0.0.0:" in out
    assert "Review page: http://auditbox:" in out
    assert "http://127.0.0.1:" in out
    assert "http://0.0.0.0" not in out

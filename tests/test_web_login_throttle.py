"""Login throttle: five failures for a name or from an address within 15 minutes block it."""

from __future__ import annotations

import pytest

from test_web_support import csrf_token, make_settings

pytest_plugins = ["test_web_support"]

PASSWORD = "correct horse battery"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(db, tmp_path):
    from replyaudit.review import add_user
    from replyaudit.store import Store
    from replyaudit.web.app import create_app

    with Store(db) as store:
        add_user(store, "camille", PASSWORD)
        add_user(store, "dominique", PASSWORD)
    app = create_app(make_settings(db, tmp_path, require_login=True))
    clock = FakeClock()
    app.extensions["replyaudit"]["throttle"].clock = clock
    app.config["clock"] = clock
    return app


def _login(client, name: str, password: str, address: str = "127.0.0.1"):
    environ = {"REMOTE_ADDR": address}
    token = csrf_token(
        client.get("/login", environ_base=environ).get_data(as_text=True)
    )
    return client.post(
        "/login",
        data={"csrf_token": token, "name": name, "password": password},
        environ_base=environ,
    )


def test_web_login_five_failures_block_the_name_with_429(app):
    """After five wrong passwords for a name, even the right one gets 429 and a French message."""
    client = app.test_client()
    for attempt in range(5):
        response = _login(client, "camille", f"wrong {attempt}", f"10.0.0.{attempt}")
        assert response.status_code == 200
    response = _login(client, "camille", PASSWORD, "10.0.0.99")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Trop de tentatives" in html
    assert "Réessayez dans 15 minute(s)" in html
    assert int(response.headers["Retry-After"]) == 15 * 60
    assert app.test_client().get("/").status_code == 302


def test_web_login_five_failures_block_the_address(app):
    """Five failures from one address, over several names, block that address only."""
    client = app.test_client()
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        assert _login(client, name, "wrong password", "10.1.1.1").status_code == 200
    assert _login(client, "dominique", PASSWORD, "10.1.1.1").status_code == 429
    other = app.test_client()
    assert _login(other, "dominique", PASSWORD, "10.2.2.2").status_code == 302


def test_web_login_block_ends_with_the_window(app):
    """The block lasts until the failures are 15 minutes old, then the right password works."""
    client = app.test_client()
    clock = app.config["clock"]
    for _ in range(5):
        _login(client, "camille", "wrong password")
        clock.now += 60
    assert _login(client, "camille", PASSWORD).status_code == 429
    clock.now += 15 * 60 - 5 * 60 + 1
    response = _login(client, "camille", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_web_login_four_failures_then_success_is_allowed(app):
    """Fewer than five failures never block; a success clears the name's count."""
    client = app.test_client()
    for _ in range(4):
        _login(client, "camille", "wrong password", "10.3.3.3")
    assert _login(client, "camille", PASSWORD, "10.4.4.4").status_code == 302
    for _ in range(4):
        _login(app.test_client(), "camille", "wrong password", "10.5.5.5")
    assert _login(app.test_client(), "camille", PASSWORD, "10.6.6.6").status_code == 302

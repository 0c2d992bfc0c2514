"""A filter the store does not know is explained in French on the page, never an HTTP 500."""

from __future__ import annotations

import html

import pytest

from test_web_support import CAMPAIGN

pytest_plugins = ["test_web_support"]


@pytest.mark.parametrize(
    ("path", "back"),
    [
        ("/statistiques?campagne=nope", "/statistiques"),
        ("/statistiques?campagne=nope&tout=1", "/statistiques?tout=1"),
        ("/export.csv?campagne=nope", "/statistiques"),
        ("/export.xlsx?campagne=nope&tout=1", "/statistiques?tout=1"),
    ],
)
def test_web_unknown_campaign_filter_is_explained_in_french(client, caplog, path, back):
    """An unknown campaign sends back to the statistics page with a French message."""
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == back
    page = client.get(back)
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert "Campagne « nope » inconnue" in text
    assert CAMPAIGN in text
    assert "Internal Server Error" not in text and "--campaign" not in text
    assert "Traceback" not in caplog.text


def test_web_known_campaign_filter_still_exports(client):
    """The campaign the store holds is still accepted by the three routes."""
    assert client.get(f"/statistiques?campagne={CAMPAIGN}&tout=1").status_code == 200
    csv_page = client.get(f"/export.csv?campagne={CAMPAIGN}&tout=1")
    assert csv_page.status_code == 200
    assert csv_page.mimetype == "text/csv"
    assert client.get(f"/export.xlsx?campagne={CAMPAIGN}").status_code == 200


def test_web_unexpected_error_page_is_french(settings):
    """Should a page still fail, the error page is French, not Werkzeug's English one."""
    from replyaudit.web.app import create_app

    app = create_app(settings)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur inattendue" in text
    assert "Internal Server Error" not in text

"""Review comments have a documented length, and an oversized form gets a French answer."""

from __future__ import annotations

import html

import pytest

from test_web_support import CAMPAIGN, CASE, case_url, ingest_fixture, post_form

pytest_plugins = ["test_web_support"]

LIMIT = 5_000


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _trail(db) -> list:
    from replyaudit.store import Store

    with Store(db) as store:
        return list(store.audit_trail(CAMPAIGN, CASE))


@pytest.mark.parametrize(
    ("action", "field", "extra"),
    [
        ("/reponse/brand_address", "commentaire", {"valeur": "no"}),
        ("/approuver", "commentaire", {}),
    ],
)
def test_web_comment_over_the_limit_is_refused_in_french(
    client, db, action, field, extra
):
    """A comment of 5,001 characters is refused, says the limit, and changes nothing."""
    response = post_form(
        client, case_url(), case_url() + action, {field: "x" * (LIMIT + 1), **extra}
    )
    text = _text(response)
    assert response.status_code == 200
    assert "Commentaire trop long : 5 001 caractères, 5 000 au plus" in text
    assert _trail(db) == []


def test_web_comment_at_the_limit_is_kept(client, db):
    """A comment of exactly 5,000 characters is accepted and recorded whole."""
    post_form(
        client,
        case_url(),
        case_url() + "/reponse/brand_address",
        {"valeur": "no", "commentaire": "y" * LIMIT},
    )
    assert [row["comment"] for row in _trail(db)] == ["y" * LIMIT]


def test_web_reopen_reason_over_the_limit_is_refused(client, db):
    """The reason for reopening an approved scorecard has the same limit."""
    post_form(client, case_url(), case_url() + "/approuver", {})
    text = _text(
        post_form(
            client, case_url(), case_url() + "/rouvrir", {"motif": "m" * (LIMIT + 1)}
        )
    )
    assert "Motif trop long : 5 001 caractères, 5 000 au plus" in text
    assert [row["action"] for row in _trail(db)] == ["approve"]


def test_web_unmatched_comment_over_the_limit_is_refused(client, db):
    """Filing unmatched mail with an over-long comment leaves it in the queue."""
    digest = ingest_fixture(db, "unmatched-reply.eml")
    text = _text(
        post_form(
            client,
            "/non-rattaches",
            f"/non-rattaches/{CAMPAIGN}/{digest}",
            {"action": "ignorer", "commentaire": "c" * (LIMIT + 1)},
        )
    )
    assert "Commentaire trop long" in text
    assert "Votre projet automobile" in _text(client.get("/non-rattaches"))


def test_web_forms_announce_the_comment_limit(client):
    """The case page's fields carry maxlength, so a browser stops typing at the limit."""
    page = client.get(case_url()).get_data(as_text=True)
    assert f'maxlength="{LIMIT}"' in page
    assert "5 000 caractères au plus" in html.unescape(page)


@pytest.mark.parametrize("size", [600_000, 1_250_000])
def test_web_oversized_form_gets_a_french_page(client, db, size):
    """A 1.25 MB comment (beyond the form limit) gets a French 413 page, not Werkzeug's."""
    from test_web_support import csrf_token

    token = csrf_token(client.get(case_url()).get_data(as_text=True))
    response = client.post(
        case_url() + "/reponse/brand_address",
        data={"csrf_token": token, "valeur": "no", "commentaire": "x" * size},
    )
    text = _text(response)
    assert response.status_code == 413
    assert "Formulaire trop volumineux" in text
    assert "5 000 caractères au plus" in text
    assert "Request Entity Too Large" not in text
    assert case_url() in text  # a link back to the case
    assert _trail(db) == []

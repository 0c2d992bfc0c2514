"""A refused reviewer action reads in French on the page; the English stays in logs and CLI."""

from __future__ import annotations

import logging
import re

from test_web_support import CAMPAIGN, CASE, case_url, post_form

pytest_plugins = ["test_web_support"]

# Words of the core's English messages that must never reach the page.
ENGLISH = re.compile(r"\b(expected|found|Fix|case corpus|question response_time)\b")


def _flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash error"[^>]*>(.*?)</p>', html, re.DOTALL)


def test_web_refused_option_is_explained_in_french(client, caplog):
    """An option outside the question's list gets a French message naming the valid labels."""
    caplog.set_level(logging.INFO)
    html = post_form(
        client,
        case_url(),
        case_url() + "/reponse/response_time",
        {"valeur": "tomorrow", "commentaire": "essai"},
    ).get_data(as_text=True)
    (message,) = _flashes(html)
    assert message.startswith("Modification refusée : ")
    assert "Sous 2 heures" in message
    assert not ENGLISH.search(message), message
    assert "expected one of" in caplog.text


def test_web_refused_change_on_approved_case_in_french(client):
    """Changing an approved case is refused with a French reason and the way out."""
    post_form(client, case_url(), case_url() + "/approuver", {})
    html = post_form(
        client,
        case_url(),
        case_url() + "/reponse/test_drive",
        {"commentaire": "essai"},
    ).get_data(as_text=True)
    (message,) = _flashes(html)
    assert "approuvée" in message and "rouvr" in message
    assert not ENGLISH.search(message), message


def test_web_refused_second_approval_in_french(client, db):
    """Approving twice (two tabs) is refused in French."""
    from replyaudit.review import approve
    from replyaudit.store import Store

    token_page = client.get(case_url()).get_data(as_text=True)
    with Store(db) as store:
        approve(store, CAMPAIGN, CASE, "ana")
    token = re.search(r'name="csrf_token" value="([^"]+)"', token_page).group(1)
    html = client.post(
        case_url() + "/approuver", data={"csrf_token": token}, follow_redirects=True
    ).get_data(as_text=True)
    (message,) = _flashes(html)
    assert "déjà approuvée" in message
    assert not ENGLISH.search(message), message

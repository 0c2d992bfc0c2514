"""A single-choice question takes exactly one option: several values are refused."""

from __future__ import annotations

import re

import pytest

from test_web_support import case_url, csrf_token

pytest_plugins = ["test_web_support"]


def test_review_parse_value_refuses_several_values_for_single(scorecard):
    """Two different options for a single-choice question raise a French ReviewError."""
    from replyaudit.review import ReviewError, parse_value

    with pytest.raises(ReviewError) as caught:
        parse_value(scorecard, "other_help", ["never", "initial"])
    assert "Q11" in caught.value.message_fr
    assert "une seule" in caught.value.message_fr


def test_review_parse_value_keeps_a_repeated_single_value(scorecard):
    """The same option sent twice is still one answer."""
    from replyaudit.review import parse_value

    assert parse_value(scorecard, "other_help", ["never", "never"]) == "never"


def test_web_change_with_several_values_for_single_is_refused(client, db):
    """valeur=never&valeur=initial on Q11 is refused in French and nothing changes."""
    from replyaudit.store import Store
    from test_web_support import CAMPAIGN, CASE

    with Store(db) as store:
        before = store.answers(CAMPAIGN, CASE)["other_help"]["value"]
    token = csrf_token(client.get(case_url()).get_data(as_text=True))
    response = client.post(
        case_url() + "/reponse/other_help",
        data={
            "csrf_token": token,
            "valeur": ["never", "initial"],
            "commentaire": "essai",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    flashes = re.findall(r'<p class="flash error"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert len(flashes) == 1 and "une seule" in flashes[0], flashes
    with Store(db) as store:
        assert store.answers(CAMPAIGN, CASE)["other_help"]["value"] == before

"""The scorecard as data: 13 questions, 29 points, validated on load."""

from pathlib import Path

import pytest

from replyaudit.errors import ScorecardError
from replyaudit.scorecard import load_scorecard

ROOT = Path(__file__).resolve().parents[1]


def test_scorecard_has_thirteen_questions_and_twenty_nine_points(scorecard):
    assert len(scorecard.questions) == 13
    assert scorecard.max_points == 29
    assert [q.number for q in scorecard.questions] == list(range(1, 14))


def test_scorecard_wording_is_the_customers(scorecard):
    seed = (ROOT / "fixtures" / "scorecard-contact-management-mail.txt").read_text()
    for question in scorecard.questions:
        plain = question.text.replace("personnalisée", "<b>personnalisée</b>").replace(
            "spontanément", "<b>spontanément</b>"
        )
        assert plain in seed, question.key


def test_scorecard_points_of_multi_answers_are_capped(scorecard):
    assert (
        scorecard.question("test_drive").points_for(
            ["dealer_initial", "elsewhere_follow_up"]
        )
        == 2
    )
    assert (
        scorecard.question("advisor_contact").points_for(["name", "phone", "email"])
        == 3
    )
    assert scorecard.question("advisor_contact").points_for([]) == 0


def test_scorecard_rejects_value_outside_options(scorecard):
    assert scorecard.check_value("brand_address", "maybe") is not None
    assert scorecard.check_value("test_drive", "dealer_initial") is not None
    assert scorecard.check_value("nope", "yes") is not None
    assert scorecard.check_value("other_help", "follow_up") is None


def test_scorecard_with_duplicate_key_is_refused(tmp_path):
    text = (ROOT / "rules" / "scorecard.toml").read_text()
    text = text.replace('key = "brand_address"', 'key = "advisor_contact"').replace(
        "max_points = 29", "max_points = 30"
    )
    (tmp_path / "scorecard.toml").write_text(text)
    with pytest.raises(ScorecardError) as caught:
        load_scorecard(tmp_path)
    assert "unique question keys" in str(caught.value)


def test_scorecard_problems_come_together_not_one_stage_at_a_time(tmp_path):
    # A new user's negative points hid a duplicate question key and a wrong total, each
    # found only after fixing the one before.
    text = (ROOT / "rules" / "scorecard.toml").read_text()
    text = text.replace('key = "brand_address"', 'key = "advisor_contact"')
    text = text.replace("max_points = 29", "max_points = 30")
    text = text.replace("points = 0", "points = -1", 1)
    (tmp_path / "scorecard.toml").write_text(text)
    with pytest.raises(ScorecardError) as caught:
        load_scorecard(tmp_path)
    message = str(caught.value)
    assert "-1" in message
    assert "unique question keys" in message and "advisor_contact" in message
    assert "add up to 30" in message and "29" in message

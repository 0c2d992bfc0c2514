"""The settings model, the example files and the error messages of bad configuration."""

from pathlib import Path

import pytest

from replyaudit.campaign import load_campaign, parse_campaign
from replyaudit.config import Settings, load_settings
from replyaudit.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_config_example_loads_with_every_section():
    settings = load_settings(ROOT / "config.example.toml")
    assert settings.mailbox.folders == ["INBOX", "Réponses concessions"]
    assert settings.timing.policy == "open-hours"
    assert settings.review.host == "127.0.0.1"
    assert settings.campaign == ROOT / "campaign.example.toml"
    # every section of the model is documented in the example
    text = (ROOT / "config.example.toml").read_text()
    for section in Settings.model_fields:
        if section not in ("campaign", "rules_dir"):
            assert f"[{section}]" in text
        for key in getattr(Settings.model_fields[section].annotation, "model_fields", {}):
            assert key in text, f"{section}.{key} is not documented in config.example.toml"


def test_config_example_names_no_secret():
    text = (ROOT / "config.example.toml").read_text()
    assert "password =" not in text.replace("password_env", "").replace("password_command", "")


def test_campaign_example_loads_with_inquiries():
    campaign = load_campaign(ROOT / "campaign.example.toml")
    assert [q.id for q in campaign.inquiries] == ["w1-montverac-prix", "w1-brumelsheim-delai"]
    assert campaign.inquiries[0].sent_at is not None and campaign.inquiries[0].sent_at.tzinfo is not None


def test_settings_bad_values_are_all_listed_with_key_and_fix(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[mailbox]\nsecurity = "smoke"\nbatch_size = 0\n[timing]\npolicy = "wall-clock"\n[nope]\nx = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    text = str(caught.value)
    assert str(path) in text
    assert "mailbox.security" in text and "mailbox.batch_size" in text
    assert "timing.policy" in text and "nope" in text
    assert len(caught.value.problems) == 4


def test_settings_plain_imap_needs_explicit_consent(tmp_path):
    path = tmp_path / "plain.toml"
    path.write_text('[mailbox]\nsecurity = "plain"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "allow_insecure" in str(caught.value)
    path.write_text('[mailbox]\nsecurity = "plain"\nallow_insecure = true\n')
    assert load_settings(path).mailbox.effective_port == 143


def test_settings_toml_syntax_error_names_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[storage\n")
    with pytest.raises(ConfigError, match="broken.toml.*valid TOML"):
        load_settings(path)


def test_campaign_problems_are_listed_at_once_with_dealer_id():
    data = {
        "brand": {"name": "Lexus"},
        "dealers": [
            {"id": "a", "name": "A", "timezone": "Europe/Pariss", "holidays": "FR-99", "hours": {"mon": ["19:00-09:00"]}},
            {"id": "b", "name": "B", "closures": ["2026-13-01"], "hours": {"mon": ["09:00-12:00"]}},
        ],
    }
    with pytest.raises(ConfigError) as caught:
        parse_campaign(data, "campaign.toml")
    text = str(caught.value)
    assert len(caught.value.problems) == 4
    assert "dealers[0](id='a').timezone" in text and "Europe/Pariss" in text
    assert "FR-99" in text and "19:00-09:00" in text and "2026-13-01" in text


def test_campaign_accepts_departement_codes_for_alsace():
    data = {
        "brand": {"name": "Lexus"},
        "dealers": [{"id": "a", "name": "A", "holidays": "FR-68", "hours": {"mon": ["09:00-12:00"]}}],
    }
    assert parse_campaign(data, "c.toml").dealers[0].holidays == "FR-68"


def test_campaign_inquiry_with_unknown_dealer_is_refused():
    data = {
        "brand": {"name": "Lexus"},
        "dealers": [{"id": "a", "name": "A", "hours": {"mon": ["09:00-12:00"]}}],
        "inquiries": [{"id": "q1", "dealer": "zz", "shopper": "x+1@example.fr"}],
    }
    with pytest.raises(ConfigError, match=r"inquiries\[0\]\(id='q1'\)\.dealer.*'zz'"):
        parse_campaign(data, "c.toml")


def test_campaign_naive_sent_time_is_refused():
    data = {
        "brand": {"name": "Lexus"},
        "dealers": [{"id": "a", "name": "A", "hours": {"mon": ["09:00-12:00"]}}],
        "inquiries": [{"id": "q1", "dealer": "a", "shopper": "x@example.fr", "sent_at": "2026-03-16T10:05:00"}],
    }
    with pytest.raises(ConfigError, match="offset"):
        parse_campaign(data, "c.toml")


def test_campaign_every_bad_closure_is_listed_not_just_the_first():
    data = {
        "brand": {"name": "Lexus"},
        "dealers": [{"id": "a", "name": "A", "hours": {"mon": ["09:00-12:00"]},
                     "closures": ["2026-08-21/2026-08-10", "2026-02-30", "soon"]}],
    }
    with pytest.raises(ConfigError) as caught:
        parse_campaign(data, "c.toml")
    text = str(caught.value)
    assert "2026-08-21/2026-08-10" in text and "2026-02-30" in text and "'soon'" in text


def test_campaign_dealer_without_opening_hours_is_refused_with_the_file():
    data = {"brand": {"name": "Lexus"}, "dealers": [{"id": "a", "name": "A"}]}
    with pytest.raises(ConfigError) as caught:
        parse_campaign(data, "c.toml")
    assert "c.toml: dealers[0](id='a').hours" in str(caught.value)


def test_campaign_two_inquiries_sharing_a_shopper_address_are_refused():
    data = {
        "brand": {"name": "Lexus"},
        "dealers": [{"id": "a", "name": "A", "hours": {"mon": ["09:00-12:00"]}}],
        "inquiries": [
            {"id": "q1", "dealer": "a", "shopper": "x@example.fr"},
            {"id": "q2", "dealer": "a", "shopper": "X@example.fr"},
        ],
    }
    with pytest.raises(ConfigError, match="shopper address of its own"):
        parse_campaign(data, "c.toml")


def test_settings_empty_folder_list_and_sent_folder_among_folders_are_refused(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[mailbox]\nfolders = []\n')
    with pytest.raises(ConfigError, match="mailbox.folders"):
        load_settings(path)
    path.write_text('[mailbox]\nfolders = ["INBOX"]\nsent_folder = "INBOX"\n')
    with pytest.raises(ConfigError, match="sent_folder"):
        load_settings(path)


def test_settings_numeric_bound_reads_as_a_value_not_as_pydantic_prose(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[mailbox]\nbatch_size = 0\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "expected a value greater than or equal to 1, found 0" in str(caught.value)


def test_campaign_cross_checks_are_listed_with_field_errors_not_after_them():
    # A new user fixed a typo in a topic, then found a duplicate id, then an unknown
    # dealer: each hidden by the one before. All of them come at once now, each naming
    # the inquiry and the value found.
    data = {
        "brand": {"name": "Lexus"},
        "dealers": [{"id": "a", "name": "A", "hours": {"mon": ["09:00-12:00"]}}],
        "inquiries": [
            {"id": "q1", "dealer": "a", "shopper": "x+1@example.fr", "topic": "prix"},
            {"id": "q1", "dealer": "a", "shopper": "x+2@example.fr"},
            {"id": "q3", "dealer": "nowhere", "shopper": "x+3@example.fr"},
        ],
    }
    with pytest.raises(ConfigError) as caught:
        parse_campaign(data, "c.toml")
    text = str(caught.value)
    assert len(caught.value.problems) == 3, text
    assert "'prix'" in text
    assert "['q1']" in text and "more than once" in text
    assert "inquiries[2](id='q3').dealer" in text and "'nowhere'" in text


def test_campaign_every_bad_interval_of_a_day_is_listed():
    data = {
        "brand": {"name": "Lexus"},
        "dealers": [{"id": "a", "name": "A", "hours": {"mon": ["25:00-26:00", "9h-12h"]}}],
    }
    with pytest.raises(ConfigError) as caught:
        parse_campaign(data, "c.toml")
    text = str(caught.value)
    assert "25:00-26:00" in text and "9h-12h" in text


def test_settings_blank_review_host_is_refused_by_config_check(tmp_path):
    # serve refused it at start; config check said ok (a blank host would listen on
    # every interface).
    path = tmp_path / "settings.toml"
    path.write_text('[review]\nhost = "  "\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "review.host" in str(caught.value) and "127.0.0.1" in str(caught.value)

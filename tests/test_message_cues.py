"""Cue families of the classifier: rules/messages.toml loads, and a broken copy is refused."""

import re
import tomllib
from pathlib import Path

import pytest

from replyaudit.config import default_rules_dir
from replyaudit.errors import ScorecardError
from replyaudit.message.cues import FAMILIES, check_cues, load_cues

RULES = default_rules_dir()
SHIPPED = (RULES / "messages.toml").read_text(encoding="utf-8")


def _broken(tmp_path: Path, text: str) -> Path:
    (tmp_path / "messages.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_message_cues_shipped_file_loads_every_family():
    """The shipped file compiles one regex per family, counting every entry."""
    cues = load_cues(RULES)
    data = tomllib.loads(SHIPPED)

    assert set(data) == set(FAMILIES)
    assert cues.count == sum(len(data[f]["entries"]) for f in FAMILIES)
    assert check_cues(RULES) == [f"ok: {cues.count} cues in rules/messages.toml"]
    assert cues.form_recap_line.flags & re.MULTILINE
    assert all(getattr(cues, f).flags & re.IGNORECASE for f in FAMILIES)


def test_message_cues_loaded_once_per_folder():
    """load_cues returns the same compiled object for the same folder."""
    assert load_cues(RULES) is load_cues(RULES)


def test_message_cues_shipped_entries_have_notes_and_unique_ids():
    """Every shipped entry says what phrasing it targets, under an id used once."""
    data = tomllib.loads(SHIPPED)
    entries = [e for f in FAMILIES for e in data[f]["entries"]]

    assert all(e["note"].strip() for e in entries)
    assert len({e["id"] for e in entries}) == len(entries)


@pytest.mark.parametrize(
    ("family", "text", "found"),
    [
        ("no_reply_sender", "ne-pas-repondre+crm", True),
        ("no_reply_sender", "paul.rivet", False),
        ("daemon_sender", "MAILER-DAEMON", True),
        ("daemon_sender", "postmaster2", False),
        ("bounce_subject", "Échec de la remise", True),
        ("out_of_office_body", "Je suis actuellement absente jusqu'au 3", True),
        ("acknowledgement_body", "Nous avons bien reçu votre demande", True),
        ("form_recap_line", "Bonjour\n  Téléphone : 06", True),
        ("form_recap_line", "Téléphone 06", False),
        ("placeholder", "Bonjour %prenom%", True),
        ("survey_sender", "newsletter", True),
    ],
)
def test_message_cues_family_matches_phrasing(family, text, found):
    """Each family, wrapped by its prefix and suffix, matches where the classifier looks."""
    regex = getattr(load_cues(RULES), family)
    anchored = family.endswith("_sender")
    hit = regex.match(text) if anchored else regex.search(text)

    assert bool(hit) is found


def test_message_cues_broken_file_reports_every_problem_at_once(tmp_path):
    """A bad regex, a duplicate id and a missing note are all listed in one error."""
    text = SHIPPED.replace("pattern = 'robot'", "pattern = 'rob(ot'", 1)
    text = text.replace('id = "no_reply.mailer"', 'id = "no_reply.robot"', 1)
    text = text.replace("note = \"Field label 'Civilité'.\"", "", 1)
    assert text.count("rob(ot") == 1 and "Civilité'" not in text

    with pytest.raises(ScorecardError) as caught:
        load_cues(_broken(tmp_path, text))

    message = str(caught.value)
    problems = caught.value.problems
    assert len(problems) == 3, message
    assert "bad regex 'rob(ot'" in message
    assert "id='no_reply.robot'" in message
    assert "duplicate id 'no_reply.robot'" in message
    assert "[form_recap_line]" in message and "id='recap.civilite'" in message
    assert "a note saying what phrasing the entry targets" in message
    assert all(str(tmp_path / "messages.toml") in p.where for p in problems)


def test_message_cues_unknown_keys_and_families_are_reported(tmp_path):
    """Misspelt keys, an unknown family and a missing family each give a problem."""
    text = SHIPPED.replace("pattern = 'promo'", "patern = 'promo'", 1)
    text = text.replace("[[placeholder.entries]]", "[[placeholders.entries]]")
    text = text.replace("[placeholder]", "[placeholders]")

    lines = check_cues(_broken(tmp_path, text))

    assert lines[-1] == f"4 problem(s) in {tmp_path / 'messages.toml'}"
    body = "\n".join(lines)
    assert "unknown key 'patern'" in body
    assert "unknown family 'placeholders'" in body
    assert "[placeholder]: expected this cue family, found nothing" in body
    assert "id='survey_sender.promo'" in body and "non-empty regex pattern" in body


def test_message_cues_empty_matching_pattern_refused(tmp_path):
    """An alternative matching the empty string would fire on every message: refused."""
    text = SHIPPED.replace("pattern = 'vacation'", "pattern = '(vacation)?'", 1)

    lines = check_cues(_broken(tmp_path, text))

    assert len(lines) == 2
    assert "matches the empty string" in lines[0]
    assert "id='ooo_subject.vacation'" in lines[0]


def test_message_cues_missing_file_raises_scorecard_error(tmp_path):
    """A rules folder without messages.toml is a ScorecardError naming the file."""
    with pytest.raises(ScorecardError, match="no such file"):
        load_cues(tmp_path)

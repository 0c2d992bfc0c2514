"""A rules folder missing the phrase rules of a question its checks consult is refused."""

import re
import shutil
from pathlib import Path

import pytest

from replyaudit.checks import load_rules
from replyaudit.checks.rules_folder import PHRASE_QUESTIONS
from replyaudit.errors import ScorecardError

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"


def _without(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "r2"
    shutil.copytree(RULES, folder)
    for name in names:
        (folder / name).unlink()
    return folder


def test_required_questions_are_the_ones_the_checks_consult():
    # The list in rules_folder.py follows the checks: every hits_for(..., "key") there.
    used: set[str] = set()
    for path in (ROOT / "src" / "replyaudit" / "checks").glob("*.py"):
        used |= set(re.findall(r'hits_for\(\s*\w+,\s*"(\w+)"', path.read_text()))
    assert used and set(PHRASE_QUESTIONS) == used


def test_rules_check_refuses_a_folder_without_the_proposed_call_file(cli, tmp_path):
    folder = _without(tmp_path, "q06_proposed_call.toml")
    code, out, _ = cli("rules", "check", folder)
    assert code == 2
    line = next(line for line in out.splitlines() if "proposed_call" in line)
    assert "question 6" in line
    assert "q06_proposed_call.toml" in line and "Fix: " in line
    assert "ok: 75 rules" not in out


def test_rules_check_names_every_missing_question_at_once(cli, tmp_path):
    folder = _without(tmp_path, "q06_proposed_call.toml", "q10_test_drive.toml")
    code, out, _ = cli("rules", "check", folder)
    assert code == 2
    assert "question 6" in out and "question 10" in out


def test_config_check_refuses_rules_dir_without_a_question_file(cli, tmp_path):
    folder = _without(tmp_path, "q06_proposed_call.toml")
    settings = tmp_path / "config.toml"
    settings.write_text(f'rules_dir = "{folder}"\n', encoding="utf-8")
    code, _, err = cli("config", "check", settings)
    assert code == 2
    assert "question 6" in err and "q06_proposed_call.toml" in err


def test_replay_refuses_rules_without_a_question_file(cli, corpus_dir, tmp_path):
    folder = _without(tmp_path, "q06_proposed_call.toml")
    settings = tmp_path / "config.toml"
    settings.write_text(f'rules_dir = "{folder}"\n', encoding="utf-8")
    code, _, err = cli(
        "replay",
        corpus_dir,
        "--config",
        settings,
        "--database",
        tmp_path / "db.sqlite3",
    )
    assert code == 2
    assert "Traceback" not in err
    assert "question 6" in err and "proposed_call" in err


def test_load_rules_refuses_a_question_with_only_block_rules(tmp_path):
    folder = _without(tmp_path, "q06_proposed_call.toml")
    (folder / "q06_mine.toml").write_text(
        'kind = "phrases"\nquestion = "proposed_call"\n\n'
        '[[rules]]\nid = "q6.only_block"\nnote = "x"\neffect = "block"\npatterns = ["appeler"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ScorecardError, match="question 6"):
        load_rules(folder)


def test_a_broken_question_file_is_not_also_reported_missing(cli, tmp_path):
    folder = _without(tmp_path)
    target = folder / "q06_proposed_call.toml"
    target.write_text(target.read_text() + "\n[[rules]\n", encoding="utf-8")
    code, out, _ = cli("rules", "check", folder)
    assert code == 2
    assert "q06_proposed_call.toml" in out
    assert "has no phrase rule" not in out

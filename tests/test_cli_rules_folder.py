"""A rules folder given wrongly (a file, a half-copied folder, a non-UTF-8 rule) is one clear error."""

import shutil
from pathlib import Path

RULES = Path(__file__).resolve().parents[1] / "rules"


def _settings(tmp_path: Path, rules_dir: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f'rules_dir = "{rules_dir}"\n')
    return path


def test_rules_check_on_the_scorecard_file_says_to_give_its_folder(cli):
    code, out, err = cli("rules", "check", RULES / "scorecard.toml")
    assert code == 2
    assert "Traceback" not in out + err
    text = out + err
    assert "found a file" in text and "point at its folder" in text
    assert "scorecard.toml, messages.toml and the rule files" in text
    # said once, not once per file the folder should hold
    assert text.count("found a file") == 1


def test_config_check_with_rules_dir_set_to_a_file_is_a_clear_error(cli, tmp_path):
    settings = _settings(tmp_path, RULES / "scorecard.toml")
    code, _, err = cli("config", "check", settings)
    assert code == 2
    assert "Traceback" not in err
    assert (
        "scorecard.toml: expected a folder holding" in err
        and "point at its folder" in err
    )


def test_replay_with_rules_dir_set_to_a_file_is_a_clear_error(
    cli, corpus_dir, tmp_path
):
    settings = _settings(tmp_path, RULES / "scorecard.toml")
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
    assert "expected a folder holding" in err and "found a file" in err


def test_rules_folder_with_only_the_scorecard_says_the_fix_of_each_problem(
    cli, tmp_path
):
    shutil.copy(RULES / "scorecard.toml", tmp_path / "scorecard.toml")
    code, out, _ = cli("rules", "check", tmp_path)
    assert code == 2
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert all("Fix: " in line for line in errors)
    assert any("messages.toml" in line for line in errors)
    assert any(str(RULES) in line for line in errors)  # where to copy the files from


def test_non_utf8_rule_file_says_to_save_it_as_utf8(cli, tmp_path):
    for path in RULES.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "q06_proposed_call.toml"
    target.write_bytes(target.read_bytes() + "# é\n".encode("latin-1"))
    code, out, _ = cli("rules", "check", tmp_path)
    assert code == 2
    line = next(line for line in out.splitlines() if "q06_proposed_call.toml" in line)
    assert "UTF-8" in line and "save the file as UTF-8" in line
    assert "fix the syntax" not in line

"""The example settings work where they are copied, and a path that points nowhere names its key."""

import shutil
from pathlib import Path

from replyaudit.config import default_rules_dir, load_settings

ROOT = Path(__file__).resolve().parents[1]


def _live(tmp_path: Path) -> Path:
    live = tmp_path / "live"
    live.mkdir()
    shutil.copy(ROOT / "config.example.toml", live / "config.toml")
    shutil.copy(ROOT / "campaign.example.toml", live / "campaign.example.toml")
    return live / "config.toml"


def test_config_example_copied_elsewhere_passes_config_check(cli, tmp_path):
    # A new user copied it to a live folder: rules_dir = "rules" pointed at live/rules.
    config = _live(tmp_path)
    code, out, err = cli("config", "check", config)
    assert code == 0, out + err
    assert load_settings(config).rules_dir == default_rules_dir()


def test_config_check_names_the_rules_dir_key_of_a_missing_folder(cli, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('rules_dir = "my-rules"\n', encoding="utf-8")
    code, _, err = cli("config", "check", config)
    assert code == 2
    assert f'rules_dir = "my-rules" (in {config})' in err
    assert str(tmp_path / "my-rules") in err and "Fix: " in err


def test_config_check_names_the_campaign_key_of_a_missing_file(cli, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('campaign = "campagne.toml"\n', encoding="utf-8")
    code, _, err = cli("config", "check", config)
    assert code == 2
    assert f'campaign = "campagne.toml" (in {config})' in err
    assert str(tmp_path / "campagne.toml") in err

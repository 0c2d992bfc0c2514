"""The rules_dir setting reaches the message classifier, not only the scorecard checks."""

import json
import shutil
from pathlib import Path

from replyaudit.config import default_rules_dir
from replyaudit.message.cues import load_cues
from replyaudit.models import Kind
from replyaudit.replay import replay
from replyaudit.store import Store

CORPUS = Path(__file__).parent.parent / "fixtures" / "corpus"
CASE = "c01-montverac-prix-nx"
REPLY = "02-reponse-conseiller.eml"


def _one_case_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "cases").mkdir(parents=True)
    for name in ("campaign.toml",):
        shutil.copy(CORPUS / name, root / name)
    shutil.copytree(CORPUS / "cases" / CASE, root / "cases" / CASE)
    return root


def _reply_kind(tmp_path: Path, rules: Path, name: str) -> Kind:
    with Store(tmp_path / f"{name}.sqlite3") as store:
        report = replay(_one_case_corpus(tmp_path / name), store, rules)
    (result,) = report.results
    (reply,) = [m for m in result.messages if m.source.endswith(REPLY)]
    return reply.classification.kind


def _folder_with_test_cues(tmp_path: Path, rules: Path | None = None) -> Path:
    """A rules folder whose out-of-office cues include the wording of c01's reply.

    Its subject and a sentence of its body: with that folder the reply reads as an
    absence notice; with the shipped folder it stays a personalised reply.
    """
    if rules is None:
        rules = tmp_path / "rules"
        shutil.copytree(default_rules_dir(), rules)
    cues = rules / "messages.toml"
    text = cues.read_text(encoding="utf-8")
    for family, pattern in (
        ("out_of_office_subject", r"prix\s+nx"),
        ("out_of_office_body", r"merci\s+pour\s+votre\s+message"),
    ):
        text = text.replace(
            f"[[{family}.entries]]",
            f'[[{family}.entries]]\nid = "{family}.test_only"\n'
            f"pattern = '{pattern}'\nnote = \"Wording only this folder knows.\"\n\n"
            f"[[{family}.entries]]",
            1,
        )
    cues.write_text(text, encoding="utf-8")
    return rules


def test_rules_dir_own_messages_toml_decides_the_message_kind(tmp_path):
    rules = _folder_with_test_cues(tmp_path)

    assert _reply_kind(tmp_path, default_rules_dir(), "shipped") == Kind.PERSONALISED
    assert _reply_kind(tmp_path, rules, "custom") == Kind.OUT_OF_OFFICE


def test_inspect_with_config_uses_the_configured_rules_folder(tmp_path):
    from typer.testing import CliRunner

    from replyaudit.cli import app

    rules = _folder_with_test_cues(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'rules_dir = "{rules}"\n', encoding="utf-8")
    reply = CORPUS / "cases" / CASE / REPLY

    shipped = CliRunner().invoke(app, ["inspect", str(reply), "--format", "json"])
    custom = CliRunner().invoke(
        app, ["inspect", str(reply), "--format", "json", "--config", str(config)]
    )

    assert shipped.exit_code == 0 and custom.exit_code == 0, custom.output
    assert json.loads(shipped.output)["classification"]["kind"] == "personalised"
    assert json.loads(custom.output)["classification"]["kind"] == "out_of_office"


def test_cues_are_read_again_when_the_file_changes(tmp_path):
    # The review page re-analyses in one long process: an edited messages.toml counts.
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    before = load_cues(rules)
    assert not before.out_of_office_subject.search("Re: Prix NX 350h")

    _folder_with_test_cues(tmp_path, rules)

    assert load_cues(rules).out_of_office_subject.search("Re: Prix NX 350h")

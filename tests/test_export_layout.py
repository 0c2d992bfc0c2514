"""Exports French Excel opens right: BOM and ';', one evidence item per line, flags."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from openpyxl import load_workbook

from test_web_support import CAMPAIGN, CASE, case_url, post_form

pytest_plugins = ["test_web_support"]

PIPELINE = Path(__file__).parents[1] / "src" / "replyaudit" / "pipeline.py"
DOUBTS = Path(__file__).parents[1] / "src" / "replyaudit" / "doubts.py"


def _rows(text: str, delimiter: str = ";") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_export_cli_csv_has_bom_and_semicolons(cli, db, tmp_path):
    """The default CSV starts with a UTF-8 BOM and separates columns with ';'."""
    target = tmp_path / "out.csv"
    code, _, err = cli("export", "--all", "--output", target, "--database", db)
    assert code == 0, err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.split("\n")[0].startswith("Campagne;Demande;")
    assert len(_rows(text)) == 24


def test_export_cli_delimiter_comma_for_programs(cli, db, tmp_path):
    """--delimiter ',' writes a comma-separated file (still with its BOM)."""
    target = tmp_path / "out.csv"
    code, _, err = cli(
        "export", "--all", "--delimiter", ",", "--output", target, "--database", db
    )
    assert code == 0, err
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("Campagne,Demande,")
    assert len(_rows(text, ",")) == 24


def test_export_cli_help_explains_the_delimiter(cli):
    """The command's help names the ';' default for French Excel and the option."""
    code, out, _ = cli("export", "--help")
    assert code == 0
    assert "--delimiter" in out and "Excel" in out


def test_export_cli_refuses_a_long_delimiter(cli, db, tmp_path):
    """A delimiter must be one character."""
    code, _, err = cli(
        "export", "--delimiter", ";;", "--output", tmp_path / "x.csv", "--database", db
    )
    assert code != 0
    assert "one character" in err


def test_export_page_csv_uses_semicolons(client):
    """The page's CSV download has the same BOM and ';' default."""
    raw = client.get("/export.csv?tout=1").data
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").startswith("Campagne;Demande;")


def test_export_evidence_one_item_per_line_without_repeats(db, scorecard):
    """Evidence holding '|' survives: one item per line, identical quotes once per question."""
    from replyaudit.export import export_rows
    from replyaudit.export_files import csv_text
    from replyaudit.store import Store

    with Store(db) as store:
        rows = export_rows(store, scorecard, CAMPAIGN, include_all=True)
    row = next(r for r in rows if r.inquiry_id == CASE)
    items = row.evidence.split("\n")
    assert any("Ligne directe" in i and "| Mobile" in i for i in items)
    assert len(items) == len(set(items)), items
    assert sum(1 for i in items if i.startswith("Q5 ")) == 1
    assert sum(1 for i in items if i.startswith("Q6 ")) == 1
    back = next(r for r in _rows(csv_text(rows, scorecard)) if r["Demande"] == CASE)
    assert back["Preuves"].split("\n") == items


def test_export_reviewed_answer_is_described_in_french(client, db, scorecard):
    """A reviewer's change reads in French in the export, not 'changed by'."""
    from replyaudit.export import export_rows
    from replyaudit.export_files import csv_text
    from replyaudit.store import Store

    post_form(
        client,
        case_url(),
        case_url() + "/reponse/other_help",
        {"valeur": "never", "commentaire": "relu"},
    )
    with Store(db) as store:
        text = csv_text(export_rows(store, scorecard, include_all=True), scorecard)
    assert "changed by" not in text and "set by" not in text
    assert re.search(r"Q11 \(revue\) : modifiée par \S+ : relu", text), text


def test_export_flags_column_in_french(db, scorecard, tmp_path):
    """Flags get a French column in CSV and XLSX; evidence cells wrap in XLSX."""
    from replyaudit.export import export_rows
    from replyaudit.export_files import csv_text, write_xlsx
    from replyaudit.store import Store

    with Store(db) as store:
        rows = export_rows(store, scorecard, include_all=True)
    flagged = {r.inquiry_id for r in rows if r.flags}
    assert flagged
    for row in _rows(csv_text(rows, scorecard)):
        if row["Demande"] in flagged:
            assert "confiance faible" in row["Signalements"]
            assert "low_confidence" not in row["Signalements"]
        else:
            assert row["Signalements"] == ""
    target = tmp_path / "x.xlsx"
    write_xlsx(rows, scorecard, target)
    sheet = load_workbook(target)["Scorecards"]
    titles = [c.value for c in sheet[1]]
    assert "Signalements" in titles
    evidence = titles.index("Preuves") + 1
    assert sheet.cell(row=2, column=evidence).alignment.wrap_text


def test_export_every_pipeline_flag_has_a_french_label():
    """Each flag the pipeline can raise has a French label for exports and the page."""
    from replyaudit.export import FLAG_LABELS

    source = PIPELINE.read_text() + DOUBTS.read_text()
    raised = set(re.findall(r'flags\.append\("([a-z_]+)"\)', source))
    assert raised, "no flags found in pipeline.py"
    assert raised <= set(FLAG_LABELS), raised - set(FLAG_LABELS)
    assert FLAG_LABELS["new_mail_after_approval"] == "courriel reçu après approbation"

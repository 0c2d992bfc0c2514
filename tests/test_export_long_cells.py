"""Cells longer than a spreadsheet holds are cut with a French marker, in CSV and XLSX alike."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from test_web_support import CAMPAIGN

pytest_plugins = ["test_web_support"]

EXCEL_CELL_LIMIT = 32_767


def _row(evidence: str, dealer_name: str = "Lexus"):
    from replyaudit.export import ExportRow

    return ExportRow(
        campaign=CAMPAIGN,
        inquiry_id="i-1",
        dealer_id="d-1",
        dealer_name=dealer_name,
        wave=None,
        status="approved",
        total=7,
        delay_minutes=None,
        evidence=evidence,
    )


def _csv_cells(scorecard, row) -> dict[str, str]:
    from replyaudit.export_files import csv_text

    header, cells = list(
        csv.reader(io.StringIO(csv_text([row], scorecard)), delimiter=";")
    )
    return dict(zip(header, cells, strict=True))


def _xlsx_cells(scorecard, row) -> dict[str, str]:
    from replyaudit.export_files import write_xlsx

    buffer = io.BytesIO()
    write_xlsx([row], scorecard, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Scorecards"]
    return {
        str(title.value): cell.value
        for title, cell in zip(sheet[1], sheet[2], strict=True)
    }


@pytest.mark.parametrize("cells", [_csv_cells, _xlsx_cells])
def test_export_200_kb_comment_is_cut_with_a_french_marker(scorecard, cells):
    """A 200,000-character evidence cell is cut to Excel's limit and says so in French."""
    evidence = "Q5 (revue) : modifiée par ana : " + "x" * 200_000
    value = cells(scorecard, _row(evidence))["Preuves"]
    assert len(value) <= EXCEL_CELL_LIMIT
    assert value.startswith(evidence[:30_000])
    assert "texte tronqué" in value
    assert f"{len(evidence):,}".replace(",", " ") in value
    assert value.endswith("texte complet sur la page de revue]")


@pytest.mark.parametrize("cells", [_csv_cells, _xlsx_cells])
def test_export_cell_at_the_limit_is_kept_whole(scorecard, cells):
    """A cell of exactly 32,767 characters, and a short one, are written unchanged."""
    evidence = "y" * EXCEL_CELL_LIMIT
    written = cells(scorecard, _row(evidence))
    assert written["Preuves"] == evidence
    assert written["Nom de la concession"] == "Lexus"


def test_export_long_formula_like_cell_stays_quoted_and_capped(scorecard):
    """The quote that neutralises a formula counts within the limit."""
    value = _csv_cells(scorecard, _row("ok", dealer_name="=" + "z" * 40_000))[
        "Nom de la concession"
    ]
    assert value.startswith("'=zz")
    assert len(value) <= EXCEL_CELL_LIMIT
    assert "texte tronqué" in value

"""Exports neutralise operator text that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from test_web_support import CAMPAIGN

pytest_plugins = ["test_web_support"]

# The failing inputs of the bug report, plus every prefix a spreadsheet treats as code.
HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "=1+1",
    "+33 1 23 45 67 89",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def _row(scorecard, text: str):
    from replyaudit.export import ExportRow

    key = scorecard.keys[0]
    return ExportRow(
        campaign=CAMPAIGN,
        inquiry_id="i-1",
        dealer_id="d-1",
        dealer_name=text,
        wave=text,
        status="approved",
        total=7,
        delay_minutes=-12.5,
        values={key: text},
        points={key: 2},
        evidence=text,
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_export_csv_quotes_formula_like_text(scorecard, text):
    """A text cell starting with = + - @ tab or CR is prefixed with a quote in CSV."""
    from replyaudit.export_files import csv_text

    lines = list(
        csv.reader(
            io.StringIO(csv_text([_row(scorecard, text)], scorecard)), delimiter=";"
        )
    )
    header, cells = lines[0], lines[1]
    by_title = dict(zip(header, cells, strict=True))
    assert by_title["Nom de la concession"] == "'" + text
    assert by_title["Vague"] == "'" + text
    assert by_title["Preuves"] == "'" + text
    question = scorecard.questions[0]
    assert by_title[f"Q{question.number} {question.key}"] == "'" + text


def test_export_csv_keeps_numbers_and_plain_text(scorecard):
    """Numbers (negative ones too) are never quoted as formulas; plain text is unchanged.

    With the ';' default the decimal separator is a comma (test_export_numbers.py).
    """
    from replyaudit.export_files import csv_text

    lines = list(
        csv.reader(
            io.StringIO(csv_text([_row(scorecard, "Lexus")], scorecard)), delimiter=";"
        )
    )
    by_title = dict(zip(lines[0], lines[1], strict=True))
    assert by_title["Nom de la concession"] == "Lexus"
    assert by_title["Délai (minutes ouvrées)"] == "-12,5"
    assert by_title[f"Total /{scorecard.max_points}"] == "7"


@pytest.mark.parametrize("text", HOSTILE)
def test_export_xlsx_never_writes_a_formula(scorecard, tmp_path, text):
    """In XLSX formula-like text stays a string cell, marked quote-prefixed; numbers stay numbers."""
    from replyaudit.export_files import write_xlsx

    target = tmp_path / "out.xlsx"
    write_xlsx([_row(scorecard, text)], scorecard, target)
    book = load_workbook(target)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    sheet = book["Scorecards"]
    titles = [c.value for c in sheet[1]]
    name = sheet.cell(row=2, column=titles.index("Nom de la concession") + 1)
    # XML reads a carriage return back as a line feed; the text is otherwise intact.
    assert name.value == text.replace("\r", "\n")
    assert name.data_type == "s"
    assert name.quotePrefix
    delay = sheet.cell(row=2, column=titles.index("Délai (minutes ouvrées)") + 1)
    assert delay.value == -12.5
    assert delay.data_type == "n"
    summary = book["Concessions"]
    assert summary.cell(row=2, column=2).value == text.replace("\r", "\n")
    assert summary.cell(row=2, column=2).quotePrefix

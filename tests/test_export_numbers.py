"""CSV numbers as the target spreadsheet reads them: decimal commas with ';', points with ','."""

from __future__ import annotations

import csv
import io

import pytest

from test_web_support import CAMPAIGN

pytest_plugins = ["test_web_support"]

DELAY = "Délai (minutes ouvrées)"


def _row(scorecard, delay: float | None):
    from replyaudit.export import ExportRow

    return ExportRow(
        campaign=CAMPAIGN,
        inquiry_id="i-1",
        dealer_id="d-1",
        dealer_name="Lexus",
        wave=None,
        status="approved",
        total=7,
        delay_minutes=delay,
    )


def _cells(scorecard, delay, delimiter):
    from replyaudit.export_files import csv_text

    text = csv_text([_row(scorecard, delay)], scorecard, delimiter)
    header, cells = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return dict(zip(header, cells, strict=True))


@pytest.mark.parametrize(
    ("delay", "semicolon", "comma"),
    [(90.66, "90,7", "90.7"), (-12.5, "-12,5", "-12.5"), (45.0, "45,0", "45.0")],
)
def test_export_csv_decimal_separator_follows_the_delimiter(
    scorecard, delay, semicolon, comma
):
    """With ';' (French Excel) a delay is written 90,7; with ',' (programs) 90.7."""
    assert _cells(scorecard, delay, ";")[DELAY] == semicolon
    assert _cells(scorecard, delay, ",")[DELAY] == comma


def test_export_csv_integers_and_missing_delay_are_unchanged(scorecard):
    """Totals stay integers and an unknown delay stays empty, whatever the delimiter."""
    cells = _cells(scorecard, None, ";")
    assert cells[DELAY] == ""
    assert cells[f"Total /{scorecard.max_points}"] == "7"


def test_export_page_and_cli_csv_write_decimal_commas(client, cli, db, tmp_path):
    """Both CSVs with the ';' default carry commas in the delay column, none a point."""
    page = client.get("/export.csv?tout=1").data.decode("utf-8-sig")
    target = tmp_path / "out.csv"
    assert cli("export", "--all", "-o", target, "--database", db)[0] == 0
    for text in (page, target.read_text(encoding="utf-8-sig")):
        delays = [r[DELAY] for r in csv.DictReader(io.StringIO(text), delimiter=";")]
        assert any("," in d for d in delays)
        assert not any("." in d for d in delays)

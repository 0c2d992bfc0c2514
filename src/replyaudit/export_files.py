"""Writing an export: CSV text or an XLSX workbook, cells safe for spreadsheets, to a file or stdout."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from replyaudit.export import (
    ExportError,
    ExportRow,
    cells,
    dealer_summary,
    export_rows,
    headers,
    score_distribution,
)
from replyaudit.scorecard import Scorecard
from replyaudit.store import Store

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection);
# dealer names, waves and evidence come from campaign files and dealers' mail.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The most characters a spreadsheet cell holds (Excel; openpyxl cuts there silently).
MAX_CELL_CHARS = 32_767

# French Excel splits a CSV into columns on ';' and reads accents right after a BOM.
DEFAULT_DELIMITER = ";"
# --output - is standard output, for CSV only (a workbook is binary).
STDOUT = "-"
# A CSV under one of these names would open as a broken workbook.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet would read as a formula; numbers never are."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def cap_cell(value: object) -> object:
    """Text longer than a cell holds, cut to fit with a French marker saying so.

    A 200 KB review comment would otherwise be cut silently by Excel (CSV) or openpyxl
    (XLSX); the marker gives the full length and where to read it all.
    """
    if not isinstance(value, str) or len(value) <= MAX_CELL_CHARS:
        return value
    total = f"{len(value):,}".replace(",", " ")
    marker = (
        f" […] [texte tronqué : {total} caractères au total, plus qu'une cellule "
        "n'en contient ; texte complet sur la page de revue]"
    )
    return value[: MAX_CELL_CHARS - len(marker)] + marker


def csv_cell(value: object, decimal_comma: bool = False) -> object:
    """A cell for CSV: formula-like text gets a leading quote; with `decimal_comma` a
    float is written 90,7, as French Excel reads a number; long text is capped.

    The float is turned to text after the formula check: -12,5 is a number, not text.
    """
    if isinstance(value, str) and is_formula_like(value):
        return cap_cell("'" + value)
    if decimal_comma and isinstance(value, float):
        return str(value).replace(".", ",")
    return cap_cell(value)


def check_delimiter(delimiter: str) -> str:
    """The CSV delimiter if it is one character other than a quote or a line break."""
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ExportError(
            f"CSV delimiter: expected one character other than a quote or a line break, such as ';' or ',', found {delimiter!r}. "
            "Fix: --delimiter ';' (French Excel) or --delimiter ',' (programs)"
        )
    return delimiter


def csv_text(
    rows: list[ExportRow], scorecard: Scorecard, delimiter: str = DEFAULT_DELIMITER
) -> str:
    """The CSV export without its BOM, one header line, formula-like text quoted.

    With ';' (French Excel) decimals are written with a comma, which that Excel reads as
    a number (a point would make 90.7 text, or a date); other delimiters keep the point
    programs expect. Multi-line cells (evidence, one item per line) are quoted by the
    csv module.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=check_delimiter(delimiter))
    comma = delimiter == DEFAULT_DELIMITER
    writer.writerow([csv_cell(c) for c in headers(scorecard)])
    for row in rows:
        writer.writerow([csv_cell(c, comma) for c in cells(row, scorecard)])
    return buffer.getvalue()


def append_row(sheet: Worksheet, values: list[object]) -> None:
    """Append a row where text is always a string cell, never a formula.

    openpyxl turns any text starting with '=' into a formula; such cells are set back
    to strings and marked quote-prefixed, so a spreadsheet shows them as typed text.
    Text longer than a cell holds is capped with a French marker (cap_cell), and the
    control characters a workbook cannot hold (openpyxl refuses the whole file for one
    \x0b pasted from a word processor into a comment) are written as spaces.
    """
    sheet.append([cap_cell(_xlsx_text(value)) for value in values])
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def _xlsx_text(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(" ", value)
    return value


def write_xlsx(
    rows: list[ExportRow], scorecard: Scorecard, target: Path | io.BytesIO
) -> None:
    """A workbook: Scorecards, Concessions (summary), Graphiques (delays by dealer, scores)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scorecards"
    append_row(sheet, list(headers(scorecard)))
    wrapped = [len(headers(scorecard)) - 1, len(headers(scorecard))]  # flags, evidence
    for row in rows:
        append_row(sheet, cells(row, scorecard))
        for column in wrapped:
            sheet.cell(row=sheet.max_row, column=column).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"

    dealers = book.create_sheet("Concessions")
    dealers.append(
        [
            "Concession",
            "Nom",
            "Demandes",
            "Total moyen",
            "Délai moyen (minutes ouvrées)",
        ]
    )
    summary = dealer_summary(rows)
    for item in summary:
        append_row(
            dealers,
            [
                item.dealer_id,
                item.dealer_name,
                item.inquiries,
                item.mean_total,
                item.mean_delay if item.mean_delay is not None else 0,
            ],
        )
    for cell in dealers[1]:
        cell.font = Font(bold=True)

    charts = book.create_sheet("Graphiques")
    charts.append(["Score", "Demandes"])
    for label, count in score_distribution(rows, scorecard.max_points):
        append_row(charts, [label, count])
    if summary:
        delay_chart = BarChart()
        delay_chart.title = "Délai moyen de réponse par concession (minutes ouvrées)"
        delay_chart.add_data(
            Reference(dealers, min_col=5, min_row=1, max_row=len(summary) + 1),
            titles_from_data=True,
        )
        delay_chart.set_categories(
            Reference(dealers, min_col=1, min_row=2, max_row=len(summary) + 1)
        )
        charts.add_chart(delay_chart, "D2")
    score_chart = BarChart()
    score_chart.title = f"Répartition des scores (/{scorecard.max_points})"
    bins = len(score_distribution(rows, scorecard.max_points))
    score_chart.add_data(
        Reference(charts, min_col=2, min_row=1, max_row=bins + 1), titles_from_data=True
    )
    score_chart.set_categories(
        Reference(charts, min_col=1, min_row=2, max_row=bins + 1)
    )
    charts.add_chart(score_chart, "D20")
    book.save(target)


def is_stdout(target: Path) -> bool:
    return str(target) == STDOUT


def check_target(target: Path, fmt: str) -> None:
    """Refuse an --output the format cannot go to: '-' for xlsx, a name of another format."""
    if is_stdout(target):
        if fmt == "xlsx":
            raise ExportError(
                "--output -: expected a file name for an XLSX workbook, found '-' "
                "(standard output, which takes CSV only: a workbook is binary). "
                "Fix: --output scorecards.xlsx"
            )
        return
    suffix = target.suffix.lower()
    if (fmt == "xlsx" and suffix != ".xlsx") or (
        fmt == "csv" and suffix in WORKBOOK_SUFFIXES
    ):
        other = "csv" if fmt == "xlsx" else "xlsx"
        fix = f"--output {target.with_suffix('.' + fmt)}"
        if suffix == f".{other}":
            fix += f", or --format {other}"
        raise ExportError(
            f"--output {target}: expected a name ending in .{fmt} for --format {fmt}, "
            f"found {suffix or 'no extension'}. Fix: {fix}"
        )


def export_file(
    store: Store,
    scorecard: Scorecard,
    target: Path,
    fmt: str,
    campaign: str | None = None,
    include_all: bool = False,
    delimiter: str = DEFAULT_DELIMITER,
) -> int:
    """Write the export to `target` as csv (UTF-8 with BOM) or xlsx; returns the rows.

    A `target` of '-' is standard output, for csv only.
    """
    check_delimiter(delimiter)
    check_target(target, fmt)
    rows = export_rows(store, scorecard, campaign, include_all)
    try:
        if fmt == "csv" and is_stdout(target):
            # The same bytes as the file, so `export -o - > x.csv` equals `-o x.csv`.
            sys.stdout.flush()
            text = "\ufeff" + csv_text(rows, scorecard, delimiter)
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
        elif fmt == "csv":
            # newline="" keeps the csv module's \r\n rows and \n inside cells as written.
            with target.open("w", encoding="utf-8-sig", newline="") as handle:
                handle.write(csv_text(rows, scorecard, delimiter))
        elif fmt == "xlsx":
            write_xlsx(rows, scorecard, target)
        else:
            raise ExportError(
                f"export format: expected csv or xlsx, found {fmt!r}. Fix: --format csv or xlsx"
            )
    except OSError as exc:
        raise ExportError(
            f"{target}: expected a writable file, found {exc}. Fix: choose another --output"
        ) from None
    return len(rows)

"""Exports of scorecards: one row per inquiry to CSV, or an XLSX workbook with summary and charts."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from replyaudit.campaign import Campaign
from replyaudit.errors import ReplyAuditError
from replyaudit.models import Answer, CaseResult
from replyaudit.scorecard import Scorecard
from replyaudit.store import Store
from replyaudit.web.timing_fr import french_datetime

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection);
# dealer names, waves and evidence come from campaign files and dealers' mail.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

STATUS_LABELS = {
    "waiting": "en attente",
    "to_review": "à revoir",
    "approved": "approuvé",
}
# Every flag the pipeline raises, as the exports and the review page name it.
FLAG_LABELS = {
    "low_confidence": "confiance faible",
    "unmatched_mail": "courriel non rattaché",
    "clock_skew": "horloge décalée",
    "clock_error": "erreur d'horloge",
    "new_mail_after_approval": "courriel reçu après approbation",
    "no_sent_time": "heure d'envoi inconnue",
    "no_arrival_time": "heure d'arrivée inconnue",
    "duplicate_message": "message en double",
    "uncertain_classification": "classification incertaine",
    "analysis_error": "erreur d'analyse",
    "uncertain_match": "rattachement incertain",
    "implausible_date": "date de message invraisemblable",
    "arrival_mismatch": "heure d'arrivée contradictoire",
    "no_readable_text": "réponse sans texte lisible",
}
# French Excel splits a CSV into columns on ';' and reads accents right after a BOM.
DEFAULT_DELIMITER = ";"
# --output - is standard output, for CSV only (a workbook is binary).
STDOUT = "-"
# A CSV under one of these names would open as a broken workbook.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class ExportError(ReplyAuditError):
    """An export that cannot be written (unknown campaign, unwritable file...).

    str() is the English message for logs and the CLI; `message_fr` says it to a reviewer
    on the (French) review page, without command-line options.
    """

    exit_code = 2

    def __init__(self, message: str, message_fr: str = "") -> None:
        super().__init__(message)
        self.message_fr = message_fr or "l'export n'a pas pu être produit."


@dataclass
class ExportRow:
    """One inquiry's scorecard as exported."""

    campaign: str
    inquiry_id: str
    dealer_id: str
    dealer_name: str
    wave: str | None
    status: str
    total: int
    delay_minutes: float | None
    values: dict[str, str] = field(default_factory=dict)  # key -> French labels
    points: dict[str, int] = field(default_factory=dict)
    evidence: str = ""  # one item per line: "Q5 corps : « ... »"
    flags: list[str] = field(default_factory=list)
    approved_by: str | None = None
    approved_at: str | None = None


def _dealer_names(store: Store, campaign: str) -> dict[str, str]:
    data = store.get_campaign(campaign)
    if data is None:
        return {}
    return {d.id: d.name for d in Campaign.model_validate_json(data).dealers}


def export_rows(
    store: Store,
    scorecard: Scorecard,
    campaign: str | None = None,
    include_all: bool = False,
) -> list[ExportRow]:
    """Approved scorecards (every one with include_all), in campaign then inquiry order."""
    campaigns = store.campaigns()
    if campaign is not None and campaign not in campaigns:
        known = ", ".join(campaigns)
        raise ExportError(
            f"{store.path}: expected a campaign among {campaigns or 'none'}, found {campaign!r}. "
            "Fix: pass one of those to --campaign",
            f"Campagne « {campaign} » inconnue : choisissez-en une de la liste ({known}) "
            "ou « toutes »."
            if campaigns
            else f"Campagne « {campaign} » inconnue : aucune campagne n'est encore "
            "analysée dans cette base ; lancez replay ou scan.",
        )
    rows: list[ExportRow] = []
    for name in [campaign] if campaign else campaigns:
        dealers = _dealer_names(store, name)
        for case in store.cases(name):
            if case["status"] != "approved" and not include_all:
                continue
            result = CaseResult.model_validate_json(case["result"])
            inquiry_row = next(
                (r for r in store.inquiries(name) if r["id"] == case["inquiry_id"]),
                None,
            )
            wave = json.loads(inquiry_row["data"]).get("wave") if inquiry_row else None
            row = ExportRow(
                campaign=name,
                inquiry_id=case["inquiry_id"],
                dealer_id=result.dealer_id,
                dealer_name=dealers.get(result.dealer_id, result.dealer_id),
                wave=wave,
                status=case["status"],
                total=case["total"],
                delay_minutes=result.response_timing.open_minutes
                if result.response_timing
                else None,
                flags=json.loads(case["flags"] or "[]"),
                approved_by=case["approved_by"],
                approved_at=french_datetime(case["approved_at"]) or None,
            )
            reviews = _review_lines(store, name, case["inquiry_id"])
            evidence: list[str] = []
            for key, answer_row in store.answers(name, case["inquiry_id"]).items():
                answer = Answer.model_validate_json(answer_row["answer"])
                value = json.loads(answer_row["value"])
                row.values[key] = (
                    scorecard.question(key).label_for(value)
                    if key in scorecard.keys
                    else str(value)
                )
                row.points[key] = answer_row["points"]
                number = _number(scorecard, key)
                for item in answer.evidence:
                    # The timing part is the clock's English; the delay has its column.
                    if item.sentence.strip() and item.part != "timing":
                        quote = " ".join(item.sentence.split())
                        evidence.append(f"Q{number} {PART_FR[item.part]} : « {quote} »")
                if answer_row["source"] == "review" and key in reviews:
                    evidence.append(f"Q{number} (revue) : {reviews[key]}")
            # A check cites a sentence once per rule that fired: each quote once.
            row.evidence = "\n".join(dict.fromkeys(evidence))
            rows.append(row)
    return rows


PART_FR = {
    "body": "corps",
    "signature": "signature",
    "headers": "en-têtes",
    "timing": "délai",
    "attachments": "pièces jointes",
}


def _review_lines(store: Store, campaign: str, inquiry_id: str) -> dict[str, str]:
    """Per question, the latest reviewer change in French, from the audit trail."""
    lines = {}
    for entry in store.audit_trail(campaign, inquiry_id):
        if entry["action"] == "change" and entry["key"]:
            comment = f" : {entry['comment']}" if entry["comment"] else ""
            lines[entry["key"]] = f"modifiée par {entry['reviewer']}{comment}"
    return lines


def _number(scorecard: Scorecard, key: str) -> int | str:
    return scorecard.question(key).number if key in scorecard.keys else key


def headers(scorecard: Scorecard) -> list[str]:
    """Column titles, in French, one value and one points column per question."""
    columns = [
        "Campagne",
        "Demande",
        "Concession",
        "Nom de la concession",
        "Vague",
        "Statut",
    ]
    for question in scorecard.questions:
        columns += [f"Q{question.number} {question.key}", f"Q{question.number} points"]
    return columns + [
        f"Total /{scorecard.max_points}",
        "Délai (minutes ouvrées)",
        "Approuvé par",
        "Approuvé le",
        "Signalements",
        "Preuves",
    ]


def _cells(row: ExportRow, scorecard: Scorecard) -> list[object]:
    cells: list[object] = [
        row.campaign,
        row.inquiry_id,
        row.dealer_id,
        row.dealer_name,
        row.wave or "",
        STATUS_LABELS.get(row.status, row.status),
    ]
    for question in scorecard.questions:
        cells += [row.values.get(question.key, ""), row.points.get(question.key, "")]
    delay = round(row.delay_minutes, 1) if row.delay_minutes is not None else ""
    return cells + [
        row.total,
        delay,
        row.approved_by or "",
        row.approved_at or "",
        " ; ".join(FLAG_LABELS.get(f, f) for f in row.flags),
        row.evidence,
    ]


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet would read as a formula; numbers never are."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: object) -> object:
    """A cell for CSV: formula-like text gets a leading quote, the rest is unchanged."""
    return "'" + value if isinstance(value, str) and is_formula_like(value) else value


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

    Multi-line cells (evidence, one item per line) are quoted by the csv module.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=check_delimiter(delimiter))
    writer.writerow([csv_cell(c) for c in headers(scorecard)])
    for row in rows:
        writer.writerow([csv_cell(c) for c in _cells(row, scorecard)])
    return buffer.getvalue()


def append_row(sheet: Worksheet, cells: list[object]) -> None:
    """Append a row where text is always a string cell, never a formula.

    openpyxl turns any text starting with '=' into a formula; such cells are set back
    to strings and marked quote-prefixed, so a spreadsheet shows them as typed text.
    """
    sheet.append(cells)
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


@dataclass
class DealerSummary:
    dealer_id: str
    dealer_name: str
    inquiries: int
    mean_total: float
    mean_delay: float | None


def dealer_summary(rows: list[ExportRow]) -> list[DealerSummary]:
    """Per dealer: number of inquiries, mean total and mean delay in open minutes."""
    groups: dict[str, list[ExportRow]] = defaultdict(list)
    for row in rows:
        groups[row.dealer_id].append(row)
    summary = []
    for dealer_id, items in sorted(groups.items()):
        delays = [r.delay_minutes for r in items if r.delay_minutes is not None]
        summary.append(
            DealerSummary(
                dealer_id,
                items[0].dealer_name,
                len(items),
                round(mean(r.total for r in items), 2),
                round(mean(delays), 1) if delays else None,
            )
        )
    return summary


def score_distribution(
    rows: list[ExportRow], max_points: int, width: int = 5
) -> list[tuple[str, int]]:
    """Counts of totals in bins of `width` points: [("0-4", n), ("5-9", m), ...]."""
    bins = []
    for low in range(0, max_points + 1, width):
        high = min(low + width - 1, max_points)
        count = sum(1 for r in rows if low <= r.total <= high)
        bins.append((f"{low}-{high}", count))
    return bins


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
        append_row(sheet, _cells(row, scorecard))
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

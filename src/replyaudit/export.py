"""Exports of scorecards: one row per inquiry to CSV, or an XLSX workbook with summary and charts."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from replyaudit.campaign import Campaign
from replyaudit.errors import ReplyAuditError
from replyaudit.models import Answer, CaseResult
from replyaudit.scorecard import Scorecard
from replyaudit.store import Store

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection);
# dealer names, waves and evidence come from campaign files and dealers' mail.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

STATUS_LABELS = {
    "waiting": "en attente",
    "to_review": "à revoir",
    "approved": "approuvé",
}


class ExportError(ReplyAuditError):
    """An export that cannot be written (unknown campaign, unwritable file...)."""

    exit_code = 2


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
    evidence: str = ""
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
        raise ExportError(
            f"{store.path}: expected a campaign among {campaigns or 'none'}, found {campaign!r}. "
            "Fix: pass one of those to --campaign"
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
                approved_by=case["approved_by"],
                approved_at=case["approved_at"],
            )
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
                for item in answer.evidence:
                    if item.sentence:
                        evidence.append(
                            f"Q{_number(scorecard, key)}: {item.sentence.strip()}"
                        )
                if answer_row["source"] == "review" and answer.note:
                    evidence.append(f"Q{_number(scorecard, key)} (revu): {answer.note}")
            row.evidence = " | ".join(evidence)
            rows.append(row)
    return rows


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
        row.evidence,
    ]


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet would read as a formula; numbers never are."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: object) -> object:
    """A cell for CSV: formula-like text gets a leading quote, the rest is unchanged."""
    return "'" + value if isinstance(value, str) and is_formula_like(value) else value


def csv_text(rows: list[ExportRow], scorecard: Scorecard) -> str:
    """The CSV export (UTF-8, comma-separated, one header line), formula-like text quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
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
    for row in rows:
        append_row(sheet, _cells(row, scorecard))
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


def export_file(
    store: Store,
    scorecard: Scorecard,
    target: Path,
    fmt: str,
    campaign: str | None = None,
    include_all: bool = False,
) -> int:
    """Write the export to `target` as csv or xlsx; returns the number of rows."""
    rows = export_rows(store, scorecard, campaign, include_all)
    try:
        if fmt == "csv":
            target.write_text(csv_text(rows, scorecard), encoding="utf-8")
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

"""The rows of an export: one per inquiry with French labels, cells, per-dealer summary and score bins.

export_files.py writes them as CSV or as an XLSX workbook.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean

from replyaudit.campaign import Campaign
from replyaudit.errors import ReplyAuditError
from replyaudit.models import Answer, CaseResult
from replyaudit.scorecard import Scorecard
from replyaudit.store import Store
from replyaudit.web.timing_fr import french_datetime

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


def cells(row: ExportRow, scorecard: Scorecard) -> list[object]:
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

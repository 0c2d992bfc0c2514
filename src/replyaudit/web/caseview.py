"""What the case page shows: the thread as a timeline and the scorecard beside it, in French."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup

from replyaudit.campaign import Campaign, Inquiry
from replyaudit.clock import DealerClock
from replyaudit.errors import ClockError
from replyaudit.export import FLAG_LABELS, STATUS_LABELS
from replyaudit.models import Answer, CaseResult, ParsedMessage, Timing
from replyaudit.pipeline import load_parsed
from replyaudit.review import current_answers
from replyaudit.scorecard import Scorecard
from replyaudit.store import Store
from replyaudit.web.render import Span, locate, mark_text, sanitise_html
from replyaudit.web.timing_fr import french_datetime, timing_intervals, timing_sentence

KIND_LABELS = {
    "inquiry": "demande du client mystère",
    "personalised": "réponse personnalisée",
    "auto_ack": "accusé de réception automatique",
    "out_of_office": "message d'absence",
    "bounce": "non remis",
    "other": "autre",
}
ROLE_LABELS = {
    "inquiry": "demande",
    "initial": "première réponse",
    "follow_up": "relance",
    "other": "autre",
}
ACTION_LABELS = {
    "change": "modification",
    "approve": "approbation",
    "reopen": "réouverture",
    "assign": "rattachement",
    "irrelevant": "écarté",
}
PART_LABELS = {
    "body": "corps",
    "signature": "signature",
    "headers": "en-têtes",
    "timing": "délai",
    "attachments": "pièces jointes",
}


def local_time(instant: datetime | None, zone: Any) -> str:
    if instant is None:
        return "heure inconnue"
    return instant.astimezone(zone).strftime("%d/%m/%Y %H:%M (%Z)")


@dataclass
class MessageView:
    sha256: str
    role: str
    kind: str
    from_addr: str
    subject: str
    arrival: str
    arrival_source: str
    delay_minutes: float | None
    reasons: list[str]
    body: Markup
    signature: Markup
    quoted: str
    html: Markup | None
    attachments: list[str]
    defects: list[str]


@dataclass
class AnswerView:
    number: int
    key: str
    text: str
    section: str
    kind: str
    options: list[tuple[str, str, int, bool]]  # id, label, points, chosen
    value_label: str
    points: int
    max_points: int
    confidence: float
    needs_review: bool
    source: str
    rule: str
    note: str
    evidence: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # anchor, part, sentence, sha
    timing: str = ""  # the measured delay in French (Q1, Q8)
    timing_intervals: list[str] = field(default_factory=list)
    technical: list[str] = field(default_factory=list)  # English of the clock
    reviewed: str = ""  # who changed the answer, when, why (French)


def _evidence_anchor(digest: str, key: str, index: int) -> str:
    return f"ev-{digest[:12]}-{key}-{index}"


def _timing_of(result: CaseResult, key: str) -> Timing | None:
    if key == "response_time":
        return result.response_timing
    if key == "follow_up":
        return result.follow_up_timing
    return None


def _reviewed_lines(audit: list[Any]) -> dict[str, str]:
    """Per question, the latest reviewer change in French: who, when, why."""
    lines = {}
    for row in audit:
        if row["action"] == "change" and row["key"]:
            lines[row["key"]] = (
                f"modifiée par {row['reviewer']} le {french_datetime(row['at'])}"
                + (f" : {row['comment']}" if row["comment"] else "")
            )
    return lines


def _audit_value(scorecard: Scorecard, row: Any, text: str | None) -> str:
    """A recorded value as a reader says it: option labels, a French status, an id."""
    if text is None or text == "":
        return ""
    if row["action"] == "change" and row["key"] in scorecard.keys:
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if value is None:
            return ""
        return scorecard.question(row["key"]).label_for(value)
    return STATUS_LABELS.get(text, text)


def audit_rows(audit: list[Any], scorecard: Scorecard) -> list[dict[str, str]]:
    """The audit trail in French: local time, action, question, before and after labels."""
    rows = []
    for row in audit:
        key = row["key"] or ""
        if key in scorecard.keys:
            question = scorecard.question(key)
            subject = f"Q{question.number}. {question.text}"
        else:
            subject = f"message {key[:12]}" if key else ""
        rows.append(
            {
                "at": french_datetime(row["at"]),
                "reviewer": row["reviewer"],
                "action": ACTION_LABELS.get(row["action"], row["action"]),
                "question": subject,
                "before": _audit_value(scorecard, row, row["old_value"]),
                "after": _audit_value(scorecard, row, row["new_value"]),
                "comment": row["comment"] or "",
            }
        )
    return rows


def build_case(
    store: Store, scorecard: Scorecard, campaign_name: str, inquiry_id: str, policy: str
) -> dict[str, Any] | None:
    """Everything the case template needs, or None when the case is unknown."""
    case = store.get_case(campaign_name, inquiry_id)
    campaign_json = store.get_campaign(campaign_name)
    if case is None or campaign_json is None:
        return None
    campaign = Campaign.model_validate_json(campaign_json)
    result = CaseResult.model_validate_json(case["result"])
    inquiry = campaign.inquiry(inquiry_id)
    dealer = campaign.dealer(inquiry.dealer)
    answers = current_answers(store, campaign_name, inquiry_id)

    audit = store.audit_trail(campaign_name, inquiry_id)
    reviewed = _reviewed_lines(audit)
    spans: dict[tuple[str, str], list[Span]] = {}
    answer_views = []
    for question in scorecard.questions:
        answer, source = answers.get(question.key, (None, "auto"))
        value = answer.value if answer else question.zero_value()
        chosen = set(value) if isinstance(value, list) else {value}
        view = AnswerView(
            number=question.number,
            key=question.key,
            text=question.text,
            section=question.section,
            kind=question.kind,
            options=[
                (o.id, o.label, o.points, o.id in chosen) for o in question.options
            ],
            value_label=question.label_for(value),
            points=answer.points if answer else 0,
            max_points=question.max_points,
            confidence=answer.confidence if answer else 0.0,
            needs_review=answer.needs_review if answer else True,
            source=source,
            rule=answer.rule if answer else "",
            note=answer.note if answer else "",
        )
        timing = _timing_of(result, question.key)
        if timing is not None:
            view.timing = timing_sentence(timing, question.key, dealer.zone)
            view.timing_intervals = timing_intervals(timing, dealer.zone)
        view.reviewed = reviewed.get(question.key, "")
        seen: set[tuple[str, str, str]] = set()
        for index, item in enumerate(answer.evidence if answer else []):
            if item.part == "timing":
                # The clock's English timeline; the French one is built from Timing.
                if item.sentence:
                    view.technical.append(item.sentence)
                continue
            if (item.message, item.part, item.sentence) in seen:
                continue  # a check may cite the same sentence once per rule that fired
            seen.add((item.message, item.part, item.sentence))
            anchor = _evidence_anchor(item.message, question.key, index)
            view.evidence.append(
                (
                    anchor,
                    PART_LABELS.get(item.part, item.part),
                    item.sentence,
                    item.message,
                )
            )
            if item.part in ("body", "signature"):
                spans.setdefault((item.message, item.part), []).append(
                    Span(
                        item.start,
                        item.end,
                        [f"Q{question.number}"],
                        anchor,
                        item.sentence,
                    )
                )
        answer_views.append(view)

    messages = _timeline(store, campaign, inquiry, result, spans, policy)
    flags = json.loads(case["flags"])
    unmatched = store.unmatched(campaign_name)
    return {
        "campaign": campaign_name,
        "inquiry": inquiry,
        "dealer": dealer,
        "case": case,
        "status_label": STATUS_LABELS.get(case["status"], case["status"]),
        "flags": [(flag, FLAG_LABELS.get(flag, flag)) for flag in flags],
        "answers": answer_views,
        "total": case["total"],
        "max_points": scorecard.max_points,
        "messages": messages,
        "audit": audit_rows(audit, scorecard),
        "approved_at": french_datetime(case["approved_at"]),
        "unmatched_count": len(unmatched),
        "response_timing": result.response_timing,
        "labels": {q.key: q for q in scorecard.questions},
        "kind_labels": KIND_LABELS,
        "role_labels": ROLE_LABELS,
        "action_labels": ACTION_LABELS,
    }


def _timeline(
    store: Store,
    campaign: Campaign,
    inquiry: Inquiry,
    result: CaseResult,
    spans: dict[tuple[str, str], list[Span]],
    policy: str,
) -> list[MessageView]:
    dealer = campaign.dealer(inquiry.dealer)
    clock = DealerClock(dealer, policy=policy)  # type: ignore[arg-type]
    sent_at = inquiry.sent_at
    views = []
    for message in result.messages:
        parsed = load_parsed(store, message.sha256)
        if message.role == "inquiry" and sent_at is None and parsed is not None:
            sent_at = parsed.arrival or parsed.date
        delay = None
        if (
            message.role != "inquiry"
            and sent_at is not None
            and message.arrival is not None
        ):
            try:
                delay = (
                    clock.open_minutes(sent_at, message.arrival)
                    if message.arrival >= sent_at
                    else None
                )
            except ClockError:
                delay = None
        views.append(
            _message_view(
                message.sha256,
                message.role,
                message.classification.kind.value,
                message.classification.reasons,
                parsed,
                spans,
                dealer.zone,
                delay,
            )
        )
    return views


def _marked(
    parsed: ParsedMessage, part: str, spans: dict[tuple[str, str], list[Span]]
) -> Markup:
    text = getattr(parsed, part)
    found = []
    for span in spans.get((parsed.sha256, part), []):
        located = locate(text, span.start, span.end, span.sentence)
        if located is not None:
            found.append(Span(located[0], located[1], span.labels, span.anchor))
    return mark_text(text, found)


def _message_view(
    digest: str,
    role: str,
    kind: str,
    reasons: list[str],
    parsed: ParsedMessage | None,
    spans: dict[tuple[str, str], list[Span]],
    zone: Any,
    delay: float | None,
) -> MessageView:
    if parsed is None:
        return MessageView(
            digest,
            role,
            kind,
            "",
            "(message illisible)",
            "heure inconnue",
            "none",
            delay,
            reasons,
            Markup(""),
            Markup(""),
            "",
            None,
            [],
            [],
        )
    return MessageView(
        sha256=digest,
        role=role,
        kind=kind,
        from_addr=parsed.from_addr,
        subject=parsed.subject,
        arrival=local_time(parsed.arrival, zone),
        arrival_source=parsed.arrival_source,
        delay_minutes=delay,
        reasons=reasons,
        body=_marked(parsed, "body", spans),
        signature=_marked(parsed, "signature", spans),
        quoted=parsed.quoted,
        html=sanitise_html(parsed.html) if parsed.html else None,
        attachments=[
            f"{a.filename or 'sans nom'} ({a.content_type}, {a.size} octets)"
            for a in parsed.attachments
        ],
        defects=parsed.defects,
    )


def answer_summary(answer: Answer) -> str:
    return f"{answer.value} ({answer.points} pt)"

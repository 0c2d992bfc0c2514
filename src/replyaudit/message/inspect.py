"""Builds the JSON-able report of `replyaudit inspect FILE.eml` for one raw message."""

from __future__ import annotations

from typing import Any

from replyaudit.campaign import Brand, Campaign
from replyaudit.message.classify import classify_message
from replyaudit.message.cues import Cues
from replyaudit.message.match import match_message
from replyaudit.message.parse import parse_message


def inspect_message(
    raw: bytes,
    *,
    source: str = "",
    campaign: Campaign | None = None,
    cues: Cues | None = None,
) -> dict[str, Any]:
    """Everything the analyzer understood of one message; raises MessageError if none."""
    msg = parse_message(raw, source=source)
    known = campaign or Campaign(brand=Brand(name=""), dealers=[])
    classification = classify_message(msg, known, cues=cues)
    report: dict[str, Any] = {
        "source": source,
        "sha256": msg.sha256,
        "headers": {
            "from": f"{msg.from_name} <{msg.from_addr}>"
            if msg.from_name
            else msg.from_addr,
            "to": msg.to,
            "cc": msg.cc,
            "reply_to": msg.reply_to,
            "delivered_to": msg.delivered_to,
            "subject": msg.subject,
            "date": msg.date.isoformat() if msg.date else None,
            "message_id": msg.message_id,
            "in_reply_to": msg.in_reply_to,
            "references": msg.references,
            **msg.headers,
        },
        "arrival": msg.arrival.isoformat() if msg.arrival else None,
        "arrival_source": msg.arrival_source,
        "classification": {
            "kind": classification.kind.value,
            "reasons": classification.reasons,
            "confidence": classification.confidence,
        },
        "text_source": msg.text_source,
        "body": msg.body,
        "signature": msg.signature,
        "signature_status": msg.signature_status,
        "quoted": msg.quoted,
        "attachments": [a.model_dump() for a in msg.attachments],
        "inline_images": msg.inline_images,
        "defects": msg.defects,
    }
    if campaign is not None:
        report["match"] = match_message(msg, campaign, {}).model_dump()
    return report

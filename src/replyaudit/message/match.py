"""Finds which inquiry a received message answers: thread, address, then domain+subject."""

from __future__ import annotations

import re
from datetime import datetime

from replyaudit.campaign import Campaign, Dealer, Inquiry
from replyaudit.models import MatchResult, ParsedMessage

_PREFIX = re.compile(
    r"^\s*((re|r[ée]f|tr|fw|fwd|aw|wg|sv|rv|antw|r[ée]p)\s*(\[\d+\])?\s*[:：]\s*)+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\wÀ-ÿ+]+")
_STOP = {
    "de",
    "du",
    "la",
    "le",
    "les",
    "des",
    "un",
    "une",
    "pour",
    "et",
    "ou",
    "en",
    "a",
    "à",
    "votre",
    "vos",
    "sur",
    "d",
    "l",
    "re",
    "the",
    "of",
    "for",
}


def subject_words(subject: str) -> set[str]:
    """Meaningful lower-case words of a subject, without reply/forward prefixes."""
    text = _PREFIX.sub("", subject or "").lower()
    return {w for w in _WORD.findall(text) if w not in _STOP and len(w) > 1}


def _similarity(a: str, b: str) -> float:
    wa, wb = subject_words(a), subject_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def _domain(addr: str) -> str:
    return addr.rsplit("@", 1)[1].lower() if "@" in addr else ""


def _dealer_for(domain: str, dealers: list[Dealer]) -> list[Dealer]:
    if not domain:
        return []
    return [
        d
        for d in dealers
        if any(domain == x or domain.endswith("." + x) for x in d.domains)
    ]


def _inquiry_ids(inquiry: Inquiry, sent: dict[str, ParsedMessage | None]) -> set[str]:
    ids = {inquiry.message_id} if inquiry.message_id else set()
    message = sent.get(inquiry.id)
    if message is not None and message.message_id:
        ids.add(message.message_id)
    return {i.strip("<> ").lower() for i in ids if i}


def _sent_time(
    inquiry: Inquiry, sent: dict[str, ParsedMessage | None]
) -> datetime | None:
    message = sent.get(inquiry.id)
    if inquiry.sent_at is not None:
        return inquiry.sent_at
    return message.arrival or message.date if message is not None else None


def _sent_subject(inquiry: Inquiry, sent: dict[str, ParsedMessage | None]) -> str:
    message = sent.get(inquiry.id)
    return inquiry.subject or (message.subject if message is not None else "") or ""


def match_message(
    msg: ParsedMessage, campaign: Campaign, sent: dict[str, ParsedMessage | None]
) -> MatchResult:
    """Match a received message to an inquiry; basis 'none' with candidates if nothing fits."""
    inquiries = list(campaign.inquiries)
    thread_ids = {i.strip("<> ").lower() for i in msg.in_reply_to + msg.references}
    if thread_ids:
        hits = [q for q in inquiries if _inquiry_ids(q, sent) & thread_ids]
        if len(hits) == 1:
            field = (
                "In-Reply-To"
                if set(msg.in_reply_to)
                and {i.lower() for i in msg.in_reply_to} & _inquiry_ids(hits[0], sent)
                else "References"
            )
            return _checked(
                MatchResult(
                    inquiry_id=hits[0].id,
                    basis="thread",
                    confidence=0.99,
                    reasons=[f"{field} names the inquiry's Message-ID"],
                ),
                msg,
                campaign,
            )

    recipients = {a.lower() for a in msg.to + msg.cc + msg.delivered_to}
    by_address = [q for q in inquiries if q.shopper in recipients]
    if len(by_address) == 1:
        return _checked(
            MatchResult(
                inquiry_id=by_address[0].id,
                basis="address",
                confidence=0.95,
                reasons=[
                    f"sent to the inquiry's shopper address {by_address[0].shopper}"
                ],
            ),
            msg,
            campaign,
        )

    domains = {_domain(a) for a in [msg.from_addr, msg.sender_addr, *msg.reply_to] if a}
    dealers = {d.id for dom in domains for d in _dealer_for(dom, campaign.dealers)}
    pool = by_address or [q for q in inquiries if q.dealer in dealers]
    scored: list[tuple[str, float, list[str]]] = []
    when = msg.arrival or msg.date
    for q in pool:
        reasons: list[str] = []
        score = 0.4 if q.dealer in dealers else 0.2
        if q.dealer in dealers:
            reasons.append(f"sender domain belongs to dealer {q.dealer}")
        if q in by_address:
            score += 0.2
            reasons.append(f"sent to {q.shopper}, shared by several inquiries")
        sim = _similarity(msg.subject, _sent_subject(q, sent))
        if sim:
            score += 0.4 * sim
            reasons.append(f"subject similarity {sim:.2f}")
        started = _sent_time(q, sent)
        if started is not None and when is not None:
            if when < started:
                score -= 0.3
                reasons.append("arrived before the inquiry was sent")
            else:
                days = (when - started).total_seconds() / 86400
                score += 0.1 if days <= 14 else 0.0
                reasons.append(f"arrived {days:.1f} days after the inquiry")
        scored.append((q.id, round(max(score, 0.0), 3), reasons))
    scored.sort(key=lambda item: -item[1])
    candidates = [(qid, score) for qid, score, _ in scored[:5]]
    if (
        scored
        and scored[0][1] >= 0.4
        and (len(scored) == 1 or scored[0][1] - scored[1][1] >= 0.1)
    ):
        qid, score, reasons = scored[0]
        return MatchResult(
            inquiry_id=qid,
            basis="domain_subject",
            confidence=min(0.9, score),
            reasons=reasons,
            candidates=candidates,
        )
    reasons = ["no thread header, shopper address or single dealer candidate matched"]
    if len(scored) > 1:
        reasons.append(f"{len(scored)} candidates too close to choose")
    return MatchResult(
        inquiry_id=None,
        basis="none",
        confidence=0.0,
        reasons=reasons,
        candidates=candidates,
    )


# Below this, a match is shown to an analyst rather than trusted.
CONFLICT_CONFIDENCE = 0.6


def _checked(match: MatchResult, msg: ParsedMessage, campaign: Campaign) -> MatchResult:
    """Lower a thread or address match that other evidence contradicts, and say why.

    A reply signed from another dealer of the campaign, or a message whose thread headers
    and recipient address name two different inquiries, is most likely misfiled.
    """
    inquiry = campaign.inquiry(match.inquiry_id) if match.inquiry_id else None
    if inquiry is None:
        return match
    conflicts: list[str] = []
    candidates: list[tuple[str, float]] = []
    domains = {_domain(a) for a in [msg.from_addr, msg.sender_addr, *msg.reply_to] if a}
    senders = {d.id for dom in domains for d in _dealer_for(dom, campaign.dealers)}
    if senders and inquiry.dealer not in senders:
        conflicts.append(
            f"but the sender's domain belongs to {', '.join(sorted(senders))}, "
            f"not to the inquiry's dealer {inquiry.dealer}"
        )
        candidates += [(q.id, 0.3) for q in campaign.inquiries if q.dealer in senders][
            :5
        ]
    recipients = {a.lower() for a in msg.to + msg.cc + msg.delivered_to}
    others = [
        q for q in campaign.inquiries if q.shopper in recipients and q.id != inquiry.id
    ]
    if match.basis == "thread" and others:
        conflicts.append(
            f"but it was sent to the shopper address of {', '.join(q.id for q in others)}"
        )
        candidates += [(q.id, 0.5) for q in others]
    if not conflicts:
        return match
    return match.model_copy(
        update={
            "confidence": min(match.confidence, CONFLICT_CONFIDENCE),
            "reasons": [*match.reasons, *conflicts],
            "candidates": [(inquiry.id, match.confidence), *candidates],
        }
    )

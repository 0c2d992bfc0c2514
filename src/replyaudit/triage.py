"""Sorts a campaign's messages before analysis: copies, broken dates, unmatched mail's cases."""

from __future__ import annotations

from datetime import datetime, timedelta

from replyaudit.campaign import Campaign
from replyaudit.models import Classification, MatchResult, ParsedMessage
from replyaudit.timing import arrival_key

# A message dated this long before its inquiry was sent has a broken date, not a skew.
IMPLAUSIBLE_EARLY = timedelta(days=1)

Received = tuple[ParsedMessage, Classification, MatchResult]


def without_duplicates(
    messages: dict[str, ParsedMessage],
) -> tuple[dict[str, ParsedMessage], dict[str, tuple[ParsedMessage, str]]]:
    """Keep one message per Message-ID, the earliest; the others are copies of it.

    The same mail kept from two folders (or saved twice) differs in a header or two, so its
    content hash differs; counted twice it would pass for a follow-up.
    """
    kept: dict[str, ParsedMessage] = {}
    first_by_id: dict[str, str] = {}
    duplicate_of: dict[str, tuple[ParsedMessage, str]] = {}
    for message in sorted(messages.values(), key=arrival_key):
        key = (message.message_id or "").strip().lower()
        if key and key in first_by_id:
            duplicate_of[message.sha256] = (message, first_by_id[key])
            continue
        if key:
            first_by_id[key] = message.sha256
        kept[message.sha256] = message
    return kept, duplicate_of


def set_aside_implausible(
    received: list[Received],
    sent_at: datetime | None,
) -> tuple[
    list[Received],
    list[Received],
]:
    """Messages dated long before the inquiry was sent cannot answer it: a broken date.

    A few minutes early is a clock skew between servers and stays (question 1 flags it);
    more than IMPLAUSIBLE_EARLY before the sending time, the date itself is wrong.
    """
    if sent_at is None:
        return received, []
    keep, aside = [], []
    for item in received:
        when = item[0].arrival
        if when is not None and when < sent_at - IMPLAUSIBLE_EARLY:
            aside.append(item)
        else:
            keep.append(item)
    return keep, aside


def concerned_inquiries(
    campaign: Campaign, message: ParsedMessage, match: MatchResult
) -> set[str]:
    """The inquiries an unmatched message may belong to: its candidates, else its dealer's."""
    if match.candidates:
        return {inquiry_id for inquiry_id, _ in match.candidates}
    domains = {
        a.rsplit("@", 1)[-1].lower()
        for a in [message.from_addr, message.sender_addr, *message.reply_to]
        if "@" in a
    }
    dealers = {
        d.id
        for d in campaign.dealers
        if any(dom == x or dom.endswith("." + x) for dom in domains for x in d.domains)
    }
    return {q.id for q in campaign.inquiries if q.dealer in dealers}

"""Turns one raw message into a ParsedMessage: headers, arrival, text, quote, signature."""

from __future__ import annotations

import email
import hashlib
import re
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.policy import Compat32
from typing import Literal

from replyaudit.errors import MessageError
from replyaudit.message.headers import (
    addresses,
    header_text,
    message_ids,
    parse_date,
    received_date,
)
from replyaudit.message.limits import bound_new_text, bound_text
from replyaudit.message.quotes import split_quote
from replyaudit.message.signature import split_signature
from replyaudit.message.text import (
    QUOTE_MARK,
    SIGNATURE_MARK,
    bounded_html,
    html_to_text,
    part_bytes,
    part_text,
)
from replyaudit.models import Attachment, ParsedMessage

# Headers kept for the classifier and for display (lower-cased names).
KEPT_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "x-auto-response-suppress",
    "precedence",
    "list-id",
    "list-unsubscribe",
    "list-post",
    "return-path",
    "x-mailer",
    "user-agent",
    "content-type",
    "x-failed-recipients",
    "x-campaign",
    "x-mailgun-tag",
    "feedback-id",
    "x-sfmc-stack",
    "x-ms-exchange-generated-message-source",
    "x-ms-exchange-inbox-rules-loop",
    "x-loop",
    "x-beenthere",
    "mailing-list",
    "x-report-abuse",
    "x-csa-complaints",
    "organization",
    "x-priority",
    "importance",
    "delivered-to",
    "thread-topic",
    "reply-to",
    "sender",
    "x-original-to",
)
_KEPT = frozenset(KEPT_HEADERS)
_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:", re.MULTILINE)
_PREFIXES = ("x-ms-exchange-", "x-autoreply", "x-auto")


class _Raw8bitHeaders(Compat32):
    """compat32, except that a header value holding raw 8-bit bytes stays a str (the
    bytes as surrogates) for header_text to decode: compat32 wraps it in a Header whose
    str() turns every such byte into U+FFFD, so "Jérôme" in UTF-8 read "J��r��me"."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_POLICY = _Raw8bitHeaders()


def _check_is_message(raw: bytes) -> None:
    if not raw or not raw.strip():
        raise MessageError("not a message: the input is empty")
    head = raw[:4096]
    if head.count(b"\x00") > 8:
        raise MessageError(
            "not a message: binary data (NUL bytes) where headers should be"
        )
    first = head.lstrip(b"\r\n")[:2000]
    if not _HEADER_LINE.match(first):
        if first.startswith(b"From ") and _HEADER_LINE.search(first):
            return
        raise MessageError(
            "not a message: no 'Name: value' header line at the start; "
            "expected RFC 5322 headers"
        )


def _walk(msg: Message, parent_related: bool = False):  # type: ignore[no-untyped-def]
    """Leaf parts, not descending into attached messages."""
    if msg.is_multipart():
        payload = msg.get_payload()
        related = msg.get_content_type() == "multipart/related"
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    if sub.get_content_type() in ("message/rfc822", "message/global"):
                        yield sub, related
                    else:
                        yield from _walk(sub, related)
        return
    yield msg, parent_related


def _filename(part: Message, defects: list[str]) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if name is None:
        param = part.get_param("name")
        if isinstance(param, tuple):
            name = email.utils.collapse_rfc2231_value(param)
        elif param is not None:
            name = str(param)
    return header_text(name, defects) if name else None


def _parts(
    msg: Message, defects: list[str]
) -> tuple[str | None, str | None, list[Attachment], int]:
    plain: str | None = None
    html: str | None = None
    attachments: list[Attachment] = []
    inline_images = 0
    for part, related in _walk(msg):
        ctype = part.get_content_type()
        disposition = (
            str(part.get("content-disposition", "")).split(";")[0].strip().lower()
        )
        name = _filename(part, defects)
        is_attachment = disposition == "attachment" or (
            name is not None and not ctype.startswith("text/")
        )
        if (
            ctype == "text/plain"
            and not is_attachment
            and plain is None
            and disposition != "attachment"
        ):
            plain = part_text(part, defects)
            continue
        if (
            ctype == "text/html"
            and not is_attachment
            and html is None
            and disposition != "attachment"
        ):
            html = part_text(part, defects)
            continue
        if (
            ctype in ("text/plain", "text/html")
            and disposition != "attachment"
            and name is None
        ):
            continue  # a further alternative or a mailing-list footer part
        try:
            size = len(part_bytes(part, defects))
        except Exception:  # noqa: BLE001
            size = 0
        inline = disposition == "inline" or (related and bool(part.get("content-id")))
        if ctype.startswith("image/") and (inline or part.get("content-id")):
            inline_images += 1
            inline = True
        attachments.append(
            Attachment(filename=name, content_type=ctype, size=size, inline=inline)
        )
    return plain, html, attachments, inline_images


# INTERNALDATE and the topmost Received: normally agree within a few minutes; further
# apart, the message was copied or re-filed and its timing deserves a look.
ARRIVAL_DISAGREEMENT = timedelta(minutes=15)


class _Headers:
    """The top-level header fields indexed once by lower-cased name (as Message.get_all)."""

    def __init__(self, msg: Message) -> None:
        self.order: list[tuple[str, object]] = []
        self.by_name: dict[str, list[object]] = {}
        for key, value in msg.items():
            lower = key.lower()
            self.order.append((lower, value))
            self.by_name.setdefault(lower, []).append(value)

    def get_all(self, name: str) -> list[object]:
        return self.by_name.get(name, [])

    def first(self, name: str) -> object | None:
        values = self.by_name.get(name)
        return values[0] if values else None


def _topmost_received(fields: _Headers) -> datetime | None:
    for value in fields.get_all("received"):
        return received_date(str(value))
    return None


def _arrival(  # type: ignore[no-untyped-def]
    fields: _Headers,
    internaldate: datetime | None,
    date: datetime | None,
    defects: list[str],
):
    received = _topmost_received(fields)
    if internaldate is not None:
        aware = (
            internaldate if internaldate.tzinfo else internaldate.replace(tzinfo=UTC)
        )
        if received is not None and abs(aware - received) > ARRIVAL_DISAGREEMENT:
            defects.append(
                f"arrival mismatch: INTERNALDATE {aware.isoformat()} and the topmost Received: "
                f"{received.isoformat()} differ by {abs(aware - received)}; INTERNALDATE is used"
            )
        return aware, "internaldate"
    if received is not None:
        return received, "received"
    if date is not None:
        return date, "date"
    return None, "none"


def parse_message(
    raw: bytes, *, source: str = "", internaldate: datetime | None = None
) -> ParsedMessage:
    """Parse raw RFC 5322 bytes; raises MessageError only for input that is no message."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    _check_is_message(raw)
    digest = hashlib.sha256(raw).hexdigest()
    try:
        msg = email.message_from_bytes(raw, policy=_POLICY)
    except Exception as exc:  # noqa: BLE001 - the email package should not raise, but may
        raise MessageError(
            f"not a message: the MIME parser failed ({type(exc).__name__})"
        ) from None
    defects: list[str] = [type(d).__name__ for d in getattr(msg, "defects", [])]
    try:
        return _build(msg, raw, digest, source, internaldate, defects)
    except MessageError:
        raise
    except RecursionError:
        raise MessageError("not a message: MIME nesting too deep to read") from None


def _one(fields: _Headers, name: str, defects: list[str]) -> str:
    value = fields.first(name)
    return header_text(value, defects) if value is not None else ""


def _build(
    msg: Message,
    raw: bytes,
    digest: str,
    source: str,
    internaldate: datetime | None,
    defects: list[str],
) -> ParsedMessage:
    fields = _Headers(msg)
    senders = addresses([str(v) for v in fields.get_all("from")], defects)
    from_name, from_addr = senders[0] if senders else ("", "")
    sender = addresses([str(v) for v in fields.get_all("sender")], defects)
    date_text = _one(fields, "date", defects)
    date = parse_date(date_text) if date_text else None
    if date_text and date is None:
        defects.append(f"unreadable Date: {date_text[:60]!r}")
    arrival, arrival_source = _arrival(fields, internaldate, date, defects)
    kept: dict[str, str] = {}
    for lower, value in fields.order:
        wanted = lower in _KEPT or lower.startswith(_PREFIXES)
        if wanted and lower not in kept:
            kept[lower] = header_text(value, defects)[:500]

    plain, html, attachments, inline_images = _parts(msg, defects)
    html_image = False
    text_source: Literal["plain", "html", "none"]
    if plain is not None and plain.strip():
        text, text_source = bound_text(plain, defects), "plain"
        if html is not None and inline_images > 0:
            html_image = html_to_text(bounded_html(html, defects))[1]
        marked = text
    elif html is not None:
        marked, html_image = html_to_text(bounded_html(html, defects))
        marked = bound_text(marked, defects)
        text_source = "html"
        text = "\n".join(
            ln
            for ln in marked.split("\n")
            if QUOTE_MARK not in ln and SIGNATURE_MARK not in ln
        )
    else:
        text = marked = plain or ""
        text_source = "plain" if plain else "none"
    new_text, quoted = split_quote(marked)
    new_text = bound_new_text(new_text, defects)
    split = split_signature(new_text, html_image=html_image)

    def ids(name: str) -> list[str]:
        values = fields.get_all(name)
        return [i for v in values for i in message_ids(v, defects)]

    own = ids("message-id")
    return ParsedMessage(
        sha256=digest,
        source=source,
        message_id=own[0] if own else None,
        in_reply_to=ids("in-reply-to"),
        references=ids("references"),
        from_name=from_name,
        from_addr=from_addr,
        sender_addr=sender[0][1] if sender else "",
        reply_to=[
            a
            for _, a in addresses([str(v) for v in fields.get_all("reply-to")], defects)
            if a
        ],
        to=[
            a
            for _, a in addresses([str(v) for v in fields.get_all("to")], defects)
            if a
        ],
        cc=[
            a
            for _, a in addresses([str(v) for v in fields.get_all("cc")], defects)
            if a
        ],
        delivered_to=[
            a
            for _, a in addresses(
                [
                    str(v)
                    for v in fields.get_all("delivered-to")
                    + fields.get_all("x-original-to")
                ],
                defects,
            )
            if a
        ],
        subject=_one(fields, "subject", defects),
        date=date,
        arrival=arrival,
        arrival_source=arrival_source,
        headers=kept,
        content_type=msg.get_content_type(),
        text_source=text_source,
        text=text.strip("\n"),
        html=html,
        body=split.body.strip("\n"),
        signature=split.signature,
        signature_status=split.status,  # type: ignore[arg-type]
        quoted=quoted,
        attachments=attachments,
        inline_images=inline_images,
        defects=defects,
    )

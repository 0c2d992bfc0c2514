"""Decodes header values: RFC 2047 words, raw 8-bit bytes, addresses, message ids, dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.header import decode_header
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache

from dateutil import parser as date_parser

from replyaudit.message.text import decode_bytes

_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?]*\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")
_MSGID = re.compile(r"<([^<>]+)>")
_SURROGATE = re.compile("[\udc80-\udcff]")
_FOLDING = re.compile(r"\r?\n[ \t]+")
_TRAILING_COMMENT = re.compile(r"\s*\([^)]*\)\s*$")
_TZ_NAMES = {
    "CET": 3600,
    "CEST": 7200,
    "MET": 3600,
    "MEST": 7200,
    "BST": 3600,
    "WET": 0,
    "WEST": 3600,
    "EET": 7200,
    "EEST": 10800,
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -18000,
    "EDT": -14400,
    "CST": -21600,
    "CDT": -18000,
    "MST": -25200,
    "MDT": -21600,
    "PST": -28800,
    "PDT": -25200,
}


def header_text(value: object, defects: list[str] | None = None) -> str:
    """A header value as text: encoded-words decoded, raw 8-bit bytes guessed."""
    sink = defects if defects is not None else []
    if value is None:
        return ""
    text = str(value)
    if not text.isascii() and _SURROGATE.search(text):
        text = decode_bytes(text.encode("ascii", "surrogateescape"), None, sink)
    if "\n" in text or "\r" in text:
        text = _FOLDING.sub(" ", text).replace("\r", "").replace("\n", " ")
    if "=?" not in text:
        return text.strip()
    # Adjacent encoded-words are one word: the space between them is not text.
    text = _BETWEEN_WORDS.sub(r"\1\2", text)
    try:
        parts = decode_header(text)
    except Exception:  # noqa: BLE001 - the email package raises several kinds here
        sink.append(f"undecodable header {text[:60]!r}")
        return text.strip()
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            out.append(decode_bytes(chunk, charset, sink))
    return "".join(out).strip()


def addresses(values: list[str], defects: list[str]) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs of address headers."""
    decoded = [header_text(v, defects) for v in values]
    result: list[tuple[str, str]] = []
    pairs = _getaddresses(tuple(decoded))
    if pairs is None:
        defects.append("unparsable address header")
        return result
    for name, addr in pairs:
        addr = addr.strip().strip("<>").lower()
        if addr or name:
            result.append((name.strip().strip('"').strip(), addr))
    return result


@lru_cache(maxsize=2048)
def _getaddresses(decoded: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
    """getaddresses of decoded values, None if it raises; the same mailboxes recur."""
    try:
        return tuple(getaddresses(list(decoded)))
    except Exception:  # noqa: BLE001
        return None


def message_ids(value: object, defects: list[str] | None = None) -> list[str]:
    """Message ids of a Message-ID / In-Reply-To / References value, without brackets."""
    text = header_text(value, defects)
    found = [m.strip() for m in _MSGID.findall(text) if m.strip()]
    if found:
        return found
    bare = [tok.strip("<>,;") for tok in text.split() if "@" in tok]
    return [tok for tok in bare if tok]


def parse_date(value: str) -> datetime | None:
    """An aware datetime from a Date-like header value, leniently; None if it has none."""
    text = value.strip()
    if not text:
        return None
    text = _TRAILING_COMMENT.sub("", text)
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is None:
        try:
            parsed = date_parser.parse(text, fuzzy=True, tzinfos=_TZ_NAMES)
        except (ValueError, OverflowError, TypeError, AttributeError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed.utcoffset()
        if abs(parsed.utcoffset() or timedelta(0)) > timedelta(hours=18):
            return None
    except (ValueError, OverflowError):
        return None
    if parsed.year < 1970 or parsed.year > 2200:
        return None
    return parsed


def received_date(value: str) -> datetime | None:
    """The date after the last ';' of a Received: header."""
    text = _FOLDING.sub(" ", str(value))
    if ";" not in text:
        return None
    return parse_date(text.rsplit(";", 1)[1])

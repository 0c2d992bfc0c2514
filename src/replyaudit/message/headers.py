"""Decodes header values: RFC 2047 words, raw 8-bit bytes, addresses, message ids, dates."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache

from dateutil import parser as date_parser

from replyaudit.message.text import (
    codec_for,
    decode_declared,
    utf8_or_windows_1252,
)

# RFC 2047 encoded-word: =?charset[*language]?B|Q?payload?=
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?]*)\?=")
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/]*")
_Q_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
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
    """A header value as text: encoded-words decoded, raw 8-bit bytes (the surrogates
    of a str read with surrogateescape) read as UTF-8, else as windows-1252."""
    sink = defects if defects is not None else []
    if value is None:
        return ""
    text = str(value)
    raw_8bit = None
    if not text.isascii() and _SURROGATE.search(text):
        text, raw_8bit = utf8_or_windows_1252(text.encode("utf-8", "surrogateescape"))
    if "\n" in text or "\r" in text:
        text = _FOLDING.sub(" ", text).replace("\r", "").replace("\n", " ")
    if raw_8bit:
        sink.append(
            f"header bytes not valid UTF-8; decoded as {raw_8bit}: {text.strip()[:60]!r}"
        )
    if "=?" not in text:
        return text.strip()
    return _decode_words(text, sink).strip()


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    """The bytes an encoded-word's payload stands for; None if it is not valid B or Q."""
    if not payload.isascii():
        return None
    if encoding in "bB":
        body = payload.rstrip("=")
        if not _BASE64_BODY.fullmatch(body) or len(body) % 4 == 1:
            return None
        return base64.b64decode(body + "=" * (-len(body) % 4))
    data = payload.replace("_", " ").encode("ascii")
    return _Q_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _decode_words(text: str, sink: list[str]) -> str:
    """`text` with its RFC 2047 encoded-words decoded. A word that does not decode
    cleanly (invalid base64, bytes not valid in its charset) is kept as written, with
    a defect: a guess would turn it into text of another script."""
    out: list[str] = []
    run: list[tuple[str, bytes, str]] = []  # adjacent words: charset, bytes, as written
    pos = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[pos : match.start()]
        pos = match.end()
        charset, encoding, payload = match.groups()
        data = _word_bytes(encoding, payload)
        word = (charset.lower(), data or b"", match.group())
        if data is not None and run and not gap.strip():
            run.append(word)  # between adjacent encoded-words, the space is not text
            continue
        out.append(_decode_run(run, sink))
        out.append(gap)
        run = [word] if data is not None else []
        if data is None:
            kind = "base64" if encoding in "bB" else "quoted-printable"
            sink.append(
                f"encoded-word not valid {kind}, kept as written: {match.group()[:60]!r}"
            )
            out.append(match.group())
    out.append(_decode_run(run, sink))
    out.append(text[pos:])
    return "".join(out)


def _decode_run(run: list[tuple[str, bytes, str]], sink: list[str]) -> str:
    """Adjacent encoded-words: those of one charset decoded together (a character may
    be split between two words); if that fails, word by word."""
    out: list[str] = []
    start = 0
    while start < len(run):
        end = start + 1
        while end < len(run) and run[end][0] == run[start][0]:
            end += 1
        joined = _decode_word(
            run[start][0], b"".join(w[1] for w in run[start:end]), sink
        )
        if joined is not None:
            out.append(joined)
        else:
            for charset, data, written in run[start:end]:
                text = _decode_word(charset, data, sink)
                if text is None:
                    sink.append(
                        f"encoded-word bytes {_unreadable(charset)}, "
                        f"kept as written: {written[:60]!r}"
                    )
                    text = written
                out.append(text)
        start = end
    return "".join(out)


def _unreadable(charset: str) -> str:
    try:
        codec_for(charset)
    except LookupError:
        return f"in unknown charset {charset!r} and not UTF-8"
    return f"not valid in their charset {charset!r}"


def _decode_word(charset: str, data: bytes, sink: list[str]) -> str | None:
    """Bytes of encoded-words in their charset; None if not valid in it. An unknown
    charset is read as UTF-8, with a defect: most often ASCII under a wrong name
    ("=?NONE?B?VEVTVA=?=")."""
    try:
        return decode_declared(data, charset)
    except LookupError:
        text = decode_declared(data, "utf-8")
    if text is not None:
        sink.append(
            f"encoded-word in unknown charset {charset!r}, read as utf-8: {text[:60]!r}"
        )
    return text


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

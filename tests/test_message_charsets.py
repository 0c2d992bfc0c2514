"""Header and body bytes are read in the charset they declare, and where that fails the
text is either repaired the way Western mailers mean it or kept as written, with one
defect saying what was declared and what was done; never guessed into another script."""

from __future__ import annotations

import pytest

from replyaudit.message.headers import header_text
from replyaudit.message.parse import parse_message
from replyaudit.message.text import decode_bytes


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Re: =?utf-8?Q?D=C3=A9lai?= =?utf-8?Q?_court?=", "Re: Délai court"),
        # One character split over two words (RFC 2047 forbids it, mailers do it).
        ("=?utf-8?B?w6k=?= =?utf-8?B?w6k=?= =?utf-8?B?w6?= =?utf-8?B?qQ==?=", "ééé"),
        ("=?UTF-8*fr?Q?caf=C3=A9?=", "café"),
        ("=?iso-8859-1?Q?D=E9lai?=", "Délai"),
        ("a =? b", "a =? b"),
    ],
)
def test_encoded_words_decode_without_defect(value: str, text: str) -> None:
    defects: list[str] = []
    assert header_text(value, defects) == text
    assert defects == []


@pytest.mark.parametrize(
    ("value", "text", "defect"),
    [
        (
            "=?utf-8?q?a?= =?utf-8?B?invalid!!?= =?utf-8?q?b?=",
            "a =?utf-8?B?invalid!!?= b",
            "encoded-word not valid base64, kept as written: '=?utf-8?B?invalid!!?='",
        ),
        (
            "=?utf-8?q?d=E9lai?=",
            "=?utf-8?q?d=E9lai?=",
            (
                "encoded-word bytes not valid in their charset 'utf-8', "
                "kept as written: '=?utf-8?q?d=E9lai?='"
            ),
        ),
        (
            "=?x-foo?q?d=E9?=",
            "=?x-foo?q?d=E9?=",
            (
                "encoded-word bytes in unknown charset 'x-foo' and not UTF-8, "
                "kept as written: '=?x-foo?q?d=E9?='"
            ),
        ),
        (
            "=?NONE?B?VEVTVA=?=",
            "TEST",
            "encoded-word in unknown charset 'none', read as utf-8: 'TEST'",
        ),
    ],
)
def test_encoded_word_not_decoding_cleanly_is_kept_with_one_defect(
    value: str, text: str, defect: str
) -> None:
    defects: list[str] = []
    assert header_text(value, defects) == text
    assert defects == [defect]


def _raw(data: bytes) -> str:
    """A header value as the email package reads raw 8-bit bytes: as surrogates."""
    return data.decode("ascii", "surrogateescape")


@pytest.mark.parametrize(
    ("raw", "text", "defects"),
    [
        (b"J\xc3\xa9r\xc3\xb4me Dupr\xc3\xa9", "Jérôme Dupré", []),
        (
            b"J\xe9r\xf4me Dupr\xe9 \x80",
            "Jérôme Dupré €",
            ["header bytes not valid UTF-8; decoded as windows-1252: 'Jérôme Dupré €'"],
        ),
        (
            b"J\xc3\xa9r\xc3\xb4me \xe9t\xc3\xa9",
            "Jérôme été",
            [
                (
                    "header bytes not valid UTF-8; decoded as utf-8, with 1 byte(s) read "
                    "as windows-1252: 'Jérôme été'"
                )
            ],
        ),
        # Raw UTF-8 beside an encoded-word: both read, nothing guessed.
        (
            b"=?iso-8859-1?Q?Bart=F6lke?= <\xd1\x8f\xe4\xbd\xa0r.bart\xc3\xb6lke@uni.de>",
            "Bartölke <я你r.bartölke@uni.de>",
            [],
        ),
    ],
)
def test_raw_8bit_header_reads_as_utf8_else_windows_1252(
    raw: bytes, text: str, defects: list[str]
) -> None:
    found: list[str] = []
    assert header_text(_raw(raw), found) == text
    assert found == defects


def test_raw_utf8_attachment_filename_is_read() -> None:
    raw = (
        b"From: a@example.org\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="devis-r\xc3\xa9vis\xc3\xa9.pdf"\r\n'
        b"\r\nJVBERi0=\r\n--b--\r\n"
    )
    parsed = parse_message(raw)
    assert [a.filename for a in parsed.attachments] == ["devis-révisé.pdf"]
    assert parsed.defects == []


DECLARED_UTF8_FAILS = "declared charset 'utf-8' but the bytes are not valid in it; "


@pytest.mark.parametrize(
    ("data", "charset", "text", "defect"),
    [
        # French windows-1252 also reads as windows-1250 ("trčs"): windows-1252 wins.
        (
            "Le délai est très court.".encode("cp1252"),
            None,
            "Le délai est très court.",
            "no charset declared and the bytes are not UTF-8; decoded as windows-1252",
        ),
        # UTF-8 with one stray windows-1252 byte: the UTF-8 is kept, not re-read.
        (
            "Le délai est très court, Agnès ".encode() + b"\x92" + b" merci",
            "utf-8",
            "Le délai est très court, Agnès \u2019 merci",
            DECLARED_UTF8_FAILS
            + "decoded as utf-8, with 1 byte(s) read as windows-1252",
        ),
        # A guess of a code page mail does not use (here mac_cyrillic) loses.
        (
            b"\x8a{\xda\x96'" * 3,
            "utf-8",
            "Š{Ú–'" * 3,
            DECLARED_UTF8_FAILS + "decoded as windows-1252",
        ),
        # Charsets mail does use are still detected.
        (
            "Здравствуйте, автомобиль доступен на следующей неделе.".encode("cp1251"),
            "utf-8",
            "Здравствуйте, автомобиль доступен на следующей неделе.",
            DECLARED_UTF8_FAILS + "decoded as windows-1251",
        ),
        (
            "Bonjour, le délai est très court.".encode("utf-16"),
            "utf-8",
            "Bonjour, le délai est très court.",
            DECLARED_UTF8_FAILS + "decoded as utf-16",
        ),
        (
            "délai".encode(),
            "x-mac-foo",
            "délai",
            "unknown charset 'x-mac-foo'; decoded as utf-8",
        ),
    ],
    ids=[
        "french-1252",
        "utf8-stray-byte",
        "exotic-guess",
        "cp1251",
        "utf16",
        "unknown",
    ],
)
def test_body_bytes_not_in_their_charset_are_repaired_with_one_defect(
    data: bytes, charset: str | None, text: str, defect: str
) -> None:
    defects: list[str] = []
    assert decode_bytes(data, charset, defects) == text
    assert defects == [defect]


def test_windows_1252_keeps_the_euro_beside_an_undefined_byte() -> None:
    defects: list[str] = []
    assert decode_bytes(b"\x80 \x81", "windows-1252", defects) == "€ \x81"
    assert defects == []

"""The header index and the address cache of parse_message give the same answers as
the email package read field by field, on every bundled message, parsed twice."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest

from replyaudit.errors import MessageError
from replyaudit.message.headers import addresses
from replyaudit.message.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MESSAGES = sorted(
    p
    for folder in ("corpus", "messages", "robustness")
    for p in (FIXTURES / folder).rglob("*")
    if p.suffix in (".eml", ".txt") and p.name not in ("README.txt",)
)


def _parsed(raw: bytes) -> str:
    try:
        return parse_message(raw).model_dump_json()
    except MessageError as exc:
        return f"error: {exc}"


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_message_parse_twice_is_identical(path: Path) -> None:
    raw = path.read_bytes()
    assert _parsed(raw) == _parsed(raw)


def test_message_header_index_first_of_repeated_field_kept() -> None:
    raw = (
        b"From: A <a@example.org>\r\nTo: b@example.org\r\nTo: c@example.org\r\n"
        b"X-Priority: 1\r\nX-Priority: 5\r\n"
        b"Received: from x by y; Tue, 1 Oct 2024 10:00:00 +0200\r\n"
        b"Received: from w by x; Tue, 1 Oct 2024 08:00:00 +0200\r\n"
        b"Subject: s\r\n\r\nbody\r\n"
    )
    parsed = parse_message(raw)
    msg = email.message_from_bytes(raw, policy=policy.compat32)
    assert parsed.to == ["b@example.org", "c@example.org"]
    assert parsed.headers["x-priority"] == str(msg.get("x-priority")) == "1"
    assert parsed.arrival is not None and parsed.arrival.hour == 10
    assert parsed.arrival_source == "received"


def test_message_addresses_cache_still_reports_defects() -> None:
    first: list[str] = []
    second: list[str] = []
    value = ["=?utf-8?q?Ana=C3=AFs?= <ANAIS@Example.org>"]
    assert addresses(value, first) == addresses(value, second)
    assert addresses(value, [])[0] == ("Anaïs", "anais@example.org")
    assert first == second

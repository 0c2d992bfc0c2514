"""Header and body bytes are read in the charset they declare, and where that fails the
text is either repaired the way Western mailers mean it or kept as written, with one
defect saying what was declared and what was done; never guessed into another script."""

from __future__ import annotations

import pytest

from replyaudit.message.headers import header_text


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

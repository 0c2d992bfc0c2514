"""Every malformed or real-world message is normalised or rejected with a reason."""

from pathlib import Path

import pytest

from replyaudit.errors import MessageError
from replyaudit.message import inspect_message, parse_message

ROBUSTNESS = Path(__file__).parent.parent / "fixtures" / "robustness"
FILES = sorted(
    p for p in ROBUSTNESS.rglob("*") if p.is_file() and p.suffix in (".eml", ".txt")
)


def test_message_robustness_counts():
    """read == normalised + rejected == 161, and nothing but MessageError escapes."""
    normalised, rejected = 0, []
    for path in FILES:
        try:
            msg = parse_message(path.read_bytes(), source=str(path))
        except MessageError as exc:
            reason = str(exc)
            assert reason and "\n" not in reason, path
            rejected.append((path.name, reason))
            continue
        assert len(msg.sha256) == 64
        assert msg.arrival is None or msg.arrival.tzinfo is not None
        normalised += 1
    print(
        f"robustness: read {len(FILES)}, normalised {normalised}, rejected {len(rejected)}"
    )
    for name, reason in rejected:
        print(f"  rejected {name}: {reason}")
    assert len(FILES) == normalised + len(rejected) == 161


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_message_robustness_inspect(path):
    """inspect_message returns a report or raises MessageError with a one-line reason."""
    try:
        report = inspect_message(path.read_bytes(), source=str(path))
    except MessageError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert report["classification"]["kind"]
    assert report["sha256"]


@pytest.mark.parametrize(
    "raw", [b"", b"   \r\n", b"\x00\x01\x02" * 50, b"just some words"]
)
def test_message_parse_rejects_non_messages(raw):
    """Empty input and binary garbage are rejected with MessageError."""
    with pytest.raises(MessageError):
        parse_message(raw)

"""Hand-written messages from issue 5's list of inputs that broke other tools."""

import tomllib
from pathlib import Path

import pytest

from replyaudit.message import parse_message

FIXTURES = Path(__file__).parent.parent / "fixtures" / "messages"
CASES = sorted(FIXTURES.glob("*.eml"))


def _expect(path: Path) -> dict:
    with path.with_suffix(".toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_message_fixture_parses_as_expected(path):
    """Each fixture's .toml states what its parse must and must not contain."""
    msg = parse_message(path.read_bytes(), source=path.name)
    expect = _expect(path)
    assert expect, f"{path.name} has no expectations"
    for key, value in expect.items():
        field, _, check = key.rpartition("_")
        if check == "contains":
            for needle in value:
                assert needle in getattr(msg, field), f"{field} lacks {needle!r}"
        elif check == "excludes":
            for needle in value:
                assert needle not in getattr(msg, field), f"{field} holds {needle!r}"
        elif key in ("date", "arrival"):
            found = getattr(msg, key)
            assert (found.isoformat() if found else "none") == value
        else:
            assert getattr(msg, key) == value, key


def test_message_fixtures_cover_every_listed_input():
    """All twelve inputs of the issue have at least one fixture."""
    numbers = {p.name[:2] for p in CASES}
    assert numbers >= {f"{n:02d}" for n in range(1, 13)}

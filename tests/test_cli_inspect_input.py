"""inspect refuses what is not a saved e-mail (missing path, folder, file with no header), exit 2."""

from pathlib import Path

import pytest

from replyaudit.errors import MessageError
from replyaudit.explain import has_mail_header
from replyaudit.message import parse_message

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MESSAGES = sorted(
    p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".eml", ".txt")
)
PASSWD = b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


def test_inspect_missing_file_is_a_usage_error(cli, tmp_path):
    code, _, err = cli("inspect", tmp_path / "absent.eml")
    assert code == 2
    assert "absent.eml" in err and "no such file" in err and "Traceback" not in err


def test_inspect_folder_is_a_usage_error(cli, tmp_path):
    code, _, err = cli("inspect", tmp_path)
    assert code == 2
    assert "a folder" in err and "Fix: " in err


def test_inspect_file_without_any_header_is_refused(cli, tmp_path):
    path = tmp_path / "passwd"
    path.write_bytes(PASSWD)
    code, out, err = cli("inspect", path)
    assert code == 2
    assert "expected a saved e-mail (.eml)" in err and "found no header" in err
    assert out == ""


@pytest.mark.parametrize("path", MESSAGES, ids=[p.name for p in MESSAGES])
def test_no_message_the_parser_reads_is_refused_for_lack_of_header(path):
    raw = path.read_bytes()
    try:
        parse_message(raw, source=str(path))
    except MessageError:
        return  # rejected by the parser anyway
    assert has_mail_header(raw), path

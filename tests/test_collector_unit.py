"""The collector without a server: odd FETCH answers from a mocked IMAPClient, the lock."""

import pytest

from replyaudit.collector.lock import ScanLock
from replyaudit.collector.scan import ScanSummary, collect_folder
from replyaudit.errors import LockHeldError
from replyaudit.store import Store

RAW = b"From: a@lexus-montverac.fr\r\nSubject: x\r\nDate: nonsense\r\n\r\nBonjour\r\n"


class FlagsOnlyClient:
    """Answers the first FETCH of UID 2 with FLAGS only, as when another client changes flags."""

    def __init__(self):
        self.calls = []

    def select_folder(self, folder, readonly=False):
        assert readonly
        return {b"UIDVALIDITY": 7, b"UIDNEXT": 4, b"EXISTS": 3}

    def search(self, criteria):
        return [1, 2, 3]

    def fetch(self, uids, items):
        assert "BODY.PEEK[]" in items
        self.calls.append(list(uids))
        if len(uids) > 1:
            return {
                1: {b"BODY[]": RAW + b"1"},
                2: {b"FLAGS": (b"\\Seen",)},
                3: {b"BODY[]": RAW + b"3"},
            }
        if uids == [2]:
            return {2: {b"BODY[]": RAW + b"2"}}
        return {}


def test_collect_folder_refetches_a_uid_answered_with_flags_only(tmp_path):
    client = FlagsOnlyClient()
    summary = ScanSummary(campaign="live:t")
    with Store(tmp_path / "db.sqlite3") as store:
        collect_folder(client, store, "live:t", "INBOX", 200, summary)
        assert summary.new == 3 and summary.errors == 0
        assert client.calls == [[1, 2, 3], [2]]
        assert store.get_folder("INBOX")["highest_uid"] == 3


def test_scan_lock_refuses_a_second_holder(tmp_path):
    with (
        ScanLock(tmp_path / "scan.lock"),
        pytest.raises(LockHeldError) as caught,
        ScanLock(tmp_path / "scan.lock"),
    ):
        pass
    assert caught.value.exit_code == 75
    with ScanLock(tmp_path / "scan.lock"):
        pass


def _alive(pid: int) -> bool:
    """Whether a process still runs (a zombie waiting for init to reap it does not)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("setting", ["password_command", "oauth2_token_command"])
def test_a_hanging_secret_command_is_killed_with_its_children(tmp_path, monkeypatch, setting):
    """`sleep 1000` started by the command was left running, reparented to init, after the timeout."""
    import time

    from replyaudit.collector import connect
    from replyaudit.config import MailboxSettings
    from replyaudit.errors import ConfigError

    monkeypatch.setattr(connect, "SECRET_COMMAND_TIMEOUT", 1)
    pidfile = tmp_path / "child.pid"
    command = f"sleep 1000 & echo $! > {pidfile}; wait"
    auth = "oauth2" if setting == "oauth2_token_command" else "password"
    mailbox = MailboxSettings(host="imap.example.org", username="u", auth=auth, **{setting: command})
    started = time.monotonic()
    with pytest.raises(ConfigError) as caught:
        connect.read_secret(mailbox)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert setting in message and "1 s" in message and "Fix:" in message
    assert "TimeoutExpired" not in message
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), f"the command's child {child} outlived the timeout"

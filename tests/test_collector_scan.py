"""replyaudit scan against a real Dovecot on loopback: corpus parity with replay, faults."""

import os
import shutil
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from conftest import CORPUS, require_component
from imap_server import (
    PASSWORD,
    SENT,
    DovecotServer,
    corpus_messages,
    seed_corpus,
    write_live_campaign,
    write_settings,
)
from replyaudit.collector.lock import ScanLock
from replyaudit.collector.scan import lock_path, scan
from replyaudit.config import load_settings
from replyaudit.store import Store

pytestmark = pytest.mark.imap

ENV = "REPLYAUDIT_TEST_IMAP_PASSWORD"


def _msg(n: int, date: str = "Mon, 08 Jun 2026 10:00:00 +0200") -> bytes:
    return (
        f"From: Conseiller <vente@lexus-montverac.fr>\r\nTo: x+{n}@example-shopper.fr\r\n"
        f"Subject: Message {n}\r\nDate: {date}\r\nMessage-ID: <m{n}@lexus-montverac.fr>\r\n\r\n"
        f"Bonjour, message {n}.\r\n"
    ).encode()


@pytest.fixture
def server(monkeypatch):
    require_component(
        "dovecot", shutil.which("dovecot") is not None, "apt-get install dovecot-imapd"
    )
    monkeypatch.setenv(ENV, PASSWORD)
    instance = DovecotServer.start()
    yield instance
    instance.stop()


@pytest.fixture
def live(server, tmp_path):
    """The bundled corpus seeded in the mailbox, and settings pointing at it."""
    seed_corpus(server, CORPUS)
    campaign = write_live_campaign(CORPUS, tmp_path / "campaign.toml")
    return write_settings(tmp_path / "config.toml", server, campaign, tmp_path / "data")


def _answers(db, campaign):
    with Store(db) as store:
        return {
            row["inquiry_id"]: {
                k: r["value"]
                for k, r in store.answers(campaign, row["inquiry_id"]).items()
            }
            for row in store.cases(campaign)
        }


def test_scan_prefills_the_same_answers_as_replay_and_a_second_scan_changes_nothing(
    cli, live, tmp_path
):
    code, out, err = cli("scan", "--config", live)
    assert code == 0, err
    assert "66 new" in out and "0 rejected" in out and "0 errors" in out
    db = tmp_path / "data" / "replyaudit.sqlite3"
    assert cli("replay", CORPUS, "--database", tmp_path / "replay.sqlite3")[0] == 0

    scanned = _answers(db, "live:campaign")
    replayed = _answers(tmp_path / "replay.sqlite3", f"corpus:{CORPUS.name}")
    assert len(scanned) == 24
    assert scanned == replayed

    with Store(db) as store:
        before = store.db.execute("SELECT COUNT(*) FROM message_sources").fetchone()[0]
    code, out, _ = cli("scan", "--config", live)
    assert code == 0
    assert "0 new, 0 matched, 0 unmatched, 0 rejected, 0 errors" in out
    assert _answers(db, "live:campaign") == scanned
    with Store(db) as store:
        assert (
            store.db.execute("SELECT COUNT(*) FROM message_sources").fetchone()[0]
            == before
        )
        rows = store.scans()
        assert [r["new"] for r in rows] == [66, 0]
        assert all(r["outcome"] == "ok" and r["finished_at"] for r in rows)


def test_scan_over_starttls_leaves_flags_unchanged(server, tmp_path):
    server.append_many("INBOX", [(_msg(n), None) for n in range(5)])
    with server.client() as client:
        client.select_folder("INBOX", readonly=True)
        before = {
            uid: d[b"FLAGS"]
            for uid, d in client.fetch(client.search(), ["FLAGS"]).items()
        }
    campaign = write_live_campaign(CORPUS, tmp_path / "campaign.toml")
    config = write_settings(
        tmp_path / "c.toml",
        server,
        campaign,
        tmp_path / "data",
        "starttls",
        folders=("INBOX",),
        sent_folder="",
    )
    summary = scan(load_settings(config), analyse_mail=False)
    assert summary.new == 5
    with server.client() as client:
        client.select_folder("INBOX", readonly=True)
        after = {
            uid: d[b"FLAGS"]
            for uid, d in client.fetch(client.search(), ["FLAGS"]).items()
        }
    assert after == before
    assert all(b"\\Seen" not in flags for flags in after.values())


def test_scan_resyncs_a_recreated_folder_by_content_without_duplicates(
    server, tmp_path
):
    items = [(_msg(n), datetime(2026, 6, 8, 8, n, tzinfo=UTC)) for n in range(6)]
    server.append_many("2026", items)  # an all-digit folder name, too
    campaign = write_live_campaign(CORPUS, tmp_path / "campaign.toml")
    config = write_settings(
        tmp_path / "c.toml",
        server,
        campaign,
        tmp_path / "data",
        folders=("2026",),
        sent_folder="",
    )
    settings = load_settings(config)
    assert scan(settings).new == 6
    with Store(settings.storage.database_path) as store:
        old = store.get_folder("2026")["uidvalidity"]
    server.recreate("2026")
    server.append_many("2026", items + [(_msg(99), None)])
    summary = scan(settings)
    assert summary.new == 1
    with Store(settings.storage.database_path) as store:
        assert store.get_folder("2026")["uidvalidity"] != old
        assert store.db.execute("SELECT COUNT(*) FROM raw_messages").fetchone()[0] == 7
        assert len(store.campaign_messages("live:campaign")) == 7
        stamp = store.internaldate(store.campaign_messages("live:campaign")[0])
        assert stamp is not None and stamp.tzinfo is not None


class _CutAfter:
    """A connector whose client loses the connection after `n` FETCH commands."""

    def __init__(self, n):
        self.n = n

    def __call__(self, mailbox):
        from imapclient.exceptions import IMAPClientAbortError

        from replyaudit.collector.connect import connect

        client = connect(mailbox)
        real = client.fetch
        calls = {"n": 0}

        def fetch(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] > self.n:
                client.shutdown()
                raise IMAPClientAbortError("socket error: EOF")
            return real(*args, **kwargs)

        client.fetch = fetch
        return client


def test_scan_resumes_after_a_connection_cut_mid_fetch_losing_and_repeating_nothing(
    server, tmp_path
):
    from replyaudit.errors import CollectorError

    server.append_many("INBOX", [(_msg(n), None) for n in range(23)])
    campaign = write_live_campaign(CORPUS, tmp_path / "campaign.toml")
    config = write_settings(
        tmp_path / "c.toml",
        server,
        campaign,
        tmp_path / "data",
        folders=("INBOX",),
        sent_folder="",
        batch_size=5,
    )
    settings = load_settings(config)
    with pytest.raises(CollectorError, match="next scan resumes") as caught:
        scan(settings, connector=_CutAfter(2))
    assert caught.value.exit_code == 4
    with Store(settings.storage.database_path) as store:
        assert store.get_folder("INBOX")["highest_uid"] == 10
        assert store.db.execute("SELECT COUNT(*) FROM raw_messages").fetchone()[0] == 10
        assert store.scans()[0]["outcome"].startswith("error")
    assert scan(settings).new == 13
    with Store(settings.storage.database_path) as store:
        rows = store.db.execute(
            "SELECT uid, COUNT(*) AS n FROM message_sources GROUP BY uid"
        ).fetchall()
    assert sorted(r["uid"] for r in rows) == list(range(1, 24))
    assert all(r["n"] == 1 for r in rows)


def test_scan_keeps_an_unparseable_message_raw_and_goes_on(server, tmp_path):
    server.append_many(
        "INBOX",
        [
            (_msg(1, date="sometime next week"), None),
            (b"\x00\x01\x02 not a message at all", None),
            (_msg(3), None),
        ],
    )
    campaign = write_live_campaign(CORPUS, tmp_path / "campaign.toml")
    config = write_settings(
        tmp_path / "c.toml",
        server,
        campaign,
        tmp_path / "data",
        folders=("INBOX", "Missing folder"),
        sent_folder="",
    )
    settings = load_settings(config)
    summary = scan(settings)
    assert summary.new == 3
    assert summary.rejected == 1
    assert summary.errors == 1  # the missing folder
    assert summary.exit_code == 1
    with Store(settings.storage.database_path) as store:
        rejects = store.db.execute("SELECT * FROM rejects").fetchall()
        assert len(rejects) == 1 and rejects[0]["location"] == "INBOX"
        assert b"not a message at all" in store.get_raw(rejects[0]["sha256"])


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"password_env": "REPLYAUDIT_TEST_WRONG"}, "REPLYAUDIT_TEST_WRONG"),
        ({"ca_file": None}, "ca_file"),
        ({"port": 1}, "host and port"),
        (
            {"auth": "oauth2", "oauth2_token_command": "echo expired-token-123"},
            "oauth2_token_command",
        ),
    ],
)
def test_scan_connection_failures_exit_4_with_one_line_and_write_nothing(
    cli, server, tmp_path, monkeypatch, change, expected
):
    monkeypatch.setenv("REPLYAUDIT_TEST_WRONG", "not-the-password")
    campaign = write_live_campaign(CORPUS, tmp_path / "campaign.toml")
    config = write_settings(
        tmp_path / "c.toml", server, campaign, tmp_path / "data", **change
    )
    if change.get("ca_file", "") is None:
        text = config.read_text().splitlines()
        config.write_text(
            "\n".join(line for line in text if not line.startswith("ca_file")) + "\n"
        )
    code, _, err = cli("scan", "--config", config)
    assert code == 4, err
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "data" / "replyaudit.sqlite3").exists()


def test_scan_stops_with_75_when_another_scan_holds_the_lock(cli, live):
    settings = load_settings(live)
    with ScanLock(lock_path(settings)):
        code, _, err = cli("scan", "--config", live)
    assert code == 75
    assert "another scan is running" in err
    assert cli("scan", "--config", live)[0] == 0


def test_scan_debug_logs_and_database_never_hold_the_password(
    cli, live, tmp_path, monkeypatch
):
    import logging

    monkeypatch.delenv(ENV)
    text = live.read_text().replace(
        f'password_env = "{ENV}"', f'password_command = "echo {PASSWORD}"'
    )
    live.write_text(text)
    code, out, err = cli("-vv", "scan", "--config", live)
    assert code == 0, err
    assert "imapclient" in err and "LOGIN" in err  # the wire was logged at debug level
    assert PASSWORD not in err and PASSWORD not in out
    logging.getLogger().handlers.clear()
    for path in (tmp_path / "data").iterdir():
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_scan_moves_a_case_from_waiting_to_review_when_its_windows_close(live):
    settings = load_settings(live)
    stamps = [
        when for items in corpus_messages(CORPUS).values() for _, when in items if when
    ]
    first = min(when for _, when in corpus_messages(CORPUS)[SENT] if when)
    scan(settings, now=first + timedelta(minutes=30))
    with Store(settings.storage.database_path) as store:
        waiting = [
            r["inquiry_id"]
            for r in store.cases("live:campaign")
            if r["status"] == "waiting"
        ]
    assert waiting
    summary = scan(settings, now=max(stamps) + timedelta(days=30))
    assert summary.new == 0
    with Store(settings.storage.database_path) as store:
        statuses = {r["inquiry_id"]: r["status"] for r in store.cases("live:campaign")}
    assert all(status == "to_review" for status in statuses.values())


def test_scan_watch_picks_up_mail_announced_by_idle(server, tmp_path):
    from replyaudit.collector.watch import Watcher

    campaign = write_live_campaign(CORPUS, tmp_path / "campaign.toml")
    config = write_settings(
        tmp_path / "c.toml",
        server,
        campaign,
        tmp_path / "data",
        folders=("INBOX",),
        sent_folder="",
    )
    settings = load_settings(config)
    settings.scan.poll_seconds = 60
    lines = []

    def emit(line):
        lines.append(line)
        if len(lines) == 1:  # mail arrives while the watcher waits in IDLE
            threading.Timer(1.0, lambda: server.append("INBOX", _msg(7))).start()

    watcher = Watcher(settings, emit=emit)
    started = time.monotonic()
    watcher.run(rounds=2)
    assert [s.new for s in watcher.summaries] == [0, 1]
    assert time.monotonic() - started < 30  # IDLE, not the 60 s poll
    assert len(lines) == 2 and lines[1].startswith("scan live:campaign: 1 new")


def test_scan_help_documents_exit_codes_and_an_example(cli):
    code, out, _ = cli("scan", "--help")
    assert code == 0
    for text in (
        "Exit codes",
        "75",
        "Example: replyaudit scan",
        "--watch",
        "--no-analyse",
    ):
        assert text in out
    assert os.path.exists(
        os.path.join(os.path.dirname(__file__), "..", "docs", "scan.md")
    )


def test_sqlite_file_is_a_valid_database_after_scan(live):
    settings = load_settings(live)
    scan(settings, analyse_mail=False)
    with sqlite3.connect(settings.storage.database_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_scan_of_a_renamed_campaign_file_takes_the_mail_read_for_the_old_name(
    cli, live, tmp_path
):
    # The folder state is the mailbox's: after the live campaign file is renamed (or a
    # first scan ran with the wrong file), the mail read before is not fetched again.
    # It was left filed under the old campaign, and every case of the new one scored
    # 0/29. It is now filed under the new campaign too, and analysed with it.
    assert cli("scan", "--config", live)[0] == 0
    wave2 = tmp_path / "wave2.toml"
    wave2.write_text(
        (tmp_path / "campaign.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    switched = tmp_path / "switched.toml"
    switched.write_text(
        live.read_text(encoding="utf-8").replace(
            str(tmp_path / "campaign.toml"), str(wave2)
        ),
        encoding="utf-8",
    )

    code, out, err = cli("scan", "--config", switched)

    assert code == 0, err
    assert "scan live:wave2: 0 new" in out
    assert "(66 read earlier for another campaign added)" in out
    db = tmp_path / "data" / "replyaudit.sqlite3"
    assert _answers(db, "live:wave2") == _answers(db, "live:campaign")
    assert len(_answers(db, "live:wave2")) == 24

    code, out, _ = cli("scan", "--config", switched)
    assert code == 0 and "read earlier" not in out


def test_scan_names_a_missing_non_ascii_folder_once_with_the_server_folders(
    cli, server, tmp_path
):
    # A new user saw each missing folder twice (logged, then echoed), 'Envoyés' printed
    # as 'Envoys' (the server's text decoded as ASCII) and a message ending in '..'.
    seed_corpus(server, CORPUS)
    campaign = write_live_campaign(CORPUS, tmp_path / "campaign.toml")
    config = write_settings(
        tmp_path / "c.toml",
        server,
        campaign,
        tmp_path / "data",
        folders=("INBOX",),
        sent_folder="Envoyés",
    )

    code, _, err = cli("scan", "--config", config)

    assert code == 1
    lines = [line for line in err.splitlines() if "Envoyés" in line]
    assert len(lines) == 1, err
    assert "Envoys" not in err and ".." not in lines[0]
    assert "'Réponses concessions'" in lines[0] and "'Sent'" in lines[0]
    assert "sent_folder" in lines[0]

"""The SQLite store: raw bytes kept exactly, schema upgraded in place, reviews never overwritten."""

import json
import sqlite3

import pytest

from replyaudit.errors import StoreError
from replyaudit.store import MIGRATIONS, SCHEMA_VERSION, Store, sha256_of


def test_store_keeps_raw_bytes_exactly_and_once(tmp_path):
    raw = (
        b"From: a@b.fr\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\n\xff\xfe body \x00\r\n"
    )
    with Store(tmp_path / "db.sqlite3") as store:
        digest, new = store.put_raw(raw)
        again, new_again = store.put_raw(raw)
        assert new and not new_again and digest == again
        assert store.get_raw(digest) == raw
        assert store.db.execute("SELECT COUNT(*) FROM raw_messages").fetchone()[0] == 1


def test_store_upgrades_old_database_in_place_without_losing_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO raw_messages VALUES ('abc', x'0102', 2, '2026-01-01T00:00:00+00:00')"
    )
    db.execute(
        "INSERT INTO answers VALUES ('live', 'q1', 'brand_address', '\"yes\"', 1, '{}', 'review')"
    )
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION
        assert store.get_raw("abc") == b"\x01\x02"
        assert store.answers("live", "q1")["brand_address"]["source"] == "review"
        store.audit(
            "live",
            "q1",
            "change",
            "alice",
            key="brand_address",
            old_value="no",
            new_value="yes",
        )
        assert len(store.audit_trail("live", "q1")) == 1


def test_store_refuses_database_from_newer_release(tmp_path):
    path = tmp_path / "new.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer replyaudit"):
        Store(path)


def test_store_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreError, match="Fix"):
        Store(path)


def test_store_save_case_keeps_reviewed_and_approved_answers(tmp_path):
    with Store(tmp_path / "db.sqlite3") as store:
        fresh = {"brand_address": ("no", 0, "{}"), "proposed_call": ("no", 0, "{}")}
        store.save_case(
            "c",
            "q1",
            status="to_review",
            result_json="{}",
            flags=[],
            answers=fresh,
            analysed_at="t",
        )
        store.db.execute(
            "UPDATE answers SET value = ?, points = 1, source = 'review' WHERE key = 'brand_address'",
            (json.dumps("yes"),),
        )
        later = {"brand_address": ("no", 0, "{}"), "proposed_call": ("yes", 1, "{}")}
        store.save_case(
            "c",
            "q1",
            status="to_review",
            result_json="{}",
            flags=[],
            answers=later,
            analysed_at="t",
        )
        answers = store.answers("c", "q1")
        assert json.loads(answers["brand_address"]["value"]) == "yes"
        assert json.loads(answers["proposed_call"]["value"]) == "yes"
        assert store.get_case("c", "q1")["total"] == 2

        store.db.execute("UPDATE cases SET status = 'approved', approved_at = 't'")
        status = store.save_case(
            "c",
            "q1",
            status="to_review",
            result_json="{}",
            flags=[],
            answers={"proposed_call": ("no", 0, "{}")},
            analysed_at="t",
        )
        assert status == "approved"
        assert json.loads(store.answers("c", "q1")["proposed_call"]["value"]) == "yes"


def test_store_manual_match_is_not_replaced_by_automatic_one(tmp_path):
    with Store(tmp_path / "db.sqlite3") as store:
        digest, _ = store.put_raw(b"x")
        store.put_match("c", digest, "q2", "manual", 1.0, "{}", manual=True)
        store.put_match("c", digest, "q1", "address", 0.9, "{}")
        assert store.get_match("c", digest)["inquiry_id"] == "q2"


def test_store_read_only_folder_is_named_as_the_cause(tmp_path, monkeypatch):
    """Root ignores permissions, so the read-only folder is simulated through os.access."""
    import os

    import replyaudit.store_files as store_module
    from replyaudit.store_files import open_problem

    monkeypatch.setattr(store_module.os, "access", lambda path, mode: False)
    text = open_problem(
        tmp_path / "db.sqlite3",
        sqlite3.OperationalError("unable to open database file"),
    )
    assert "read-only" in text and "writable folder" in text and "--database" in text
    monkeypatch.setattr(store_module.os, "access", os.access)
    text = open_problem(
        tmp_path / "db.sqlite3", sqlite3.DatabaseError("file is not a database")
    )
    assert "expected a replyaudit SQLite database" in text


def test_store_batch_insert_spans_several_statements_when_sqlite_limits_variables(
    tmp_path,
):
    # A SQLite built with a low variable limit (999 before 3.32) must still take a whole
    # batch: the rows are split over several multi-row statements, none lost or doubled.
    raws = [f"From: dealer{n}@b.fr\r\n\r\nbody {n}\r\n".encode() for n in range(300)]
    digests = [sha256_of(raw) for raw in raws]
    with Store(tmp_path / "db.sqlite3") as store:
        store.db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        with store.transaction():
            first = store.put_raws(list(zip(digests[:260], raws[:260])))
            store.add_sources(
                [
                    (d, "live:c", "imap", "INBOX", 7, n + 1, None)
                    for n, d in enumerate(digests[:260])
                ]
            )
        with store.transaction():
            # 100 known messages come again (a UIDVALIDITY resync) with 40 new ones.
            second = store.put_raws(list(zip(digests[160:], raws[160:])))
            store.add_sources(
                [
                    (d, "live:c", "imap", "INBOX", 8, n + 1, None)
                    for n, d in enumerate(digests[160:])
                ]
            )
        assert (first, second) == (260, 40)
        assert (
            store.db.execute("SELECT COUNT(*) FROM raw_messages").fetchone()[0] == 300
        )
        assert (
            store.db.execute("SELECT COUNT(*) FROM message_sources").fetchone()[0]
            == 400
        )
        assert [store.get_raw(d) for d in digests] == raws

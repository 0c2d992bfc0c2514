"""The SQLite store: raw messages byte for byte, parsed messages, matches, cases, reviews.

The schema is versioned with PRAGMA user_version and upgraded in place by MIGRATIONS,
each applied once inside a transaction, so a new release never loses a user's data.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from replyaudit.errors import StoreError
from replyaudit.schema import MIGRATIONS, SCHEMA_VERSION
from replyaudit.store_files import create_private_database, open_problem
from replyaudit.store_review import ReviewRecords

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store", "now_text", "sha256_of", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def now_text() -> str:
    return utcnow().isoformat(timespec="microseconds")


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class Store(ReviewRecords):
    """One SQLite database; every write goes through a method of this class."""

    def __init__(self, path: Path):
        self.path = path
        try:
            create_private_database(path)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"{path}: expected a writable SQLite database, found {exc}. "
                "Fix: check the folder exists and is writable, or set [storage] database"
            ) from None
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        try:
            self.db.execute("PRAGMA journal_mode = WAL")
            # With WAL, NORMAL never corrupts the database; a power cut may lose the last
            # transactions, which a replay or the next scan redoes.
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.upgrade()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(open_problem(path, exc)) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- schema -------------------------------------------------------------

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def upgrade(self, target: int = SCHEMA_VERSION) -> None:
        """Apply every migration above the database's version, each in its own transaction."""
        current = self.version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: expected schema version {SCHEMA_VERSION} or older, found {current}, "
                "written by a newer replyaudit. Fix: upgrade replyaudit"
            )
        for number in range(current, target):
            with self.transaction() as db:
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    # -- raw and parsed messages -------------------------------------------

    def put_raw(self, raw: bytes) -> tuple[str, bool]:
        """Keep a raw message byte for byte; returns (sha256, True when it was new)."""
        digest = sha256_of(raw)
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO raw_messages (sha256, raw, size, first_seen_at) VALUES (?, ?, ?, ?)",
            (digest, raw, len(raw), now_text()),
        )
        return digest, cursor.rowcount == 1

    def put_raws(self, items: list[tuple[str, bytes]]) -> int:
        """Keep many raw messages whose sha256 the caller computed; returns how many were new.

        The collector's batch path: one INSERT statement per batch instead of one per
        message. Call inside a transaction.
        """
        before = self.db.total_changes
        stamp = now_text()
        self._insert_rows(
            "INSERT OR IGNORE INTO raw_messages (sha256, raw, size, first_seen_at)",
            [(digest, raw, len(raw), stamp) for digest, raw in items],
        )
        return self.db.total_changes - before

    def add_sources(
        self,
        rows: list[tuple[str, str, str, str, int | None, int | None, datetime | None]],
    ) -> None:
        """add_source for many (sha256, campaign, origin, location, uidvalidity, uid, internaldate)."""
        stamp = now_text()
        self._insert_rows(
            "INSERT OR IGNORE INTO message_sources (sha256, campaign, origin, location, uidvalidity, uid,"
            " internaldate, seen_at)",
            [
                (d, c, o, loc, v, u, when.isoformat() if when else None, stamp)
                for d, c, o, loc, v, u, when in rows
            ],
        )

    def _insert_rows(self, insert: str, rows: list[tuple[Any, ...]]) -> None:
        """Run `insert` with a multi-row VALUES list, as few statements as SQLite's limits allow.

        One statement per chunk instead of one per row (executemany) matters to the collector:
        SQLite runs each statement without Python's GIL, so a long statement lets the fetch
        thread parse the next IMAP batch meanwhile, where thousands of short ones would make
        the two threads hand the GIL back and forth.
        """
        if not rows:
            return
        width = len(rows[0])
        per_statement = max(
            1, min(500, self.db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width)
        )
        row_marks = "(" + ", ".join("?" * width) + ")"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            self.db.execute(
                f"{insert} VALUES " + ", ".join([row_marks] * len(chunk)),
                [value for row in chunk for value in row],
            )

    def get_raw(self, digest: str) -> bytes:
        row = self.db.execute(
            "SELECT raw FROM raw_messages WHERE sha256 = ?", (digest,)
        ).fetchone()
        if row is None:
            raise KeyError(digest)
        return bytes(row["raw"])

    def add_source(
        self,
        digest: str,
        *,
        campaign: str,
        origin: str,
        location: str,
        uidvalidity: int | None = None,
        uid: int | None = None,
        internaldate: datetime | None = None,
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO message_sources (sha256, campaign, origin, location, uidvalidity, uid,"
            " internaldate, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                digest,
                campaign,
                origin,
                location,
                uidvalidity,
                uid,
                internaldate.isoformat() if internaldate else None,
                now_text(),
            ),
        )

    def campaign_messages(self, campaign: str) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT sha256 FROM message_sources WHERE campaign = ? ORDER BY sha256",
            (campaign,),
        ).fetchall()
        return [row["sha256"] for row in rows]

    def internaldate(self, digest: str) -> datetime | None:
        row = self.db.execute(
            "SELECT internaldate FROM message_sources WHERE sha256 = ? AND internaldate IS NOT NULL"
            " ORDER BY id LIMIT 1",
            (digest,),
        ).fetchone()
        return datetime.fromisoformat(row["internaldate"]) if row else None

    def put_parsed(
        self, digest: str, parsed_json: str | None, error: str | None
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO parsed_messages (sha256, parsed, error, parsed_at) VALUES (?, ?, ?, ?)",
            (digest, parsed_json, error, now_text()),
        )

    def get_parsed(self, digest: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM parsed_messages WHERE sha256 = ?", (digest,)
        ).fetchone()

    def add_reject(self, digest: str, location: str, reason: str) -> None:
        self.db.execute(
            "INSERT INTO rejects (sha256, location, reason, at) VALUES (?, ?, ?, ?)",
            (digest, location, reason, now_text()),
        )

    # -- inquiries and matches ---------------------------------------------

    def put_inquiry(
        self, campaign: str, inquiry_id: str, dealer_id: str, data: str
    ) -> None:
        self.db.execute(
            "INSERT INTO inquiries (campaign, id, dealer_id, data) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (campaign, id) DO UPDATE SET dealer_id = excluded.dealer_id, data = excluded.data",
            (campaign, inquiry_id, dealer_id, data),
        )

    def put_campaign(self, name: str, data: str) -> None:
        self.db.execute(
            "INSERT INTO campaigns (name, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (name, data, now_text()),
        )

    def get_campaign(self, name: str) -> str | None:
        row = self.db.execute(
            "SELECT data FROM campaigns WHERE name = ?", (name,)
        ).fetchone()
        return row["data"] if row else None

    def inquiries(self, campaign: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM inquiries WHERE campaign = ? ORDER BY id", (campaign,)
        ).fetchall()

    def get_match(self, campaign: str, digest: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM matches WHERE campaign = ? AND sha256 = ?",
            (campaign, digest),
        ).fetchone()

    def put_match(
        self,
        campaign: str,
        digest: str,
        inquiry_id: str | None,
        basis: str,
        confidence: float,
        detail: str,
        *,
        manual: bool = False,
        irrelevant: bool = False,
    ) -> None:
        """Record a match; an automatic match never replaces a manual decision."""
        existing = self.get_match(campaign, digest)
        if existing is not None and existing["manual"] and not manual:
            return
        self.db.execute(
            "INSERT OR REPLACE INTO matches (campaign, sha256, inquiry_id, basis, confidence, detail,"
            " manual, irrelevant, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                campaign,
                digest,
                inquiry_id,
                basis,
                confidence,
                detail,
                int(manual),
                int(irrelevant),
                now_text(),
            ),
        )

    def get_case(self, campaign: str, inquiry_id: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM cases WHERE campaign = ? AND inquiry_id = ?",
            (campaign, inquiry_id),
        ).fetchone()

    def cases(self, campaign: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM cases WHERE campaign = ? ORDER BY inquiry_id", (campaign,)
        ).fetchall()

    def campaigns(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT campaign FROM inquiries ORDER BY campaign"
        ).fetchall()
        return [row["campaign"] for row in rows]

    def answers(self, campaign: str, inquiry_id: str) -> dict[str, sqlite3.Row]:
        rows = self.db.execute(
            "SELECT * FROM answers WHERE campaign = ? AND inquiry_id = ?",
            (campaign, inquiry_id),
        ).fetchall()
        return {row["key"]: row for row in rows}

    def save_case(
        self,
        campaign: str,
        inquiry_id: str,
        *,
        status: str,
        result_json: str,
        flags: list[str],
        answers: dict[str, tuple[Any, int, str]],
        analysed_at: str,
    ) -> str:
        """Store a fresh analysis without touching what a reviewer decided.

        Answers whose source is "review" are kept; an approved case keeps its status and its
        answers, and only its latest analysis and flags are refreshed. Returns the status kept.
        """
        with self.transaction() as db:
            existing = self.get_case(campaign, inquiry_id)
            reviewed = self.answers(campaign, inquiry_id)
            if existing is not None and existing["status"] == "approved":
                status = "approved"
            for key, (value, points, answer_json) in answers.items():
                row = reviewed.get(key)
                if status == "approved" and row is not None:
                    continue
                if row is not None and row["source"] == "review":
                    continue
                db.execute(
                    "INSERT OR REPLACE INTO answers (campaign, inquiry_id, key, value, points, answer, source)"
                    " VALUES (?, ?, ?, ?, ?, ?, 'auto')",
                    (campaign, inquiry_id, key, json.dumps(value), points, answer_json),
                )
            total_row = db.execute(
                "SELECT COALESCE(SUM(points), 0) FROM answers WHERE campaign = ? AND inquiry_id = ?",
                (campaign, inquiry_id),
            ).fetchone()
            db.execute(
                "INSERT INTO cases (campaign, inquiry_id, status, total, flags, result, analysed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (campaign, inquiry_id) DO UPDATE SET status = excluded.status,"
                " total = excluded.total, flags = excluded.flags, result = excluded.result,"
                " analysed_at = excluded.analysed_at",
                (
                    campaign,
                    inquiry_id,
                    status,
                    int(total_row[0]),
                    json.dumps(flags),
                    result_json,
                    analysed_at,
                ),
            )
        return status

    def audit(
        self,
        campaign: str,
        inquiry_id: str,
        action: str,
        reviewer: str,
        *,
        key: str | None = None,
        old_value: str | None = None,
        new_value: str | None = None,
        comment: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO audit (campaign, inquiry_id, action, key, old_value, new_value, comment, reviewer, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                campaign,
                inquiry_id,
                action,
                key,
                old_value,
                new_value,
                comment,
                reviewer,
                now_text(),
            ),
        )

    def audit_trail(self, campaign: str, inquiry_id: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM audit WHERE campaign = ? AND inquiry_id = ? ORDER BY id",
            (campaign, inquiry_id),
        ).fetchall()

    # -- collector: folder state, pending parses, scan records ----------------

    def get_folder(self, name: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM folders WHERE name = ?", (name,)
        ).fetchone()

    def put_folder(self, name: str, uidvalidity: int, highest_uid: int) -> None:
        """Remember a folder's UIDVALIDITY and the highest UID whose message is stored."""
        self.db.execute(
            "INSERT INTO folders (name, uidvalidity, highest_uid, last_scan_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET uidvalidity = excluded.uidvalidity,"
            " highest_uid = excluded.highest_uid, last_scan_at = excluded.last_scan_at",
            (name, uidvalidity, highest_uid, now_text()),
        )

    def adopt_sources(self, campaign: str, origin: str, locations: list[str]) -> int:
        """File under `campaign` the messages other campaigns got from these locations.

        Returns how many source rows were added (none when it has them all already).
        """
        if not locations:
            return 0
        marks = ", ".join("?" * len(locations))
        before = self.db.total_changes
        with self.transaction():
            self.db.execute(
                "INSERT OR IGNORE INTO message_sources (sha256, campaign, origin, location,"
                " uidvalidity, uid, internaldate, seen_at)"
                " SELECT sha256, ?, origin, location, uidvalidity, uid, internaldate, ?"
                f" FROM message_sources WHERE origin = ? AND campaign != ? AND location IN ({marks})"
                " ORDER BY id",
                (campaign, now_text(), origin, campaign, *locations),
            )
        return self.db.total_changes - before

    def unparsed_sources(self, campaign: str, origin: str) -> list[sqlite3.Row]:
        """Source rows of kept messages that were never parsed (kept by a scan, not yet analysed)."""
        return self.db.execute(
            "SELECT s.* FROM message_sources s WHERE s.campaign = ? AND s.origin = ?"
            " AND NOT EXISTS (SELECT 1 FROM parsed_messages p WHERE p.sha256 = s.sha256)"
            " GROUP BY s.sha256 HAVING s.id = MIN(s.id) ORDER BY s.id",
            (campaign, origin),
        ).fetchall()

    def start_scan(self) -> int:
        cursor = self.db.execute(
            "INSERT INTO scans (started_at) VALUES (?)", (now_text(),)
        )
        return int(cursor.lastrowid or 0)

    def finish_scan(self, scan_id: int, counts: dict[str, int], outcome: str) -> None:
        self.db.execute(
            "UPDATE scans SET finished_at = ?, new = ?, matched = ?, unmatched = ?, rejected = ?,"
            " errors = ?, outcome = ? WHERE id = ?",
            (
                now_text(),
                counts.get("new", 0),
                counts.get("matched", 0),
                counts.get("unmatched", 0),
                counts.get("rejected", 0),
                counts.get("errors", 0),
                outcome,
                scan_id,
            ),
        )

    def scans(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM scans ORDER BY id").fetchall()

"""The reviewers' records in the store: accounts, reviewed answers, approvals, the queue."""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from typing import Any


def _now() -> str:
    from replyaudit.store import now_text

    return now_text()


class ReviewRecords:
    """Methods of Store for what reviewers decide; Store provides `db` and `transaction`."""

    db: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # provided by Store

    def put_user(self, name: str, password_hash: str) -> None:
        """Add a reviewer, or replace the password hash of an existing one."""
        self.db.execute(
            "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
            (name, password_hash, _now()),
        )

    def get_user(self, name: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()

    def users(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM users ORDER BY name").fetchall()

    def set_reviewed_answer(
        self,
        campaign: str,
        inquiry_id: str,
        key: str,
        value: Any,
        points: int,
        answer_json: str,
    ) -> int:
        """Record a reviewer's answer (source "review") and return the case's new total."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO answers (campaign, inquiry_id, key, value, points, answer, source)"
                " VALUES (?, ?, ?, ?, ?, ?, 'review')",
                (campaign, inquiry_id, key, json.dumps(value), points, answer_json),
            )
            total = int(
                db.execute(
                    "SELECT COALESCE(SUM(points), 0) FROM answers WHERE campaign = ? AND inquiry_id = ?",
                    (campaign, inquiry_id),
                ).fetchone()[0]
            )
            db.execute(
                "UPDATE cases SET total = ? WHERE campaign = ? AND inquiry_id = ?",
                (total, campaign, inquiry_id),
            )
        return total

    def set_case_status(
        self,
        campaign: str,
        inquiry_id: str,
        status: str,
        *,
        reviewer: str | None = None,
    ) -> None:
        """Approve (stamping who and when) or reopen a case (clearing the stamp)."""
        if status == "approved":
            self.db.execute(
                "UPDATE cases SET status = 'approved', approved_at = ?, approved_by = ?"
                " WHERE campaign = ? AND inquiry_id = ?",
                (_now(), reviewer, campaign, inquiry_id),
            )
        else:
            self.db.execute(
                "UPDATE cases SET status = ?, approved_at = NULL, approved_by = NULL"
                " WHERE campaign = ? AND inquiry_id = ?",
                (status, campaign, inquiry_id),
            )

    def all_cases(self) -> list[sqlite3.Row]:
        """Every case of every campaign with its inquiry's dealer and data."""
        return self.db.execute(
            "SELECT cases.*, inquiries.dealer_id, inquiries.data AS inquiry FROM cases"
            " JOIN inquiries ON inquiries.campaign = cases.campaign AND inquiries.id = cases.inquiry_id"
            " ORDER BY cases.campaign, cases.inquiry_id"
        ).fetchall()

    def unmatched(self, campaign: str | None = None) -> list[sqlite3.Row]:
        """Messages no inquiry claims and no reviewer has set aside."""
        sql = "SELECT * FROM matches WHERE inquiry_id IS NULL AND irrelevant = 0"
        args: tuple[str, ...] = ()
        if campaign is not None:
            sql += " AND campaign = ?"
            args = (campaign,)
        return self.db.execute(
            sql + " ORDER BY campaign, decided_at, sha256", args
        ).fetchall()

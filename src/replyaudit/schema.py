"""The store's SQLite schema, as numbered migrations applied in order and never edited."""

from __future__ import annotations

# Each entry upgrades the schema from version N to N+1. Never edit a released entry:
# append a new one.
MIGRATIONS: list[str] = [
    # 1: raw and parsed messages, inquiries, matches, cases and their answers
    """
    CREATE TABLE raw_messages (
        sha256 TEXT PRIMARY KEY,
        raw BLOB NOT NULL,
        size INTEGER NOT NULL,
        first_seen_at TEXT NOT NULL
    );
    CREATE TABLE message_sources (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL REFERENCES raw_messages(sha256),
        campaign TEXT NOT NULL,
        origin TEXT NOT NULL,            -- corpus | imap | file
        location TEXT NOT NULL,          -- file path, or folder name for imap
        uidvalidity INTEGER,
        uid INTEGER,
        internaldate TEXT,
        seen_at TEXT NOT NULL,
        UNIQUE (campaign, origin, location, uidvalidity, uid, sha256)
    );
    CREATE INDEX message_sources_sha ON message_sources(sha256);
    CREATE TABLE parsed_messages (
        sha256 TEXT PRIMARY KEY REFERENCES raw_messages(sha256),
        parsed TEXT,                     -- ParsedMessage as JSON, NULL when rejected
        error TEXT,                      -- why it could not be parsed
        parsed_at TEXT NOT NULL
    );
    CREATE TABLE campaigns (
        name TEXT PRIMARY KEY,
        data TEXT NOT NULL,              -- Campaign as JSON (brand, dealers, inquiries)
        updated_at TEXT NOT NULL
    );
    CREATE TABLE inquiries (
        campaign TEXT NOT NULL,
        id TEXT NOT NULL,
        dealer_id TEXT NOT NULL,
        data TEXT NOT NULL,              -- Inquiry as JSON
        PRIMARY KEY (campaign, id)
    );
    CREATE TABLE matches (
        campaign TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES raw_messages(sha256),
        inquiry_id TEXT,                 -- NULL: unmatched queue
        basis TEXT NOT NULL,
        confidence REAL NOT NULL,
        detail TEXT NOT NULL,            -- MatchResult as JSON
        manual INTEGER NOT NULL DEFAULT 0,
        irrelevant INTEGER NOT NULL DEFAULT 0,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (campaign, sha256)
    );
    CREATE TABLE cases (
        campaign TEXT NOT NULL,
        inquiry_id TEXT NOT NULL,
        status TEXT NOT NULL,            -- waiting | to_review | approved
        total INTEGER NOT NULL,
        flags TEXT NOT NULL,             -- JSON list
        result TEXT NOT NULL,            -- CaseResult as JSON (the latest analysis)
        analysed_at TEXT NOT NULL,
        approved_at TEXT,
        approved_by TEXT,
        PRIMARY KEY (campaign, inquiry_id)
    );
    CREATE TABLE answers (
        campaign TEXT NOT NULL,
        inquiry_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,             -- JSON
        points INTEGER NOT NULL,
        answer TEXT NOT NULL,            -- Answer as JSON (evidence, rule, confidence)
        source TEXT NOT NULL,            -- auto | review
        PRIMARY KEY (campaign, inquiry_id, key)
    );
    CREATE TABLE rejects (
        sha256 TEXT NOT NULL,
        location TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 2: the collector's state per folder, and one row per scan
    """
    CREATE TABLE folders (
        name TEXT PRIMARY KEY,
        uidvalidity INTEGER NOT NULL,
        highest_uid INTEGER NOT NULL,
        last_scan_at TEXT NOT NULL
    );
    CREATE TABLE scans (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        new INTEGER NOT NULL DEFAULT 0,
        matched INTEGER NOT NULL DEFAULT 0,
        unmatched INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        outcome TEXT
    );
    """,
    # 3: reviewers and the audit trail of every change they make
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        inquiry_id TEXT NOT NULL,
        action TEXT NOT NULL,            -- change | approve | reopen | assign | irrelevant
        key TEXT,
        old_value TEXT,
        new_value TEXT,
        comment TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX audit_case ON audit(campaign, inquiry_id);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

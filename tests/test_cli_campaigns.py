"""`campaigns list` shows what a database holds; `campaigns remove` deletes one campaign."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from replyaudit.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def two_campaigns(tmp_path_factory) -> Path:
    """A database holding the bundled corpus twice: corpus:corpus and corpus:renamed."""
    from replyaudit.cli import main

    root = tmp_path_factory.mktemp("campaigns")
    renamed = root / "renamed"
    shutil.copytree(CORPUS, renamed)
    db = root / "db.sqlite3"
    for corpus in (CORPUS, renamed):
        try:
            main(["replay", str(corpus), "--database", str(db)])
        except SystemExit as exc:
            assert not exc.code
    return db


@pytest.fixture
def db(two_campaigns, tmp_path) -> Path:
    target = tmp_path / "db.sqlite3"
    shutil.copy(two_campaigns, target)
    return target


def _count(db: Path, sql: str, *args: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


def test_campaigns_list_shows_each_campaign_with_its_counts(cli, db):
    code, out, err = cli("campaigns", "list", "--database", db)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["campaign", "inquiries"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == {"corpus:corpus", "corpus:renamed"}
    assert rows["corpus:corpus"][1] == "24"  # inquiries
    assert "to_review" in lines[0] and "messages" in lines[0]


def test_campaigns_remove_deletes_one_campaign_and_keeps_raw_mail(cli, db):
    raw_before = _count(db, "SELECT COUNT(*) FROM raw_messages")
    code, out, err = cli("campaigns", "remove", "corpus:corpus", "--database", db)
    assert code == 0, err
    assert "corpus:corpus" in out
    for table in (
        "cases",
        "answers",
        "matches",
        "inquiries",
        "campaigns",
        "message_sources",
    ):
        column = "name" if table == "campaigns" else "campaign"
        assert (
            _count(
                db, f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", "corpus:corpus"
            )
            == 0
        ), table
        assert (
            _count(
                db, f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", "corpus:renamed"
            )
            > 0
        ), table
    assert _count(db, "SELECT COUNT(*) FROM raw_messages") == raw_before
    code, out, _ = cli("campaigns", "list", "--database", db)
    assert "corpus:corpus " not in out and "corpus:renamed" in out


def test_campaigns_remove_refuses_approved_cases_without_force(cli, db):
    with Store(db) as store:
        store.set_case_status(
            "corpus:corpus", "c01-montverac-prix-nx", "approved", reviewer="camille"
        )
        store.audit("corpus:corpus", "c01-montverac-prix-nx", "approve", "camille")
    code, _, err = cli("campaigns", "remove", "corpus:corpus", "--database", db)
    assert code == 2
    assert "1 approved case" in err and "--force" in err
    assert (
        _count(db, "SELECT COUNT(*) FROM cases WHERE campaign = 'corpus:corpus'") == 24
    )
    code, _, err = cli(
        "campaigns", "remove", "corpus:corpus", "--force", "--database", db
    )
    assert code == 0, err
    assert (
        _count(db, "SELECT COUNT(*) FROM cases WHERE campaign = 'corpus:corpus'") == 0
    )
    # the audit trail stays
    assert (
        _count(db, "SELECT COUNT(*) FROM audit WHERE campaign = 'corpus:corpus'") == 1
    )


def test_campaigns_remove_refuses_an_unknown_name_listing_the_known_ones(cli, db):
    code, _, err = cli("campaigns", "remove", "live:campain", "--database", db)
    assert code == 2
    assert "live:campain" in err and "corpus:corpus" in err and "corpus:renamed" in err
    assert "Traceback" not in err


def test_campaigns_list_refuses_a_missing_database(cli, tmp_path):
    code, _, err = cli("campaigns", "list", "--database", tmp_path / "nope.sqlite3")
    assert code == 3
    assert "does not exist" in err
    assert not (tmp_path / "nope.sqlite3").exists()

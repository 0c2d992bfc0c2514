"""The database holds raw mail (personal data): files and folders it creates are the owner's only."""

import os
import stat
from pathlib import Path

import pytest

from replyaudit.store import Store


@pytest.fixture(autouse=True)
def usual_umask():
    """The common umask 022, under which files are created world-readable by default."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_creates_database_and_its_wal_files_owner_only(tmp_path):
    path = tmp_path / "db.sqlite3"
    with Store(path) as store:
        store.put_raw(b"From: a@b.fr\r\n\r\nbonjour\r\n")
        assert _mode(path) == 0o600
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            assert side.exists() and _mode(side) == 0o600, suffix


def test_store_creates_missing_folders_owner_only_and_leaves_existing_ones(tmp_path):
    before = _mode(tmp_path)
    path = tmp_path / "data" / "replyaudit" / "db.sqlite3"
    Store(path).close()
    assert _mode(tmp_path / "data") == 0o700
    assert _mode(tmp_path / "data" / "replyaudit") == 0o700
    assert _mode(tmp_path) == before


def test_store_keeps_the_mode_of_an_existing_database(tmp_path):
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    path.chmod(0o640)
    with Store(path) as store:
        store.put_raw(b"From: a@b.fr\r\n\r\nbonjour\r\n")
    assert _mode(path) == 0o640


def test_store_leaves_the_process_umask_as_it_was(tmp_path):
    Store(tmp_path / "db.sqlite3").close()
    assert os.umask(0o022) == 0o022


def test_scan_lock_and_review_key_create_their_folders_owner_only(tmp_path):
    # The data folder holds the raw mail: whichever file creates it first (the scan's
    # lock, the review page's key) makes it private, as the database does.
    from replyaudit.collector.lock import ScanLock
    from replyaudit.config import Settings
    from replyaudit.web.app import secret_key

    with ScanLock(tmp_path / "scan-data" / "scan.lock"):
        pass
    settings = Settings()
    settings.storage.data_dir = tmp_path / "review-data"
    secret_key(settings)

    for folder in (tmp_path / "scan-data", tmp_path / "review-data"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder

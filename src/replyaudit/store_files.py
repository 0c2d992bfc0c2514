"""The store's files on disk: created readable by their owner only, and why one cannot be used.

The database holds raw mail (personal data). A database, and the folders replyaudit
makes for it, are created 0600 / 0700; SQLite gives its -wal and -shm files the mode of
the database. Files and folders that already exist keep their mode. No process-wide
umask is changed: the collector and the review page run threads that create files too.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def make_private_folders(folder: Path) -> None:
    """Create `folder` and its missing parents, each 0700; existing ones are left alone."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process
        os.chmod(path, FOLDER_MODE)  # whatever the umask


def create_private_database(path: Path) -> None:
    """Make an empty database file 0600 (with its folders 0700) unless one exists.

    SQLite takes an empty file as a new database, and creates its journal files with the
    database's mode.
    """
    make_private_folders(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def open_problem(path: Path, exc: sqlite3.DatabaseError) -> str:
    """Say why a database could not be used: a read-only place, or not a database."""
    folder = path.parent
    readonly = not os.access(folder, os.W_OK) or (
        path.exists() and not os.access(path, os.W_OK)
    )
    if isinstance(exc, sqlite3.OperationalError) and readonly:
        return (
            f"{path}: expected a database in a writable folder (SQLite writes its journal "
            f"beside it), found {folder} read-only ({exc}). Fix: make the folder writable, "
            "or copy the database to a writable folder and point --database or "
            "[storage] database at the copy"
        )
    return (
        f"{path}: expected a replyaudit SQLite database, found {exc}. "
        "Fix: point [storage] database at another file, or move this one away"
    )

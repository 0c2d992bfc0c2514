"""The scan lock: fcntl.flock on a file, so cron or a timer never runs two scans at once."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Self

from replyaudit.errors import CollectorError, LockHeldError
from replyaudit.store_files import make_private_folders


class ScanLock:
    """Held from __enter__ to __exit__; a second holder gets LockHeldError (exit code 75)."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def __enter__(self) -> Self:
        try:
            make_private_folders(self.path.parent)  # beside the raw mail: owner only
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise CollectorError(
                f"{self.path}: expected a writable lock file, found {exc.strerror}. "
                "Fix: set [scan] lock_file or [storage] data_dir to a writable place"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise LockHeldError(
                f"{self.path}: another scan is running (process {holder}); this one stops. "
                "Fix: nothing, the next run will go ahead; or lengthen the timer's interval"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

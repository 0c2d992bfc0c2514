"""scan --watch: scan, then wait in IDLE on the first folder (renewed), polling as a fallback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from replyaudit.collector.connect import Connector, _close, connect
from replyaudit.collector.scan import ScanSummary, scan
from replyaudit.config import Settings
from replyaudit.errors import CollectorError, LockHeldError

log = logging.getLogger(__name__)

_MAX_BACKOFF = 300.0
_CHECK_SECONDS = 30.0


@dataclass
class Watcher:
    """Runs scans forever (or `rounds` times): after each one, waits for new mail."""

    settings: Settings
    analyse_mail: bool = True
    connector: Connector = connect
    emit: Callable[[str], None] = print
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    backoff: float = 0.0
    _client: IMAPClient | None = None
    _idle_since: float = 0.0
    _has_idle: bool = True
    _pending: bool = False
    summaries: list[ScanSummary] = field(default_factory=list)

    def run(self, rounds: int | None = None) -> None:
        done = 0
        try:
            while rounds is None or done < rounds:
                done += 1
                try:
                    summary = scan(
                        self.settings,
                        analyse_mail=self.analyse_mail,
                        connector=self.connector,
                    )
                    self.summaries.append(summary)
                    self.emit(summary.line())
                    self.backoff = 0.0
                except LockHeldError as exc:
                    log.warning("%s", exc)
                except CollectorError as exc:
                    self._back_off(f"scan failed: {exc}")
                    continue
                if rounds is None or done < rounds:
                    self.wait_for_mail()
        finally:
            self._drop()

    def _back_off(self, why: str) -> None:
        self.backoff = min(_MAX_BACKOFF, max(5.0, self.backoff * 2))
        log.error("%s; retrying in %.0f s", why, self.backoff)
        self.sleep(self.backoff)

    def _open_idle(self) -> None:
        folder = (
            self.settings.mailbox.folders[0]
            if self.settings.mailbox.folders
            else "INBOX"
        )
        client = self.connector(self.settings.mailbox)
        self._has_idle = b"IDLE" in client.capabilities()
        if not self._has_idle:
            log.warning(
                "the server has no IDLE: polling every %d s",
                self.settings.scan.poll_seconds,
            )
            self._client = client
            return
        info = client.select_folder(folder, readonly=True)
        self._pending = self._newer_than_stored(
            folder, info.get(b"UIDVALIDITY"), info.get(b"UIDNEXT")
        )
        client.idle()
        self._client, self._idle_since = client, self.clock()
        log.info("waiting in IDLE on %r", folder)

    def _newer_than_stored(
        self, folder: str, uidvalidity: object, uidnext: object
    ) -> bool:
        """Mail that came between the last scan and IDLE would go unannounced: check it."""
        from replyaudit.store import Store

        with Store(self.settings.storage.database_path) as store:
            row = store.get_folder(folder)
        if row is None or uidnext is None or uidvalidity is None:
            return False
        stale = int(row["uidvalidity"]) != int(str(uidvalidity))
        return stale or int(str(uidnext)) > int(row["highest_uid"]) + 1

    def _drop(self) -> None:
        if self._client is not None:
            if self._has_idle:
                try:
                    self._client.idle_done()
                except Exception as exc:  # noqa: BLE001 - the connection may already be gone
                    log.debug("ending IDLE failed: %s", exc)
            _close(self._client)
            self._client = None

    def wait_for_mail(self) -> None:
        """Return when IDLE reports a change, or after poll_seconds (IDLE missing or silent)."""
        deadline = self.clock() + self.settings.scan.poll_seconds
        renew = self.settings.scan.idle_renew_minutes * 60
        while (remaining := deadline - self.clock()) > 0:
            try:
                if self._client is None:
                    self._open_idle()
                assert self._client is not None
                if self._pending:
                    self._pending = False
                    log.info("new mail arrived before IDLE started")
                    return
                if not self._has_idle:
                    self.sleep(remaining)
                    return
                if (
                    self.clock() - self._idle_since >= renew
                ):  # before the server's 29-minute limit
                    self._client.idle_done()
                    self._client.idle()
                    self._idle_since = self.clock()
                    log.debug("IDLE renewed")
                wait = max(
                    0.1,
                    min(
                        _CHECK_SECONDS,
                        remaining,
                        renew - (self.clock() - self._idle_since),
                    ),
                )
                changes = self._client.idle_check(timeout=wait)
                if any(
                    len(item) > 1 and item[1] in (b"EXISTS", b"RECENT")
                    for item in changes
                ):
                    log.info("IDLE: new mail announced")
                    return
            except (CollectorError, IMAPClientError, OSError) as exc:
                self._client = None
                self._back_off(f"IDLE connection lost ({exc})")
                return

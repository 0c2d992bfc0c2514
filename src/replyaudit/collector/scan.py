"""One scan: fetch new messages read-only, keep them batch by batch, then the shared analysis.

A scan runs in three steps, each safe to interrupt:
1. collect: per folder, EXAMINE it, fetch the UIDs above the highest one stored (BODY.PEEK[],
   never a flag set), and keep each batch's raw messages together with the folder's new
   highest UID in one transaction, so a dropped connection loses nothing and repeats nothing;
2. parse: every kept message not yet parsed goes through pipeline.ingest(), as replay does;
3. analyse: Analyzer.run() with now = the current time, which also moves cases whose
   windows closed since the last scan from waiting to to_review.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from replyaudit.campaign import Campaign, load_campaign
from replyaudit.collector.connect import Connector, _close, connect
from replyaudit.collector.lock import ScanLock
from replyaudit.config import Settings
from replyaudit.errors import CollectorError, ConfigError, Problem
from replyaudit.pipeline import Analyzer, ingest, load_parsed
from replyaudit.store import Store, sha256_of, utcnow

log = logging.getLogger(__name__)

ORIGIN = "imap"
_PARSE_CHUNK = 200
# Batches fetched ahead of the one being stored (held in memory: _AHEAD x batch_size).
_AHEAD = 3


@dataclass
class ScanSummary:
    """What one scan did; `line()` is the one summary line printed and logged per run."""

    campaign: str
    new: int = 0
    matched: int = 0
    unmatched: int = 0
    rejected: int = 0
    errors: int = 0
    fetched: int = 0
    adopted: int = 0  # kept earlier for another campaign from the same folders
    parsed: int = 0
    analysed: bool = False
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    parsed_digests: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"scan {self.campaign}: {self.new} new, {self.matched} matched, {self.unmatched} unmatched, "
            f"{self.rejected} rejected, {self.errors} errors, {self.seconds:.2f} s"
            + (
                f" ({self.adopted} read earlier for another campaign added)"
                if self.adopted
                else ""
            )
            + ("" if self.analysed else " (analysis skipped)")
        )

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": self.new,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "rejected": self.rejected,
            "errors": self.errors,
        }

    @property
    def exit_code(self) -> int:
        """0 when everything was kept and parsed; 1 when some message was rejected or missing."""
        return 1 if self.rejected or self.errors else 0


def lock_path(settings: Settings) -> Path:
    return (
        settings.scan.lock_file or settings.storage.data_dir / "scan.lock"
    ).expanduser()


def live_campaign(settings: Settings) -> tuple[str, Campaign]:
    """The live campaign and its store name, live:<file stem>."""
    if settings.campaign is None:
        raise ConfigError(
            "settings",
            [
                Problem(
                    "campaign",
                    "the path of the live campaign TOML ([brand], [[dealers]], [[inquiries]])",
                    "none",
                    'set campaign = "campaign.toml" at the top of the settings file',
                )
            ],
        )
    return f"live:{settings.campaign.stem}", load_campaign(settings.campaign)


def _internaldate(value: Any) -> datetime | None:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return None


def _lost(folder: str, summary: ScanSummary, exc: BaseException) -> CollectorError:
    return CollectorError(
        f"folder {folder!r}: expected the server to keep answering, found the connection lost "
        f"({type(exc).__name__}: {exc}) after {summary.new} new message(s) were stored; "
        "the next scan resumes from there. Fix: check the network or the server, then scan again"
    )


def adopt_earlier_mail(
    store: Store, name: str, folders: list[str], summary: ScanSummary
) -> None:
    """Give this campaign the mail its folders already yielded to other campaigns.

    The folder state (highest UID) is the mailbox's, not a campaign's: after the live
    campaign file is renamed or replaced, the mail read before is not fetched again.
    It is in the store, so it is filed under this campaign too and analysed with it.
    """
    adopted = store.adopt_sources(name, ORIGIN, folders)
    if adopted:
        summary.adopted += adopted
        log.info(
            "campaign %s: %d message(s) read earlier from %s for another campaign added",
            name,
            adopted,
            ", ".join(repr(f) for f in folders),
        )


# Dovecot appends how long a command took: "(0.001 + 0.000 secs)."
_SERVER_TIMING = re.compile(r"\s*\([\d.+ ]+secs?\)")


def _unopened_folder(client: IMAPClient, folder: str, exc: IMAPClientError) -> str:
    """The problem line for a folder the server would not open, with the ones it has."""
    answer = _SERVER_TIMING.sub("", str(exc)).strip().rstrip(".")
    # imapclient reads the server's text as ASCII and drops accented letters ("Envoys").
    ascii_name = folder.encode("ascii", "ignore").decode()
    if ascii_name != folder and ascii_name:
        answer = answer.replace(ascii_name, folder)
    try:
        names = sorted(str(name) for _, _, name in client.list_folders())
        known = f"; the server's folders are {', '.join(repr(n) for n in names)}"
    except (IMAPClientError, OSError):
        known = ""
    return (
        f"folder {folder!r}: expected a folder the server can open, found its refusal "
        f"({answer}){known}. Fix: correct [mailbox] folders or sent_folder"
    )


def collect_folder(
    client: IMAPClient,
    store: Store,
    campaign: str,
    folder: str,
    batch_size: int,
    summary: ScanSummary,
) -> None:
    """Fetch and keep one folder's messages above its highest stored UID."""
    try:
        info = client.select_folder(folder, readonly=True)
    except IMAPClientAbortError as exc:
        raise _lost(folder, summary, exc) from None
    except IMAPClientError as exc:
        summary.errors += 1
        message = _unopened_folder(client, folder, exc)
        summary.problems.append(message)
        log.error("%s", message)
        return
    uidvalidity = int(info[b"UIDVALIDITY"])
    row = store.get_folder(folder)
    highest = 0
    if row is not None and int(row["uidvalidity"]) == uidvalidity:
        highest = int(row["highest_uid"])
    elif row is not None:
        log.warning(
            "folder %r: UIDVALIDITY changed from %s to %s; reading it again, known messages are "
            "recognised by their content",
            folder,
            row["uidvalidity"],
            uidvalidity,
        )
    uidnext = info.get(b"UIDNEXT")
    if int(info.get(b"EXISTS", 1)) == 0 or (
        uidnext is not None and int(uidnext) <= highest + 1
    ):
        store.put_folder(folder, uidvalidity, highest)
        log.debug("folder %r: nothing above UID %d", folder, highest)
        return
    # "n:*" also returns the last message when n is above every UID: filter.
    uids = sorted(
        int(u) for u in client.search(["UID", f"{highest + 1}:*"]) if int(u) > highest
    )
    batches = [uids[i : i + batch_size] for i in range(0, len(uids), batch_size)]
    # The following batches are fetched while this one is stored: the socket reads and
    # SQLite release the GIL, so the two overlap. Up to _AHEAD batches wait fetched, so a
    # slow commit (a WAL checkpoint syncing to disk) does not leave the connection idle.
    # Only the worker thread touches the client; its batches run in order.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="imap-fetch") as pool:
        pending = deque(pool.submit(_fetch_batch, client, b) for b in batches[:_AHEAD])
        try:
            for index, batch in enumerate(batches):
                kept, missing = pending.popleft().result()
                if index + _AHEAD < len(batches):
                    pending.append(
                        pool.submit(_fetch_batch, client, batches[index + _AHEAD])
                    )
                _keep_batch(
                    store, campaign, folder, uidvalidity, batch, kept, missing, summary
                )
        finally:
            for future in pending:
                future.cancel()  # after a failure: no fetch on a broken connection
    log.info(
        "folder %r: %d message(s) fetched above UID %d", folder, len(uids), highest
    )


def _keep_batch(
    store: Store,
    campaign: str,
    folder: str,
    uidvalidity: int,
    batch: list[int],
    kept: list[tuple[int, bytes, datetime | None, str]],
    missing: list[tuple[int, str]],
    summary: ScanSummary,
) -> None:
    """Store one fetched batch and the folder's new highest UID in one transaction."""
    with store.transaction():
        fresh = store.put_raws([(digest, raw) for _, raw, _, digest in kept])
        store.add_sources(
            [
                (digest, campaign, ORIGIN, folder, uidvalidity, uid, when)
                for uid, _, when, digest in kept
            ]
        )
        summary.new += fresh
        for uid, reason in missing:
            store.add_reject("", f"{folder} UID {uid}", reason)
        store.put_folder(folder, uidvalidity, batch[-1])
    summary.fetched += len(kept)
    for uid, reason in missing:
        summary.errors += 1
        summary.problems.append(f"folder {folder!r} UID {uid}: {reason}")
        log.error("folder %r UID %d: %s", folder, uid, reason)


def _fetch_batch(
    client: IMAPClient, batch: list[int]
) -> tuple[list[tuple[int, bytes, datetime | None, str]], list[tuple[int, str]]]:
    """Fetch a batch; a UID answered without its body (e.g. a FLAGS-only update) is asked again alone."""
    response = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
    kept: list[tuple[int, bytes, datetime | None, str]] = []
    missing: list[tuple[int, str]] = []
    for uid in batch:
        data = response.get(uid) or {}
        raw = data.get(b"BODY[]")
        if raw is None:
            again = client.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE"]).get(uid) or {}
            if again.get(b"BODY[]") is None:
                missing.append(
                    (
                        uid,
                        (
                            "the server did not deliver the message body (FETCH BODY.PEEK[] "
                            "returned none); it was skipped"
                        ),
                    )
                )
                continue
            data = again
            raw = data[b"BODY[]"]
        body = bytes(raw)
        # Hashed here, in the fetch thread, so it overlaps with storing the previous batch.
        kept.append(
            (uid, body, _internaldate(data.get(b"INTERNALDATE")), sha256_of(body))
        )
    return kept, missing


def parse_pending(store: Store, campaign: str, summary: ScanSummary) -> None:
    """Run every kept but unparsed message through the shared ingest step."""
    rows = store.unparsed_sources(campaign, ORIGIN)
    for start in range(0, len(rows), _PARSE_CHUNK):
        with store.transaction():
            for row in rows[start : start + _PARSE_CHUNK]:
                when = (
                    datetime.fromisoformat(row["internaldate"])
                    if row["internaldate"]
                    else None
                )
                done = ingest(
                    store,
                    store.get_raw(row["sha256"]),
                    campaign=campaign,
                    origin=ORIGIN,
                    location=row["location"],
                    uidvalidity=row["uidvalidity"],
                    uid=row["uid"],
                    internaldate=when,
                )
                summary.parsed += 1
                if done.parsed is None:
                    summary.rejected += 1
                else:
                    summary.parsed_digests.append(done.sha256)


def analysis_needed(
    store: Store, name: str, campaign: Campaign, summary: ScanSummary
) -> bool:
    """Whether anything can have changed: new mail, another campaign, or a case still waiting."""
    if (
        summary.parsed_digests
        or summary.adopted
        or store.get_campaign(name) != campaign.model_dump_json()
    ):
        return True
    cases = store.cases(name)
    if len(cases) < len(campaign.inquiries):
        return True
    return any(case["status"] == "waiting" for case in cases)


def analyse(
    settings: Settings,
    store: Store,
    name: str,
    campaign: Campaign,
    now: datetime,
    summary: ScanSummary,
) -> None:
    from replyaudit.checks import load_rules
    from replyaudit.message.cues import load_cues
    from replyaudit.scorecard import load_scorecard

    if analysis_needed(store, name, campaign, summary):
        scorecard = load_scorecard(settings.rules_dir)
        rules = load_rules(settings.rules_dir)
        Analyzer(
            store,
            name,
            campaign,
            scorecard,
            rules,
            cues=load_cues(settings.rules_dir),
            policy=settings.timing.policy,
            working_windows=settings.timing.working_windows,
            now=now,
        ).run()
    else:
        log.debug("analysis of %s unchanged: no new mail, no case waiting", name)
    summary.analysed = True
    shoppers = {inquiry.shopper for inquiry in campaign.inquiries}
    for digest in summary.parsed_digests:
        match = store.get_match(name, digest)
        parsed = load_parsed(store, digest)
        from_shopper = parsed is not None and parsed.from_addr in shoppers
        if from_shopper or (match is not None and match["inquiry_id"] is not None):
            summary.matched += 1
        else:
            summary.unmatched += 1


def scan(
    settings: Settings,
    *,
    analyse_mail: bool = True,
    now: datetime | None = None,
    connector: Connector = connect,
    on_connected: Callable[[], None] | None = None,
) -> ScanSummary:
    """Collect new mail from every configured folder, then parse and analyse (see module doc)."""
    started = time.perf_counter()
    name, campaign = live_campaign(settings)
    summary = ScanSummary(campaign=name)
    folders = list(
        dict.fromkeys(
            settings.mailbox.folders
            + ([settings.mailbox.sent_folder] if settings.mailbox.sent_folder else [])
        )
    )
    with ScanLock(lock_path(settings)):
        client = connector(settings.mailbox)  # a refused login writes nothing
        if on_connected:
            on_connected()
        with Store(settings.storage.database_path) as store:
            scan_id = store.start_scan()
            try:
                for folder in folders:
                    try:
                        collect_folder(
                            client,
                            store,
                            name,
                            folder,
                            settings.mailbox.batch_size,
                            summary,
                        )
                    except (IMAPClientError, OSError) as exc:
                        raise _lost(folder, summary, exc) from None
            except CollectorError as exc:
                summary.errors += 1
                summary.seconds = time.perf_counter() - started
                store.finish_scan(scan_id, summary.counts, f"error: {exc}")
                log.error("%s", summary.line())
                raise
            finally:
                _close(client)
            adopt_earlier_mail(store, name, folders, summary)
            if analyse_mail:
                parse_pending(store, name, summary)
                analyse(settings, store, name, campaign, now or utcnow(), summary)
            summary.seconds = time.perf_counter() - started
            outcome = "ok" if summary.exit_code == 0 else "partial"
            store.finish_scan(scan_id, summary.counts, outcome)
    log.info("%s", summary.line())
    return summary

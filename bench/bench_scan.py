"""Benchmark of replyaudit scan against a throwaway Dovecot holding 5,000 messages.

Prints, in one run: a bare imapclient FETCH loop's rate over the mailbox, the first
scan's rate without analysis (fetch and keep: --no-analyse), the first scan's rate with
parse and analysis, and the time of a scan that finds no new mail.
Goals: first scan without analysis >= 80% of the bare loop; no-new-mail scan < 1 s.

The bare loop and the fetch-and-keep scan are timed in alternation, --trials times each
(every scan into a new, empty database), and compared by their medians: on a shared
machine one pair of runs can differ by 30% either way. Each scan is timed around the
whole scan() call: lock, campaign, login, fetch, store, and closing the database.
The first fetch-and-keep scan of the process is reported on its own ("cold"): it also
pays the one-time imports the later ones find loaded.

    python bench/bench_scan.py [--messages 5000] [--trials 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from imap_server import (
    PASSWORD,
    DovecotServer,
    corpus_messages,
    write_live_campaign,
    write_settings,
)
from replyaudit.collector.connect import connect
from replyaudit.collector.scan import scan
from replyaudit.config import load_settings

CORPUS = ROOT / "fixtures" / "corpus"


def seed(server: DovecotServer, count: int) -> None:
    """`count` distinct messages: the corpus's, each copy made unique by one header."""
    base = [item for items in corpus_messages(CORPUS).values() for item in items]
    messages = []
    for n in range(count):
        raw, when = base[n % len(base)]
        messages.append((f"X-Bench-Copy: {n}\r\n".encode() + raw, when))
    server.append_many("INBOX", messages)


def bare_loop(settings, batch: int) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """Log in, EXAMINE INBOX, FETCH every message's BODY.PEEK[] and INTERNALDATE, log out."""
    started = time.perf_counter()
    client = connect(settings.mailbox)
    client.select_folder("INBOX", readonly=True)
    uids = client.search()
    total = 0
    for start in range(0, len(uids), batch):
        response = client.fetch(
            uids[start : start + batch], ["BODY.PEEK[]", "INTERNALDATE"]
        )
        total += sum(len(d[b"BODY[]"]) for d in response.values())
    client.logout()
    return len(uids), time.perf_counter() - started


def timed_scan(settings, **options) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    summary = scan(settings, **options)
    return summary.new, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--trials", type=int, default=7)
    args = parser.parse_args()
    os.environ["REPLYAUDIT_TEST_IMAP_PASSWORD"] = PASSWORD
    with DovecotServer.start() as server, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        seed(server, args.messages)
        print(
            f"seeded {args.messages} messages in {time.perf_counter() - started:.1f} s; "
            f"{os.cpu_count()} CPUs; Dovecot on loopback over IMAPS"
        )
        campaign = write_live_campaign(CORPUS, Path(tmp) / "campaign.toml")
        runs = iter(range(1_000_000))

        def fresh_settings():  # type: ignore[no-untyped-def]
            """Settings whose database does not exist yet: every scan is a first scan."""
            name = f"run{next(runs)}"
            path = write_settings(
                Path(tmp) / f"{name}.toml",
                server,
                campaign,
                Path(tmp) / name,
                folders=("INBOX",),
                sent_folder="",
            )
            return load_settings(path)

        bare_settings = fresh_settings()
        batch = bare_settings.mailbox.batch_size
        bare_loop(bare_settings, batch)  # warm the server's cache

        bare_times: list[float] = []
        keep_times: list[float] = []
        cold = 0.0
        for trial in range(args.trials + 1):
            count, seconds = bare_loop(bare_settings, batch)
            bare_times.append(seconds)
            new, seconds = timed_scan(fresh_settings(), analyse_mail=False)
            assert new == count == args.messages, (new, count)
            if trial == 0:
                cold = seconds
            else:
                keep_times.append(seconds)

        bare = statistics.median(bare_times)
        keep = statistics.median(keep_times)
        spread = ", ".join(f"{t:.3f}" for t in keep_times)
        print(
            f"bare imapclient FETCH loop: {args.messages} messages, median {bare:.3f} s "
            f"= {args.messages / bare:,.0f} msg/s (batches of {batch}; "
            f"{min(bare_times):.3f}-{max(bare_times):.3f} s over {len(bare_times)} runs)"
        )
        print(
            f"first scan, fetch and keep (--no-analyse): median {keep:.3f} s "
            f"= {args.messages / keep:,.0f} msg/s = {bare / keep:.0%} of the bare loop "
            f"(goal >= 80%); runs: {spread}"
        )
        print(
            f"  cold (first of the process, with one-time imports): {cold:.3f} s "
            f"= {bare / cold:.0%} of the bare loop"
        )

        full = fresh_settings()
        new, seconds = timed_scan(full)
        print(
            f"first scan with parse and analysis: {new} in {seconds:.2f} s "
            f"= {new / seconds:,.0f} msg/s"
        )

        summary = scan(full)
        print(
            f"scan with no new mail: {summary.seconds:.3f} s (goal < 1 s); {summary.line()}"
        )


if __name__ == "__main__":
    main()

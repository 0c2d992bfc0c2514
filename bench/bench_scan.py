"""Benchmark of replyaudit scan against a throwaway Dovecot holding 5,000 messages.

Prints, in one run: a bare imapclient FETCH loop's rate over the mailbox, the first
scan's rate without analysis (fetch and keep: --no-analyse), the first scan's rate with
parse and analysis, and the time of a scan that finds no new mail.
Goals: first scan without analysis >= 80% of the bare loop; no-new-mail scan < 1 s.

    python bench/bench_scan.py [--messages 5000]
"""

from __future__ import annotations

import argparse
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    args = parser.parse_args()
    os.environ["REPLYAUDIT_TEST_IMAP_PASSWORD"] = PASSWORD
    with DovecotServer.start() as server, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        seed(server, args.messages)
        print(
            f"seeded {args.messages} messages in {time.perf_counter() - started:.1f} s"
        )
        campaign = write_live_campaign(CORPUS, Path(tmp) / "campaign.toml")

        def settings_for(name: str):  # type: ignore[no-untyped-def]
            path = write_settings(
                Path(tmp) / f"{name}.toml",
                server,
                campaign,
                Path(tmp) / name,
                folders=("INBOX",),
                sent_folder="",
            )
            return load_settings(path)

        bare_settings = settings_for("bare")
        bare_loop(
            bare_settings, bare_settings.mailbox.batch_size
        )  # warm the server's cache
        count, bare = bare_loop(bare_settings, bare_settings.mailbox.batch_size)
        bare_rate = count / bare
        print(
            f"bare imapclient FETCH loop: {count} messages in {bare:.2f} s = {bare_rate:,.0f} msg/s"
        )

        keep = settings_for("keep")
        summary = scan(keep, analyse_mail=False)
        rate = summary.new / summary.seconds
        print(
            f"first scan, fetch and keep (--no-analyse): {summary.new} in {summary.seconds:.2f} s "
            f"= {rate:,.0f} msg/s ({rate / bare_rate:.0%} of the bare loop; goal >= 80%)"
        )

        full = settings_for("full")
        summary = scan(full)
        print(
            f"first scan with parse and analysis: {summary.new} in {summary.seconds:.2f} s "
            f"= {summary.new / summary.seconds:,.0f} msg/s"
        )

        summary = scan(full)
        print(
            f"scan with no new mail: {summary.seconds:.3f} s (goal < 1 s); {summary.line()}"
        )


if __name__ == "__main__":
    main()

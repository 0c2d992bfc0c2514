"""Benchmark: the bundled corpus replayed end to end until >= 1,000 messages are analysed.

Prints messages per second end to end (keep, parse, classify, match, time, check, store)
on one core, spaCy alone on the same texts in the same run, and the peak memory.
Usage: python bench/bench_replay.py [--min-messages 1000] [--corpus fixtures/corpus]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-messages", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=ROOT / "fixtures" / "corpus")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    from replyaudit.checks.nlp import FOLD_COMPONENT
    from replyaudit.checks.nlp import load_nlp as get_nlp
    from replyaudit.config import default_rules_dir
    from replyaudit.pipeline import load_parsed
    from replyaudit.replay import replay
    from replyaudit.store import Store

    rules_dir = default_rules_dir()
    started = time.perf_counter()
    get_nlp()
    load_seconds = time.perf_counter() - started

    # Warm-up: one replay outside the timing, so both figures exclude model loading.
    with (
        tempfile.TemporaryDirectory() as tmp,
        Store(Path(tmp) / "warm.sqlite3") as store,
    ):
        replay(args.corpus, store, rules_dir)
        texts = []
        for digest in store.campaign_messages(f"corpus:{args.corpus.name}"):
            parsed = load_parsed(store, digest)
            if parsed is not None:
                texts += [t for t in (parsed.body, parsed.signature) if t]

    messages = rounds = 0
    begin = time.perf_counter()
    while messages < args.min_messages:
        with (
            tempfile.TemporaryDirectory() as tmp,
            Store(Path(tmp) / "bench.sqlite3") as store,
        ):
            report = replay(args.corpus, store, rules_dir)
        messages += report.messages
        rounds += 1
    end_to_end = time.perf_counter() - begin

    # spaCy alone: the model's components only, without our folding component.
    nlp = get_nlp()
    begin = time.perf_counter()
    with nlp.select_pipes(disable=[FOLD_COMPONENT]):
        model_pipes = nlp.pipe_names
        for _ in range(rounds):
            for _doc in nlp.pipe(texts, batch_size=256):
                pass
    spacy_alone = time.perf_counter() - begin

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = messages / end_to_end
    spacy_rate = messages / spacy_alone
    print(
        f"python {sys.version.split()[0]}, one core, spaCy pipeline {model_pipes} + {FOLD_COMPONENT}, model load {load_seconds:.1f} s"
    )
    print(
        f"end to end: {messages} messages in {end_to_end:.2f} s over {rounds} replays = {rate:.0f} messages/s"
    )
    print(
        f"spaCy alone on the same texts ({len(texts) * rounds} texts): {spacy_alone:.2f} s = {spacy_rate:.0f} messages/s"
    )
    print(f"end to end / spaCy alone: {end_to_end / spacy_alone:.2f}x")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()

"""Replays a labelled corpus folder through the pipeline, without any mailbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from replyaudit.checks import load_rules
from replyaudit.corpus import Corpus, load_corpus
from replyaudit.errors import Problem
from replyaudit.message.cues import load_cues
from replyaudit.models import CaseResult
from replyaudit.pipeline import Analyzer, ingest
from replyaudit.scorecard import Scorecard, load_scorecard
from replyaudit.store import Store, utcnow

log = logging.getLogger(__name__)


@dataclass
class ReplayReport:
    corpus: Corpus
    results: list[CaseResult]
    skipped: list[Problem] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    misfiled: list[str] = field(default_factory=list)
    messages: int = 0
    seconds: float = 0.0


def replay(
    root: Path,
    store: Store,
    rules_dir: Path,
    *,
    policy: str = "open-hours",
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    scorecard: Scorecard | None = None,
) -> ReplayReport:
    """Keep every .eml of the corpus in the store, then analyse every case of it."""
    started = utcnow()
    scorecard = scorecard or load_scorecard(rules_dir)
    rules = load_rules(rules_dir)
    cues = load_cues(rules_dir)
    corpus = load_corpus(root, scorecard)
    report = ReplayReport(corpus=corpus, results=[], skipped=list(corpus.skipped))

    folder_of: dict[str, str] = {}
    files = [(case, path) for case in corpus.cases for path in case.files]
    for done, (case, path) in enumerate(files, start=1):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.rejected.append(
                Problem(
                    str(path),
                    "a readable .eml file",
                    str(exc),
                    "check the file's permissions",
                )
            )
            continue
        # One transaction per file: its raw bytes, source and parse land together.
        with store.transaction():
            ingested = ingest(
                store, raw, campaign=corpus.name, origin="corpus", location=str(path)
            )
        report.messages += 1
        folder_of[ingested.sha256] = case.id
        if ingested.parsed is None:
            report.rejected.append(
                Problem(
                    str(path),
                    "an RFC 5322 message",
                    ingested.error or "unreadable",
                    "the raw file is kept; check it with `replyaudit inspect`",
                )
            )
        if progress:
            progress(done, len(files))

    # A saved corpus is complete: its windows are closed unless an instant is given.
    analyzer = Analyzer(
        store,
        corpus.name,
        corpus.campaign,
        scorecard,
        rules,
        cues=cues,
        policy=policy,
        now=now or utcnow(),
        complete=now is None,
        filed=folder_of,
    )
    summary = analyzer.run(only={case.id for case in corpus.cases})
    report.results = summary.results
    report.unmatched = summary.unmatched
    report.misfiled = analyzer.matcher_disagreements
    report.seconds = (utcnow() - started).total_seconds()
    log.info(
        "replay %s: %d case(s), %d message(s), %d skipped, %d rejected, %d unmatched, %.1f s",
        root,
        len(report.results),
        report.messages,
        len(report.skipped),
        len(report.rejected),
        len(report.unmatched),
        report.seconds,
    )
    return report

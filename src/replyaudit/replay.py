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
    # The message dates of the corpus, to tell a --now that comes before some of them.
    latest: datetime | None = None
    after_now: int = 0
    warnings: list[str] = field(default_factory=list)


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
        if ingested.parsed is not None:
            dated = ingested.parsed.arrival or ingested.parsed.date
            if dated is not None:
                report.latest = max(report.latest or dated, dated)
                if now is not None and dated > now:
                    report.after_now += 1
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

    if now is not None and report.after_now and report.latest is not None:
        report.warnings.append(_early_now(now, report))
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


def _early_now(now: datetime, report: ReplayReport) -> str:
    """Why an analysis as of `now` mixes two instants, and what to give instead."""
    latest = report.latest.isoformat() if report.latest else "?"
    return (
        f"--now {now.isoformat()} is before {report.after_now} of the corpus's "
        f"{report.messages} message(s) (the latest dated {latest}): they are still counted "
        "as received, so a case can be 'waiting' while a reply from after --now scores it. "
        f"Fix: give a --now after {latest}, or leave --now out (a saved corpus is complete)"
    )

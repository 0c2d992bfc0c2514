"""Calibration on the labelled corpus: questions 2-13 agree with the approved answers."""

from __future__ import annotations

import pytest

from checks_corpus import _same, agreement, replay
from replyaudit.checks import QUESTION_KEYS


@pytest.fixture(scope="session")
def results():
    return replay()


def test_checks_corpus_agreement_per_question(results):
    """At least 95% agreement on every question and 98% overall."""
    table = agreement(results)
    for key, (agree, n) in table.items():
        assert agree / n >= 0.95, (key, agree, n)
    assert sum(a for a, _ in table.values()) / sum(n for _, n in table.values()) >= 0.98


def test_checks_corpus_disagreements_flagged(results):
    """Every disagreement with the reviewer is flagged needs_review (reported, not silent)."""
    silent = [
        (case_id, key)
        for case_id, exp, ans in results
        for key in QUESTION_KEYS
        if not _same(exp[key], ans[key].value) and not ans[key].needs_review
    ]
    assert len(silent) <= 2, silent


def test_checks_corpus_scoring_answers_carry_evidence(results):
    """Every answer that scores points quotes at least one sentence or header."""
    for case_id, _, answers in results:
        for answer in answers.values():
            if answer.points:
                assert answer.evidence and all(ev.sentence for ev in answer.evidence), (
                    case_id,
                    answer.key,
                )

"""Compares pre-filled answers with the approved ones: agreement, confusion, Cohen's kappa, MAE."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from replyaudit.models import AnswerValue
from replyaudit.replay import ReplayReport
from replyaudit.scorecard import Scorecard


def canonical(value: AnswerValue) -> str:
    """A comparable label: a multi answer is its sorted options joined by '+', '[]' when empty."""
    if isinstance(value, list):
        return "+".join(sorted(value)) or "[]"
    return value


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of (expected, found) labels; None when chance agreement is total."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(1 for a, b in pairs if a == b) / n
    left = Counter(a for a, _ in pairs)
    right = Counter(b for _, b in pairs)
    chance = sum(left[label] * right.get(label, 0) for label in left) / (n * n)
    if chance >= 1.0:
        return None if observed < 1.0 else 1.0
    return (observed - chance) / (1 - chance)


@dataclass
class Calibration:
    report: dict[str, Any]

    @property
    def overall_agreement(self) -> float:
        return float(self.report["overall"]["agreement"] or 0.0)


def calibrate(replayed: ReplayReport, scorecard: Scorecard) -> Calibration:
    """Per question agreement, confusion and kappa; overall agreement and score MAE; disagreements."""
    expected_by_case = {case.id: case.expected for case in replayed.corpus.cases}
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    disagreements: list[dict[str, Any]] = []
    score_errors: list[int] = []
    for result in replayed.results:
        expected = expected_by_case.get(result.inquiry_id, {})
        expected_total = 0
        for question in scorecard.questions:
            if question.key not in expected:
                continue
            want = expected[question.key]
            answer = result.answers[question.key]
            expected_total += question.points_for(want)
            pairs[question.key].append((canonical(want), canonical(answer.value)))
            if canonical(want) != canonical(answer.value):
                evidence = answer.evidence[0] if answer.evidence else None
                disagreements.append(
                    {
                        "case": result.inquiry_id,
                        "question": question.key,
                        "number": question.number,
                        "expected": want,
                        "found": answer.value,
                        "rule": answer.rule,
                        "confidence": answer.confidence,
                        "needs_review": answer.needs_review,
                        "evidence": evidence.sentence if evidence else "",
                        "note": answer.note,
                    }
                )
        if expected:
            score_errors.append(abs(expected_total - result.total))

    questions: dict[str, Any] = {}
    agree_all = total_all = 0
    for question in scorecard.questions:
        items = pairs.get(question.key, [])
        agree = sum(1 for a, b in items if a == b)
        agree_all += agree
        total_all += len(items)
        confusion: dict[str, dict[str, int]] = defaultdict(dict)
        for want, found in items:
            confusion[want][found] = confusion[want].get(found, 0) + 1
        questions[question.key] = {
            "number": question.number,
            "n": len(items),
            "agreement": agree / len(items) if items else None,
            "kappa": cohen_kappa(items),
            "confusion": {k: dict(v) for k, v in sorted(confusion.items())},
        }
    flagged = sum(1 for d in disagreements if d["needs_review"])
    report = {
        "cases": len(replayed.results),
        "skipped": [str(p) for p in replayed.skipped],
        "rejected": [str(p) for p in replayed.rejected],
        "questions": questions,
        "overall": {
            "agreement": agree_all / total_all if total_all else None,
            "score_mae": sum(score_errors) / len(score_errors) if score_errors else 0.0,
            "answers": total_all,
            "disagreements": len(disagreements),
            "disagreements_flagged_for_review": flagged,
        },
        "disagreements": disagreements,
    }
    return Calibration(report)

"""Plain-text renderings of replay and calibration results for the terminal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from replyaudit.scorecard import Scorecard


def _delay(result: Any) -> str:
    timing = result.response_timing
    if timing is None:
        return (
            "no reply" if not any(m.role == "initial" for m in result.messages) else "?"
        )
    return f"{timing.open_minutes:.0f} min"


def replay_lines(report: Any, scorecard: Scorecard) -> Iterator[str]:
    """One line per case: id, dealer, delay, points per question, total, flags; then a summary."""
    numbers = " ".join(f"{q.number:>2}" for q in scorecard.questions)
    yield f"{'case':<32} {'dealer':<12} {'delay':>9}  {numbers}  {'total':>5}  status    flags"
    for result in report.results:
        points = " ".join(
            f"{result.answers[q.key].points:>2}" for q in scorecard.questions
        )
        review = [k for k, a in result.answers.items() if a.needs_review]
        flags = ",".join(result.flags) or "-"
        if review:
            flags += f" (review: {','.join(review)})"
        yield (
            f"{result.inquiry_id:<32} {result.dealer_id:<12} {_delay(result):>9}  {points}  "
            f"{result.total:>2}/{scorecard.max_points}  {result.status:<9} {flags}"
        )
    yield ""
    yield (
        f"{len(report.results)} case(s) analysed, {report.messages} message(s) read, "
        f"{len(report.skipped)} problem(s) in skipped cases, {len(report.rejected)} message(s) rejected, "
        f"{len(report.unmatched)} unmatched, {report.seconds:.1f} s"
    )
    for problem in report.skipped:
        yield f"skipped: {problem}"
    for problem in report.rejected:
        yield f"rejected: {problem}"
    for line in report.misfiled:
        yield f"match: {line}"


def _fmt(value: Any) -> str:
    if value is None:
        return "  n/a"
    return f"{value:5.2f}"


def calibration_lines(report: dict[str, Any]) -> Iterator[str]:
    yield f"{report['cases']} case(s) compared with their approved answers"
    yield f"{'#':>2} {'question':<24} {'n':>3} {'agree':>6} {'kappa':>6}"
    for key, item in report["questions"].items():
        yield f"{item['number']:>2} {key:<24} {item['n']:>3} {_fmt(item['agreement'])} {_fmt(item['kappa'])}"
    overall = report["overall"]
    if overall["agreement"] is None:
        yield "no answers to compare: no case with [expected] answers was analysed"
        return
    yield (
        f"overall agreement {overall['agreement']:.3f} on {overall['answers']} answers; "
        f"total score MAE {overall['score_mae']:.2f} point(s); "
        f"{overall['disagreements']} disagreement(s), {overall['disagreements_flagged_for_review']} flagged for review"
    )
    for item in report["disagreements"]:
        flag = "flagged" if item["needs_review"] else "NOT flagged"
        yield (
            f"- {item['case']} Q{item['number']} {item['question']}: expected {item['expected']!r}, "
            f"found {item['found']!r} [{item['rule']}, conf {item['confidence']:.2f}, {flag}]"
        )
        if item["evidence"]:
            yield f"    evidence: {item['evidence']}"
    for line in report.get("skipped", []):
        yield f"skipped: {line}"

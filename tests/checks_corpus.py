"""Test helper: replay the labelled corpus through run_checks (timing questions excluded)."""

from __future__ import annotations

from pathlib import Path

from replyaudit.checks import QUESTION_KEYS, run_checks
from replyaudit.context import CaseContext
from replyaudit.corpus import load_corpus
from replyaudit.message import classify_message, parse_message
from replyaudit.models import Answer, Kind
from replyaudit.scorecard import load_scorecard

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "fixtures" / "corpus"
RULES = ROOT / "rules"


def replay(
    corpus_root: Path = CORPUS,
) -> list[tuple[str, dict[str, object], dict[str, Answer]]]:
    """(case id, expected, answers) for every case, personalised replies in arrival order."""
    scorecard = load_scorecard(RULES)
    corpus = load_corpus(corpus_root, scorecard)
    results = []
    for case in corpus.cases:
        replies = []
        inquiry_message = None
        for path in case.files:
            msg = parse_message(path.read_bytes(), source=str(path))
            kind = classify_message(msg, corpus.campaign, case.inquiry).kind
            if kind == Kind.INQUIRY:
                inquiry_message = msg
            elif kind == Kind.PERSONALISED:
                replies.append(msg)
        replies.sort(key=lambda m: m.arrival.timestamp() if m.arrival else 0.0)
        dealer = corpus.campaign.dealer(case.inquiry.dealer)
        ctx = CaseContext(
            corpus.campaign, case.inquiry, dealer, inquiry_message, replies
        )
        results.append((case.id, case.expected, run_checks(ctx, scorecard)))
    return results


def agreement(results) -> dict[str, tuple[int, int]]:
    table: dict[str, tuple[int, int]] = {}
    for key in QUESTION_KEYS:
        agree = sum(1 for _, exp, ans in results if _same(exp[key], ans[key].value))
        table[key] = (agree, len(results))
    return table


def _same(expected: object, value: object) -> bool:
    if isinstance(expected, list) and isinstance(value, list):
        return sorted(expected) == sorted(value)
    return expected == value


if __name__ == "__main__":
    res = replay()
    for case_id, exp, ans in res:
        for key in QUESTION_KEYS:
            if not _same(exp[key], ans[key].value):
                a = ans[key]
                print(
                    f"{case_id} {key}: expected {exp[key]} got {a.value} ({a.rule}, {a.confidence}, review={a.needs_review}) {a.note[:100]}"
                )
    total = [0, 0]
    for key, (agree, n) in agreement(res).items():
        print(f"{key:25s} {agree}/{n}")
        total[0] += agree
        total[1] += n
    print("overall", total)

"""Questions 6, 7 and 9 to 13: call offer, call time, clarity, test drive, other help, consent, availability."""

from __future__ import annotations

import re

from replyaudit.checks.answer import make_answer
from replyaudit.checks.near_miss import NEAR_MISS_CONFIDENCE, find_near_miss
from replyaudit.checks.phrases import Hit, PartAnalysis, hits_for
from replyaudit.checks.rules import RuleSet
from replyaudit.context import CaseContext
from replyaudit.models import Answer, Evidence
from replyaudit.scorecard import Scorecard

_YES_NO_MISS_CONFIDENCE = 0.85


def _near_miss_answer(
    scorecard: Scorecard,
    key: str,
    value: str | list[str],
    prefix: str,
    near: Evidence,
    what: str,
) -> Answer:
    """The negative value, flagged for review, citing the sentence that came close."""
    return make_answer(
        scorecard,
        key,
        value,
        f"{prefix}.near_miss",
        NEAR_MISS_CONFIDENCE,
        f"no rule fired, but this sentence is close to '{what.lower()}': "
        f"'{near.sentence[:80]}'",
        [near],
    )


def _yes_no(
    scorecard: Scorecard,
    key: str,
    hits: list[Hit],
    prefix: str,
    what: str,
    near: Evidence | None = None,
) -> Answer:
    if hits:
        best = max(hits, key=lambda h: h.rule.confidence)
        return make_answer(
            scorecard,
            key,
            "yes",
            best.rule.id,
            best.rule.confidence,
            f"{what}: '{best.sentence.text[:80]}'",
            [h.evidence() for h in hits[:3]],
        )
    if near is not None:
        return _near_miss_answer(scorecard, key, "no", prefix, near, what)
    return make_answer(
        scorecard,
        key,
        "no",
        f"{prefix}.none_found",
        _YES_NO_MISS_CONFIDENCE,
        f"no sentence found where {what.lower()}",
    )


def _when(
    scorecard: Scorecard,
    key: str,
    hits: list[Hit],
    prefix: str,
    what: str,
    near: Evidence | None = None,
) -> Answer:
    if not hits and near is not None:
        return _near_miss_answer(scorecard, key, "never", prefix, near, what)
    if not hits:
        return make_answer(
            scorecard,
            key,
            "never",
            f"{prefix}.none_found",
            _YES_NO_MISS_CONFIDENCE,
            f"no reply {what.lower()}",
        )
    initial = [h for h in hits if h.role == "initial"]
    chosen = initial or hits
    value = "initial" if initial else "follow_up"
    best = chosen[0]
    return make_answer(
        scorecard,
        key,
        value,
        best.rule.id,
        best.rule.confidence,
        f"{what} in the {value.replace('_', '-')} message",
        [h.evidence() for h in chosen[:3]],
    )


def check_proposed_call(
    ctx: CaseContext,
    scorecard: Scorecard,
    parts: list[PartAnalysis],
    rules: RuleSet | None = None,
) -> Answer:
    return _yes_no(
        scorecard,
        "proposed_call",
        hits_for(parts, "proposed_call"),
        "q6",
        "The advisor offers to call",
        find_near_miss(parts, rules, "proposed_call"),
    )


def check_asked_call_time(
    ctx: CaseContext,
    scorecard: Scorecard,
    parts: list[PartAnalysis],
    rules: RuleSet | None = None,
) -> Answer:
    """Q7: a time question in a sentence about a call, or right after one."""
    asks = [h for h in hits_for(parts, "asked_call_time") if h.rule.label == "ask_time"]
    context = hits_for(parts, "proposed_call") + [
        h for h in hits_for(parts, "asked_call_time") if h.rule.label == "call_context"
    ]
    places = {(h.message.sha256, h.part, h.sentence.index) for h in context}
    found = [
        h
        for h in asks
        if {
            (h.message.sha256, h.part, h.sentence.index),
            (h.message.sha256, h.part, h.sentence.index - 1),
        }
        & places
    ]
    if not found and asks:
        return make_answer(
            scorecard,
            "asked_call_time",
            "no",
            "q7.time_question_not_about_a_call",
            0.75,
            f"a time question not about a call: '{asks[0].sentence.text[:80]}'",
            [asks[0].evidence()],
        )
    return _yes_no(
        scorecard,
        "asked_call_time",
        found,
        "q7",
        "The advisor asks when to call",
        find_near_miss(parts, rules, "asked_call_time"),
    )


def check_checked_clarity(
    ctx: CaseContext,
    scorecard: Scorecard,
    parts: list[PartAnalysis],
    rules: RuleSet | None = None,
) -> Answer:
    return _yes_no(
        scorecard,
        "checked_clarity",
        hits_for(parts, "checked_clarity"),
        "q9",
        "The advisor checks the information is clear",
        find_near_miss(parts, rules, "checked_clarity"),
    )


# Where one offer of a sentence ends and another begins: 'à la concession ou, si
# c'est plus simple, chez vous', '...; nous pouvons aussi...', '..., sinon ...'.
_CLAUSE_BREAK = re.compile(
    r";|:|\bou\b|\bsinon\b|\bmais\b|\bautrement\b|\bégalement\b|\baussi\b",
    re.IGNORECASE,
)
_PLACES = ("dealer", "elsewhere")
_Key = tuple[str, str, int]


def _key(hit: Hit) -> _Key:
    return (hit.message.sha256, hit.part, hit.sentence.index)


def _clause_of(hit: Hit) -> int:
    """The number of the clause of its sentence where `hit` starts."""
    offset = hit.start - hit.sentence.start
    return len(_CLAUSE_BREAK.findall(hit.sentence.flat[: max(offset, 0)]))


def _sentence_places(cues: list[Hit]) -> set[str]:
    """The places a sentence offers: both when its clauses name each on its own
    ('venir l'essayer à la concession ou ... le déposer chez vous'); when one clause
    names both, the place outside the dealership, which is the rarer offer."""
    labels = {c.rule.label for c in cues}
    if len(labels) < 2:
        return labels
    by_clause: dict[int, set[str]] = {}
    for cue in cues:
        by_clause.setdefault(_clause_of(cue), set()).add(cue.rule.label)
    if any(here == {"dealer"} for here in by_clause.values()) and any(
        here == {"elsewhere"} for here in by_clause.values()
    ):
        return set(_PLACES)
    return {"elsewhere"}


def check_test_drive(
    ctx: CaseContext,
    scorecard: Scorecard,
    parts: list[PartAnalysis],
    rules: RuleSet | None = None,
) -> Answer:
    """Q10: each test-drive offer placed at the dealership or elsewhere, in the first reply or later."""
    hits = hits_for(parts, "test_drive")
    triggers = [h for h in hits if h.rule.label == "trigger"]
    cues: dict[_Key, list[Hit]] = {}
    for h in hits:
        if h.rule.label in _PLACES:
            cues.setdefault(_key(h), []).append(h)
    values: dict[str, Hit] = {}
    confidence = 0.9
    for trigger in triggers:
        here = _sentence_places(cues.get(_key(trigger), []))
        if not here:
            sha, part, index = _key(trigger)
            before = _sentence_places(cues.get((sha, part, index - 1), []))
            here = {"elsewhere"} if "elsewhere" in before else {"dealer"}
            confidence = min(confidence, 0.8 if before else 0.65)
        for place in here:
            values.setdefault(f"{place}_{trigger.role}", trigger)
    order = scorecard.question("test_drive").option_ids()
    value = [o for o in order if o in values]
    if not value:
        near = find_near_miss(parts, rules, "test_drive")
        if near is not None:
            return _near_miss_answer(
                scorecard, "test_drive", [], "q10", near, "A test drive is offered"
            )
        return make_answer(
            scorecard,
            "test_drive",
            [],
            "q10.none_found",
            _YES_NO_MISS_CONFIDENCE,
            "no test-drive offer found in the replies",
        )
    evidence = [values[o].evidence() for o in value]
    rule = values[value[0]].rule.id
    return make_answer(
        scorecard,
        "test_drive",
        value,
        rule,
        confidence,
        "test drive offered: " + ", ".join(value),
        evidence,
    )


def check_other_help(
    ctx: CaseContext,
    scorecard: Scorecard,
    parts: list[PartAnalysis],
    rules: RuleSet | None = None,
) -> Answer:
    return _when(
        scorecard,
        "other_help",
        hits_for(parts, "other_help"),
        "q11",
        "Asked what else it could do",
        find_near_miss(parts, rules, "other_help"),
    )


def check_future_contact_consent(
    ctx: CaseContext,
    scorecard: Scorecard,
    parts: list[PartAnalysis],
    rules: RuleSet | None = None,
) -> Answer:
    return _when(
        scorecard,
        "future_contact_consent",
        hits_for(parts, "future_contact_consent"),
        "q12",
        "Asked consent to future news and offers",
        find_near_miss(parts, rules, "future_contact_consent"),
    )


def check_availability_confirmed(
    ctx: CaseContext,
    scorecard: Scorecard,
    parts: list[PartAnalysis],
    rules: RuleSet | None = None,
) -> Answer:
    hits = hits_for(parts, "availability_confirmed", part=None)
    return _yes_no(
        scorecard,
        "availability_confirmed",
        hits,
        "q13",
        "The advisor confirms availability",
        find_near_miss(parts, rules, "availability_confirmed"),
    )

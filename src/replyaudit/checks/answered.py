"""Question 5: did the reply answer the inquiry's question (by topic, evasions excluded)?"""

from __future__ import annotations

import re

from replyaudit.campaign import TOPICS
from replyaudit.checks.answer import make_answer
from replyaudit.checks.phrases import Hit, PartAnalysis, hits_for
from replyaudit.checks.rules import RuleSet
from replyaudit.context import CaseContext
from replyaudit.models import Answer, Evidence
from replyaudit.scorecard import Scorecard

_MONEY = re.compile(
    r"\d[\d \u00a0\u202f.]*(?:,\d+)?\s?(?:€|\beuros?\b|\bEUR\b|k€)", re.IGNORECASE
)
_MODEL = re.compile(r"\b[A-Z]{2,3}\s?\d{3}[a-z]?\+?")
# Topics answered by an amount of money alone.
_MONEY_TOPICS = {"price", "trade_in", "financing", "options"}


def _cues(
    parts: list[PartAnalysis], topic: str, excluded: set[tuple[str, int]]
) -> list[Evidence]:
    found: list[Evidence] = []
    for hit in hits_for(parts, "answered_question"):
        key = (hit.message.sha256, hit.sentence.index)
        if key not in excluded and hit.rule.label in (topic, "any"):
            found.append(hit.evidence())
    for part in parts:
        if part.part != "body":
            continue
        for sentence in part.sentences:
            if (part.message.sha256, sentence.index) in excluded:
                continue
            money = topic in _MONEY_TOPICS and _MONEY.search(sentence.text)
            models = topic == "range" and len(set(_MODEL.findall(sentence.text))) >= 2
            if money or models:
                found.append(
                    Evidence(
                        message=part.message.sha256,
                        role=part.role,  # type: ignore[arg-type]
                        part="body",
                        sentence=sentence.text,
                        start=sentence.start,
                        end=sentence.end,
                    )
                )
    return found


def _sentences_labelled(hits: list[Hit], label: str) -> set[tuple[str, int]]:
    return {(h.message.sha256, h.sentence.index) for h in hits if h.rule.label == label}


def check_answered_question(
    ctx: CaseContext, scorecard: Scorecard, rules: RuleSet, parts: list[PartAnalysis]
) -> Answer:
    """Q5: an answer cue of the inquiry's topic in a reply, outside evasive sentences."""
    topic = ctx.inquiry.topic
    hits = hits_for(parts, "answered_question")
    evasions = _sentences_labelled(hits, "evasion")
    pointers = _sentences_labelled(hits, "attachment")
    if topic == "other":
        cues = [
            e
            for t in TOPICS
            if t != "other"
            for e in _cues(parts, t, evasions | pointers)
        ]
        if cues:
            return make_answer(
                scorecard,
                "answered_question",
                "yes",
                "q5.any_topic_cue",
                0.6,
                "an answer-like sentence for an 'other' question: check it",
                cues[:2],
            )
        return make_answer(
            scorecard,
            "answered_question",
            "no",
            "q5.no_cue",
            0.6,
            "no answer-like sentence for an 'other' question: check it",
        )
    cues = _cues(parts, topic, evasions | pointers)
    evasion_ev = [h.evidence() for h in hits if h.rule.label == "evasion"]
    if cues and evasion_ev:
        return make_answer(
            scorecard,
            "answered_question",
            "yes",
            f"q5.{topic}_cue",
            0.6,
            f"a {topic} answer next to an evasive sentence",
            cues[:2] + evasion_ev[:1],
        )
    if cues:
        confidence = 0.9 if len(cues) >= 2 else 0.8
        return make_answer(
            scorecard,
            "answered_question",
            "yes",
            f"q5.{topic}_cue",
            confidence,
            f"the reply states a {topic} answer",
            cues[:3],
        )
    if evasion_ev:
        return make_answer(
            scorecard,
            "answered_question",
            "no",
            "q5.evasion",
            0.9,
            "the answer is deferred or refused",
            evasion_ev[:2],
        )
    attached = any(a for m in ctx.replies for a in m.attachments if not a.inline)
    if attached or pointers:
        return make_answer(
            scorecard,
            "answered_question",
            "no",
            "q5.attachment_only",
            0.8,
            "a document is attached but the question is not answered in the text",
        )
    return make_answer(
        scorecard,
        "answered_question",
        "no",
        "q5.no_cue",
        0.65,
        f"no {topic} answer found in the replies",
    )

"""The phrase engine: sentences of a message part matched against the phrase rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from replyaudit.checks.nlp import Sentence, analyse, load_nlp, split_sentences
from replyaudit.checks.rules import PhraseRule, RuleSet
from replyaudit.models import Evidence, ParsedMessage

_NEGATORS = {"ne", "n'", "n"}
_NEGATION_ENDS = {"pas", "jamais", "plus", "aucun", "aucune", "guere", "point", "rien"}


@dataclass(frozen=True)
class Hit:
    """A phrase rule that fired in one sentence of one message part."""

    rule: PhraseRule
    message: ParsedMessage
    role: str
    part: str
    sentence: Sentence
    start: int
    end: int
    negated: bool

    def evidence(self) -> Evidence:
        return Evidence(
            message=self.message.sha256,
            role=self.role,  # type: ignore[arg-type]
            part=self.part,  # type: ignore[arg-type]
            sentence=self.sentence.text,
            start=self.sentence.start,
            end=self.sentence.end,
        )


@dataclass
class PartAnalysis:
    """One part (body or signature) of one message: its sentences and their docs."""

    message: ParsedMessage
    role: str
    part: str
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)


def _negated(doc: Doc, start: int, end: int) -> bool:
    """'ne ... pas' around the match: a negator up to 5 tokens before or inside it.

    Reads NORM, where the fold component put each token's folded form."""
    for i in range(max(0, start - 5), end):
        if doc[i].norm_ in _NEGATORS:
            for j in range(i + 1, min(len(doc), end + 3)):
                if doc[j].norm_ in _NEGATION_ENDS:
                    return True
    return False


def analyse_parts(replies: list[ParsedMessage], rules: RuleSet) -> list[PartAnalysis]:
    """Split every reply's body and signature into sentences, run spaCy once, match."""
    parts: list[PartAnalysis] = []
    for index, message in enumerate(replies):
        role = "initial" if index == 0 else "follow_up"
        for name, text in (("body", message.body), ("signature", message.signature)):
            parts.append(PartAnalysis(message, role, name, text, split_sentences(text)))
    docs = analyse(s.flat for p in parts for s in p.sentences)
    position = 0
    for part in parts:
        part.docs = docs[position : position + len(part.sentences)]
        position += len(part.sentences)
        match_part(part, rules)
    return parts


def match_part(part: PartAnalysis, rules: RuleSet) -> None:
    matcher = rules.matcher()
    vocab = load_nlp().vocab
    for sentence, doc in zip(part.sentences, part.docs):
        for match_id, start, end in matcher(doc):
            rule = rules.rule(vocab.strings[match_id])
            if rule.form == "question" and not sentence.is_question:
                continue
            if rule.form == "statement" and sentence.is_question:
                continue
            negated = rule.negatable and _negated(doc, start, end)
            span = doc[start:end]
            part.hits.append(
                Hit(
                    rule,
                    part.message,
                    part.role,
                    part.part,
                    sentence,
                    sentence.start + span.start_char,
                    sentence.start + span.end_char,
                    negated,
                )
            )


def hits_for(
    parts: list[PartAnalysis], question: str, *, part: str | None = "body"
) -> list[Hit]:
    """Positive, non-negated hits of a question not blocked in their sentence."""
    found: list[Hit] = []
    for analysis in parts:
        if part and analysis.part != part:
            continue
        blocks = [
            h
            for h in analysis.hits
            if h.rule.question == question and h.rule.effect == "block"
        ]
        for hit in analysis.hits:
            if (
                hit.rule.question != question
                or hit.rule.effect != "match"
                or hit.negated
            ):
                continue
            blocked = any(
                b.sentence.index == hit.sentence.index
                and (
                    b.rule.label in ("", "sentence")
                    or (b.start < hit.end and hit.start < b.end)
                )
                for b in blocks
            )
            if not blocked:
                found.append(hit)
    return found


def negated_hits(parts: list[PartAnalysis], question: str) -> list[Hit]:
    return [
        h for p in parts for h in p.hits if h.rule.question == question and h.negated
    ]

"""The phrase engine: sentences of a message part matched against the phrase rules."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc

from replyaudit.checks.docs import docs_for, flat_text
from replyaudit.checks.nlp import Sentence, split_sentences
from replyaudit.checks.rules import PhraseRule, RuleSet
from replyaudit.models import Evidence, ParsedMessage

_NEGATORS = {"ne", "n'", "n"}
_NEGATION_ENDS = {"pas", "jamais", "plus", "aucun", "aucune", "guere", "point", "rien"}
_NEGATIVE_DETERMINERS = {"aucun", "aucune", "nul", "nulle"}


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
    """One part (body or signature) of one message: its sentences and its doc."""

    message: ParsedMessage
    role: str
    part: str
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    doc: Doc | None = None
    hits: list[Hit] = field(default_factory=list)


def _negated(doc: Doc, start: int, end: int, first: int, stop: int) -> bool:
    """'ne ... pas' around the match: a negator up to 5 tokens before or inside it;
    or a negative determiner just before it ('aucun essai n'est possible').

    Looks only at the tokens [first, stop) of the match's sentence; reads NORM,
    where the fold component put each token's folded form."""
    if any(
        doc[i].norm_ in _NEGATIVE_DETERMINERS
        for i in range(max(first, start - 2), start)
    ):
        return True
    for i in range(max(first, start - 5), end):
        if doc[i].norm_ in _NEGATORS:
            for j in range(i + 1, min(stop, end + 3)):
                if doc[j].norm_ in _NEGATION_ENDS:
                    return True
    return False


def analyse_parts(replies: list[ParsedMessage], rules: RuleSet) -> list[PartAnalysis]:
    """Split every reply's body and signature into sentences, run spaCy once per
    part (reusing Docs made ahead by prepare_docs), match each part once."""
    parts: list[PartAnalysis] = []
    for index, message in enumerate(replies):
        role = "initial" if index == 0 else "follow_up"
        for name, text in (("body", message.body), ("signature", message.signature)):
            parts.append(PartAnalysis(message, role, name, text, split_sentences(text)))
    docs = docs_for([flat_text(p.text, p.sentences) for p in parts])
    for part, doc in zip(parts, docs):
        part.doc = doc
        match_part(part, rules)
    return parts


def match_part(part: PartAnalysis, rules: RuleSet) -> None:
    """Match the part's doc once; a match inside one sentence is a hit of it."""
    doc = part.doc
    sentences = part.sentences
    if doc is None or not sentences:
        return
    token_starts = doc.to_array("IDX").tolist()
    # The tokens [first, stop) of each sentence.
    bounds = [
        (bisect_left(token_starts, s.start), bisect_left(token_starts, s.end))
        for s in sentences
    ]
    for rule, start, end, index in rules.matcher()(doc, bounds):
        span = doc[start:end]
        sentence = sentences[index]
        if rule.form == "question" and not sentence.is_question:
            continue
        if rule.form == "statement" and sentence.is_question:
            continue
        negated = rule.negatable and _negated(doc, start, end, *bounds[index])
        part.hits.append(
            Hit(
                rule,
                part.message,
                part.role,
                part.part,
                sentence,
                span.start_char,
                span.end_char,
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

"""The phrase matching over one Doc per part finds what per-sentence matching found."""

from collections import Counter
from pathlib import Path

import pytest
from spacy.matcher import Matcher

from replyaudit.checks.docs import docs_for, flat_text
from replyaudit.checks.nlp import load_nlp, split_sentences
from replyaudit.checks.patterns import compile_pattern, native_pattern
from replyaudit.checks.phrases import analyse_parts
from replyaudit.checks.rules_folder import load_rules
from replyaudit.message import parse_message
from replyaudit.models import ParsedMessage

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "fixtures" / "corpus", ROOT / "fixtures" / "corpus-heldout"]


@pytest.fixture(scope="session")
def rules():
    return load_rules(ROOT / "rules")


def _parts(root):
    for path in sorted(root.glob("cases/*/*.eml")):
        msg = parse_message(path.read_bytes())
        for text in (msg.body, msg.signature):
            if text.strip():
                yield f"{path.parent.name}/{path.name}", text


def _one_matcher(rules):
    matcher = Matcher(load_nlp().vocab)
    for question_rules in rules.phrases.values():
        for rule in question_rules:
            matcher.add(
                rule.id, [native_pattern(compile_pattern(p)) for p in rule.patterns]
            )
    return matcher


@pytest.mark.parametrize("root", CORPORA, ids=lambda p: p.name)
def test_rule_matcher_finds_the_matches_of_one_matcher_per_sentence(root, rules):
    """Every (rule, characters) a single Matcher finds in each sentence's own Doc is
    found by the rule matcher over the part's Doc, and nothing else."""
    nlp = load_nlp()
    one = _one_matcher(rules)
    compared = 0
    for where, text in _parts(root):
        sentences = split_sentences(text)
        expected = Counter()
        for sentence in sentences:
            doc = nlp(sentence.flat)
            for match_id, start, end in one(doc):
                span = doc[start:end]
                expected[
                    (
                        nlp.vocab.strings[match_id],
                        sentence.start + span.start_char,
                        sentence.start + span.end_char,
                    )
                ] += 1
        message = ParsedMessage(sha256="0" * 64, body=text)
        parts = analyse_parts([message], rules)
        found = Counter((h.rule.id, h.start, h.end) for h in parts[0].hits)
        # analyse_parts drops a rule's match when its sentence form is wrong.
        kept = Counter(
            {
                key: n
                for key, n in expected.items()
                if not (
                    rules.rule(key[0]).form == "question"
                    and "?" not in text[_sentence_of(sentences, key[1])]
                )
                and not (
                    rules.rule(key[0]).form == "statement"
                    and "?" in text[_sentence_of(sentences, key[1])]
                )
            }
        )
        assert found == kept, where
        compared += sum(kept.values())
    assert compared > 100


def _sentence_of(sentences, start):
    sentence = next(s for s in sentences if s.start <= start < s.end)
    return slice(sentence.start, sentence.end)


def test_rule_matcher_orders_matches_by_start_end_and_rule_order(rules):
    """Two rules matching in one sentence come out by start, then end, then rule."""
    doc = docs_for(["Pour toute autre question, je reste à votre disposition."])[0]
    matches = rules.matcher()(doc, [(0, len(doc))])
    keys = [(start, end) for _, start, end, _ in matches]
    assert len(matches) >= 2
    assert keys == sorted(keys)
    assert {index for *_, index in matches} == {0}


def test_rule_matcher_skips_a_match_across_two_sentences(rules):
    """A pattern whose words sit in two sentences does not match."""
    doc = docs_for(["Je reste à votre.\nDisposition."])[0]
    across = rules.matcher()(doc, [(0, len(doc))])
    apart = rules.matcher()(doc, [(0, 5), (5, len(doc))])
    assert any(r.id == "q13.at_your_disposal" for r, *_ in across)
    assert not any(r.id == "q13.at_your_disposal" for r, *_ in apart)


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour,\nje vous rappelle\ndemain matin.\nCordialement",
        "Une ligne assez longue pour passer pour une phrase coupée par le client\nmail",
        "- un point\n- un autre point\n\nMerci.",
        "",
    ],
)
def test_flat_text_joins_only_wrapped_lines_and_keeps_offsets(text):
    """Line breaks inside a sentence become spaces; breaks between sentences stay."""
    sentences = split_sentences(text)
    flat = flat_text(text, sentences)
    assert len(flat) == len(text)
    for sentence in sentences:
        assert flat[sentence.start : sentence.end] == sentence.flat
    outside = [
        i
        for i, c in enumerate(text)
        if c == "\n" and not any(s.start <= i < s.end for s in sentences)
    ]
    assert all(flat[i] == "\n" for i in outside)

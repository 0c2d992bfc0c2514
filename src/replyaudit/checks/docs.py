"""Docs of message parts: spaCy run once per body or signature, batched over a run."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from replyaudit.checks.nlp import Sentence, analyse, split_sentences
from replyaudit.models import ParsedMessage

# Text held as prepared Docs at most (a Doc costs about 100 times its text in memory);
# parts beyond it are analysed when their case is checked, as without preparation.
MAX_PREPARED_CHARS = 1_000_000

# Docs made by prepare_docs() for the cases of one run, by flat text; each is handed
# out once by docs_for() and dropped.
_prepared: dict[str, Doc] = {}


def flat_text(text: str, sentences: list[Sentence]) -> str:
    """`text` with the line breaks inside its sentences as spaces (same offsets).

    spaCy reads a part as split_sentences() does: a wrapped sentence is one line,
    a break between two sentences stays a break.
    """
    chars = list(text)
    for sentence in sentences:
        position = text.find("\n", sentence.start, sentence.end)
        while position >= 0:
            chars[position] = " "
            position = text.find("\n", position + 1, sentence.end)
    return "".join(chars)


def part_texts(message: ParsedMessage) -> list[str]:
    """The flat texts of a message's body and signature, as analyse_parts reads them."""
    return [flat_text(t, split_sentences(t)) for t in (message.body, message.signature)]


def prepare_docs(messages: Iterable[ParsedMessage]) -> int:
    """Run spaCy over the parts of `messages` in one nlp.pipe, for docs_for() to hand
    out; returns how many parts were prepared.

    Called once before the cases of a run: one pipe over every reply batches far
    better than one per case. Docs left from an earlier call are dropped first, and
    at most MAX_PREPARED_CHARS of text is held.
    """
    _prepared.clear()
    texts: list[str] = []
    seen: set[str] = set()
    held = 0
    for message in messages:
        for text in part_texts(message):
            if text in seen:
                continue
            if held + len(text) > MAX_PREPARED_CHARS:
                continue
            seen.add(text)
            texts.append(text)
            held += len(text)
    _prepared.update(zip(texts, analyse(texts)))
    return len(texts)


def docs_for(texts: list[str]) -> list[Doc]:
    """A Doc of each flat part text: prepared by prepare_docs() or made now."""
    missing = list(dict.fromkeys(t for t in texts if t not in _prepared))
    made = dict(zip(missing, analyse(missing)))
    docs = [_prepared[t] if t in _prepared else made[t] for t in texts]
    for text in texts:
        _prepared.pop(text, None)
    return docs

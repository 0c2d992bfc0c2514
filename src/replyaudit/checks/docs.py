"""Docs of message parts: spaCy run once per body or signature, read as sentences."""

from __future__ import annotations

from spacy.tokens import Doc

from replyaudit.checks.nlp import Sentence, analyse


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


def docs_for(texts: list[str]) -> list[Doc]:
    """A Doc of each flat part text."""
    return analyse(texts)

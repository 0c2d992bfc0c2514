"""French language tools of the checks: spaCy loaded once, accent folding, sentences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

MODEL = "fr_core_news_sm"
# The checks need lemmas (morphologizer + lemmatizer) but no parse tree and no
# entities: excluding both triples the throughput (measured in the report).
EXCLUDED = ("parser", "ner")
BATCH_SIZE = 256

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[;])\s+(?=\S)|\n")
_LIGATURES = {"œ": "oe", "æ": "ae", "Œ": "OE", "Æ": "AE"}


def fold(text: str) -> str:
    """Lower-case without accents, straight apostrophes: 'Préférez' -> 'preferez'."""
    text = text.translate(_APOSTROPHES)
    for lig, repl in _LIGATURES.items():
        text = text.replace(lig, repl)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _token_fold(token: Token) -> str:
    # "-je" / "-vous" of an inverted question match like "je" / "vous"
    text = fold(token.text)
    return text[1:] if len(text) > 1 and text.startswith("-") else text


def _token_flemma(token: Token) -> str:
    return fold(token.lemma_ or token.text)


def _register_extensions() -> None:
    if not Token.has_extension("fold"):
        Token.set_extension("fold", getter=_token_fold)
    if not Token.has_extension("flemma"):
        Token.set_extension("flemma", getter=_token_flemma)


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The French pipeline, loaded once per process (about 3 s, mostly regexes)."""
    _register_extensions()
    return spacy.load(MODEL, exclude=list(EXCLUDED))


@dataclass(frozen=True)
class Sentence:
    """One sentence of a message part, with its span in that part."""

    text: str
    start: int
    end: int
    index: int

    @property
    def is_question(self) -> bool:
        return "?" in self.text


def split_sentences(text: str) -> list[Sentence]:
    """Sentences (and semicolon clauses) of `text` with their character spans."""
    sentences: list[Sentence] = []
    position = 0
    for piece in _SENTENCE_END.split(text):
        start = text.find(piece, position) if piece else position
        if start < 0:
            start = position
        end = start + len(piece)
        position = end
        stripped = piece.strip()
        if not stripped:
            continue
        offset = start + (len(piece) - len(piece.lstrip()))
        sentences.append(
            Sentence(stripped, offset, offset + len(stripped), len(sentences))
        )
    return sentences


def analyse(texts: Iterable[str]) -> list[Doc]:
    """Run the pipeline over many short texts at once (nlp.pipe batching)."""
    nlp = load_nlp()
    return list(nlp.pipe(texts, batch_size=BATCH_SIZE))


def token_attrs(doc: Doc) -> list[dict[str, Any]]:
    """Debug view: text, fold and lemma of each token."""
    return [{"text": t.text, "fold": t._.fold, "lemma": t._.flemma} for t in doc]

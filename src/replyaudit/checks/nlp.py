"""French language tools of the checks: spaCy loaded once, accent folding, sentences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy
import spacy
from spacy.attrs import LEMMA, NORM, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Token

MODEL = "fr_core_news_sm"
# The checks need lemmas (morphologizer + lemmatizer) but no parse tree and no
# entities: excluding both triples the throughput (measured in the report).
EXCLUDED = ("parser", "ner")
BATCH_SIZE = 256
# Our last component: folded forms and lemmas into NORM and LEMMA (see fold_tokens).
FOLD_COMPONENT = "replyaudit_fold"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[;])\s+(?=\S)|\n")
# A line break inside a sentence wrapped by the mail client (72-78 columns): the line
# does not end a sentence and the next line goes on in lower case, or the line is long.
_WRAP = re.compile(r"(?<=[^\s.!?…:;])[ \t]*\n(?=[ \t]*[a-zà-ÿ«])")
_WRAP_LONG = re.compile(r"(?m)^([^\n]{58,}[^\s.!?…:;])[ \t]*\n(?=[ \t]*[^\s\-•*–>|\[])")
_LIST_LINE = re.compile(r"(?m)^[ \t]*[-•*–>]")
_LIGATURES = {"œ": "oe", "æ": "ae", "Œ": "OE", "Æ": "AE"}
# (ORTH, LEMMA) hashes of a token -> its folded (NORM, LEMMA) hashes.
_FOLDED: dict[tuple[int, int], tuple[int, int]] = {}
_FOLDED_CACHE_SIZE = 200_000


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case without accents, straight apostrophes: 'Préférez' -> 'preferez'."""
    text = text.translate(_APOSTROPHES)
    for lig, repl in _LIGATURES.items():
        text = text.replace(lig, repl)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold_form(text: str) -> str:
    """The folded form a rule word is matched against: "-je" / "-vous" of an
    inverted question match like "je" / "vous"."""
    folded = fold(text)
    return folded[1:] if len(folded) > 1 and folded.startswith("-") else folded


def has_term(text: str, terms: tuple[str, ...]) -> str | None:
    """The first of `terms` found as whole words in `text`, both folded, or None."""
    folded = fold(text)
    for term in terms:
        if re.search(rf"(?<![\w]){re.escape(fold(term))}(?![\w])", folded):
            return term
    return None


def _token_fold(token: Token) -> str:
    return fold_form(token.text)


def _token_flemma(token: Token) -> str:
    return fold(token.lemma_ or token.text)


def _register_extensions() -> None:
    # Kept for debugging and for Docs made outside load_nlp(); the Matcher reads the
    # native NORM and LEMMA written once per token by the fold component instead.
    if not Token.has_extension("fold"):
        Token.set_extension("fold", getter=_token_fold)
    if not Token.has_extension("flemma"):
        Token.set_extension("flemma", getter=_token_flemma)


@Language.component(FOLD_COMPONENT)
def fold_tokens(doc: Doc) -> Doc:
    """Write each token's folded form into NORM and its folded lemma into LEMMA.

    Runs after the lemmatizer, so the model's features (which read NORM) are
    unaffected. Rule patterns compile against these native attributes, which the
    Matcher reads in C instead of calling a Python getter per token and pattern.
    Reads and writes the Doc's arrays: a Token object per token cost more than the
    folding itself.
    """
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    rows = doc.to_array([ORTH, LEMMA])
    folded = numpy.empty(rows.shape, dtype=numpy.uint64)
    for i, (orth, lemma) in enumerate(rows.tolist()):
        key = (orth, lemma)
        ids = _FOLDED.get(key)
        if ids is None:
            if len(_FOLDED) >= _FOLDED_CACHE_SIZE:
                _FOLDED.clear()  # bounded over a long scan
            text = strings[orth]
            ids = (
                strings.add(fold_form(text)),
                strings.add(fold((strings[lemma] if lemma else "") or text)),
            )
            _FOLDED[key] = ids
        folded[i] = ids
    doc.from_array([NORM, LEMMA], folded)  # type: ignore[arg-type]  # spaCy types it as thinc Ints2d, a numpy uint64 array at run time
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The French pipeline, loaded once per process (about 3 s, mostly regexes)."""
    _register_extensions()
    nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
    nlp.add_pipe(FOLD_COMPONENT, last=True)
    return nlp


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

    @property
    def flat(self) -> str:
        """The text with wrapped line breaks as spaces (same length, same offsets)."""
        return self.text.replace("\n", " ")


def _unwrap(text: str) -> str:
    """`text` with the line breaks of wrapped sentences turned into spaces.

    Mail clients wrap long lines, so one sentence can span two lines; a break is
    kept when the line ends a sentence or is a list item, or when the next line
    starts like a new one (capital, dash). Same length as `text`: spans stay valid.
    """
    chars = list(text)
    for pattern in (_WRAP, _WRAP_LONG):
        for match in pattern.finditer(text):
            newline = text.index("\n", match.start())
            next_end = text.find("\n", newline + 1)
            next_line = text[newline + 1 : next_end if next_end >= 0 else len(text)]
            if _LIST_LINE.match(next_line):
                continue
            chars[newline] = " "
    return "".join(chars)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences (and semicolon clauses) of `text` with their character spans."""
    sentences: list[Sentence] = []
    position = 0
    unwrapped = _unwrap(text)
    for piece in _SENTENCE_END.split(unwrapped):
        start = unwrapped.find(piece, position) if piece else position
        if start < 0:
            start = position
        end = start + len(piece)
        position = end
        stripped = piece.strip()
        if not stripped:
            continue
        offset = start + (len(piece) - len(piece.lstrip()))
        end = offset + len(stripped)
        sentences.append(Sentence(text[offset:end], offset, end, len(sentences)))
    return sentences


def analyse(texts: Iterable[str]) -> list[Doc]:
    """Run the pipeline over many short texts at once (nlp.pipe batching)."""
    nlp = load_nlp()
    return list(nlp.pipe(texts, batch_size=BATCH_SIZE))


def token_attrs(doc: Doc) -> list[dict[str, Any]]:
    """Debug view: text, fold and lemma of each token."""
    return [{"text": t.text, "fold": t._.fold, "lemma": t._.flemma} for t in doc]

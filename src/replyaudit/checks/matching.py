"""Phrase rules run over the sentences of a Doc that hold the words each rule needs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spacy.attrs import LEMMA, NORM
from spacy.matcher import Matcher
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.vocab import Vocab

from replyaudit.checks.patterns import compile_pattern, native_pattern

if TYPE_CHECKING:
    from replyaudit.checks.rules import PhraseRule

# Column of each attribute in the array read from a Doc.
_COLUMNS = {"NORM": 0, "LEMMA": 1}
_REGEX_CACHE_SIZE = 100_000


@dataclass(frozen=True)
class Need:
    """A token a pattern cannot match without: its NORM or LEMMA (as string-store
    hashes) is one of `values`, or its text matches `regex`."""

    attr: str
    values: frozenset[int] = frozenset()
    regex: re.Pattern[str] | None = None


def pattern_needs(tokens: list[dict[str, Any]], strings: StringStore) -> list[Need]:
    """The required tokens of a native pattern (neither optional nor a wildcard)."""
    needs: list[Need] = []
    for token in tokens:
        if token.get("OP") not in (None, "1", "+"):
            continue
        for attr in _COLUMNS:
            value = token.get(attr)
            if isinstance(value, str):
                needs.append(Need(attr, frozenset([strings.add(value)])))
            elif isinstance(value, dict) and "IN" in value:
                needs.append(Need(attr, frozenset(strings.add(v) for v in value["IN"])))
            elif isinstance(value, dict) and "REGEX" in value:
                needs.append(Need(attr, regex=re.compile(value["REGEX"])))
    return needs


@dataclass(frozen=True)
class _Pattern:
    order: int  # the rule's place in the rule set
    needs: tuple[Need, ...]


class RuleMatcher:
    """Every phrase rule as its own spaCy Matcher, run only over the sentences that
    hold a word required by each token of one of its patterns.

    A single Matcher of every rule spent most of its time carrying partial matches
    of rules whose key words never occur; finding the candidate rules of a sentence
    is a dictionary lookup per word. The matches are the ones a single Matcher finds
    inside each sentence, ordered by (start, end, rule order).
    """

    def __init__(self, rules: Iterable[PhraseRule], vocab: Vocab) -> None:
        self._strings = vocab.strings
        self._rules: list[tuple[PhraseRule, Matcher]] = []
        # A pattern is looked up by the values of one of its needs (its key).
        self._index: dict[tuple[int, int], list[_Pattern]] = {}
        self._always: list[_Pattern] = []
        self._regex_cache: dict[tuple[re.Pattern[str], int], bool] = {}
        for order, rule in enumerate(rules):
            patterns = [native_pattern(compile_pattern(p)) for p in rule.patterns]
            matcher = Matcher(vocab)
            matcher.add(rule.id, patterns)
            self._rules.append((rule, matcher))
            for tokens in patterns:
                needs = pattern_needs(tokens, vocab.strings)
                entry = _Pattern(order, tuple(needs))
                keys = [n for n in needs if n.regex is None]
                if not keys:
                    self._always.append(entry)
                    continue
                key = min(keys, key=lambda n: len(n.values))
                for value in key.values:
                    self._index.setdefault((_COLUMNS[key.attr], value), []).append(
                        entry
                    )

    def _holds(self, need: Need, words: tuple[set[int], set[int]]) -> bool:
        present = words[_COLUMNS[need.attr]]
        if need.regex is None:
            return not need.values.isdisjoint(present)
        for value in present:
            key = (need.regex, value)
            if key not in self._regex_cache:
                if len(self._regex_cache) >= _REGEX_CACHE_SIZE:
                    self._regex_cache.clear()  # bounded over a long scan
                text = self._strings[value]
                self._regex_cache[key] = need.regex.search(text) is not None
            if self._regex_cache[key]:
                return True
        return False

    def _candidates(self, words: tuple[set[int], set[int]]) -> list[int]:
        """Orders of the rules with a pattern whose every need is in `words`."""
        entries = list(self._always)
        for column, present in enumerate(words):
            for value in present:
                entries += self._index.get((column, value), ())
        orders: set[int] = set()
        for entry in entries:
            if entry.order in orders:
                continue  # a rule already found needs no other pattern checked
            for need in entry.needs:
                if need.regex is None:
                    # The common case, inlined: a call per need cost more than it.
                    if need.values.isdisjoint(words[_COLUMNS[need.attr]]):
                        break
                elif not self._holds(need, words):
                    break
            else:
                orders.add(entry.order)
        return sorted(orders)

    def __call__(
        self, doc: Doc, sentences: list[tuple[int, int]]
    ) -> list[tuple[PhraseRule, int, int, int]]:
        """(rule, start token, end token, sentence) of every match inside one of the
        `sentences`, given as token ranges [first, stop) of `doc`."""
        ids = doc.to_array([NORM, LEMMA])  # one read, not an attribute per token
        found: list[tuple[int, int, int, int, PhraseRule]] = []
        for index, (first, stop) in enumerate(sentences):
            if first >= stop:
                continue
            rows = ids[first:stop]
            words = (set(rows[:, 0].tolist()), set(rows[:, 1].tolist()))
            span = doc[first:stop]
            for order in self._candidates(words):
                rule, matcher = self._rules[order]
                # allow_missing: the fold component always writes LEMMA; the check
                # that it is set is a Python loop over the Doc on every call.
                for _, start, end in matcher(span, allow_missing=True):
                    found.append((first + start, first + end, order, index, rule))
        found.sort(key=lambda item: item[:3])
        return [(rule, start, end, index) for start, end, _, index, rule in found]

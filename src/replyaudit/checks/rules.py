"""Rule files of the checks (rules/*.toml): the rules as data, and one file's validation.

Two kinds of file:

- ``kind = "phrases"``: ``[[rules]]`` of one question, each with an ``id``, a ``note``
  on the phrasing it targets, and ``patterns`` in the token language of patterns.py.
- ``kind = "lexicon"``: ``[[entries]]`` of named term lists (other makes, brand labels,
  webmail domains, phone labels...), each with an ``id``, a ``note`` and ``terms``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from replyaudit.checks.matching import RuleMatcher
from replyaudit.checks.nlp import load_nlp
from replyaudit.checks.patterns import PatternError, compile_pattern
from replyaudit.errors import Problem

QUESTIONS = (
    "advisor_contact",
    "brand_address",
    "brand_only_signature",
    "answered_question",
    "proposed_call",
    "asked_call_time",
    "checked_clarity",
    "test_drive",
    "other_help",
    "future_contact_consent",
    "availability_confirmed",
)
EFFECTS = ("match", "block")
FORMS = ("any", "question", "statement")
_RULE_KEYS = {
    "id",
    "note",
    "patterns",
    "effect",
    "form",
    "negatable",
    "label",
    "confidence",
}
_ENTRY_KEYS = {"id", "note", "terms", "case_sensitive"}
_PHRASE_FILE_KEYS = {"kind", "question", "note", "rules"}
_LEXICON_FILE_KEYS = {"kind", "note", "entries"}
# Lexicon entries "near_miss.<question>.<group>": vocabulary of a question's near misses.
NEAR_MISS = "near_miss"
_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
# The matcher of the last rules loaded, by their value (one entry).
_MATCHERS: dict[tuple[PhraseRule, ...], RuleMatcher] = {}


@dataclass(frozen=True)
class PhraseRule:
    """One phrase rule: what it matches, what it does, for which question."""

    id: str
    question: str
    note: str
    patterns: tuple[str, ...]
    effect: str = "match"
    form: str = "any"
    negatable: bool = True
    label: str = ""
    confidence: float = 0.9
    source: str = ""


@dataclass(frozen=True)
class LexiconEntry:
    id: str
    note: str
    terms: tuple[str, ...]
    case_sensitive: bool = False
    source: str = ""


@dataclass
class RuleSet:
    """Every rule of rules/: phrase rules by question and lexicons by id."""

    phrases: dict[str, list[PhraseRule]] = field(default_factory=dict)
    lexicons: dict[str, LexiconEntry] = field(default_factory=dict)
    files: int = 0
    _matcher: RuleMatcher | None = None
    _by_id: dict[str, PhraseRule] | None = None

    @property
    def count(self) -> int:
        return sum(len(r) for r in self.phrases.values()) + len(self.lexicons)

    def rules_for(self, question: str) -> list[PhraseRule]:
        return self.phrases.get(question, [])

    def rule(self, rule_id: str) -> PhraseRule:
        if self._by_id is None:
            self._by_id = {r.id: r for rules in self.phrases.values() for r in rules}
        return self._by_id[rule_id]

    def terms(self, lexicon_id: str) -> tuple[str, ...]:
        entry = self.lexicons.get(lexicon_id)
        return entry.terms if entry else ()

    def near_miss(self, question: str) -> tuple[list[tuple[str, ...]], tuple[str, ...]]:
        """(groups that must all appear, terms that rule a sentence out) for a question."""
        prefix = f"{NEAR_MISS}.{question}."
        groups = [
            e.terms
            for key, e in sorted(self.lexicons.items())
            if key.startswith(prefix) and key != prefix + "unless"
        ]
        return groups, self.terms(prefix + "unless")

    def matcher(self) -> RuleMatcher:
        """Every phrase rule, ready to run over a Doc (built once).

        Patterns match NORM and LEMMA, so Docs must come from load_nlp() (whose last
        component writes folded forms and lemmas there).
        """
        if self._matcher is None:
            rules = tuple(r for rules in self.phrases.values() for r in rules)
            # Rules loaded again unchanged (a replay per call) reuse their matcher.
            if rules not in _MATCHERS:
                _MATCHERS.clear()
                _MATCHERS[rules] = RuleMatcher(rules, load_nlp().vocab)
            self._matcher = _MATCHERS[rules]
        return self._matcher


def _problem(where: str, expected: str, found: str, fix: str) -> Problem:
    return Problem(where, expected, found, fix)


def _check_keys(data: dict[str, Any], allowed: set[str], where: str) -> list[Problem]:
    return [
        _problem(where, f"keys among {sorted(allowed)}", repr(k), "remove or rename it")
        for k in data
        if k not in allowed
    ]


def _id_and_note(
    item: dict[str, Any],
    where: str,
    path: Path,
    seen: dict[str, str],
    ids: tuple[str, str],
    note: tuple[str, str],
) -> list[Problem]:
    """An entry's id (well formed, used once across files, recorded in `seen`) and note.

    `ids` is (what a well-formed id looks like, what uniqueness is called); `note` is
    (what the note should say, the fix).
    """
    found: list[Problem] = []
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not _ID.match(entry_id):
        found.append(_problem(where, ids[0], repr(entry_id), "rename it"))
    elif entry_id in seen:
        found.append(
            _problem(where, ids[1], f"also defined in {seen[entry_id]}", "rename one")
        )
    else:
        seen[entry_id] = str(path)
    if not isinstance(item.get("note"), str) or not item.get("note", "").strip():
        found.append(_problem(where, note[0], repr(item.get("note")), note[1]))
    return found


def _load_phrases(
    data: dict[str, Any], path: Path, seen: dict[str, str], ruleset: RuleSet
) -> list[Problem]:
    problems = _check_keys(data, _PHRASE_FILE_KEYS, str(path))
    question = data.get("question")
    if question not in QUESTIONS:
        problems.append(
            _problem(
                f"{path}: question",
                f"one of {list(QUESTIONS)}",
                repr(question),
                "fix the key",
            )
        )  # its rules are still checked, so every problem shows at once
    items = data.get("rules")
    if not isinstance(items, list) or not items:
        problems.append(
            _problem(
                f"{path}: rules", "a non-empty [[rules]] list", repr(items), "add rules"
            )
        )
        return problems
    for number, item in enumerate(items):
        where = f"{path}: rules[{number}]"
        if not isinstance(item, dict):
            problems.append(
                _problem(where, "a table", repr(item), "write it as [[rules]]")
            )
            continue
        rule_id = item.get("id")
        where = f"{path}: rule {rule_id!r}"
        found = _check_keys(item, _RULE_KEYS, where)
        found += _id_and_note(
            item,
            where,
            path,
            seen,
            ('an id like "q6.dealer_will_call"', "a unique rule id"),
            ("a note on the phrasing the rule targets", 'add note = "..."'),
        )
        effect = item.get("effect", "match")
        if effect not in EFFECTS:
            found.append(
                _problem(
                    where,
                    f"effect among {list(EFFECTS)}",
                    repr(effect),
                    "fix the effect",
                )
            )
        form = item.get("form", "any")
        if form not in FORMS:
            found.append(
                _problem(where, f"form among {list(FORMS)}", repr(form), "fix the form")
            )
        negatable = item.get("negatable", True)
        if not isinstance(negatable, bool):
            found.append(
                _problem(where, "negatable = true or false", repr(negatable), "fix it")
            )
        label = item.get("label", "")
        if not isinstance(label, str):
            found.append(_problem(where, "a string label", repr(label), "quote it"))
        confidence = item.get("confidence", 0.9)
        if not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
            found.append(
                _problem(where, "a confidence from 0 to 1", repr(confidence), "fix it")
            )
        patterns = item.get("patterns")
        if (
            not isinstance(patterns, list)
            or not patterns
            or not all(isinstance(p, str) for p in patterns)
        ):
            found.append(
                _problem(
                    where,
                    "patterns = a non-empty list of strings",
                    repr(patterns),
                    "add patterns",
                )
            )
            patterns = []
        for pattern in patterns:
            try:
                compile_pattern(pattern)
            except PatternError as exc:
                found.append(
                    _problem(
                        f"{where} pattern {pattern!r}",
                        str(exc).split(", found")[0],
                        str(exc).rpartition("found ")[2],
                        "correct the pattern",
                    )
                )
        problems += found
        if not found and question in QUESTIONS:
            ruleset.phrases.setdefault(question, []).append(
                PhraseRule(
                    id=str(rule_id),
                    question=question,
                    note=item["note"],
                    patterns=tuple(patterns),
                    effect=effect,
                    form=form,
                    negatable=negatable,
                    label=label,
                    confidence=float(confidence),
                    source=str(path),
                )
            )
    return problems


def _load_lexicon(
    data: dict[str, Any], path: Path, seen: dict[str, str], ruleset: RuleSet
) -> list[Problem]:
    problems = _check_keys(data, _LEXICON_FILE_KEYS, str(path))
    items = data.get("entries")
    if not isinstance(items, list) or not items:
        problems.append(
            _problem(
                f"{path}: entries",
                "a non-empty [[entries]] list",
                repr(items),
                "add entries",
            )
        )
        return problems
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(
                _problem(
                    f"{path}: entries[{number}]",
                    "a table",
                    repr(item),
                    "write it as [[entries]]",
                )
            )
            continue
        entry_id = item.get("id")
        where = f"{path}: entry {entry_id!r}"
        found = _check_keys(item, _ENTRY_KEYS, where)
        found += _id_and_note(
            item,
            where,
            path,
            seen,
            ('an id like "lexicon.other_makes"', "a unique id"),
            ("a note saying what the list is for", "add note"),
        )
        terms = item.get("terms")
        if (
            not isinstance(terms, list)
            or not terms
            or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
            found.append(
                _problem(
                    where,
                    "terms = a non-empty list of strings",
                    repr(terms),
                    "add terms",
                )
            )
        case_sensitive = item.get("case_sensitive", False)
        if not isinstance(case_sensitive, bool):
            found.append(
                _problem(
                    where,
                    "case_sensitive = true or false",
                    repr(case_sensitive),
                    "fix it",
                )
            )
        if isinstance(entry_id, str) and entry_id.startswith(NEAR_MISS + "."):
            parts = entry_id.split(".")
            if len(parts) != 3 or parts[1] not in QUESTIONS:
                found.append(
                    _problem(
                        where,
                        f'an id "{NEAR_MISS}.<question>.<group>" with a question '
                        f"among {list(QUESTIONS)}",
                        repr(entry_id),
                        "rename it",
                    )
                )
        problems += found
        if not found:
            ruleset.lexicons[str(entry_id)] = LexiconEntry(
                str(entry_id),
                item["note"],
                tuple(terms or ()),
                case_sensitive,
                str(path),
            )
    return problems


def load_rule_file(
    data: dict[str, Any], path: Path, seen: dict[str, str], ruleset: RuleSet
) -> list[Problem]:
    """Validate one parsed rule file and add its rules to `ruleset`; its problems, if any.

    `seen` maps every rule or entry id met so far to its file, to refuse duplicates.
    """
    kind = data.get("kind")
    if kind == "phrases":
        problems = _load_phrases(data, path, seen, ruleset)
    elif kind == "lexicon":
        problems = _load_lexicon(data, path, seen, ruleset)
    else:
        problems = [
            _problem(
                f"{path}: kind",
                '"phrases" or "lexicon"',
                repr(kind),
                'add kind = "phrases"',
            )
        ]
    ruleset.files += 1
    return problems

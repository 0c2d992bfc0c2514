"""Loads the classifier's cue families from rules/messages.toml, validated all at once.

Each family is a list of regex alternatives, each with an id and a note on the phrasing
it targets; they are joined with "|", wrapped in the family's prefix and suffix and
compiled with its flags. A broken file raises ScorecardError listing every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replyaudit.errors import ConfigError, Problem, ScorecardError
from replyaudit.scorecard import rules_folder_problem, shipped_rules_hint
from replyaudit.validation import read_toml

CUES_FILE = "messages.toml"

# Every family the classifier reads, with the phrasing it stands for.
FAMILIES = (
    "no_reply_sender",
    "daemon_sender",
    "bounce_subject",
    "out_of_office_subject",
    "out_of_office_body",
    "acknowledgement_body",
    "form_recap_line",
    "placeholder",
    "survey_body",
    "newsletter_body",
    "survey_sender",
)
_FLAGS = {
    "IGNORECASE": re.IGNORECASE,
    "MULTILINE": re.MULTILINE,
    "DOTALL": re.DOTALL,
}
_FAMILY_KEYS = {"note", "flags", "prefix", "suffix", "entries"}
_ENTRY_KEYS = {"id", "pattern", "note"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class Cues:
    """The compiled cue families, one regex each, and how many entries made them."""

    no_reply_sender: re.Pattern[str]
    daemon_sender: re.Pattern[str]
    bounce_subject: re.Pattern[str]
    out_of_office_subject: re.Pattern[str]
    out_of_office_body: re.Pattern[str]
    acknowledgement_body: re.Pattern[str]
    form_recap_line: re.Pattern[str]
    placeholder: re.Pattern[str]
    survey_body: re.Pattern[str]
    newsletter_body: re.Pattern[str]
    survey_sender: re.Pattern[str]
    count: int
    source: str


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _check_entry(
    entry: Any, where: str, seen: dict[str, str], family: str
) -> tuple[list[Problem], str | None]:
    """Problems of one entry, and its pattern when it is usable."""
    if not isinstance(entry, dict):
        return [Problem(where, "a table {id, pattern, note}", repr(entry))], None
    problems = [
        Problem(
            where,
            f"keys among {sorted(_ENTRY_KEYS)}",
            f"unknown key {k!r}",
            "remove it or correct its spelling",
        )
        for k in entry
        if k not in _ENTRY_KEYS
    ]
    ident = _text(entry.get("id"))
    if ident is None or not _ID.match(ident):
        problems.append(
            Problem(
                where,
                "an id of lowercase letters, digits, '_', '.', '-'",
                repr(entry.get("id")),
                "give the entry a short stable id",
            )
        )
    elif ident in seen:
        problems.append(
            Problem(
                where,
                "an id used once in the file",
                f"duplicate id {ident!r} (first in [{seen[ident]}])",
                "rename one of them",
            )
        )
    else:
        seen[ident] = family
    note = _text(entry.get("note"))
    if note is None or not note.strip():
        problems.append(
            Problem(
                where,
                "a note saying what phrasing the entry targets",
                "no note" if "note" not in entry else repr(entry.get("note")),
                'add note = "…"',
            )
        )
    pattern = _text(entry.get("pattern"))
    if pattern is None or not pattern:
        problems.append(
            Problem(
                where,
                "a non-empty regex pattern",
                repr(entry.get("pattern")),
                "write one regex alternative as a quoted string",
            )
        )
        return problems, None
    try:
        alone = re.compile(pattern)
    except re.error as exc:
        problems.append(
            Problem(
                where,
                "a valid regex alternative",
                f"bad regex {pattern!r} ({exc})",
                "correct the pattern (escape literal brackets)",
            )
        )
        return problems, None
    if alone.fullmatch(""):
        problems.append(
            Problem(
                where,
                "a pattern that needs at least one character",
                f"{pattern!r}, which matches the empty string",
                "make at least one part of it mandatory",
            )
        )
        return problems, None
    return problems, pattern


def _compile_family(
    name: str, table: Any, where: str, seen: dict[str, str]
) -> tuple[list[Problem], re.Pattern[str] | None, int]:
    """Problems of one family table, its compiled regex (when valid) and entry count."""
    if not isinstance(table, dict):
        return [Problem(where, "a table with entries", repr(table))], None, 0
    problems = [
        Problem(
            where,
            f"keys among {sorted(_FAMILY_KEYS)}",
            f"unknown key {k!r}",
            "remove it or correct its spelling",
        )
        for k in table
        if k not in _FAMILY_KEYS
    ]
    if not _text(table.get("note")):
        problems.append(
            Problem(
                where,
                "a note saying what the family is for",
                "no note",
                'add note = "…"',
            )
        )
    flags = 0
    flag_names = table.get("flags", [])
    if not isinstance(flag_names, list):
        flag_names = [flag_names]
    for flag in flag_names:
        if flag in _FLAGS:
            flags |= _FLAGS[flag]
        else:
            problems.append(
                Problem(
                    f"{where}.flags",
                    f"flags among {sorted(_FLAGS)}",
                    repr(flag),
                    "remove it or correct its spelling",
                )
            )
    affixes = []
    for key in ("prefix", "suffix"):
        value = table.get(key, "")
        if not isinstance(value, str):
            problems.append(Problem(f"{where}.{key}", "a quoted string", repr(value)))
            value = ""
        affixes.append(value)
    entries = table.get("entries")
    if not isinstance(entries, list) or not entries:
        problems.append(
            Problem(
                f"{where}.entries",
                "a non-empty list of [[entries]]",
                repr(entries),
                f"add [[{name}.entries]] tables",
            )
        )
        return problems, None, 0
    patterns: list[str] = []
    for index, entry in enumerate(entries):
        label = entry.get("id") if isinstance(entry, dict) else None
        here = f"{where}.entries[{index}]" + (f"(id={label!r})" if label else "")
        found, pattern = _check_entry(entry, here, seen, name)
        problems += found
        if pattern is not None:
            patterns.append(pattern)
    if problems:
        return problems, None, len(entries)
    source = affixes[0] + "|".join(patterns) + affixes[1]
    try:
        compiled = re.compile(source, flags)
    except re.error as exc:
        problems.append(
            Problem(
                where,
                "prefix + entries + suffix forming a valid regex",
                f"bad regex ({exc})",
                "balance the prefix and suffix groups",
            )
        )
        return problems, None, len(entries)
    return problems, compiled, len(entries)


def _read(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    if not path.exists():
        return None, [
            Problem(
                str(path),
                "the cue file of the classifier",
                "no such file",
                shipped_rules_hint(CUES_FILE),
            )
        ]
    try:
        return read_toml(path, "cue"), []
    except ConfigError as exc:
        return None, exc.problems


def _collect(rules_dir: Path) -> tuple[Cues | None, list[Problem]]:
    """Every problem of rules_dir/messages.toml, and the cues when there is none."""
    wrong = rules_folder_problem(rules_dir)
    if wrong is not None:
        return None, [wrong]
    path = Path(rules_dir) / CUES_FILE
    data, problems = _read(path)
    if data is None:
        return None, problems
    problems += [
        Problem(
            f"{path}: [{name}]",
            f"a cue family among {list(FAMILIES)}",
            f"unknown family {name!r}",
            "remove it or correct its spelling",
        )
        for name in data
        if name not in FAMILIES
    ]
    seen: dict[str, str] = {}
    compiled: dict[str, re.Pattern[str]] = {}
    count = 0
    for name in FAMILIES:
        where = f"{path}: [{name}]"
        if name not in data:
            problems.append(
                Problem(
                    where,
                    "this cue family",
                    "nothing",
                    f"add a [{name}] table with its [[{name}.entries]]",
                )
            )
            continue
        found, regex, size = _compile_family(name, data[name], where, seen)
        problems += found
        count += size
        if regex is not None:
            compiled[name] = regex
    if problems:
        return None, problems
    return Cues(**compiled, count=count, source=str(path)), []


_LOADED: dict[tuple[str, bytes], Cues] = {}


def load_cues(rules_dir: Path) -> Cues:
    """The cues of rules_dir/messages.toml, compiled once per folder and file content.

    Keyed by content, as load_rules is: a long process (the review page re-analysing
    after an analyst edited the rules) reads the edited file, not the first one it saw.
    """
    path = Path(rules_dir) / CUES_FILE
    try:
        key = (str(path.resolve()), path.read_bytes())
    except OSError:
        key = None  # _collect reports the missing or unreadable file
    if key is not None and key in _LOADED:
        return _LOADED[key]
    cues, problems = _collect(Path(rules_dir))
    if cues is None:
        raise ScorecardError(str(path), problems)
    if key is not None:
        if len(_LOADED) >= 8:
            _LOADED.clear()
        _LOADED[key] = cues
    return cues


def check_cues(rules_dir: Path) -> list[str]:
    """Human lines for `replyaudit rules check`: 'ok: N cues in …' or the problems."""
    rules_dir = Path(rules_dir)
    cues, problems = _collect(rules_dir)
    if cues is None:
        return [f"error: {p}" for p in problems] + [
            f"{len(problems)} problem(s) in {rules_dir / CUES_FILE}"
        ]
    return [f"ok: {cues.count} cues in {rules_dir.name}/{CUES_FILE}"]

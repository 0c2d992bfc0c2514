"""Reads a rules folder: finds its rule files, validates them all at once, caches the RuleSet."""

from __future__ import annotations

from pathlib import Path

from replyaudit.checks.rules import QUESTIONS, RuleSet, load_rule_file
from replyaudit.errors import ConfigError, Problem, ScorecardError
from replyaudit.scorecard import rules_folder_problem, shipped_rules_hint
from replyaudit.validation import read_toml

# The RuleSet of the last rules folder loaded, by its files' paths and contents.
_LOADED: dict[tuple[str, tuple[tuple[str, bytes], ...]], RuleSet] = {}
_DEFAULT: dict[str, RuleSet] = {}
# The questions whose checks consult phrase rules (hits_for in checks/): without at least
# one matching rule for each, that question silently never matches. A test keeps this
# list equal to the checks' own.
PHRASE_QUESTIONS = tuple(
    q for q in QUESTIONS if q not in ("brand_address", "brand_only_signature")
)  # those two read lexicons and addresses only


def _rule_files(rules_dir: Path) -> list[Path]:
    if not rules_dir.is_dir():
        return []
    return sorted(
        p
        for p in rules_dir.glob("*.toml")
        if p.name != "scorecard.toml" and not p.name.startswith("messages")
    )


def _collect(rules_dir: Path) -> tuple[RuleSet, list[Problem]]:
    ruleset = RuleSet()
    wrong = rules_folder_problem(rules_dir)
    if wrong is not None:
        return ruleset, [wrong]
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    files = _rule_files(rules_dir)
    if not files:
        problems.append(
            Problem(
                str(rules_dir),
                "rule files *.toml (besides scorecard.toml and messages.toml)",
                "none",
                f"point at the project's rules/ folder, or {shipped_rules_hint('the rule files')}",
            )
        )
    unread = False
    broken: set[str] = set()  # questions of files with problems: already reported
    for path in files:
        try:
            data = read_toml(path, "rule")
        except ConfigError as exc:
            problems += exc.problems
            unread = True
            continue
        found = load_rule_file(data, path, seen, ruleset)
        if found:
            broken.add(str(data.get("question")))
        problems += found
    if files and not unread:
        problems += _missing_questions(rules_dir, ruleset, broken)
    return ruleset, problems


def _missing_questions(
    rules_dir: Path, ruleset: RuleSet, broken: set[str]
) -> list[Problem]:
    """A problem for each question the checks consult that has no matching phrase rule."""
    numbers, shipped = _shipped_questions()
    problems = []
    for question in PHRASE_QUESTIONS:
        if question in broken or any(
            r.effect == "match" for r in ruleset.rules_for(question)
        ):
            continue
        number = numbers.get(question)
        name = f"question {number} ({question})" if number else f"question {question}"
        source = shipped.get(question)
        fix = (
            f"copy the shipped folder's file for it, {source}, into {rules_dir}"
            if source
            else f'add a file with kind = "phrases" and question = "{question}"'
        )
        problems.append(
            Problem(
                str(rules_dir),
                f'at least one phrase rule (effect = "match") for {name}, '
                "which the checks consult",
                "none: the question would never match",
                fix,
            )
        )
    return problems


def _shipped_questions() -> tuple[dict[str, int], dict[str, Path]]:
    """Question numbers by key, and the shipped phrase file of each question."""
    shipped = default_rules_dir()
    numbers: dict[str, int] = {}
    try:
        data = read_toml(shipped / "scorecard.toml", "scorecard")
        for item in data.get("questions", []):
            numbers[str(item.get("key"))] = int(item.get("number"))
    except (ConfigError, TypeError, ValueError):
        pass  # the names alone then
    files: dict[str, Path] = {}
    for path in _rule_files(shipped):
        try:
            data = read_toml(path, "rule")
        except ConfigError:
            continue
        if data.get("kind") == "phrases":
            files.setdefault(str(data.get("question")), path)
    return numbers, files


def _files_key(rules_dir: Path) -> tuple[tuple[str, bytes], ...]:
    """Each rule file's path and content: changes when one does.

    The content rather than the modification time, which can stay the same when a
    file is rewritten within the file system's clock tick (a test, an editor).
    """
    key: list[tuple[str, bytes]] = []
    for path in _rule_files(rules_dir):
        try:
            key.append((str(path), path.read_bytes()))
        except OSError:
            continue  # _collect reports the unreadable file
    return tuple(key)


def load_rules(rules_dir: Path) -> RuleSet:
    """Load and validate every rule file; raises ScorecardError listing every problem.

    A folder loaded before, with every file unchanged (same paths and contents),
    gives the RuleSet parsed then: a replay or a scan calls this
    once per run, and parsing the TOML files cost more than matching a message.
    """
    rules_dir = Path(rules_dir)
    key = (str(rules_dir.resolve()), _files_key(rules_dir))
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    ruleset, problems = _collect(rules_dir)
    if problems:
        raise ScorecardError(str(rules_dir), problems)
    _LOADED.clear()  # one folder's rules at a time: a long process edits its rules
    _LOADED[key] = ruleset
    return ruleset


def check_rules(rules_dir: Path) -> list[str]:
    """Human lines for `replyaudit rules check`: 'ok: N rules in M files' or the problems."""
    ruleset, problems = _collect(Path(rules_dir))
    if problems:
        return [f"error: {p}" for p in problems] + [
            f"{len(problems)} problem(s) in {rules_dir}"
        ]
    return [f"ok: {ruleset.count} rules in {ruleset.files} files"]


def default_rules_dir() -> Path:
    """The project's rules/ folder (next to src/ in a checkout)."""
    return Path(__file__).resolve().parents[3] / "rules"


def cached_rules(rules_dir: Path | None = None) -> RuleSet:
    """Rules of `rules_dir` (default: the project's), loaded once per process."""
    key = str(rules_dir or default_rules_dir())
    if key not in _DEFAULT:
        _DEFAULT[key] = load_rules(Path(key))
    return _DEFAULT[key]

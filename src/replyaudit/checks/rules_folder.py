"""Reads a rules folder: finds its rule files, validates them all at once, caches the RuleSet."""

from __future__ import annotations

from pathlib import Path

from replyaudit.checks.rules import RuleSet, load_rule_file
from replyaudit.errors import ConfigError, Problem, ScorecardError
from replyaudit.scorecard import rules_folder_problem, shipped_rules_hint
from replyaudit.validation import read_toml

# The RuleSet of the last rules folder loaded, by its files' paths and contents.
_LOADED: dict[tuple[str, tuple[tuple[str, bytes], ...]], RuleSet] = {}
_DEFAULT: dict[str, RuleSet] = {}


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
    for path in files:
        try:
            data = read_toml(path, "rule")
        except ConfigError as exc:
            problems += exc.problems
            continue
        problems += load_rule_file(data, path, seen, ruleset)
    return ruleset, problems


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

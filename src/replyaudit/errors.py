"""The one exception hierarchy of replyaudit; every error says what, where and the fix.

ReplyAuditError                    base: catch this at the CLI edge
├── ConfigError                    a settings or campaign file is wrong (lists every problem)
├── ScorecardError                 the scorecard or a rule file in rules/ is wrong (lists every problem)
├── CorpusError                    a corpus folder or one of its cases cannot be read
├── UsageError                     a command-line option or argument is wrong (exit 2)
├── MessageError                   one raw message cannot be parsed (it is still kept raw)
├── StoreError                     the database cannot be opened or upgraded
├── ClockError                     opening hours or instants that cannot be measured
└── CollectorError                 the mailbox cannot be reached or read
    └── LockHeldError              another scan holds the lock file
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input: where it is, what was expected, what was found, the fix."""

    where: str
    expected: str
    found: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: expected {self.expected}, found {self.found}"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class ReplyAuditError(Exception):
    """Base of every error replyaudit raises on purpose."""

    exit_code = 1


class _ProblemsError(ReplyAuditError):
    """An error that carries every problem found in one file, so all are fixed at once."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = list(problems)
        lines = [f"{source}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class ConfigError(_ProblemsError):
    """A settings or campaign file is missing, unreadable or invalid."""

    exit_code = 2


class ScorecardError(_ProblemsError):
    """The scorecard definition or a rule file is invalid."""

    exit_code = 2


class CorpusError(ReplyAuditError):
    """A corpus folder, or one case of it, cannot be read."""

    exit_code = 2


class UsageError(ReplyAuditError):
    """A command-line option or argument is wrong: missing, malformed, or naming nothing known."""

    exit_code = 2


class MessageError(ReplyAuditError):
    """A raw message cannot be parsed; the raw bytes are kept regardless."""


class StoreError(ReplyAuditError):
    """The database cannot be opened, read or upgraded."""

    exit_code = 3


class ClockError(ReplyAuditError):
    """Opening hours, a time zone or instants that cannot be measured."""


class CollectorError(ReplyAuditError):
    """The mailbox cannot be reached, logged into or read."""

    exit_code = 4


class LockHeldError(CollectorError):
    """Another scan is running: it holds the lock file."""

    exit_code = 75

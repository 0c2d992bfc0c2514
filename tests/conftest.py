"""Shared test fixtures: paths to the bundled data, and the rule for real components in CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
CORPUS = FIXTURES / "corpus"
RULES = ROOT / "rules"


def require_component(name: str, available: bool, how: str) -> None:
    """Skip a test whose real component is missing, except in CI where that is a failure."""
    if available:
        return
    message = f"{name} is not installed ({how})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}: CI must install it in .ci/run", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus, for tests that break it on purpose."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def scorecard():
    from replyaudit.scorecard import load_scorecard

    return load_scorecard(RULES)


@pytest.fixture(scope="session")
def rules():
    from replyaudit.checks import load_rules

    return load_rules(RULES)


@pytest.fixture
def cli(capsys):
    """Run the replyaudit command in this process; returns (exit code, stdout, stderr)."""
    from replyaudit.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return run

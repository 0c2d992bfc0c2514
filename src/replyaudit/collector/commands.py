"""CLI commands of the collector (scan), registered on the main app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the collector's commands to the replyaudit app."""

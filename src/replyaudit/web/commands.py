"""CLI commands of the review page (serve, users, export), registered on the main app."""

from __future__ import annotations

import typer

from replyaudit.config import Settings


def register(app: typer.Typer) -> None:
    """Add the review page's commands to the replyaudit app."""


def serve_page(settings: Settings, open_browser: bool = False) -> None:
    """Serve the review page for `settings` until interrupted."""
    raise NotImplementedError("the review page is being built (issue 7)")

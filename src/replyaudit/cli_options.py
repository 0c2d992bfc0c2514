"""Command-line options shared by every command group (settings file, database)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Settings file (TOML); default $REPLYAUDIT_CONFIG, else built-in defaults.",
    ),
]
DatabaseOption = Annotated[
    Path | None,
    typer.Option(
        "--database", help="SQLite file to use instead of the configured one."
    ),
]

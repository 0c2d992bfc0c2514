"""CLI commands of the collector (scan), registered on the main app."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from replyaudit.cli_options import ConfigOption, DatabaseOption

log = logging.getLogger(__name__)

SCAN_HELP = """Read new mail from the test mailbox (read-only) and pre-fill the scorecards.

Fetches only messages above each folder's highest stored UID, keeps them, then runs the
same parse, match, time, check and pre-fill stages as replay. Safe under cron or a
systemd timer: a lock file stops overlapping runs. One summary line per run on stdout.

Exit codes: 0 ok; 1 the scan finished but some message was rejected (unparseable, kept
raw) or not delivered by the server, or a folder could not be opened; 2 settings or
campaign error; 3 database error; 4 mailbox error (unreachable host, TLS certificate,
refused login or token, connection lost: nothing is lost, the next scan resumes);
75 another scan holds the lock.

Example: replyaudit scan --config config.toml
"""


def register(app: typer.Typer) -> None:
    """Add the collector's commands to the replyaudit app."""

    @app.command(help=SCAN_HELP)
    def scan(
        config: ConfigOption = None,
        database: DatabaseOption = None,
        watch: Annotated[
            bool,
            typer.Option(
                "--watch",
                help="Keep running: wait in IDLE for new mail (renewed), poll as a fallback.",
            ),
        ] = False,
        analyse: Annotated[
            bool,
            typer.Option(
                "--analyse/--no-analyse",
                help="--no-analyse only fetches and keeps raw mail; the next scan parses and analyses it.",
            ),
        ] = True,
    ) -> None:
        from replyaudit.collector.scan import scan as run_scan
        from replyaudit.collector.watch import Watcher
        from replyaudit.config import load_settings

        settings = load_settings(config)
        if database is not None:
            settings.storage.database = database
        if watch:
            Watcher(settings, analyse_mail=analyse, emit=typer.echo).run()
            return
        summary = run_scan(settings, analyse_mail=analyse)
        typer.echo(summary.line())  # its problems were logged as they happened
        if summary.exit_code:
            raise typer.Exit(summary.exit_code)

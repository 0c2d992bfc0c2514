"""The `rules check` and `config check` commands: validate rule folders and settings files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from replyaudit.cli_options import ConfigOption
from replyaudit.config import Settings, load_settings, scan_readiness
from replyaudit.errors import Problem, ReplyAuditError, ScorecardError

rules_app = typer.Typer(
    help="Check the rule files of the scorecard.", no_args_is_help=True
)
config_app = typer.Typer(help="Check a settings file.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `rules` and `config` command groups to the replyaudit app."""
    app.add_typer(rules_app, name="rules")
    app.add_typer(config_app, name="config")


@rules_app.command("check")
def rules_check(
    rules_dir: Annotated[
        Path | None, typer.Argument(help="Rules folder (default: the configured one).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Validate the scorecard and every rule file; list every problem at once.

    Example: replyaudit rules check rules/
    """
    from replyaudit.checks import check_rules
    from replyaudit.message.cues import check_cues
    from replyaudit.scorecard import load_scorecard, rules_folder_problem

    folder = rules_dir or load_settings(config).rules_dir
    wrong = rules_folder_problem(folder)
    if wrong is not None:  # said once, not once per file the folder should hold
        typer.echo(f"error: {wrong}")
        raise typer.Exit(2)
    failed = False
    try:
        card = load_scorecard(folder)
        typer.echo(
            f"ok: scorecard {card.name!r}, {len(card.questions)} questions, {card.max_points} points"
        )
    except ScorecardError as exc:
        typer.echo(f"error: {exc}")
        failed = True
    # Checked even when the scorecard fails: all problems at once.
    lines = check_rules(folder) + check_cues(folder)
    for line in lines:
        typer.echo(line)
    if failed or any(not line.startswith("ok") for line in lines):
        raise typer.Exit(2)


@config_app.command("check")
def config_check(
    file: Annotated[Path, typer.Argument(help="Settings file to validate.")],
) -> None:
    """Validate a settings file, its rules folder and its campaign; list every problem at once.

    Example: replyaudit config check config.example.toml
    """
    from replyaudit.campaign import load_campaign
    from replyaudit.checks import check_rules
    from replyaudit.clock import dst_problems
    from replyaudit.message.cues import check_cues
    from replyaudit.scorecard import load_scorecard

    settings = load_settings(file)
    typer.echo(f"ok: {file} (database {settings.storage.database_path})")
    # A rules folder or campaign that points nowhere is said once, by its settings key.
    problems = _missing_paths(file, settings)
    if settings.rules_dir.exists():
        try:
            load_scorecard(settings.rules_dir)
            lines = check_rules(settings.rules_dir) + check_cues(settings.rules_dir)
            problems += [line for line in lines if not line.startswith("ok")]
        except ReplyAuditError as exc:
            problems.append(str(exc))
        if not problems:
            typer.echo(f"ok: rules {settings.rules_dir}")
    if settings.campaign is not None and settings.campaign.exists():
        try:
            campaign = load_campaign(settings.campaign)
        except ReplyAuditError as exc:
            problems.append(str(exc))
        else:
            this_year = datetime.now().year
            for dealer in campaign.dealers:
                problems += dst_problems(dealer, (this_year, this_year + 1))
            typer.echo(
                f"ok: campaign {settings.campaign}: {len(campaign.dealers)} dealer(s), "
                f"{len(campaign.inquiries)} inquiry(ies)"
            )
            if not campaign.inquiries:
                typer.echo(
                    f"warning: campaign {settings.campaign} has no inquiries: a scan would "
                    "file every reply in the unmatched queue. Fix: add an [[inquiries]] "
                    "entry (id, dealer, shopper, sent_at) for each inquiry sent"
                )
    for note in scan_readiness(settings):
        typer.echo(f"warning: scan will refuse to run: {note}")
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if problems:
        raise typer.Exit(2)


def _missing_paths(file: Path, settings: Settings) -> list[str]:
    """A problem for each path setting of `file` (rules_dir, campaign) that points nowhere."""
    from replyaudit.config import default_rules_dir
    from replyaudit.validation import read_toml

    written = read_toml(file, "settings")
    found: list[str] = []
    for key, path, fix in (
        (
            "rules_dir",
            settings.rules_dir,
            (
                f"remove the line to use the shipped rules ({default_rules_dir()}), or "
                "correct the path (a relative one is read from the settings file's folder)"
            ),
        ),
        (
            "campaign",
            settings.campaign,
            "correct the path (a relative one is read from the settings file's folder)",
        ),
    ):
        if key in written and path is not None and not path.exists():
            found.append(
                str(
                    Problem(
                        f"{key} = {json.dumps(str(written[key]))} (in {file})",
                        "an existing folder"
                        if key == "rules_dir"
                        else "an existing file",
                        f"no such path {path}",
                        fix,
                    )
                )
            )
    return found

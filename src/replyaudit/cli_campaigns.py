"""The `campaigns list` and `campaigns remove` commands: what a database holds, and cleaning it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from replyaudit.cli_options import ConfigOption, DatabaseOption
from replyaudit.config import Settings, load_settings

campaigns_app = typer.Typer(
    help="List the campaigns a database holds, or remove one.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the `campaigns` command group to the replyaudit app."""
    app.add_typer(campaigns_app, name="campaigns")


def _settings(config: Path | None, database: Path | None) -> Settings:
    settings = load_settings(config)
    if database is not None:
        settings.storage.database = database
    return settings


@campaigns_app.command("list")
def campaigns_list(
    config: ConfigOption = None, database: DatabaseOption = None
) -> None:
    """List each campaign of the database: inquiries, cases by status, messages.

    Example: replyaudit campaigns list --database data/demo.sqlite3
    """
    from replyaudit.store import Store
    from replyaudit.store_campaigns import STATUSES, campaign_summaries
    from replyaudit.web.commands import existing_database

    with Store(existing_database(_settings(config, database))) as store:
        summaries = campaign_summaries(store)
    width = max([len("campaign"), *(len(s.name) for s in summaries)])
    header = ["campaign".ljust(width), "inquiries", *STATUSES, "messages"]
    typer.echo("  ".join(header))
    for s in summaries:
        counts = [
            s.inquiries,
            *(s.cases.get(status, 0) for status in STATUSES),
            s.messages,
        ]
        cells = [str(n).rjust(len(h)) for n, h in zip(counts, header[1:], strict=True)]
        typer.echo("  ".join([s.name.ljust(width), *cells]))


@campaigns_app.command("remove")
def campaigns_remove(
    name: Annotated[
        str, typer.Argument(help="Campaign name, as `campaigns list` prints it.")
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Remove it even if some of its cases are approved."
        ),
    ] = False,
    config: ConfigOption = None,
    database: DatabaseOption = None,
) -> None:
    """Delete a campaign's cases, answers, matches, inquiries and message sources, in one transaction.

    The raw messages (which other campaigns may share) and the audit trail are kept. A
    campaign with approved cases is refused unless --force.

    Example: replyaudit campaigns remove live:campaign --database data/live.sqlite3
    """
    from replyaudit.store import Store
    from replyaudit.store_campaigns import remove_campaign
    from replyaudit.web.commands import existing_database

    with Store(existing_database(_settings(config, database))) as store:
        deleted = remove_campaign(store, name, force=force)
    typer.echo(
        f"removed campaign {name}: {deleted['cases']} case(s), {deleted['answers']} answer(s), "
        f"{deleted['matches']} match(es), {deleted['inquiries']} inquiry(ies), "
        f"{deleted['message_sources']} message source(s); raw messages and the audit trail kept"
    )

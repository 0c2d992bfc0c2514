"""CLI commands of the review page (serve, users, export), registered on the main app."""

from __future__ import annotations

import socket
import sys
import webbrowser
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from replyaudit.cli_options import ConfigOption, DatabaseOption
from replyaudit.config import Settings, load_settings
from replyaudit.errors import ReplyAuditError


class PasswordInputError(ReplyAuditError):
    """users add cannot read the password as asked (no terminal to type it on)."""

    exit_code = 2


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def _settings(config: Path | None, database: Path | None) -> Settings:
    settings = load_settings(config)
    if database is not None:
        settings.storage.database = database
    return settings


def existing_database(settings: Settings) -> Path:
    """The database path of a command that only reads it; a missing file is refused.

    Opening a missing path would create an empty database (and its folders), so a typo in
    --database would export nothing, list no one or serve an empty page without a word.
    """
    from replyaudit.errors import StoreError

    path = settings.storage.database_path
    if not path.exists():
        raise StoreError(
            f"{path}: expected an existing replyaudit database, found that it does not exist. "
            "Fix: correct --database (or [storage] database in the settings file), or "
            "create it first with replyaudit scan, replay or demo"
        )
    return path


def check_can_serve(settings: Settings) -> None:
    """Refuse an unusable database, and a page that needs a login while no reviewer exists."""
    from replyaudit.store import Store
    from replyaudit.web.app import ServeError, is_loopback, login_required_for

    # Open the store first: a database that cannot be used is refused here, not with an
    # error page on every request.
    with Store(existing_database(settings)) as store:
        if not login_required_for(settings) or store.users():
            return
    why = (
        "review.require_login is true"
        if is_loopback(settings.review.host)
        else (f"the page listens on {settings.review.host}, not loopback")
    )
    raise ServeError(
        f"{settings.storage.database_path}: expected at least one reviewer account because {why}, found none. "
        "Fix: replyaudit users add NAME"
    )


WILDCARD_HOSTS = {"", "0.0.0.0", "::"}


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def page_urls(host: str, port: int) -> list[str]:
    """URLs a browser can open for a page bound to host:port, the local one last.

    A wildcard bind address (0.0.0.0, ::) is no address to browse to: it is replaced by
    this machine's name, for other machines, and by loopback, for this one.
    """
    if host not in WILDCARD_HOSTS:
        return [_url(host, port)]
    local = _url("::1" if host == "::" else "127.0.0.1", port)
    name = socket.gethostname()
    if not name or name == "localhost":
        return [local]
    return [_url(name, port), local]


def serve_page(
    settings: Settings,
    open_browser: bool = False,
    host_option: str = "review.host",
    port_option: str = "review.port",
) -> None:
    """Serve the review page for `settings` until interrupted.

    host_option and port_option name where the address came from, for error messages.
    """
    from werkzeug.serving import make_server

    from replyaudit.web.app import create_app
    from replyaudit.web.listen import check_host, check_port, listening_socket

    host, port = settings.review.host, settings.review.port
    check_host(host, host_option)
    check_port(port, port_option)
    check_can_serve(settings)
    app = create_app(settings)
    bound = listening_socket(host, port, host_option, port_option)
    try:
        # Werkzeug serves on a duplicate of the bound socket.
        server = make_server(host, port, app, threaded=True, fd=bound.fileno())
    finally:
        bound.close()
    urls = page_urls(host, server.port)
    url = urls[-1]
    if host in WILDCARD_HOSTS:
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"Bound to {shown}:{server.port}: listening on all interfaces")
    typer.echo(f"Review page: {' or '.join(urls)}  (Ctrl+C to stop)")
    if open_browser:
        try:
            webbrowser.open(url)
        except Exception as exc:  # noqa: BLE001 - no browser must never stop the page
            typer.echo(
                f"(could not open a browser: {exc}; open {url} by hand)", err=True
            )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.server_close()


def _non_empty_host(value: str | None) -> str | None:
    """--host '' would bind to every interface: refuse it as a usage error."""
    if value is not None and not value.strip():
        raise typer.BadParameter(
            "expected an address such as 127.0.0.1 (this machine only) or 0.0.0.0 "
            "(every interface), found an empty string"
        )
    return value


def _port_in_range(value: int | None) -> int | None:
    """A port outside 0-65535 would wrap around or end in an OverflowError: refuse it."""
    if value is not None and not 0 <= value <= 65535:
        raise typer.BadParameter(
            f"expected a port from 0 to 65535 (0 picks a free one), found {value}"
        )
    return value


def register(app: typer.Typer) -> None:
    """Add the review page's commands to the replyaudit app."""
    users_app = typer.Typer(
        help="Manage the reviewers who sign in to the review page.",
        no_args_is_help=True,
    )
    app.add_typer(users_app, name="users")

    @app.command()
    def serve(
        config: ConfigOption = None,
        database: DatabaseOption = None,
        host: Annotated[
            str | None,
            typer.Option(
                help="Address to listen on (default: review.host, 127.0.0.1); "
                "0.0.0.0 for every interface.",
                callback=_non_empty_host,
            ),
        ] = None,
        port: Annotated[
            int | None,
            typer.Option(
                help="Port, 0 to 65535 (default: review.port, 8765; 0 picks a free one).",
                callback=_port_in_range,
            ),
        ] = None,
        open_browser: Annotated[
            bool, typer.Option("--open/--no-open", help="Open the page in a browser.")
        ] = False,
    ) -> None:
        """Start the review page (French) to check, correct, approve and export scorecards.

        Off loopback a login is mandatory and the page refuses to start without a reviewer.

        Example: replyaudit serve --database data/demo.sqlite3 --port 8765
        """
        settings = _settings(config, database)
        if host is not None:
            settings.review.host = host
        if port is not None:
            settings.review.port = port
        serve_page(
            settings,
            open_browser=open_browser,
            host_option="--host" if host is not None else "review.host",
            port_option="--port" if port is not None else "review.port",
        )

    @users_app.command("add")
    def users_add(
        name: Annotated[
            str,
            typer.Argument(
                help="The reviewer's name, as recorded in the audit trail: one word of "
                "at most 64 printable characters, unique ignoring case."
            ),
        ],
        config: ConfigOption = None,
        database: DatabaseOption = None,
        password_stdin: Annotated[
            bool,
            typer.Option(
                "--password-stdin",
                help="Read the password from the first line of stdin (needed "
                "when there is no terminal to type it on).",
            ),
        ] = False,
        replace: Annotated[
            bool,
            typer.Option(
                "--replace",
                help="Change the password of a reviewer who already exists "
                "(refused for a name that does not).",
            ),
        ] = False,
    ) -> None:
        """Add a reviewer (or change their password with --replace); the password is asked twice and hashed with argon2.

        At least 8 characters not counting surrounding whitespace.

        Example: replyaudit users add camille --database data/demo.sqlite3
        """
        from replyaudit.review import add_user, check_user_name
        from replyaudit.store import Store

        settings = _settings(config, database)
        if not password_stdin and not sys.stdin.isatty():
            raise PasswordInputError(
                "password: expected a terminal to type it on, found standard input "
                "redirected (not a terminal). Fix: pipe the password in with "
                "--password-stdin, e.g. printf '%s\\n' \"$PASSWORD\" | replyaudit users add "
                "NAME --password-stdin"
            )
        with Store(settings.storage.database_path) as store:
            # The name is judged before the password is typed twice for nothing.
            name = check_user_name(store, name, replace)
            if password_stdin:
                password = sys.stdin.readline().rstrip("\r\n")
            else:
                password = typer.prompt(
                    f"Password for {name}", hide_input=True, confirmation_prompt=True
                )
            add_user(store, name, password, replace=replace)
        typer.echo(f"ok: reviewer {name} saved in {settings.storage.database_path}")

    @users_app.command("list")
    def users_list(
        config: ConfigOption = None, database: DatabaseOption = None
    ) -> None:
        """List the reviewers and when each was added.

        Example: replyaudit users list --database data/demo.sqlite3
        """
        from replyaudit.store import Store

        settings = _settings(config, database)
        with Store(existing_database(settings)) as store:
            for row in store.users():
                typer.echo(f"{row['name']}\t{row['created_at']}")

    @app.command()
    def export(
        config: ConfigOption = None,
        database: DatabaseOption = None,
        fmt: Annotated[
            ExportFormat,
            typer.Option("--format", help="csv or xlsx (with summary and charts)."),
        ] = ExportFormat.csv,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output",
                "-o",
                help="File to write (default: replyaudit-export.<format>); its "
                "name must end in .xlsx for xlsx, and may not for csv. '-' writes the "
                "CSV to standard output.",
            ),
        ] = None,
        campaign: Annotated[
            str | None, typer.Option(help="Only this campaign (default: all).")
        ] = None,
        include_all: Annotated[
            bool, typer.Option("--all", help="Include scorecards not yet approved.")
        ] = False,
        delimiter: Annotated[
            str,
            typer.Option(
                "--delimiter",
                help="CSV column separator: ';' (default) opens in columns in French "
                "Excel, with decimal commas (90,7); use ',' for programs, with decimal "
                "points (90.7). The CSV is UTF-8 with a BOM.",
            ),
        ] = ";",
    ) -> None:
        """Export scorecards, one row per inquiry: a value and points per question, total, delay, flags, evidence.

        The CSV is UTF-8 with a BOM and ';' between columns and decimal commas, so French
        Excel opens it in columns with its accents and numbers right; pass --delimiter ','
        for other programs (decimal points). Evidence holds one quote per line inside its
        cell.

        Example: replyaudit export --format xlsx --output scorecards.xlsx --database data/demo.sqlite3

        Example: replyaudit export --all --delimiter , --output scorecards.csv
        """
        from replyaudit.export_files import check_target, export_file, is_stdout
        from replyaudit.scorecard import load_scorecard
        from replyaudit.store import Store

        settings = _settings(config, database)
        target = output or Path(f"replyaudit-export.{fmt.value}")
        check_target(target, fmt.value)
        with Store(existing_database(settings)) as store:
            count = export_file(
                store,
                load_scorecard(settings.rules_dir),
                target,
                fmt.value,
                campaign,
                include_all,
                delimiter,
            )
        kind = "scorecard(s)" if include_all else "approved scorecard(s)"
        if is_stdout(target):
            typer.echo(f"ok: {count} {kind} written to standard output", err=True)
        else:
            typer.echo(f"ok: {count} {kind} written to {target}")
        if count == 0 and not include_all:
            typer.echo(
                "0 approved case(s) exported; use --all to include cases not yet approved",
                err=True,
            )
        elif count == 0:
            typer.echo(
                "0 case(s) exported: no analysed case matches; run replay or scan first",
                err=True,
            )

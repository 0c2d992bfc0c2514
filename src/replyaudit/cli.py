"""The replyaudit command line: parses arguments and calls the typed core, nothing more."""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from replyaudit import __version__
from replyaudit.cli_options import ConfigOption, DatabaseOption
from replyaudit.config import PROJECT_ROOT, Settings, load_settings
from replyaudit.errors import ReplyAuditError, UsageError
from replyaudit.logs import setup_logging
from replyaudit.models import Policy

app = typer.Typer(
    name="replyaudit",
    help="Audit how car dealerships answer e-mail inquiries: collect, time, pre-fill, review, export.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class PolicyChoice(StrEnum):
    open_hours = "open-hours"
    calendar = "calendar"


class Format(StrEnum):
    text = "text"
    json = "json"


FormatOption = Annotated[
    Format, typer.Option("--format", help="text for people, json for programs.")
]


class State:
    verbose: int = 0


def settings_from(config: Path | None, database: Path | None = None) -> Settings:
    settings = load_settings(config)
    if database is not None:
        settings.storage.database = database
    return settings


def open_store(settings: Settings):  # type: ignore[no-untyped-def]
    from replyaudit.store import Store

    return Store(settings.storage.database_path)


def bundled_corpus() -> Path:
    return PROJECT_ROOT / "fixtures" / "corpus"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"replyaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="More log lines on stderr (-v info, -vv debug).",
        ),
    ] = 0,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """replyaudit pre-fills the mystery-shopping scorecard from dealer replies, with evidence."""
    State.verbose = verbose
    setup_logging(verbose)


def _print_replay(report: Any, scorecard: Any) -> None:
    from replyaudit.report import replay_lines

    for line in replay_lines(report, scorecard):
        typer.echo(line)


@app.command()
def replay(
    corpus: Annotated[
        Path,
        typer.Argument(
            help="Corpus folder: campaign.toml and cases/<id>/ (FORMAT.md)."
        ),
    ],
    config: ConfigOption = None,
    database: DatabaseOption = None,
    output: FormatOption = Format.text,
    now: Annotated[
        str | None,
        typer.Option(
            help="Analyse as of this ISO instant (default: now); warns when messages come after it."
        ),
    ] = None,
) -> None:
    """Run the whole analysis on a saved corpus and print one line per case.

    Exit 1 (partial) when cases were skipped or messages rejected: the rest is still
    analysed and printed, with each problem. Exit 2 when the corpus or settings are wrong.

    Example: replyaudit replay fixtures/corpus --database /tmp/demo.sqlite3
    """
    report = _replay_and_print(corpus, config, database, output, now)
    if report.skipped or report.rejected:
        raise typer.Exit(1)


def _replay_and_print(
    corpus: Path,
    config: Path | None,
    database: Path | None,
    output: Format,
    now: str | None,
) -> Any:
    """Replay a corpus into the store and print its results; the ReplayReport."""
    from replyaudit.replay import replay as run_replay
    from replyaudit.scorecard import load_scorecard

    settings = settings_from(config, database)
    instant = _instant(now)
    scorecard = load_scorecard(settings.rules_dir)
    with open_store(settings) as store:
        report = run_replay(
            corpus,
            store,
            settings.rules_dir,
            policy=settings.timing.policy,
            now=instant,
            progress=_progress_bar("replaying"),
            scorecard=scorecard,
        )
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if output == Format.json:
        typer.echo(
            json.dumps(
                [json.loads(r.model_dump_json()) for r in report.results],
                ensure_ascii=False,
                indent=2,
            )
        )
        # The problems go to stderr, so stdout stays one JSON document.
        for problem in report.skipped:
            typer.echo(f"skipped: {problem}", err=True)
        for problem in report.rejected:
            typer.echo(f"rejected: {problem}", err=True)
    else:
        _print_replay(report, scorecard)
    return report


@app.command()
def calibrate(
    corpus: Annotated[
        Path, typer.Argument(help="Labelled corpus folder with [expected] answers.")
    ],
    config: ConfigOption = None,
    database: Annotated[
        Path | None,
        typer.Option(
            "--database",
            help="Keep the replay in this SQLite file (default: a temporary one).",
        ),
    ] = None,
    output: FormatOption = Format.text,
    min_agreement: Annotated[
        float | None,
        typer.Option(
            "--min-agreement",
            min=0.0,
            max=1.0,
            help="Exit 1 when the overall agreement is below this.",
        ),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(
            help="Analyse as of this ISO instant (default: now); warns when messages come after it."
        ),
    ] = None,
) -> None:
    """Replay a labelled corpus and measure agreement with the approved answers.

    Example: replyaudit calibrate fixtures/corpus --format json --min-agreement 0.98
    """
    from replyaudit.calibrate import calibrate as run_calibrate
    from replyaudit.replay import replay as run_replay
    from replyaudit.report import calibration_lines
    from replyaudit.scorecard import load_scorecard
    from replyaudit.store import Store

    settings = load_settings(config)
    scorecard = load_scorecard(settings.rules_dir)
    with (
        tempfile.TemporaryDirectory(prefix="replyaudit-calibrate-") as tmp,
        Store(database or Path(tmp) / "calibrate.sqlite3") as store,
    ):
        report = run_replay(
            corpus,
            store,
            settings.rules_dir,
            policy=settings.timing.policy,
            now=_instant(now),
            progress=_progress_bar("replaying") if output == Format.text else None,
            scorecard=scorecard,
        )
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    result = run_calibrate(report, scorecard)
    if output == Format.json:
        typer.echo(json.dumps(result.report, ensure_ascii=False, indent=2, default=str))
    else:
        for line in calibration_lines(result.report):
            typer.echo(line)
    if not result.report["overall"]["answers"]:
        typer.echo(
            f"{corpus}: expected cases with [expected] answers to compare, found none "
            f"({len(report.results)} case(s) analysed). Fix: check the corpus layout (FORMAT.md)",
            err=True,
        )
        raise typer.Exit(1)
    incomplete = len(report.skipped) + len(report.rejected)
    if min_agreement is not None and incomplete:
        typer.echo(
            f"calibration incomplete: {len(report.skipped)} problem(s) in skipped cases and "
            f"{len(report.rejected)} rejected message(s); the agreement covers only the rest. "
            "Fix the corpus (see the lines above) before judging --min-agreement",
            err=True,
        )
        raise typer.Exit(1)
    if min_agreement is not None and result.overall_agreement < min_agreement:
        typer.echo(
            f"overall agreement {result.overall_agreement:.3f} is below --min-agreement {min_agreement:.3f}",
            err=True,
        )
        raise typer.Exit(1)


@app.command()
def demo(
    serve: Annotated[
        bool,
        typer.Option("--serve/--no-serve", help="Open the review page afterwards."),
    ] = True,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Where the demo database goes (default: ./data)."),
    ] = None,
) -> None:
    """Replay the bundled corpus into a local SQLite store, print the scorecards, open the review page.

    Example: replyaudit demo --no-serve
    """
    target = (data_dir or Path.cwd() / "data") / "demo.sqlite3"
    corpus = bundled_corpus()
    if not (corpus / "campaign.toml").is_file():
        raise ReplyAuditError(
            f"{corpus}: expected the bundled corpus, found nothing. Fix: run the demo from a source checkout (pip install -e .)"
        )
    typer.echo(f"Replaying the bundled corpus {corpus} into {target}")
    _replay_and_print(corpus, None, target, Format.text, None)
    if serve:
        from replyaudit.web.commands import serve_page

        settings = settings_from(None, target)
        settings.storage.data_dir = (
            target.parent
        )  # the demo keeps its review key beside its database
        serve_page(settings, open_browser=True)


@app.command()
def delay(
    dealer: Annotated[
        str | None, typer.Option(help="Dealer id in the campaign.")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="ISO instant with offset, e.g. 2026-06-07T15:00:00+02:00."
        ),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="ISO instant with offset.")
    ] = None,
    campaign: Annotated[
        Path | None,
        typer.Option(help="Campaign TOML (a corpus's campaign.toml works)."),
    ] = None,
    case: Annotated[
        str | None,
        typer.Option(
            help="A case of the store instead of --from/--to: explains its questions 1 and 8."
        ),
    ] = None,
    config: ConfigOption = None,
    database: DatabaseOption = None,
    output: FormatOption = Format.text,
    policy: Annotated[
        PolicyChoice | None, typer.Option(help="Timing policy (default: the setting).")
    ] = None,
) -> None:
    """Explain how a delay was counted in a dealer's opening hours.

    Example: replyaudit delay --campaign fixtures/corpus/campaign.toml --dealer montverac --from 2026-06-07T15:00:00+02:00 --to 2026-06-08T11:30:00+02:00
    """
    from replyaudit.explain import explain_case, explain_instants

    settings = settings_from(config, database)
    chosen: Policy = settings.timing.policy if policy is None else policy.value  # type: ignore[assignment]
    if case is not None:
        if any(v is not None for v in (start, end, dealer, campaign)):
            raise typer.BadParameter(
                "--case explains a stored case; --from, --to, --dealer and --campaign are for two instants. "
                "Give one or the other"
            )
        path = settings.storage.database_path
        if not path.is_file():
            raise UsageError(
                f"{path}: expected the database holding case {case!r}, found no such file. "
                "Fix: give --database (e.g. data/demo.sqlite3) or run replay/scan first"
            )
        with open_store(settings) as store:
            payload = explain_case(store, case, chosen)
    else:
        payload = explain_instants(
            campaign or settings.campaign, dealer, start, end, chosen
        )
    if output == Format.json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        for item in payload.get("delays", [payload]):
            prefix = f"{item['label']}: " if "label" in item else ""
            typer.echo(prefix + item["explanation"])


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(help="An .eml file.")],
    campaign: Annotated[
        Path | None,
        typer.Option(help="Campaign TOML, to show the match and the checks."),
    ] = None,
    case: Annotated[
        Path | None,
        typer.Option(
            help="A corpus case folder: its case.toml gives the inquiry for the checks."
        ),
    ] = None,
    output: FormatOption = Format.text,
    config: ConfigOption = None,
) -> None:
    """Show how one message was understood: headers, arrival, class, new text, quote, signature.

    The cues and checks come from the settings' rules_dir (--config), else the shipped rules.

    Example: replyaudit inspect fixtures/corpus/cases/c01-montverac-prix-nx/02-reponse-conseiller.eml --campaign fixtures/corpus/campaign.toml
    """
    from replyaudit.explain import inspect_file, inspect_lines

    payload = inspect_file(file, campaign, case, load_settings(config).rules_dir)
    if output == Format.json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        for line in inspect_lines(payload):
            typer.echo(line)


def _instant(text: str | None) -> datetime | None:
    """The --now instant: aware and within the clock's years, else a usage error (exit 2)."""
    from replyaudit.explain import parse_instant

    return None if text is None else parse_instant(text, "--now")


def _progress_bar(label: str):  # type: ignore[no-untyped-def]
    """A progress bar on stderr for long runs on a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        return None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total < 50:
            return
        if "bar" not in state:
            state["bar"] = typer.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(1)
        if done == total:
            state["bar"].__exit__(None, None, None)

    return update


def _register_plugins() -> None:
    from replyaudit.cli_campaigns import register as register_campaigns
    from replyaudit.cli_checks import register as register_checks
    from replyaudit.collector.commands import register as register_collector
    from replyaudit.web.commands import register as register_web

    register_collector(app)
    register_web(app)
    register_checks(app)
    register_campaigns(app)


_register_plugins()


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every replyaudit error into one clear message and its exit code."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="replyaudit")
        if isinstance(result, int) and result:
            sys.exit(result)
    except ReplyAuditError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        # Usage errors. Typer may bundle its own copy of click, so recognise them by shape
        # rather than by class.
        show = getattr(exc, "show", None)
        if callable(show) and isinstance(getattr(exc, "exit_code", None), int):
            show()
            sys.exit(2 if exc.exit_code == 1 else exc.exit_code)  # type: ignore[attr-defined]
        raise

"""The export command: a warning on stderr when nothing was exported."""

from __future__ import annotations

import csv

pytest_plugins = ["test_web_support"]


def test_export_cli_zero_approved_warns_and_still_writes(cli, db, tmp_path):
    """With no approved case the header-only file is written, exit 0, and stderr says why."""
    target = tmp_path / "out.csv"
    code, _, err = cli("export", "--output", target, "--database", db)
    assert code == 0, err
    assert (
        "0 approved case(s) exported; use --all to include cases not yet approved"
        in err
    )
    rows = list(csv.reader(target.open(encoding="utf-8-sig"), delimiter=";"))
    assert len(rows) == 1 and rows[0][0] == "Campagne"


def test_export_cli_with_rows_gives_no_warning(cli, db, tmp_path):
    """With --all every case is written and nothing is printed on stderr."""
    target = tmp_path / "out.csv"
    code, out, err = cli("export", "--all", "--output", target, "--database", db)
    assert code == 0, err
    assert "use --all" not in err
    assert "24 scorecard(s)" in out

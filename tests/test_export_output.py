"""export --output: '-' is standard output for CSV, and a name must match the format."""

from __future__ import annotations

import csv
import io

import pytest

pytest_plugins = ["test_web_support"]


def test_export_csv_to_dash_goes_to_standard_output(cli, db, tmp_path, monkeypatch):
    """-o - writes the CSV on stdout (same bytes as a file), the summary on stderr."""
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("export", "--all", "-o", "-", "--database", db)
    assert code == 0, err
    assert not (tmp_path / "-").exists()
    assert out.startswith("\ufeffCampagne;")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 25
    assert "ok: 24 scorecard(s) written to standard output" in err
    assert "ok:" not in out
    file_code, _, _ = cli("export", "--all", "-o", "file.csv", "--database", db)
    assert file_code == 0
    assert (tmp_path / "file.csv").read_bytes() == out.encode("utf-8")


def test_export_xlsx_to_dash_is_refused(cli, db, tmp_path, monkeypatch):
    """A workbook is binary: -o - is refused for xlsx with the fix, and nothing is written."""
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("export", "--format", "xlsx", "-o", "-", "--database", db)
    assert code == 2
    assert err.startswith("error: --output -: expected a file name")
    assert "Fix: --output scorecards.xlsx" in err
    assert out == "" and not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("fmt", "name", "fix"),
    [
        ("xlsx", "all.csv", "--output all.xlsx, or --format csv"),
        ("xlsx", "all", "--output all.xlsx"),
        ("csv", "all.xlsx", "--output all.csv, or --format xlsx"),
        ("csv", "all.ODS", "--output all.csv"),
    ],
)
def test_export_output_name_that_contradicts_the_format_is_refused(
    cli, db, tmp_path, fmt, name, fix
):
    """--format xlsx -o all.csv no longer writes a workbook under a .csv name."""
    target = tmp_path / name
    code, _, err = cli(
        "export", "--format", fmt, "-o", target, "--all", "--database", db
    )
    assert code == 2
    assert err.startswith(f"error: --output {target}: expected a name ending in .{fmt}")
    assert f"Fix: {fix}".replace("all.", f"{tmp_path}/all.") in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("xlsx", "ALL.XLSX"), ("csv", "all.CSV"), ("csv", "all.txt"), ("csv", "all")],
)
def test_export_output_name_that_fits_the_format_is_written(
    cli, db, tmp_path, fmt, name
):
    """The right extension in any case, and for CSV a text or bare name, are accepted."""
    target = tmp_path / name
    code, _, err = cli(
        "export", "--format", fmt, "-o", target, "--all", "--database", db
    )
    assert code == 0, err
    assert target.stat().st_size > 0

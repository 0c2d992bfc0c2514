"""`python -m replyaudit` runs the same command line as the installed script."""

import subprocess
import sys


def test_python_dash_m_replyaudit_runs_the_cli_and_its_exit_codes():
    shown = subprocess.run(
        [sys.executable, "-m", "replyaudit", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0 and "replay" in shown.stdout

    refused = subprocess.run(
        [sys.executable, "-m", "replyaudit", "config", "check", "/no/such.toml"],
        capture_output=True,
        check=False,
        text=True,
    )
    assert refused.returncode == 2 and "error:" in refused.stderr

"""The command line: version, help, exit codes."""

from __future__ import annotations

from conftest import MINI, ROOT, run_factsite

from factsite import __version__


def test_version():
    result = run_factsite("--version", cwd=ROOT)
    assert result.returncode == 0
    assert result.stdout.strip() == f"factsite, version {__version__}"


def test_help_lists_the_commands():
    result = run_factsite("-h", cwd=ROOT)
    assert result.returncode == 0
    for command in ["check", "build", "serve"]:
        assert f"  {command} " in result.stdout


def test_a_usage_error_exits_2():
    result = run_factsite("check", "--no-such-option", cwd=ROOT)
    assert result.returncode == 2
    assert "Error: No such option '--no-such-option'." in result.stderr


def test_check_passes_on_good_data():
    result = run_factsite("check", "--data", str(MINI / "data"), "--texts", str(MINI / "texts"), cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stderr.strip().endswith("8 entities, no errors; quotes verified against article.")

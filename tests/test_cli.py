"""The command line: version, help, exit codes."""

from __future__ import annotations

import re
import shutil

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
    assert result.stderr.strip().endswith(
        "8 entities, no errors; quotes verified against article (matching the archived text of article).")
    without_texts = run_factsite("check", "--data", str(MINI / "data"), cwd=ROOT)
    assert without_texts.stderr.strip().endswith("8 entities, no errors; quotes verified against article.")


STAGES = r"load \d+\.\d{3} s, validate \d+\.\d{3} s, enrich \d+\.\d{3} s, render \d+\.\d{3} s, write \d+\.\d{3} s"


def test_generate_verbose_prints_the_time_of_each_stage(tmp_path):
    result = run_factsite("generate", "-v", "--data", str(MINI / "data"), "--docs-dir", str(tmp_path / "docs"),
                          cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert re.search(rf"^Stages: {STAGES}$", result.stderr, re.MULTILINE), result.stderr


def test_build_verbose_shows_mkdocs_progress_and_the_stage_times(mini_site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(mini_site, project, symlinks=True)
    quiet = run_factsite("build", cwd=project)
    assert quiet.returncode == 0, quiet.stderr
    assert "INFO" not in quiet.stderr
    verbose = run_factsite("build", "-v", cwd=project)
    assert verbose.returncode == 0, verbose.stderr
    assert re.search(rf"^INFO    -  factsite: \d+ pages, 0 written, 0 removed; stages: {STAGES}$", verbose.stderr,
                     re.MULTILINE), verbose.stderr
    assert re.search(r"^INFO    -  Documentation built in [\d.]+ seconds$", verbose.stderr, re.MULTILINE)

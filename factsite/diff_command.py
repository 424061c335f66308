"""`factsite diff` as a command: compare, print the report, and say why when nothing can be compared.

Exit status: 0 once compared (changes or not), 1 when either side's data has errors (or the work
tree's templates do not render), 2 when there
is no commit to compare with (no git, no repository, no such REF).
"""

from __future__ import annotations

from pathlib import Path

import click
import jinja2

from factsite import diff_report
from factsite.diff import BaseDataError, compare_with_commit
from factsite.gitref import GitError
from factsite.problems import DataError, count_line


def run_diff(ref: str | None, data_dir: Path, output_format: str) -> int:
    try:
        comparison = compare_with_commit(data_dir, ref)
    except GitError as error:
        click.echo(f"Error: {error}", err=True)
        return 2
    except BaseDataError as error:
        if output_format == "github":
            click.echo(diff_report.base_errors(error.base, error.problems, "github"), nl=False)
        click.echo(diff_report.base_errors(error.base, error.problems, "text"), err=True, nl=False)
        return 1
    except DataError as error:
        if output_format == "github":
            click.echo(diff_report.work_tree_errors(error.problems), nl=False)
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(count_line(len(error.problems), outcome="fix {them} (factsite check) and compare again"), err=True)
        return 1
    except jinja2.TemplateError as error:
        where = f"{error.filename}:{error.lineno}: " if getattr(error, "filename", None) else ""
        click.echo(f"Error: {where}the templates do not render: {error.message}", err=True)
        return 1
    report = diff_report.github if output_format == "github" else diff_report.text
    click.echo(report(comparison), nl=False)
    return 0

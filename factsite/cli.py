"""The `factsite` command: check the data, build the site, preview it."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import click

from factsite import __version__
from factsite.problems import count_line

DATA = click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
                    default=Path("data"),
                    show_default=True, help="The folder of YAML fact files.")
TEXTS = click.option("--texts", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
                     help="A folder of archived source texts (<source-id>.txt, or a source's `archived_text`): "
                          "verify every quote against the paragraph it cites.")
CONFIG = click.option("--config-file", "-f", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                      default=Path("mkdocs.yml"), show_default=True, help="The MkDocs configuration.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="factsite")
def cli() -> None:
    """Build the factsite reference site from the YAML fact files in data/."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@cli.command()
@DATA
@TEXTS
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="`github` prints GitHub Actions annotations, so a pull request shows each error on its line.")
def check(data_dir: Path, texts: Path | None, output_format: str) -> None:
    """Check every data file; print each problem as path:line:col: field: problem (hint)."""
    from factsite.pipeline import check as check_data

    checked = check_data(data_dir, texts)
    for problem in checked.problems:
        click.echo(problem.github() if output_format == "github" else str(problem))
    if checked.problems:
        click.echo(count_line(len(checked.problems), outcome="fix them and run the check again"), err=True)
        sys.exit(1)
    entities = len(checked.validated.model.entities)
    quotes = f"; quotes verified against {', '.join(checked.quotes_checked)}" if checked.quotes_checked else ""
    click.echo(f"{data_dir}: {entities} entities, no errors{quotes}.", err=True)


@cli.command()
@DATA
@TEXTS
@CONFIG
@click.option("--site-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="Where the built site goes; replaced only when the whole build succeeds.")
def build(data_dir: Path, texts: Path | None, config_file: Path, site_dir: Path) -> None:
    """Check the data, write the pages and build the site with `mkdocs build --strict`."""
    from factsite.site import build_site

    _use_inputs(data_dir, texts)
    build_site(config_file, site_dir)
    click.echo(f"Built the site into {site_dir}/", err=True)


@cli.command()
@DATA
@CONFIG
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(data_dir: Path, config_file: Path, dev_addr: str) -> None:
    """Preview the site, rebuilding when data/, templates/ or docs/ change."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _use_inputs(data_dir, None)
    _show_mkdocs_log()
    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


@cli.command()
@DATA
@TEXTS
@click.option("--docs-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("docs"), show_default=True,
              help="The docs folder the pages are written into.")
def generate(data_dir: Path, texts: Path | None, docs_dir: Path) -> None:
    """Check the data and write the pages into docs/, without building: for engines that ignore MkDocs hooks."""
    from factsite.pipeline import generate as generate_pages
    from factsite.problems import DataError
    from factsite.write import WriteError

    try:
        generated = generate_pages(data_dir, docs_dir, texts=texts)
    except DataError as error:
        for problem in error.problems:
            click.echo(str(problem))
        click.echo(count_line(len(error.problems)), err=True)
        sys.exit(1)
    except WriteError as error:
        raise click.ClickException(str(error)) from None
    report = generated.report
    click.echo(f"{docs_dir}/: {len(generated.pages)} files, {len(report.written)} written, "
               f"{len(report.removed)} removed.", err=True)


@cli.command()
@DATA
@TEXTS
@click.option("--config-file", "-f", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=Path("mkdocs.offline.yml"), show_default=True, help="The offline build's MkDocs configuration.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=Path("dist/factsite-offline.zip"),
              show_default=True, help="The archive to write.")
def bundle(data_dir: Path, texts: Path | None, config_file: Path, output: Path) -> None:
    """Build the offline bundle: one zip that works from file:// with no network, search included."""
    from factsite.bundle import build_bundle

    _use_inputs(data_dir, texts)
    archive = build_bundle(config_file, output, data_dir=data_dir)
    click.echo(f"Wrote {archive} ({archive.stat().st_size:,} bytes)", err=True)


def _use_inputs(data_dir: Path, texts: Path | None) -> None:
    """The hook reads these, so that MkDocs runs the generator on the same data."""
    os.environ["FACTSITE_DATA"] = str(data_dir.resolve())
    if texts is not None:
        os.environ["FACTSITE_TEXTS"] = str(texts.resolve())


def _show_mkdocs_log() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def main() -> None:
    cli(prog_name="factsite")

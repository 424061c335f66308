"""The `factsite` command: check the data, build the site, preview it."""

from __future__ import annotations

import logging
import os
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
                          "also check that each still matches the repository's verification data.")
ALLOW_EMPTY = click.option("--allow-empty", is_flag=True,
                           help="Accept a data folder with no entities (else an error: a mistyped --data folder "
                                "would remove every generated page).")
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
@ALLOW_EMPTY
def check(data_dir: Path, texts: Path | None, output_format: str, allow_empty: bool) -> None:
    """Check every data file; print each problem as path:line:col: field: problem (hint)."""
    from factsite.pipeline import check as check_data

    checked = check_data(data_dir, texts)
    for problem in checked.problems:
        click.echo(problem.github() if output_format == "github" else str(problem))
    if checked.problems:
        click.echo(count_line(len(checked.problems), outcome="fix {them} and run the check again"), err=True)
        sys.exit(1)
    entities = len(checked.validated.model.entities)
    if not entities and not allow_empty:  # a mistyped --data folder is no clean bill of health
        click.echo(f"Error: {data_dir}/: no entity files found (no YAML file in a kind's folder such as groups/ "
                   "or states/); is --data the right folder? (--allow-empty accepts a folder with none)", err=True)
        sys.exit(1)
    quotes = f"; quotes verified against {', '.join(checked.quotes_checked)}" if checked.quotes_checked else ""
    if checked.texts_compared:
        quotes += f" (matching the archived text of {', '.join(checked.texts_compared)})"
    click.echo(f"{data_dir}: {entities} entities, no errors{quotes}.", err=True)


@cli.command()
@DATA
@TEXTS
@CONFIG
@click.option("--site-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="Where the built site goes; replaced only when the whole build succeeds.")
@ALLOW_EMPTY
@click.option("--verbose", "-v", is_flag=True, help="Also print MkDocs' progress and the time of each generator stage.")
def build(data_dir: Path, texts: Path | None, config_file: Path, site_dir: Path, allow_empty: bool,
          verbose: bool) -> None:
    """Check the data, write the pages and build the site with `mkdocs build --strict`."""
    from factsite.folders import config_folders, site_dir_problem

    root, docs, templates = config_folders(config_file)
    problem = site_dir_problem(site_dir, root=root, data=data_dir, docs=docs, templates=templates)
    if problem:
        raise click.BadParameter(f"{site_dir}: {problem}", param_hint="'--site-dir'")
    _build_site(config_file, site_dir, _inputs(data_dir, texts, allow_empty),
                log_level=logging.INFO if verbose else logging.WARNING)
    click.echo(f"Built the site into {site_dir}/", err=True)


def _build_site(config_file: Path, site_dir: Path, inputs, log_level: int) -> None:
    from factsite.journal import JournalError
    from factsite.site import SiteError, build_site

    try:
        build_site(config_file, site_dir, log_level=log_level, inputs=inputs)
    except (SiteError, JournalError) as error:
        raise click.ClickException(str(error)) from None


@cli.command()
@DATA
@CONFIG
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Address to serve on.")
@ALLOW_EMPTY
def serve(data_dir: Path, config_file: Path, dev_addr: str, allow_empty: bool) -> None:
    """Preview the site, rebuilding when data/, templates/ or docs/ change."""
    from factsite.serve import ServeError, serve_site

    try:
        serve_site(config_file, dev_addr, _inputs(data_dir, None, allow_empty))
    except ServeError as error:
        raise click.ClickException(str(error)) from None


@cli.command()
@DATA
@TEXTS
@click.option("--docs-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("docs"), show_default=True,
              help="The docs folder the pages are written into.")
@ALLOW_EMPTY
@click.option("--repair-manifest", is_flag=True,
              help="Rebuild an invalid docs/.factsite-manifest.json: keep its valid entries, claim the pages this "
                   "run generates, drop the rest (deleting nothing they name).")
@click.option("--verbose", "-v", is_flag=True, help="Also print the time of each stage.")
def generate(data_dir: Path, texts: Path | None, docs_dir: Path, allow_empty: bool, repair_manifest: bool,
             verbose: bool) -> None:
    """Check the data and write the pages into docs/, without building: for engines that ignore MkDocs plugins."""
    from factsite.folders import docs_dir_problem
    from factsite.journal import JournalError
    from factsite.pipeline import NoEntities, stage_times
    from factsite.pipeline import generate as generate_pages
    from factsite.problems import DataError
    from factsite.render import TEMPLATES
    from factsite.signals import terminate_as_interrupt
    from factsite.write import WriteError

    problem = docs_dir_problem(docs_dir, root=Path.cwd(), data=data_dir, templates=[TEMPLATES, Path("templates")])
    if problem:
        raise click.BadParameter(f"{docs_dir}: {problem}", param_hint="'--docs-dir'")
    terminate_as_interrupt()
    try:
        generated = generate_pages(data_dir, docs_dir, texts=texts, allow_empty=allow_empty,
                                   repair_manifest=repair_manifest)
    except DataError as error:
        for problem in error.problems:
            click.echo(str(problem))
        click.echo(count_line(len(error.problems)), err=True)
        sys.exit(1)
    except (WriteError, NoEntities, JournalError) as error:
        raise click.ClickException(str(error)) from None
    report = generated.report
    for line in report.dropped:
        click.echo(f"{docs_dir}/.factsite-manifest.json: dropped {line}", err=True)
    click.echo(f"{docs_dir}/: {len(generated.pages)} files, {len(report.written)} written, "
               f"{len(report.removed)} removed.", err=True)
    if verbose:
        click.echo(f"Stages: {stage_times(generated.timings)}", err=True)


@cli.command()
@DATA
@TEXTS
@click.option("--config-file", "-f", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=Path("mkdocs.offline.yml"), show_default=True, help="The offline build's MkDocs configuration.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=Path("dist/factsite-offline.zip"),
              show_default=True, help="The archive to write.")
@ALLOW_EMPTY
def bundle(data_dir: Path, texts: Path | None, config_file: Path, output: Path, allow_empty: bool) -> None:
    """Build the offline bundle: one zip that works from file:// with no network, search included."""
    from factsite.bundle import build_bundle, built_site_dir
    from factsite.folders import archive_problem, config_folders, site_dir_problem
    from factsite.journal import JournalError
    from factsite.site import SiteError

    root, docs, templates = config_folders(config_file)
    built = built_site_dir(config_file)
    problem = site_dir_problem(built, root=root, data=data_dir, docs=docs, templates=templates)
    if problem:
        raise click.BadParameter(f"its site_dir {built}: {problem}", param_hint="'--config-file'")
    problem = archive_problem(output, data=data_dir, docs=docs, templates=templates, site=built)
    if problem:
        raise click.BadParameter(f"{output}: {problem}", param_hint="'--output'")
    try:
        archive = build_bundle(config_file, output, inputs=_inputs(data_dir, texts, allow_empty))
    except (SiteError, JournalError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {archive} ({archive.stat().st_size:,} bytes)", err=True)


@cli.command("new")
@click.argument("kind", metavar="KIND", callback=lambda ctx, param, value: _kind_folder(value))
@click.argument("name")
@DATA
@click.option("--id", "entity_id", default=None, help="The id (and file name), when it should not be the slug of NAME.")
def new(kind: str, name: str, data_dir: Path, entity_id: str | None) -> None:
    """Start data/KIND/<id>.yaml for NAME, with every required field empty for you to fill in.

    KIND is a folder (groups, states, organizations, places, events, sources) or its singular. The id is
    NAME as a slug ("Haqqani Network" -> haqqani-network). Never overwrites; refuses an id any kind uses.
    """
    from factsite.scaffold import ScaffoldError, new_entity

    try:
        path = new_entity(data_dir, kind, name, entity_id)
    except ScaffoldError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Wrote {path}: fill in every empty value, then run `factsite check`.", err=True)


@cli.group("source")
def source() -> None:
    """Add a source: its YAML and the data that verifies quotes from it."""


@source.command("add")
@click.argument("text_file", metavar="TEXTFILE", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--id", "source_id", required=True, help="The source's id (and file name), a lower-case slug.")
@click.option("--title", default="", help="Its title, as the document gives it (needed for a new source).")
@click.option("--publisher", default="", help="Who published it.")
@click.option("--date", default="", help="When it was published: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--url", default="", help="Where it can be read online.")
@click.option("--licence", type=click.Choice(["copyrighted", "public-domain"]), default="copyrighted",
              show_default=True, help="public-domain keeps the whole text in data/sources/<id>.txt.")
@click.option("--preamble-lines", type=click.IntRange(min=0), default=0, show_default=True,
              help="Non-empty lines before paragraph 1 (headline, byline, date line).")
@DATA
def source_add(text_file: Path, source_id: str, title: str, publisher: str, date: str, url: str, licence: str,
               preamble_lines: int, data_dir: Path) -> None:
    """Write data/sources/<id>.yaml and the quote verification data from TEXTFILE, one paragraph a line."""
    from factsite.source_add import NewSource, SourceAddError, add_source

    new = NewSource(text_file, source_id, title, publisher, date, url, licence, preamble_lines)
    try:
        report = add_source(data_dir, new)
    except SourceAddError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    for line in report:
        click.echo(line, err=True)


@cli.command("schema")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("docs/schema"),
              show_default=True, help="The folder of JSON Schema files (published with the site).")
@CONFIG
@DATA
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 if the files differ from what factsite/schema.py and the data make.")
def schema(out: Path, config_file: Path, data_dir: Path, check_only: bool) -> None:
    """Write the JSON Schema of every kind (and the glossary) from the schema the checker uses and the data's ids."""
    from factsite import schema_files
    from factsite.known import known_in

    site_url, known = _site_url(config_file), known_in(data_dir)
    if check_only:
        drift = schema_files.drift(out, site_url, known)
        for line in drift:
            click.echo(line)
        if drift:
            click.echo(f"{len(drift)} schema file{'s' if len(drift) != 1 else ''} out of date; "
                       "run `factsite schema` and commit the result.", err=True)
            sys.exit(1)
        click.echo(f"{out}/: the JSON Schema files match factsite/schema.py and the data.", err=True)
        return
    written = schema_files.write(out, site_url, known)
    click.echo(f"{out}/: {len(schema_files.texts(site_url, known))} schema files, {len(written)} written.", err=True)


@cli.command("diff")
@click.argument("ref", required=False)
@DATA
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="`github` writes Markdown for a pull request's job summary ($GITHUB_STEP_SUMMARY).")
def diff(ref: str | None, data_dir: Path, output_format: str) -> None:
    """Show what the work tree changes on the site against REF: pages (with their diffs), downloads, search entries.

    REF is a branch, tag or commit; without it, the merge base of HEAD and main (else origin/main, else
    HEAD). Both sides are generated in memory from data/ and templates/; nothing is written.
    """
    from factsite.diff_command import run_diff

    sys.exit(run_diff(ref, data_dir, output_format))


def _kind_folder(word: str) -> str:
    from factsite.scaffold import ScaffoldError, kind_named

    try:
        return kind_named(word).folder
    except ScaffoldError as error:
        raise click.BadParameter(str(error)) from None


def _site_url(config_file: Path) -> str:
    """mkdocs.yml's site_url, read as a line (the file may hold tags that a safe YAML load refuses)."""
    import re

    match = re.search(r"^site_url:\s*(\S+)\s*$", config_file.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1) if match else ""


def _inputs(data_dir: Path, texts: Path | None, allow_empty: bool):
    """What the factsite plugin generates from in this command's MkDocs builds; and from here on SIGTERM
    undoes a run's changes as Ctrl-C does."""
    from factsite.plugin import Inputs
    from factsite.signals import terminate_as_interrupt

    terminate_as_interrupt()
    return Inputs(data_dir.resolve(), texts.resolve() if texts is not None else None, allow_empty)


def main() -> None:
    cli(prog_name="factsite")

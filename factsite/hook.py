"""The MkDocs hook: run the generator before every build, and make `mkdocs serve` watch its inputs.

mkdocs.yml names this file under `hooks:`. Engines that ignore hooks (Zensical) build the same
docs tree once `factsite generate` (or `factsite build`) has written it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.utils import CountHandler

from factsite import cards, run, serve_watch
from factsite.journal import JournalError
from factsite.pipeline import NoEntities, generate, stage_times
from factsite.problems import DataError, count_line
from factsite.render import TEMPLATES
from factsite.write import WriteError

log = logging.getLogger("mkdocs.hooks.factsite")

_edit_urls: dict[str, str] = {}


def data_dir(config) -> Path:
    return Path(os.environ.get("FACTSITE_DATA") or Path(config.config_file_path).parent / "data")


def texts_dir() -> Path | None:
    return Path(os.environ["FACTSITE_TEXTS"]) if os.environ.get("FACTSITE_TEXTS") else None


def allow_empty() -> bool:
    return os.environ.get("FACTSITE_ALLOW_EMPTY") == "1"


def on_pre_build(config) -> None:
    """Generate the pages within a run: `factsite build`'s, which it commits once the site is built, or
    one of the hook's own (plain `mkdocs build`, each `mkdocs serve` rebuild), committed after the build."""
    docs = Path(config.docs_dir)
    try:
        if run.active(docs) is None:
            _own_runs.append(run.begin(docs, owner="hook"))
        generated = generate(data_dir(config), docs, texts=texts_dir(), allow_empty=allow_empty())
    except DataError as error:
        for problem in error.problems:
            log.error(str(problem))
        raise Abort("factsite: " + count_line(len(error.problems), outcome="the site was not built")) from None
    except (WriteError, NoEntities, JournalError) as error:
        raise Abort(f"factsite: {error}") from None
    serve_watch.OURS.update(generated.pages, generated.report.removed)
    report = generated.report
    log.info(f"factsite: {len(generated.pages)} pages, {len(report.written)} written, {len(report.removed)} removed; "
             f"stages: {stage_times(generated.timings)}")
    _edit_urls.clear()
    if config.repo_url:
        base = config.repo_url.rstrip("/") + "/edit/main/"
        _edit_urls.update((page, base + source) for page, source in edit_sources(generated.graph).items())


_own_runs: list[run.Run] = []


def on_post_build(config) -> None:
    """Commit the hook's own run, unless strict mode is about to fail the build for its warnings."""
    if _own_runs and not (config.strict and _strict_warnings()):
        _own_runs.pop().commit()


def on_build_error(error) -> None:
    if _own_runs:
        _own_runs.pop().roll_back()


def on_shutdown() -> None:
    while _own_runs:  # `mkdocs serve` stopped during a build
        _own_runs.pop().roll_back()


def _strict_warnings() -> bool:
    return any(isinstance(handler, CountHandler) and handler.get_counts()
               for handler in logging.getLogger("mkdocs").handlers)


def edit_sources(graph) -> dict[str, str]:
    """For each generated page, the file a contributor edits to change it: its YAML, else its template."""
    sources = {"index.md": "templates/home.md.j2", "timeline.md": "templates/timeline.md.j2",
               "who-says-what.md": "templates/who_says_what.md.j2",
               "glossary.md": "data/glossary.yaml", "data/index.md": "templates/data.md.j2",
               "reference.md": "factsite/schema.py"}
    sources.update((index.page, "templates/kind_index.md.j2") for index in graph.kinds)
    sources.update((view.page, view.data_file) for view in graph.entities.values())
    return sources


def on_page_context(context, page, config, nav):
    """A generated page's edit button opens its YAML file (or template), not the generated Markdown."""
    edit_url = _edit_urls.get(page.file.src_uri)
    if edit_url:
        page.edit_url = edit_url
    return context


def on_page_content(html, page, config, files):
    """Footnotes repeat each cited quote: keep them out of the search index (Material skips
    elements marked data-search-exclude), so the index holds each statement once. Table cells
    carry their column's heading, for the stacked layout on narrow screens."""
    html = cards.label_cells(html)
    return html.replace('<div class="footnote">', '<div class="footnote" data-search-exclude>', 1)


def on_post_page(output, page, config):
    """Name Material's search dialog for assistive technology (axe: aria-dialog-name)."""
    return output.replace('<div class="md-search" data-md-component="search" role="dialog">',
                          '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">', 1)


def on_serve(server, config, builder):
    server.watch(str(data_dir(config)))
    server.watch(str(TEMPLATES))
    serve_watch.watch_hand_written_docs(server, Path(config.docs_dir))
    return server

"""The MkDocs hook: run the generator before every build, and make `mkdocs serve` watch its inputs.

mkdocs.yml names this file under `hooks:`. Engines that ignore hooks (Zensical) build the same
docs tree once `factsite generate` (or `factsite build`) has written it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.utils import CountHandler

from factsite import cards, run, search_index, search_prebuilt, search_worker, serve_incremental, serve_watch
from factsite.pages import edit_sources
from factsite.journal import JournalError
from factsite.pipeline import NoEntities, generate, stage_times
from factsite.problems import DataError, count_line
from factsite.render import TEMPLATES
from factsite.write import WriteError

log = logging.getLogger("mkdocs.hooks.factsite")
OWNER = "hook"  # the runs (factsite/run.py) the hook begins itself, for a plain `mkdocs build` or `serve`


@dataclass
class ThisBuild:
    """What one build's events hand on to its later ones. MkDocs passes every event of a build the same
    config object, and loads a new one for each build (each `mkdocs serve` rebuild too): this lives on
    it, so nothing of one build stays in this module for the next."""

    edit_urls: dict[str, str] = field(default_factory=dict)  # page -> the address of its edit source
    files: object = None  # MkDocs' files of this build
    search_pages: search_index.Pages = field(default_factory=search_index.Pages)  # how each page is indexed


def this_build(config) -> ThisBuild:
    return vars(config).setdefault("_factsite_build", ThisBuild())


def data_dir(config) -> Path:
    return Path(os.environ.get("FACTSITE_DATA") or Path(config.config_file_path).parent / "data")


def texts_dir() -> Path | None:
    return Path(os.environ["FACTSITE_TEXTS"]) if os.environ.get("FACTSITE_TEXTS") else None


def allow_empty() -> bool:
    return os.environ.get("FACTSITE_ALLOW_EMPTY") == "1"


def on_startup(command, dirty):
    """`FACTSITE_PREVIEW=full` keeps the former preview: everything regenerated and rebuilt on each edit."""
    if command == "serve" and os.environ.get("FACTSITE_PREVIEW") != "full":
        serve_incremental.start_serving()


def on_pre_build(config) -> None:
    """Generate the pages within a run: `factsite build`'s, which it commits once the site is built, or
    one of the hook's own (plain `mkdocs build`, each `mkdocs serve` rebuild), committed after the build.
    Under `mkdocs serve` the generator is the incremental preview, and bad data shows in the browser."""
    docs = Path(config.docs_dir)
    serve_incremental.build_started()
    session = serve_incremental.session()
    try:
        if run.active(docs) is None:
            run.begin(docs, owner=OWNER)
        generated = _generate(config, docs)
    except DataError as error:
        for problem in error.problems:
            log.error(str(problem))
        if session is not None:
            session.errors[:] = [str(problem) for problem in error.problems]
            return
        raise Abort("factsite: " + count_line(len(error.problems), outcome="the site was not built")) from None
    except (WriteError, NoEntities, JournalError) as error:
        raise Abort(f"factsite: {error}") from None
    if session is not None:
        session.errors.clear()
        session.generated = generated
        serve_incremental.rebuild_all_if_needed(config, full_render=_preview(session, config, docs).last_render == "full")
    serve_watch.OURS.update(generated.pages, generated.report.removed)
    if session is not None:  # an edit build may stop after this and leave the deleting to a MkDocs build
        session.removed += generated.report.removed
    build = this_build(config)
    report = generated.report
    log.info(f"factsite: {len(generated.pages)} pages, {len(report.written)} written, {len(report.removed)} removed; "
             f"stages: {stage_times(generated.timings)}")
    build.search_pages = search_index.Pages.of(generated.graph)
    base = edit_base(config)
    if base:
        sources = _preview(session, config, docs).edit_sources() if session is not None else edit_sources(generated.graph)
        build.edit_urls = {page: base + source for page, source in sources.items()}


def _generate(config, docs: Path):
    session = serve_incremental.session()
    if session is not None:
        return _preview(session, config, docs).update()
    return generate(data_dir(config), docs, texts=texts_dir(), allow_empty=allow_empty())


def _preview(session, config, docs: Path):
    return session.preview(data_dir(config), docs, texts=texts_dir(), allow_empty=allow_empty())


def edit_base(config) -> str:
    """The address an edit source (a path from the project folder) is appended to: the repository's
    `edit_uri` up to, not including, the docs folder it points into."""
    if not config.repo_url or not config.edit_uri:
        return ""
    edit_uri = config.edit_uri.strip("/") + "/"
    docs = os.path.relpath(config.docs_dir, Path(config.config_file_path).parent).replace(os.sep, "/") + "/"
    if edit_uri.endswith("/" + docs):
        edit_uri = edit_uri[: -len(docs)]
    return config.repo_url.rstrip("/") + "/" + edit_uri


@event_priority(50)  # before the search plugin writes its index
def on_post_build(config) -> None:
    """Commit the hook's own run, unless strict mode is about to fail the build for its warnings."""
    build = this_build(config)
    if serve_incremental.serving():
        serve_incremental.complete_search_index(config, build.files)
        session = serve_incremental.session()
        serve_incremental.remove_from_site(config.site_dir, session.removed)
        session.removed.clear()
        serve_incremental.remember_build(config, files=build.files)
    search_index.trim(config, build.search_pages)
    search_prebuilt.write(config, enabled=not serve_incremental.serving())  # the preview's rebuilds skip it
    own = run.active(Path(config.docs_dir))
    if own is not None and own.owner == OWNER and not (config.strict and _strict_warnings()):
        own.commit()


def on_build_error(error) -> None:
    for own in run.owned_by(OWNER):
        own.roll_back()


def on_shutdown() -> None:
    serve_incremental.stop_serving()
    for own in run.owned_by(OWNER):  # `mkdocs serve` stopped during a build
        own.roll_back()


def _strict_warnings() -> bool:
    return any(isinstance(handler, CountHandler) and handler.get_counts()
               for handler in logging.getLogger("mkdocs").handlers)


def on_page_context(context, page, config, nav):
    """A generated page's edit button opens its YAML file (or template), not the generated Markdown."""
    edit_url = this_build(config).edit_urls.get(page.file.src_uri)
    if edit_url:
        page.edit_url = edit_url
    if serve_incremental.serving():
        serve_incremental.page_indexed(page, config)
    return context


def on_files(files, config):
    this_build(config).files = files
    return files


@event_priority(-100)  # after every other plugin's changes: what the edit builds reuse
def on_nav(nav, config, files):
    serve_incremental.remember_build(config, nav=nav)
    return nav


@event_priority(-100)
def on_env(env, config, files):
    env.globals["factsite_search_worker"] = search_worker.material_search_worker()  # templates/theme/main.html
    serve_incremental.remember_build(config, env=env)
    return env


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
    if serve_incremental.serving():
        serve_incremental.rebuild_dirty()
        serve_incremental.show_errors(server)
        serve_incremental.edit_builds_first(server)
        serve_watch.watch_with_file_events(server)
    return server

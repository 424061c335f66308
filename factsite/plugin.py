"""The MkDocs plugin `factsite` (mkdocs.yml lists it under `plugins:`): run the generator before every
build, and make `mkdocs serve` an incremental preview that watches the data and templates.

Its options say where the inputs are; `factsite build`, `serve` and `bundle` pass their own
`--data`, `--texts` and `--allow-empty` to the plugin object instead (`use`). MkDocs keeps a plugin
that has `on_startup` for the whole of a `mkdocs serve`, across the configurations it loads for
each rebuild: one serve's state lives on it, from `on_startup` to `on_shutdown`, and each build's
on that build's config (ThisBuild). Engines that ignore plugins (Zensical) build the same docs tree
once `factsite generate` (or `factsite build`) has written it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as option
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils import CountHandler

from factsite import (cards, run, search_index, search_prebuilt, search_worker, serve_incremental, serve_requests,
                      serve_session, serve_watch)
from factsite.pages import edit_sources
from factsite.journal import JournalError
from factsite.pipeline import NoEntities, generate, stage_times
from factsite.problems import DataError, count_line
from factsite.render import TEMPLATES
from factsite.write import WriteError

log = logging.getLogger("mkdocs.plugins.factsite")
NAME = "factsite"  # the plugin's name in mkdocs.yml and its entry point (pyproject.toml)
OWNER = "plugin"  # the runs (factsite/run.py) the plugin begins itself, for a plain `mkdocs build` or `serve`


class Options(base.Config):
    # (`data` would shadow the mapping's own attribute of that name)
    data_dir = option.Type(str, default="data")  # the fact files, from mkdocs.yml's folder
    texts_dir = option.Optional(option.Type(str))  # archived source texts for quote verification (`factsite check --texts`)
    allow_empty = option.Type(bool, default=False)  # build a site from a data folder with no entity


@dataclass(frozen=True)
class Inputs:
    """What the generator reads: the data folder, the source texts' folder, whether no entity is allowed."""
    data: Path
    texts: Path | None = None
    allow_empty: bool = False


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


def plugin_of(config) -> "FactsitePlugin | None":
    found = config.plugins.get(NAME)
    return found if isinstance(found, FactsitePlugin) else None


class PluginMissing(Exception):
    pass


def required_plugin(config, config_file: Path) -> "FactsitePlugin":
    found = plugin_of(config)
    if found is None:
        raise PluginMissing(f"{config_file}: the {NAME} plugin is missing from plugins:, so no page would be "
                            f"generated; add `- {NAME}` to its list")
    return found


def data_dir(config) -> Path:
    """The data folder this build generates from (the edition hook dates the edition by it)."""
    found = plugin_of(config)
    return found.inputs(config).data if found is not None else Path(config.config_file_path).parent / "data"


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



class FactsitePlugin(BasePlugin[Options]):
    def __init__(self) -> None:
        self.given: Inputs | None = None  # the factsite command's, until on_shutdown
        self.session: serve_session.Session | None = None  # this `mkdocs serve`'s incremental preview
        self.owned: set[str] = set()  # pages of docs/ the generator owned or wrote during this serve

    def use(self, inputs: Inputs) -> None:
        """The factsite command's inputs, for every build until on_shutdown (mkdocs.yml's options otherwise)."""
        self.given = inputs

    def inputs(self, config) -> Inputs:
        if self.given is not None:
            return self.given
        project = Path(config.config_file_path).parent
        texts = self.config.texts_dir
        return Inputs(project / self.config.data_dir, project / texts if texts else None, self.config.allow_empty)

    def on_startup(self, command, dirty) -> None:
        """`FACTSITE_PREVIEW=full` keeps the former preview: everything regenerated and rebuilt on each edit."""
        self.owned = set()
        if command == "serve" and os.environ.get("FACTSITE_PREVIEW") != "full":
            self.session = serve_session.Session()
            self.session.start()

    def on_shutdown(self) -> None:
        if self.session is not None:
            self.session.stop()
            serve_incremental.restore_full_builds()
        self.session = None
        self.given = None
        self.owned = set()
        for own in run.owned_by(OWNER):  # `mkdocs serve` stopped during a build
            own.roll_back()

    def on_pre_build(self, config) -> None:
        """Generate the pages within a run: `factsite build`'s, which it commits once the site is built, or
        one of the plugin's own (plain `mkdocs build`, each `mkdocs serve` rebuild), committed after the
        build. Under `mkdocs serve` the generator is the incremental preview, and bad data shows in the browser."""
        docs = Path(config.docs_dir)
        session = self.session
        if session is not None:
            session.build_started()
        try:
            if run.active(docs) is None:
                run.begin(docs, owner=OWNER)
            generated = self._generate(config, docs)
        except DataError as error:
            for problem in error.problems:
                log.error(str(problem))
            if session is not None:
                session.errors[:] = [str(problem) for problem in error.problems]
                return
            raise Abort("factsite: " + count_line(len(error.problems), outcome="the site was not built")) from None
        except (WriteError, NoEntities, JournalError) as error:
            raise Abort(f"factsite: {error}") from None
        self.owned.update(generated.pages, generated.report.removed)
        if session is not None:
            session.errors.clear()
            session.generated = generated
            session.rebuild_all_if_needed(config, full_render=self._preview(config, docs).last_render == "full")
            session.removed += generated.report.removed  # an edit build may stop here and leave the deleting to a MkDocs build
        build = this_build(config)
        report = generated.report
        log.info(f"factsite: {len(generated.pages)} pages, {len(report.written)} written, {len(report.removed)} removed; "
                 f"stages: {stage_times(generated.timings)}")
        build.search_pages = search_index.Pages.of(generated.graph)
        base = edit_base(config)
        if base:
            sources = self._preview(config, docs).edit_sources() if session is not None else edit_sources(generated.graph)
            build.edit_urls = {page: base + source for page, source in sources.items()}

    def _generate(self, config, docs: Path):
        if self.session is not None:
            return self._preview(config, docs).update()
        inputs = self.inputs(config)
        return generate(inputs.data, docs, texts=inputs.texts, allow_empty=inputs.allow_empty)

    def _preview(self, config, docs: Path):
        inputs = self.inputs(config)
        return self.session.preview(inputs.data, docs, texts=inputs.texts, allow_empty=inputs.allow_empty)

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, config) -> None:
        """Commit the plugin's own run, unless strict mode is about to fail the build for its warnings."""
        build = this_build(config)
        session = self.session
        if session is not None:
            session.complete_search_index(config, build.files)
            serve_session.remove_from_site(config.site_dir, session.removed)
            session.removed.clear()
            session.remember_build(config, files=build.files)
        search_index.trim(config, build.search_pages)
        search_index.write_settings(config)
        search_prebuilt.write(config, enabled=session is None)  # the preview's rebuilds skip it
        own = run.active(Path(config.docs_dir))
        if own is not None and own.owner == OWNER and not (config.strict and _strict_warnings()):
            own.commit()

    def on_build_error(self, error) -> None:
        for own in run.owned_by(OWNER):
            own.roll_back()

    def on_page_context(self, context, page, config, nav):
        """A generated page's edit button opens its YAML file (or template), not the generated Markdown."""
        edit_url = this_build(config).edit_urls.get(page.file.src_uri)
        if edit_url:
            page.edit_url = edit_url
        if self.session is not None:
            self.session.page_indexed(page, config)
        return context

    def on_files(self, files, config):
        this_build(config).files = files
        return files

    @event_priority(-100)  # after every other plugin's changes: what the edit builds reuse
    def on_nav(self, nav, config, files):
        if self.session is not None:
            self.session.remember_build(config, nav=nav)
        return nav

    @event_priority(-100)
    def on_env(self, env, config, files):
        env.globals["factsite_search_worker"] = search_worker.material_search_worker()  # templates/theme/main.html
        if self.session is not None:
            self.session.remember_build(config, env=env)
        return env

    def on_page_content(self, html, page, config, files):
        """Footnotes repeat each cited quote: keep them out of the search index (Material skips
        elements marked data-search-exclude), so the index holds each statement once. Table cells
        carry their column's heading, for the stacked layout on narrow screens."""
        html = cards.label_cells(html)
        return html.replace('<div class="footnote">', '<div class="footnote" data-search-exclude>', 1)

    def on_post_page(self, output, page, config):
        """Name Material's search dialog for assistive technology (axe: aria-dialog-name)."""
        return output.replace('<div class="md-search" data-md-component="search" role="dialog">',
                              '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">', 1)

    def on_serve(self, server, config, builder):
        server.watch(str(self.inputs(config).data))
        server.watch(str(TEMPLATES))
        serve_watch.watch_hand_written_docs(server, Path(config.docs_dir), self.owned, self.session)
        if self.session is not None:
            serve_incremental.rebuild_dirty(self.session)
            serve_requests.show_errors(server, self.session)
            serve_incremental.edit_builds_first(server, self.session)
            serve_watch.watch_with_file_events(server)
        return server


def _strict_warnings() -> bool:
    return any(isinstance(handler, CountHandler) and handler.get_counts()
               for handler in logging.getLogger("mkdocs").handlers)

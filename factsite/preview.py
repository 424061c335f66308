"""The incremental preview: under `mkdocs serve`, each edit redoes only what it changed.

A Preview keeps, between rebuilds, every data file's parsed document (reloading only files whose
size, mtime or inode changed), each document's typed value, each source's quote-verification
result, each entity's summary check, the last graph, the page table with a reverse index (entity →
pages that show it), the text of every page it wrote and each entity's part of the downloads.
After an edit it converts only the changed documents, verifies again only the quotes of sources
whose data, text or citing entities changed, and checks cross-references and enriches the whole
model (exact footnote numbers, inverse relations and every problem; each unchanged entity's names
kept, and who-says-what filed again only when a statement, or how one prints, changed); then it
renders only the entity pages that show a changed entity, the kind indexes and timeline that list
one, the claimant pages of who-says-what that show an entity whose statements changed, and the pages
about the whole graph whose printed inputs changed (factsite/preview_changes.py decides which), and
writes only the pages whose text changed. A changed template, glossary or abbreviation list renders everything. When only
summaries changed, the last graph is kept with the new summaries (no enrich), and only the pages that
print a summary are rendered: the entity's, its kind's index, the timeline (_summaries_only,
only_own_text). The result is byte for byte what a fresh `factsite generate` writes (tests/test_preview.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from factsite import pages as table
from factsite import preview_changes as changes
from factsite.claims import who_says_what
from factsite.enrich import Graph, enrich, summary_text
from factsite.load import Document, LoadError, _data_files, data_epoch, display_path, iso_time, load_file
from factsite.model import Model
from factsite.pages import entity_json_path
from factsite.pipeline import Generated, NoEntities, _no_cyclic_gc, _timed, pages_and_downloads
from factsite.downloads import KeptDownloads
from factsite.problems import DataError, Problem
from factsite.quotes import verify_sources
from factsite.render import TEMPLATES, CompiledTemplates, Renderer
from factsite.verification import TEXT_SUFFIX, VERIFY_SUFFIX
from factsite.summaries import summary_problems
from factsite.validate import validate
from factsite.write import WriteReport, write_pages


GLOSSARY = ":glossary"  # no entity id holds a colon


@dataclass
class _Loaded:
    key: tuple
    document: Document
    problem: Problem | None


@dataclass
class Preview:
    data_dir: Path
    docs_dir: Path
    templates: Path = TEMPLATES
    texts: Path | None = None
    allow_empty: bool = False
    files: dict[Path, _Loaded] = field(default_factory=dict)
    graph: Graph | None = None
    table: dict[str, table.Page] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    changed_ids: set[str] = field(default_factory=set)  # since the last successful update
    templates_key: tuple = ()
    last_render: str = ""  # "full" or "incremental", for the log and the tests
    last_stale: list[str] = field(default_factory=list)  # the pages the last incremental update rendered
    kept_graph: bool = False  # the last update kept the graph before it (_summaries_only)
    shown_on: dict[str, set[str]] = field(default_factory=dict)  # entity id -> the pages that show it
    page_keys: dict[str, tuple] = field(default_factory=dict)  # see preview_changes.whole_graph_keys
    downloads: KeptDownloads = field(default_factory=KeptDownloads)  # each entity's part of the downloads
    # What the checks of unchanged files found, kept between updates:
    converted: dict = field(default_factory=dict)  # validate's typed value of each document (factsite/validate.py)
    references: dict = field(default_factory=dict)  # each entity's reference problems (validate._check_references)
    unverified: set[str] = field(default_factory=set)  # ids changed since the quotes were last verified
    cites: dict[str, frozenset] = field(default_factory=dict)  # entity id -> the sources it cites
    quotes: dict[str, tuple] = field(default_factory=dict)  # entity id -> its citations as verified (_quotes)
    verified: dict[str, list] = field(default_factory=dict)  # source id -> its quotes' problems
    summaries_checked: dict[str, tuple] = field(default_factory=dict)  # entity id -> (entity, its summary's problems)
    texts_seen: dict[Path, tuple] = field(default_factory=dict)  # sources' text and verification files
    compiled: CompiledTemplates = field(default_factory=CompiledTemplates)  # the templates, compiled once
    entity_names: dict = field(default_factory=dict)  # entity id -> (entity, its view's names): see enrich

    def update(self) -> Generated:
        """Bring the docs folder up to date with the data; raises DataError (writing nothing) on bad data."""
        with _no_cyclic_gc():
            return self._update()

    def edit_sources(self) -> dict[str, str]:
        """For each page, the file a contributor edits to change it (factsite/pages.py)."""
        return {path: page.edit_source for path, page in self.table.items()}

    def _update(self) -> Generated:
        timings: dict[str, float] = {}
        with _timed(timings, "load"):
            documents, problems = self._load()
        if self.graph is not None and not self.changed_ids and not problems and not self._templates_changed():
            return Generated(self.graph, self.pages, WriteReport([], []), timings)  # nothing new since the last update
        with _timed(timings, "validate"):
            validated = validate(documents, self.converted, self.references)
            current = {id(document) for document in documents}
            self.converted = {key: held for key, held in self.converted.items() if key in current}
            problems = problems + validated.problems
        with _timed(timings, "quotes"):
            problems += self._quote_problems(validated)
        with _timed(timings, "summaries"):
            if not problems:
                problems += self._summary_problems(validated)
        if problems:
            raise DataError(sorted(problems))
        if not validated.model.entities and not self.allow_empty:
            raise NoEntities(self.data_dir)
        with _timed(timings, "enrich"):
            kept = self._summaries_only(validated.model)
            self.kept_graph = kept is not None
            graph = kept or enrich(validated.model, self.entity_names, claims=False)  # claims=False: see _render
        with _timed(timings, "render"):
            pages = self._render(graph, timings)
        with _timed(timings, "write"):
            unchanged = {name for name, text in pages.items() if self.pages.get(name) == text}
            report = write_pages(pages, self.docs_dir, known_unchanged=unchanged if self.pages else frozenset())
        self.graph, self.pages = graph, pages
        self.changed_ids.clear()
        return Generated(graph, pages, report, timings)

    def _summaries_only(self, model: Model) -> Graph | None:
        """When only summaries changed (the same entities, each changed one equal to the last but for its
        summary), the last graph with the new summaries: nothing else of any view depends on a summary
        but its plain text (summary_text), so enrich would make the same graph. Else None."""
        graph = self.graph
        if graph is None or GLOSSARY in self.changed_ids or list(model.entities) != list(graph.entities):
            return None
        changed = [(graph.entities[id_], model.entities[id_]) for id_ in self.changed_ids if id_ in graph.entities]
        if len(changed) != len(self.changed_ids) or any(
                dataclasses.replace(view.entity, summary=entity.summary) != entity for view, entity in changed):
            return None
        for view, entity in changed:
            view.entity = entity
            view.summary_text = summary_text(entity, graph.entities)
            names = self.entity_names.get(view.id)
            if names is not None:
                self.entity_names[view.id] = (entity, names[1])  # they follow from the entity but its summary
        return graph

    # -- checks: only those of what changed, the others' results kept

    def _quote_problems(self, validated) -> list[Problem]:
        """verify_quotes' problems, with only the sources rechecked whose data, text or citing entities changed."""
        model = validated.model
        dirty: set[str] = set()
        for id_ in self.unverified:
            cited_before, quotes_before = self.cites.pop(id_, frozenset()), self.quotes.pop(id_, None)
            entity = model.entities.get(id_)
            cited = quotes = None
            if entity is not None:
                cited, quotes = self.cites[id_], self.quotes[id_] = _cited_sources(entity), _quotes(entity)
            if quotes is None or quotes != quotes_before or any(self.verified.get(s) for s in cited_before | cited):
                dirty |= cited_before | (cited or frozenset())
            # else the same quotes, whose sources found nothing wrong: verifying them again finds nothing either
            dirty.add(id_)
        self.unverified.clear()
        results, stray = verify_sources(model, validated.documents, self.data_dir, self.texts, dirty)
        for id_ in dirty:
            if id_ in results:
                self.verified[id_] = results[id_].problems
            else:
                self.verified.pop(id_, None)
        return [problem for problems in self.verified.values() for problem in problems] + stray

    def _summary_problems(self, validated) -> list[Problem]:
        """The summary rule, applied again only to the entities whose file changed."""
        checked = {}
        for id_, entity in validated.model.entities.items():
            held = self.summaries_checked.get(id_)
            if held is None or held[0] is not entity:
                held = (entity, summary_problems(Model({id_: entity}, []), validated.documents))
            checked[id_] = held
        self.summaries_checked = checked
        return [problem for _, problems in checked.values() for problem in problems]

    # -- load: only the files that changed since the last update

    def _load(self) -> tuple[list[Document], list[Problem]]:
        problems: list[Problem] = []
        seen: dict[Path, _Loaded] = {}
        for path, kind in _data_files(self.data_dir, problems):
            key = _file_key(path)
            loaded = self.files.get(path)
            if loaded is None or loaded.key != key or loaded.document.kind != kind:
                loaded = _load_file(path, kind, key)
                self._changed(_changed_id(loaded.document))
            seen[path] = loaded
        for path in self.files.keys() - seen.keys():
            self._changed(_changed_id(self.files[path].document))
        self.files = seen
        texts = {path: _file_key(path) for path in _source_texts(self.data_dir)}
        for path in texts.keys() ^ self.texts_seen.keys() | {p for p in texts if texts[p] != self.texts_seen.get(p)}:
            self._changed(path.stem)  # a source's text or verification data: its quotes are checked again
        self.texts_seen = texts
        problems += [loaded.problem for loaded in seen.values() if loaded.problem is not None]
        return [loaded.document for loaded in seen.values()], problems

    def _changed(self, id_: str) -> None:
        self.changed_ids.add(id_)
        self.unverified.add(id_)

    def _templates_changed(self) -> bool:
        return _folder_key(self.templates) != self.templates_key

    # -- render: the pages that show what changed

    def _render(self, graph: Graph, timings: dict[str, float]) -> dict[str, str]:
        templates_key = _folder_key(self.templates)
        generated_at = iso_time(data_epoch(self.data_dir))

        def everything() -> dict[str, str]:
            graph.who_says_what = who_says_what(graph)
            self.downloads = KeptDownloads()
            self.last_render = "full"
            self._set_table(table.table(graph))
            self.page_keys = changes.whole_graph_keys(graph)
            return pages_and_downloads(graph, self.templates, generated_at, self.compiled)

        if self.graph is None or templates_key != self.templates_key or GLOSSARY in self.changed_ids:
            self.templates_key = templates_key
            return everything()
        renderer = Renderer(graph, self.templates, self.compiled)
        if renderer.glossary_include != self.pages.get(table.ABBREVIATIONS_INCLUDE):
            return everything()  # every page ends with the definitions of the abbreviations it uses
        self.last_render = "incremental"
        changed = self.changed_ids | changes.relabelled(self.graph, graph)
        # Filing every statement by claimant took a fifth of enrich at 4,000 entities: it is done again only
        # when a statement, or how one prints, changed; until then the last filing's pages stand as made.
        claimed = {id_ for id_ in changed
                   if changes.claims_key(self.graph.entities.get(id_)) != changes.claims_key(graph.entities.get(id_))}
        graph.who_says_what = who_says_what(graph) if claimed else self.graph.who_says_what
        with _timed(timings, "page table"):
            stale = self._stale_pages(graph, renderer, changed, claimed)
        stale_views = [v for v in graph.entities.values() if v.page in stale]
        with _timed(timings, "downloads"):
            files = self.downloads.files(graph, generated_at, {v.id for v in stale_views} | changed)
        rendered = {**renderer.site_pages(only=stale), **renderer.entity_pages(stale_views), **files}
        order = render_order(graph, files)
        self.last_stale = sorted(stale)
        return {name: rendered[name] if name in rendered else self.pages[name] for name in order}

    def _set_table(self, pages: dict[str, table.Page]) -> None:
        self.table = pages
        self.shown_on = {}
        for path, page in pages.items():
            for id_ in page.shows:
                self.shown_on.setdefault(id_, set()).add(path)

    def _stale_pages(self, graph: Graph, renderer: Renderer, changed: set[str], claimed: set[str]) -> set[str]:
        """The pages to render again, with the page table brought up to date. An entity page is made again
        when its entity changed, or it showed or now shows a changed entity: only a changed entity's own
        data (its relations, sources and claimants) can make an unchanged entity's page show it. A page
        about the whole graph is made again when what it prints changed (whole_graph_keys). A claimant's
        page of who says what is made again when statements were filed again (`claimed`: the entities whose
        statements, or how they print, changed) and it shows one of those entities or lists other subjects."""
        old_graph, old = self.graph, self.table
        own = {id_ for id_ in changed if changes.only_own_text(old_graph.entities.get(id_), graph.entities.get(id_))}
        refers = set(changed)
        for id_ in changed - own:
            for view in (old_graph.entities.get(id_), graph.entities.get(id_)):
                if view is not None:
                    refers |= changes.refers_to(view.entity)

        # where a summary prints: the entity's page, its kind's index and, if it is on it, the timeline
        on_timeline = {entry.entity.id for entry in graph.timeline} if own else set()
        own_pages = {id_: {view.page, table.kind_index_path(view.entity.kind),
                           *([table.TIMELINE] if id_ in on_timeline else [])}
                     for id_, view in ((id_, graph.entities[id_]) for id_ in own)}  # the page and kind did not change

        def prints(page: table.Page | None) -> bool:
            """Whether `page` prints something that changed: of an entity whose summary alone changed
            (only_own_text), the other pages that show it print only its name, which is the same."""
            if page is None:
                return False
            shown = page.shows & changed
            return bool(shown - own) or any(page.path in own_pages[id_] for id_ in shown)

        showed = {path for id_ in changed for path in self.shown_on.get(id_, ()) if prints(old.get(path))}
        site = table.site_pages(graph)
        new = {page.path: page for page in site}
        for view in graph.entities.values():
            page = old.get(view.page)
            if page is None or view.id in refers or view.page in showed:
                page = table.entity_page(view)
            new[view.page] = page
        claims_parts = {page.path for page in site if page.template == table.CLAIMS_PART_TEMPLATE}
        by_shows = {path for path, page in new.items() if path not in claims_parts and (
                    path not in self.pages or prints(page) or prints(old.get(path)))}
        keys = changes.whole_graph_keys(graph)
        whole = {page.path for page in site if page.shows_all}
        stale = (by_shows - whole) | (by_shows & {changes.SOURCES_INDEX}) | {
            path for path in whole if path not in keys or keys[path] != self.page_keys.get(path)}
        if claimed:
            stale |= {path for path in claims_parts if path not in old or old[path].shows != new[path].shows
                      or old[path].shows & claimed}
        stale.discard("reference.md")  # it prints the schema, which only a new factsite changes
        self.page_keys = keys
        for path in old.keys() | new.keys():
            before, after = old.get(path), new.get(path)
            if before is not after:
                for id_ in before.shows if before is not None else ():
                    self.shown_on.get(id_, set()).discard(path)
                for id_ in after.shows if after is not None else ():
                    self.shown_on.setdefault(id_, set()).add(path)
        self.table = new
        return stale


def render_order(graph: Graph, files: dict[str, str]) -> list[str]:
    """The names of every file: the pages in the order a full render returns them, then the downloads."""
    site = [page.path for page in table.site_pages(graph)]
    redirects = [name for name in site if name.endswith(".html")]
    site = [name for name in site if not name.endswith(".html")] + [table.ABBREVIATIONS_INCLUDE] + redirects
    entity_pages = [view.page for view in graph.entities.values()]
    entity_files = [entity_json_path(id_) for id_ in graph.entities]
    listed = set(entity_files)
    return [*site, *entity_pages, *entity_files, *(name for name in files if name not in listed)]


def _cited_sources(entity) -> frozenset:
    return frozenset(cited.source for cited in [*entity.facts, *entity.relations])


def _quotes(entity) -> tuple:
    """What quote verification reads of an entity's statements: which source, where, what words."""
    return tuple((cited.source, cited.at, cited.quote) for cited in [*entity.facts, *entity.relations])


def _source_texts(data_dir: Path) -> list[Path]:
    folder = data_dir / "sources"
    if not folder.is_dir():
        return []
    return [path for path in folder.iterdir() if path.suffix in (TEXT_SUFFIX, VERIFY_SUFFIX)]


def _changed_id(document: Document) -> str:
    return GLOSSARY if document.kind == "glossary" else document.id


def _load_file(path: Path, kind: str, key: tuple) -> _Loaded:
    try:
        return _Loaded(key, load_file(path, kind), None)
    except LoadError as error:
        return _Loaded(key, Document(display_path(path), kind, path.stem, None, broken=True), error.problem)


def _file_key(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return ()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _folder_key(folder: Path) -> tuple:
    return tuple(sorted((str(path), _file_key(path)) for path in folder.rglob("*") if path.is_file()))

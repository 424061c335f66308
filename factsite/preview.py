"""The incremental preview: under `mkdocs serve`, each edit redoes only what it changed.

A Preview keeps, between rebuilds, every data file's parsed document (reloading only files whose
size, mtime or inode changed), the last graph, the page table (factsite/pages.py) and the text of
every page it wrote. After an edit it checks and enriches the whole model again (both are needed
for exact footnote numbers, inverse relations and every problem), then re-renders only the pages
that show a changed entity, plus the pages about the whole graph and the downloads, and writes
only the pages whose text changed. A changed template or abbreviation list renders everything.
The result is byte for byte what a fresh `factsite generate` writes (tests/test_preview.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factsite import pages as table
from factsite.enrich import EntityView, Graph, enrich
from factsite.export import data_epoch, downloads, entity_json_path, iso_time
from factsite.load import Document, LoadError, _data_files, display_path, load_file
from factsite.pipeline import Generated, NoEntities, _no_cyclic_gc, _timed
from factsite.problems import DataError, Problem
from factsite.model import Model
from factsite.quotes import verify_sources
from factsite.verification import TEXT_SUFFIX, VERIFY_SUFFIX
from factsite.render import TEMPLATES, Renderer, render
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
    records: dict[str, dict] = field(default_factory=dict)  # each entity's download record
    # What the checks of unchanged files found, kept between updates:
    converted: dict = field(default_factory=dict)  # validate's typed value of each document (factsite/validate.py)
    unverified: set[str] = field(default_factory=set)  # ids changed since the quotes were last verified
    cites: dict[str, frozenset] = field(default_factory=dict)  # entity id -> the sources it cites
    verified: dict[str, list] = field(default_factory=dict)  # source id -> its quotes' problems
    summaries_checked: dict[str, tuple] = field(default_factory=dict)  # entity id -> (entity, its summary's problems)
    texts_seen: dict[Path, tuple] = field(default_factory=dict)  # sources' text and verification files

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
            validated = validate(documents, self.converted)
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
            graph = enrich(validated.model)
            new_table = table.table(graph)
        with _timed(timings, "render"):
            pages = self._render(graph, new_table)
        with _timed(timings, "write"):
            unchanged = {name for name, text in pages.items() if self.pages.get(name) == text}
            report = write_pages(pages, self.docs_dir, known_unchanged=unchanged if self.pages else frozenset())
        self.graph, self.table, self.pages = graph, new_table, pages
        self.changed_ids.clear()
        return Generated(graph, pages, report, timings)

    # -- checks: only those of what changed, the others' results kept

    def _quote_problems(self, validated) -> list[Problem]:
        """verify_quotes' problems, with only the sources rechecked whose data, text or citing entities changed."""
        model = validated.model
        dirty: set[str] = set()
        for id_ in self.unverified:
            dirty |= self.cites.pop(id_, frozenset())
            entity = model.entities.get(id_)
            if entity is not None:
                self.cites[id_] = _cited_sources(entity)
                dirty |= self.cites[id_]
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

    def _render(self, graph: Graph, new_table: dict[str, table.Page]) -> dict[str, str]:
        templates_key = _folder_key(self.templates)
        generated_at = iso_time(data_epoch(self.data_dir))
        def everything() -> dict[str, str]:
            self.records.clear()
            self.last_render = "full"
            return render(graph, self.templates, also=lambda: downloads(
                graph, generated_at=generated_at, redo=set(graph.entities), records=self.records))

        if self.graph is None or templates_key != self.templates_key or GLOSSARY in self.changed_ids:
            self.templates_key = templates_key
            return everything()
        renderer = Renderer(graph, self.templates)
        if renderer.glossary_include != self.pages.get(table.ABBREVIATIONS_INCLUDE):
            return everything()  # every page ends with the definitions of the abbreviations it uses
        self.last_render = "incremental"
        changed = self.changed_ids | _relabelled(self.graph, graph)
        stale = {path for path, page in new_table.items()
                 if page.shows_all or path not in self.pages or page.shows & changed
                 or (path in self.table and self.table[path].shows & changed)}
        stale.discard("reference.md")  # it prints the schema, which only a new factsite changes
        stale_views = [v for v in graph.entities.values() if v.page in stale]
        files = downloads(graph, generated_at=generated_at, redo={v.id for v in stale_views}, records=self.records)
        rendered = {**renderer.site_pages(only=stale), **renderer.entity_pages(stale_views), **files}
        order = render_order(graph, files)
        return {name: rendered[name] if name in rendered else self.pages[name] for name in order}


def render_order(graph: Graph, files: dict[str, str]) -> list[str]:
    """The names of every file: the pages in the order a full render returns them, then the downloads."""
    site = [page.path for page in table.site_pages(graph)]
    redirects = [name for name in site if name.endswith(".html")]
    site = [name for name in site if not name.endswith(".html")] + [table.ABBREVIATIONS_INCLUDE] + redirects
    entity_pages = [view.page for view in graph.entities.values()]
    entity_files = [entity_json_path(id_) for id_ in graph.entities]
    listed = set(entity_files)
    return [*site, *entity_pages, *entity_files, *(name for name in files if name not in listed)]


def _relabelled(old: Graph, new: Graph) -> set[str]:
    """Entities whose printed names or labels changed though their file did not (a source's label
    takes its publisher's abbreviation), so the pages that show them are redone too."""
    return {id_ for id_, view in new.entities.items()
            if id_ in old.entities and _labels(old.entities[id_]) != _labels(view)}


def _labels(view: EntityView) -> tuple:
    return (view.name, view.title, view.page, view.sort_key, view.claimant_label, view.prose_name, view.byline,
            view.summary_text, view.according_to, view.date_label)


def _cited_sources(entity) -> frozenset:
    return frozenset(cited.source for cited in [*entity.facts, *entity.relations])


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

"""The one table of generated pages: for each, its path, template, edit source, address in the built
site and the entities it shows; and every address the generator writes or links: pages, redirects,
data downloads, and data files.

Enrich gives each view its page and data file from here, render makes the pages this table lists (the
context each template gets is render's), the downloads take their paths from here, the manifest
accepts only names these paths can take, the MkDocs plugin points each page's edit button at its edit
source, and the incremental preview (factsite/preview.py) re-renders a page when an entity it shows
changed. A page that shows every entity (an index, the timeline, the home page) says so with
`shows_all`; an entity page lists exactly the entities whose names, labels or words it prints."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from factsite.escape import prose_to_text
from factsite.schema import KINDS
from factsite.views import EntityView, Graph

# ---------------------------------------------------------------- addresses

ABBREVIATIONS_INCLUDE = "includes/abbreviations.md"
TIMELINE = "timeline.md"
WHO_SAYS_WHAT = "who-says-what.md"
CLAIMS_FOLDER = "who-says-what"  # a page per claimant, beside who-says-what.md
GLOSSARY = "glossary.md"
DATA_PAGE = "data/index.md"
REFERENCE = "reference.md"

DOWNLOADS = "data"  # the downloads' folder in the docs tree
EVERYTHING = f"{DOWNLOADS}/factsite.json"
CSV_FOLDER = f"{DOWNLOADS}/csv"
FACTS_CSV = f"{CSV_FOLDER}/facts.csv"
RELATIONS_CSV = f"{CSV_FOLDER}/relations.csv"


def entity_page_path(kind: str, entity_id: str) -> str:
    return f"{kind}/{entity_id}.md"


def kind_index_path(kind: str) -> str:
    return f"{kind}/index.md"


def redirect_path(kind: str, old_id: str) -> str:
    return f"{kind}/{old_id}.html"


def data_file_path(kind: str, entity_id: str) -> str:
    """An entity's YAML file, relative to the project: its pages' edit source."""
    return f"data/{kind}/{entity_id}.yaml"


def entity_json_path(entity_id: str) -> str:
    return f"{DOWNLOADS}/entities/{entity_id}.json"


def kind_csv_path(kind: str) -> str:
    return f"{CSV_FOLDER}/{kind}.csv"


def claims_page_path(claimant_id: str | None, reported: bool = False, part: int = 1) -> str:
    """A claimant's page of who says what: who-says-what/by/dod-report.md; an accuser's, as a source
    reports it: who-says-what/reported/pakistan.md; the statements with no claimant:
    who-says-what/no-claimant.md. A second part goes beside it: who-says-what/by/dod-report/part-2.md."""
    if claimant_id is None:
        base = f"{CLAIMS_FOLDER}/no-claimant"
    else:
        base = f"{CLAIMS_FOLDER}/{'reported' if reported else 'by'}/{claimant_id}"
    return f"{base}.md" if part == 1 else f"{base}/part-{part}.md"


def html_path(page: str) -> str:
    """A Markdown page's path (or link) as the built site's: groups/taliban.md -> groups/taliban.html."""
    return page[: -len(".md")] + ".html"


_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_LATER_PART = r"[2-9]|[1-9][0-9]+"
_KIND = "|".join(re.escape(folder) for folder in KINDS)


def _shape(path_of, **parts: str) -> str:
    """The regular expression of every path `path_of` gives, each named part matching its own expression."""
    marks = {name: f"@{name}@" for name in parts}
    shape = re.escape(path_of(**marks))
    for name, expression in parts.items():
        shape = shape.replace(re.escape(marks[name]), f"(?:{expression})")
    return shape


# Every name a generated file can have, but for the fixed ones (factsite/manifest.py holds the docs
# folder's list to these).
GENERATED_NAMES = re.compile("|".join([
    _shape(kind_index_path, kind=_KIND),
    _shape(entity_page_path, kind=_KIND, entity_id=_SLUG),
    _shape(redirect_path, kind=_KIND, old_id=_SLUG),
    _shape(entity_json_path, entity_id=_SLUG),
    _shape(kind_csv_path, kind=_KIND),
    _shape(lambda claimant_id, part: claims_page_path(claimant_id, False, part), claimant_id=_SLUG, part=_LATER_PART),
    _shape(lambda claimant_id, part: claims_page_path(claimant_id, True, part), claimant_id=_SLUG, part=_LATER_PART),
    _shape(lambda part: claims_page_path(None, False, part), part=_LATER_PART),
    _shape(lambda: claims_page_path(None)),
    _shape(lambda claimant_id: claims_page_path(claimant_id, False), claimant_id=_SLUG),
    _shape(lambda claimant_id: claims_page_path(claimant_id, True), claimant_id=_SLUG),
]))
FIXED_DOWNLOADS = (EVERYTHING, FACTS_CSV, RELATIONS_CSV)

# ---------------------------------------------------------------- the pages


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder: groups/taliban.md
    template: str  # in templates/
    edit_source: str  # relative to the project: the YAML file a contributor edits, else the template
    shows: frozenset[str] = frozenset()  # entity ids whose change re-renders it
    shows_all: bool = False  # an index of the whole graph: re-rendered on every change of the data
    entity: str = ""  # the entity an entity page or redirect is about

    @property
    def address(self) -> str:
        """Where the built site has it: groups/taliban.md -> groups/taliban.html; a redirect is HTML already."""
        return html_path(self.path) if self.path.endswith(".md") else self.path


# The pages about the whole graph, in the order render makes them (the kind indexes and the timeline
# go between the home page and these).
HOME = Page("index.md", "home.md.j2", "templates/home.md.j2", shows_all=True)
WHOLE_GRAPH = [
    Page(WHO_SAYS_WHAT, "who_says_what.md.j2", "templates/who_says_what.md.j2", shows_all=True),
    Page(GLOSSARY, "glossary.md.j2", "data/glossary.yaml", shows_all=True),
    Page(DATA_PAGE, "data.md.j2", "templates/data.md.j2", shows_all=True),
    Page(REFERENCE, "reference.md.j2", "factsite/schema.py"),
]
# What templates link by name (the `pages` global): the pages about the whole graph.
LINKED = {"home": HOME.path, "timeline": TIMELINE, "who_says_what": WHO_SAYS_WHAT, "glossary": GLOSSARY,
          "data": DATA_PAGE, "reference": REFERENCE}


def kind_index_pages(graph: Graph) -> list[Page]:
    """A kind's index shows its entities, and those their summaries name; the sources' index also counts
    the facts citing each source, which any entity's change may alter."""
    return [Page(index.page, "kind_index.md.j2", "templates/kind_index.md.j2",
                 frozenset(_with_named([v.id for v in index.entities], [v.entity.summary for v in index.entities])),
                 shows_all=index.kind.folder == "sources")
            for index in graph.kinds]


def timeline_page(graph: Graph) -> Page:
    """The timeline shows the dated entities, and those their summaries and date notes name."""
    texts = [text for entry in graph.timeline for text in (entry.entity.entity.summary, entry.derived, entry.undated)]
    return Page(TIMELINE, "timeline.md.j2", "templates/timeline.md.j2",
                frozenset(_with_named([entry.entity.id for entry in graph.timeline], texts)))


def _with_named(ids: list[str], prose: list[str]) -> set[str]:
    shown = set(ids)
    for text in prose:
        if text:
            shown.update(named_in(text))
    return shown


@functools.lru_cache(maxsize=65536)  # the page table is made again on each of the preview's edits
def named_in(prose: str) -> tuple[str, ...]:
    """The ids of the entities a text's [[links]] name."""
    named: list[str] = []
    prose_to_text(prose, lambda id_: named.append(id_) or "")
    return tuple(named)


CLAIMS_PART_TEMPLATE = "claims_part.md.j2"


def claims_pages(graph: Graph) -> list[Page]:
    """Each claimant's page of who says what, part by part (factsite/claims.py), showing the entities
    it names: the subjects, the other end of each relation, the claimant, each statement's source
    and claimants, and the subjects that begin and end each part."""
    claims = graph.who_says_what
    if claims is None:
        return []
    return [Page(part.page, CLAIMS_PART_TEMPLATE, f"templates/{CLAIMS_PART_TEMPLATE}", frozenset(_claims_shown(voice, part)))
            for voice, part in claims.parts]


def _claims_shown(voice, part) -> set[str]:
    shown = {voice.claimant.id} if voice.claimant is not None else set()
    if len(voice.parts) > 1:  # each part names the first and last subjects of every part
        shown.update(view.id for each in voice.parts for view in (each.first, each.last))
    prose = []
    for subject in part.subjects:
        shown.update(view.id for view in subject.entities)
        for claim in subject.claims:
            shown.add(claim.citation.source.id)
            shown.update(claimant.id for claimant in claim.citation.claimants)
            if claim.other is not None:
                shown.add(claim.other.id)
            prose.append(claim.says)
    return _with_named(list(shown), prose)


def redirect_pages(graph: Graph) -> list[Page]:
    return [Page(redirect_path(view.entity.kind, old_id), "redirect.html.j2", view.data_file, frozenset({view.id}), entity=view.id)
            for old_id, view in sorted(graph.redirects.items())]


def entity_page_template(view: EntityView) -> str:
    return "source.md.j2" if view.entity.kind == "sources" else "entity.md.j2"


def entity_page(view: EntityView) -> Page:
    return Page(view.page, entity_page_template(view), view.data_file, frozenset(shown_by(view)), entity=view.id)


def site_pages(graph: Graph) -> list[Page]:
    """Every page render makes about the whole graph (not the abbreviations include, which is no page)."""
    return [HOME, *kind_index_pages(graph), timeline_page(graph), *WHOLE_GRAPH, *claims_pages(graph),
            *redirect_pages(graph)]


def table(graph: Graph) -> dict[str, Page]:
    """Every generated page by its path."""
    return {page.path: page for page in [*site_pages(graph), *(entity_page(v) for v in graph.entities.values())]}


def edit_sources(graph: Graph) -> dict[str, str]:
    """For each generated page, the file a contributor edits to change it: its YAML, else its template."""
    return {path: page.edit_source for path, page in table(graph).items()}


def shown_by(view: EntityView) -> set[str]:
    """The entities an entity page prints something of: itself, the entities it links to or that link
    to it, the sources and claimants of its citations, those named in its prose, and (a source's page)
    every entity that cites it."""
    shown = {view.id}
    prose = [view.entity.summary, *(fact.says for fact in view.facts)]
    for group in [*view.outgoing, *view.incoming, *view.infobox]:
        for link in group.links:
            shown.add(link.entity.id)
            prose.append(link.says)
    for link in view.events:
        shown.add(link.entity.id)
        prose.append(link.says)
    for citation in view.notes.values():
        shown.add(citation.source.id)
        shown.update(claimant.id for claimant in citation.claimants)
    for paragraph in view.citing_facts:
        for citing in paragraph.citing:
            shown.add(citing.entity.id)
            if citing.other is not None:
                shown.add(citing.other.id)
            prose.append(citing.says)
    for text in prose:
        if text:
            shown.update(named_in(text))
    return shown

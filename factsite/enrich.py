"""Stage 3, enrich: the checked model → a graph of page views with everything templates print.

Every inverse relation, grouping, sort, count and number is computed here, so templates only print.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from factsite.escape import abbreviation_key, prose_to_text
from factsite.model import Entity, Fact, Model, Relation, Term
from factsite.schema import KINDS, Kind
from factsite.vocabulary import RELATION_TYPES

# Outgoing relations a reader looks for first; they go into the infobox, in this order.
INFOBOX_TYPES = ["part-of", "affiliate-of", "member-of", "present-in", "has-sanctuary-in", "moves-freely-in",
                 "took-place-in"]


@dataclass
class Citation:
    number: int
    source: "EntityView"
    at: int | str
    quote: str
    claimants: list["EntityView"]


@dataclass
class FactView:
    says: str
    citation: Citation


@dataclass
class Link:
    """One end of a relation as shown on a page: the other entity, and the citation behind it."""

    entity: "EntityView"
    citation: Citation
    says: str = ""
    note: str = ""  # the footnote label on the page that shows this link


@dataclass
class LinkGroup:
    label: str
    links: list[Link]


@dataclass
class EntityView:
    entity: Entity
    kind: Kind
    page: str  # the Markdown file, relative to the docs folder: groups/taliban.md
    data_file: str  # the YAML file, relative to the project: data/groups/taliban.yaml
    search_names: list[str] = field(default_factory=list)
    facts: list[FactView] = field(default_factory=list)
    outgoing: list[LinkGroup] = field(default_factory=list)
    incoming: list[LinkGroup] = field(default_factory=list)
    infobox: list[LinkGroup] = field(default_factory=list)
    events: list["EntityView"] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    notes: dict[str, Citation] = field(default_factory=dict)  # footnote label -> citation, in page order
    citing_facts: list["Paragraph"] = field(default_factory=list)  # sources: what cites each locator
    sort_key: str = ""
    date_label: str = ""  # events: their date; sources: their publication date
    summary_text: str = ""  # the summary as plain text, each [[link]] as the entity's name (metadata, JSON-LD)

    @property
    def id(self) -> str:
        return self.entity.id

    @property
    def name(self) -> str:
        return self.entity.name

    @property
    def title(self) -> str:
        """The page's heading: the name, with the abbreviation readers search for."""
        abbreviation = self.entity.abbreviation
        if abbreviation and abbreviation.casefold() not in self.name.casefold():
            return f"{self.name} ({abbreviation})"
        return self.name

    @property
    def date_heading(self) -> str:
        return "Date" if self.entity.kind == "events" else "Published"

    @property
    def date_derived(self) -> bool:
        return bool(self.entity.date_derived or self.entity.published_derived)

    @property
    def fact_count(self) -> int:
        return len(self.entity.facts)


@dataclass
class Citing:
    entity: EntityView
    says: str
    quote: str


@dataclass
class Paragraph:
    at: int | str
    citing: list[Citing]


@dataclass
class GlossaryEntry:
    term: str
    expansion: str
    description: str
    entity: EntityView | None
    key: str  # the term as an abbreviation tooltip's key, or "" when it cannot be one (escape.abbreviation_key)


@dataclass
class TimelineEntry:
    date: str
    date_label: str
    derived: str  # how the date was worked out; "" when the source states it
    undated: str  # when the source gives no date: what it says about when
    entity: EntityView
    what: str  # "event", or "published" for a source's publication


@dataclass
class KindIndex:
    kind: Kind
    page: str
    entities: list[EntityView]


@dataclass
class Graph:
    entities: dict[str, EntityView]
    kinds: list[KindIndex]
    timeline: list[TimelineEntry]
    glossary: list[GlossaryEntry]
    redirects: dict[str, EntityView]  # former id -> entity
    sources: list[EntityView]
    counts: dict[str, int]


def fold(text: str) -> str:
    """Text with accents, apostrophes and case folded away, for sorting and search variants."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("’", "").replace("‘", "").replace("'", "").replace("`", "")


def search_names(entity: Entity) -> list[str]:
    """Spellings a reader may type that the page's own text lacks: without apostrophes and accents."""
    written = [entity.name, *([entity.abbreviation] if entity.abbreviation else []), *entity.aliases]
    seen = {w.casefold() for w in written}
    variants = []
    for name in written:
        for variant in (fold(name), fold(name).replace("-", " ")):
            if variant.casefold() not in seen:
                seen.add(variant.casefold())
                variants.append(variant)
    return variants


def enrich(model: Model) -> Graph:
    views = {id_: _view(entity) for id_, entity in model.entities.items()}
    backlinks: dict[str, dict[str, list[Link]]] = defaultdict(lambda: defaultdict(list))
    paragraphs: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for view in views.values():
        _cite_and_link(view, views, backlinks, paragraphs)
    for view in views.values():
        view.incoming = [LinkGroup(label, _sorted_links(links)) for label, links in sorted(backlinks[view.id].items())]
        view.summary_text = prose_to_text(view.entity.summary, lambda id_: views[id_].name)
    for view in views.values():
        view.notes = {str(c.number): c for c in view.citations}
        view.notes.update((link.note, link.citation) for group in view.incoming for link in group.links)
        view.events.sort(key=lambda e: (not e.entity.date, e.entity.date, e.sort_key))
        if view.entity.kind == "sources":
            view.citing_facts = _walk(view, paragraphs[view.id])
    kinds = [KindIndex(kind, f"{kind.folder}/index.md",
                       sorted((v for v in views.values() if v.entity.kind == kind.folder), key=lambda v: v.sort_key))
             for kind in KINDS.values()]
    # Undated events go last: the sources tell of them, but not when.
    timeline = sorted(_timeline(views.values()), key=lambda t: (not t.date, t.date, t.entity.sort_key))
    redirects = {old: view for view in views.values() for old in view.entity.former_ids}
    counts = {k.kind.folder: len(k.entities) for k in kinds}
    counts["facts"] = sum(len(v.entity.facts) for v in views.values())
    counts["relations"] = sum(len(v.entity.relations) for v in views.values())
    sources = next(k.entities for k in kinds if k.kind.folder == "sources")
    return Graph(views, kinds, timeline, _glossary(model.glossary, views), redirects, sources, counts)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def date_label(date: str) -> str:
    """'2017-08' → 'August 2017': a partial date printed as precisely as it is known, no more."""
    parts = date.split("-")
    if len(parts) == 1:
        return date
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def _date_label(entity: Entity) -> str:
    if entity.date or entity.published:
        return date_label(entity.date or entity.published)
    return "Not dated" if entity.undated else ""


def _timeline(views) -> list[TimelineEntry]:
    entries = []
    for view in views:
        entity = view.entity
        if entity.kind == "events":
            entries.append(TimelineEntry(entity.date, view.date_label, entity.date_derived, entity.undated, view, "event"))
        elif entity.kind == "sources" and entity.published:
            entries.append(TimelineEntry(entity.published, view.date_label, entity.published_derived, "", view,
                                         "published"))
    return entries


def _view(entity: Entity) -> EntityView:
    return EntityView(entity, KINDS[entity.kind], f"{entity.kind}/{entity.id}.md", f"data/{entity.kind}/{entity.id}.yaml",
                      search_names=search_names(entity), sort_key=fold(entity.name).casefold(),
                      date_label=_date_label(entity))


def _cite_and_link(view: EntityView, views: dict[str, EntityView], backlinks, paragraphs) -> None:
    numbers: dict[tuple, Citation] = {}

    def cite(cited: Fact | Relation) -> Citation:
        key = (cited.source, cited.at, cited.quote, cited.claimed_by)
        if key not in numbers:
            numbers[key] = Citation(len(numbers) + 1, views[cited.source], cited.at, cited.quote,
                                    [views[c] for c in cited.claimed_by])
            view.citations.append(numbers[key])
        return numbers[key]

    for fact in view.entity.facts:
        view.facts.append(FactView(fact.says, cite(fact)))
        paragraphs[fact.source][fact.at].append(Citing(view, fact.says, fact.quote))
    outgoing: dict[str, list[Link]] = defaultdict(list)
    for relation in view.entity.relations:
        kind = RELATION_TYPES[relation.type]
        citation = cite(relation)
        outgoing[relation.type].append(Link(views[relation.to], citation, relation.says, str(citation.number)))
        backlinks[relation.to][kind.inverse].append(
            Link(view, citation, relation.says, f"{view.id}-{citation.number}"))
        if relation.type == "has-participant" and view.entity.kind == "events":
            views[relation.to].events.append(view)
        paragraphs[relation.source][relation.at].append(
            Citing(view, relation.says or f"{view.name} {kind.label} {views[relation.to].name}.", relation.quote))
    groups = {t: LinkGroup(RELATION_TYPES[t].label, _sorted_links(outgoing[t])) for t in RELATION_TYPES if t in outgoing}
    view.outgoing = list(groups.values())
    view.infobox = [groups[t] for t in INFOBOX_TYPES if t in groups]


def _sorted_links(links: list[Link]) -> list[Link]:
    return sorted(links, key=lambda link: (link.entity.sort_key, link.citation.number))


def _walk(source: EntityView, cited: dict) -> list[Paragraph]:
    if source.entity.paragraphs:
        locators = list(range(1, source.entity.paragraphs + 1))
    else:
        locators = sorted(cited, key=str)
    return [Paragraph(at, sorted(cited.get(at, []), key=lambda c: c.entity.sort_key)) for at in locators]


def _glossary(terms: list[Term], views: dict[str, EntityView]) -> list[GlossaryEntry]:
    entries = [GlossaryEntry(t.term, t.expansion, t.description, views.get(t.entity), abbreviation_key(t.term))
               for t in terms]
    entries += [GlossaryEntry(v.entity.abbreviation, v.name, "", v, abbreviation_key(v.entity.abbreviation))
                for v in views.values() if v.entity.abbreviation]
    return sorted(entries, key=lambda e: (e.term.casefold(), e.expansion))

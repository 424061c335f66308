"""The views that enrich makes and templates print: one per entity, and the graph that holds them.

Only data lives here; enrich (factsite/enrich.py) computes every field, so that a later stage, such
as the claims view (factsite/claims.py), can take these types without importing the stage itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factsite.model import Entity
from factsite.schema import Kind


@dataclass
class Citation:
    """What a footnote says: shared by every page that cites the same words, numbered per page."""

    source: "EntityView"
    at: int | str
    quote: str
    claimants: list["EntityView"]
    per: str  # whose claim, as every view prints it beside the statement: "per the DoD report"
    per_short: str  # the same where room is short (diagram labels): "per the DoD report", "no claimant"
    anchor: str  # the cited paragraph on the source's page: sources/monitoring-desk-article.md#p5


@dataclass
class FactView:
    says: str
    citation: Citation
    note: str = ""  # the footnote label on this page


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
    kind_page: str  # its kind's index page: groups/index.md
    search_names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # the aliases not merely the name spelt another way
    search_tags: list[str] = field(default_factory=list)  # its one-word names, exact search terms
    facts: list[FactView] = field(default_factory=list)
    outgoing: list[LinkGroup] = field(default_factory=list)
    incoming: list[LinkGroup] = field(default_factory=list)
    infobox: list[LinkGroup] = field(default_factory=list)
    events: list[Link] = field(default_factory=list)  # the events it took part in, each with its citation
    notes: dict[str, Citation] = field(default_factory=dict)  # footnote label -> citation, in reading order
    citing_facts: list["Paragraph"] = field(default_factory=list)  # sources: what cites each locator
    citing_fact_count: int = 0  # sources: how many facts, on any page, cite it
    sort_key: str = ""
    date_label: str = ""  # events: their date; sources: their publication date
    summary_text: str = ""  # the summary as plain text, each [[link]] as the entity's name (metadata, JSON-LD)
    claimant_label: str = ""  # how a view names it as a claimant: "the DoD report", "Pakistan"
    according_to: str = ""  # whose claims its facts are, for index pages and the timeline: "per the DoD report"
    byline: str = ""  # sources: what a citation says of it (medium, author, publisher, date), as known
    prose_name: str = ""  # its link text inside prose: a source as readers call it, "DoD report" (after "the")

    def __repr__(self) -> str:  # views link to each other: the dataclass repr would walk the whole graph
        return f"EntityView({self.id!r})"

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

    @property
    def listed_count(self) -> int:
        """The count its kind's index shows: for a source, the facts citing it."""
        return self.citing_fact_count if self.entity.kind == "sources" else self.fact_count


@dataclass
class Citing:
    """A fact or relation that cites a paragraph, on the source's paragraph walk."""

    entity: EntityView
    says: str  # prose; "" for a relation stated by its label alone
    quote: str
    per: str
    label: str = ""  # a relation without `says`: its label and the entity at its other end
    other: EntityView | None = None


@dataclass
class Paragraph:
    at: int | str
    anchor: str  # the heading's id on the source's page: p5
    opening: str  # its first words, where the source's file lists them
    citing: list[Citing]


@dataclass
class GlossaryEntry:
    term: str
    expansion: str
    description: str
    entity: EntityView | None
    key: str  # the term as an abbreviation tooltip's key, or "" when it cannot be one (escape.abbreviation_key)
    concept: bool = False  # a lower-case term (sanctuary): explained under Concepts, not a tooltip


@dataclass
class TimelineEntry:
    date: str
    date_label: str
    derived: str  # how the date was worked out; "" when the source states it
    undated: str  # when the source gives no date: what it says about when
    entity: EntityView
    what: str  # "event", or "published" for a source's publication
    after: "EntityView | None" = None  # an undated event placed after the event the source puts before it


@dataclass
class KindIndex:
    kind: Kind
    page: str
    entities: list[EntityView]

    @property
    def count_heading(self) -> str:
        """What the index counts: a source's facts are the facts that cite it, wherever they stand."""
        return "Facts citing it" if self.kind.folder == "sources" else "Facts"


@dataclass
class Graph:
    entities: dict[str, EntityView]
    kinds: list[KindIndex]
    timeline: list[TimelineEntry]
    glossary: list[GlossaryEntry]  # every entry: the tooltips' source
    redirects: dict[str, EntityView]  # former id -> entity
    sources: list[EntityView]
    counts: dict[str, int]
    reporting_sources: list[EntityView] = field(default_factory=list)  # sources that report on another source
    who_says_what: object = None  # factsite.claims.WhoSaysWhat
    network: list[EntityView] = field(default_factory=list)  # the entities the home page's network draws

    @property
    def terms(self) -> list[GlossaryEntry]:
        """The glossary's abbreviations and terms, as its table lists them."""
        return [entry for entry in self.glossary if not entry.concept]

    @property
    def concepts(self) -> list[GlossaryEntry]:
        """The concepts the glossary explains under their own headings."""
        return [entry for entry in self.glossary if entry.concept]

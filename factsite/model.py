"""The typed model that validation makes from the raw documents."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Fact:
    says: str
    source: str
    at: int | str
    quote: str
    claimed_by: tuple[str, ...] = ()


@dataclass
class Relation:
    type: str
    to: str
    source: str
    at: int | str
    quote: str
    says: str = ""
    claimed_by: tuple[str, ...] = ()


@dataclass
class Entity:
    kind: str  # the folder: groups, states, organizations, places, events, sources
    name: str
    summary: str
    id: str = ""
    path: str = ""  # the data file, as shown in messages
    abbreviation: str = ""
    aliases: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    former_ids: list[str] = field(default_factory=list)
    # events
    date: str = ""
    date_derived: str = ""
    undated: str = ""  # events the source gives no date for: what it says about when
    after: str = ""  # an undated event: the event the source puts before it
    # sources
    medium: str = ""
    author: str = ""
    publisher: str = ""
    published: str = ""
    published_derived: str = ""
    url: str = ""
    archive_url: str = ""
    licence: str = ""  # "copyrighted" or "public-domain"; unset means copyrighted
    paragraphs: int = 0
    paragraph_openings: list[str] = field(default_factory=list)
    locator: str = ""
    archived_text: str = ""
    preamble_lines: int = 0
    # Filled by the source-verification work (issue 12) when the schema has them; printed when set.
    licence: str = ""
    archive_url: str = ""
    paragraph_openings: list[str] = field(default_factory=list)
    # not a data field: a public-domain source's own text, one paragraph an item (quote verification reads it)
    text_paragraphs: list[str] = field(default_factory=list)


def entity_maker(kind: str):
    def make(**fields) -> Entity:
        return Entity(kind=kind, **fields)

    return make


@dataclass
class Term:
    term: str
    expansion: str
    description: str = ""
    entity: str = ""


@dataclass
class Glossary:
    terms: list[Term]


@dataclass
class Model:
    entities: dict[str, Entity]  # by id, in file order
    glossary: list[Term]

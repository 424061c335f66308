"""The one schema: every kind and field, with the description readers and editors see.

The validator checks data against these definitions, the JSON Schema for editors is made from
them, and the data reference page prints their descriptions, so none of them is written twice.
The value types they use are in factsite/types.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from factsite import model
from factsite.types import (Choice, Date, Field, Integer, Known, ListOf, Locator, OneOrMore, Prose, Record, Ref, Slug,
                            Text, Url)
from factsite.vocabulary import RELATION_TYPES

QUOTE_MAX_WORDS = 30  # DESIGN asks for "about 25"; past 30 a quote stops being short.
GLOSSARY_FILE = "glossary.yaml"
SCHEMA_VERSION = 1


CLAIMED_BY = Field("claimed_by", OneOrMore(Ref()),
                   "Who asserts the statement, when the source reports someone else's claim: an id, or a list of ids "
                   "(the DoD report; Afghanistan; both countries' leaders).", example="dod-report")
SOURCE = Field("source", Ref(source=True), "The id of the cited file in data/sources/.", True,
               "monitoring-desk-article")
AT = Field("at", Locator(), "Where in the source: its paragraph number, counted as the source's `locator` says; "
           "each source's page on the site lists its paragraphs.", True, "3")
QUOTE = Field("quote", Text(max_words=QUOTE_MAX_WORDS),
              "A short verbatim excerpt (at least 5 words, about 25 at most) that shows the statement is in the "
              "source, keeping its curly quotes and dashes; checked against the source's paragraph.", True, '"…"')



def citation_rules(known: Known | None) -> dict:
    """JSON Schema: `at` is a paragraph number in range when the cited source numbers its paragraphs."""
    rules = [{"if": {"properties": {"source": {"const": source}}, "required": ["source"]},
              "then": {"properties": {"at": {"type": "integer", "minimum": 1, "maximum": paragraphs,
                                             "errorMessage": f"'{source}' is located by paragraph number: "
                                                             f"a number from 1 to {paragraphs}, without quotes."}}}}
             for source, paragraphs in sorted((known.sources if known else {}).items()) if paragraphs]
    return {"allOf": rules} if rules else {}


FACT = Record("fact", [
    Field("says", Prose(), "The statement, in the project's own words; may link entities as [[id]].", True, "…"),
    SOURCE, AT, QUOTE, CLAIMED_BY,
], model.Fact, citation_rules)

RELATION = Record("relation", [
    Field("type", Choice({k: t.description for k, t in RELATION_TYPES.items()}, "relation type"),
          "The kind of link, from the controlled vocabulary; the other page shows its inverse.", True, "affiliate-of"),
    Field("to", Ref(), "The id of the entity at the other end.", True, "al-qaida"),
    Field("says", Prose(), "Optional: the relation in the project's own words, when its label is not enough."),
    SOURCE, AT, QUOTE, CLAIMED_BY,
], model.Relation, citation_rules)

_NAMES = [
    Field("name", Text(), "The name as the source spells it.", True, "Haqqani Network"),
    Field("abbreviation", Text(), "The abbreviation the source uses, if any (AQIS, TTP)."),
    Field("aliases", ListOf(Text()), "Other names and spellings readers may search for. Labels, not claims: no citation needed."),
    Field("summary", Prose(), "One or two sentences in the project's own words that sum up the facts below.", True, "…"),
]
_FACTS = Field("facts", ListOf(FACT, min_items=1), "Statements from the sources, each cited.", True, "")
_OPTIONAL_FACTS = Field("facts", ListOf(FACT), "Statements from the sources about this document, each cited.")
_RELATIONS = Field("relations", ListOf(RELATION), "Typed, cited links to other entities. Inverses are derived, never written.")
_FORMER_IDS = Field("former_ids", ListOf(Slug()), "Ids this entity had before a rename; their old addresses redirect here.")


@dataclass(frozen=True)
class Kind:
    folder: str
    singular: str
    title: str
    description: str
    record: Record
    schema_org: str
    # Its boxes in the diagrams: hues after Okabe-Ito, darkened until white text on them is above
    # 5:1 (WCAG AA is 4.5:1).
    colour: str

    @property
    def fields(self) -> dict[str, Field]:
        return self.record.fields


def _entity_kind(folder, singular, title, description, schema_org, colour, extra=(), facts=_FACTS, rules=None):
    fields = _NAMES + list(extra) + [facts, _RELATIONS, _FORMER_IDS]
    return Kind(folder, singular, title, description, Record(singular, fields, model.entity_maker(folder), rules),
                schema_org, colour)


def _given(name: str) -> dict:
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}


def _date_or_undated(known: Known | None) -> dict:
    """JSON Schema: an event has exactly one of `date` and `undated` (an empty one counts as absent)."""
    return {"oneOf": [_given("date"), _given("undated")],
            "errorMessage": "An event has a `date`, or `undated` when the source gives none: exactly one of them."}


KINDS: dict[str, Kind] = {k.folder: k for k in [
    _entity_kind("groups", "group", "Groups", "Groups that the sources call terrorist, insurgent, militant or extremist.", "Organization", "#B3311F"),
    _entity_kind("states", "state", "States", "Countries.", "Country", "#0B5FA5"),
    _entity_kind("organizations", "organization", "Organizations",
                 "Governments' bodies, armed forces and their units, missions and forums.", "GovernmentOrganization",
                 "#00766C"),
    _entity_kind("places", "place", "Places", "Regions, borders and areas.", "Place", "#7A6300"),
    _entity_kind("events", "event", "Events", "Dated happenings with participants.", "Event", "#8338A8", extra=[
        Field("date", Date(), "When it happened, as precisely as the source allows: 2017, 2017-08, 2017-12-15. "
              "Leave it out when the source gives no date, and say so in `undated`.", example="2017-08"),
        Field("date_derived", Prose(), "When the source does not state the date but it was worked out: how. "
              "Marks the date as derived."),
        Field("undated", Prose(), "When the source gives no date at all: what it does say about when (for "
              "example, that a report of December 2017 tells of it as done). Takes the place of `date`."),
        Field("after", Ref(), "Optional, with `undated`: the id of the event that, by the source's account, "
              "came before this one. The timeline places this event just after it and says so."),
    ], rules=_date_or_undated),
    _entity_kind("sources", "source", "Sources", "Documents that facts cite.", "CreativeWork", "#4F5B6B", extra=[
        Field("medium", Text(), "What sort of document it is: news article, report."),
        Field("author", Text(), "Who wrote it, as the document gives it."),
        Field("publisher", Text(), "Who published it, as the document gives it."),
        Field("published", Date(), "When it was published, as precisely as known."),
        Field("published_derived", Prose(), "When the publication date was worked out rather than read: how."),
        Field("url", Url(), "Where the document can be read, if it is online. " + Url.RULE),
        Field("archive_url", Url(), "Where an archived copy of the document can be read (a web archive's address), "
              "if there is one."),
        Field("licence", Choice({"copyrighted": "The text belongs to its publisher: the repository keeps only its "
                                 "verification data (<id>.verify), never the text.",
                                 "public-domain": "Anyone may copy the text (a work of the US government, for "
                                 "instance): the repository may keep it whole (<id>.txt) and the site shows it."},
                                "licence"),
              "Whether the text may be copied: copyrighted (the default) or public-domain."),
        Field("paragraphs", Integer(minimum=1), "How many numbered paragraphs the source has; when set, every `at` "
              "citing it must be a paragraph number in that range. `factsite source add` writes it."),
        Field("paragraph_openings", ListOf(Text()), "The first few words of each paragraph, in order, copied "
              "exactly: a reader holding the document finds paragraph N by them. The checker verifies each against "
              "the source's verification data. `factsite source add` writes them."),
        Field("locator", Prose(), "How `at` locates a statement in this source, in words: what counts as "
              "paragraph 1, and what is left out of the count."),
        Field("archived_text", Text(), "The file name of this source's archived text in a texts folder "
              "(`factsite check --texts DIR`), when it is not `<id>.txt`. One paragraph per non-empty line."),
        Field("preamble_lines", Integer(), "How many non-empty lines open the archived text before paragraph 1 "
              "(headline, byline, date line)."),
    ], facts=_OPTIONAL_FACTS),
]}

GLOSSARY = Record("glossary", [
    Field("terms", ListOf(Record("term", [
        Field("term", Text(), "The abbreviation or term as the source writes it.", True, "IED"),
        Field("expansion", Text(), "What it stands for.", True, "improvised explosive device"),
        Field("description", Prose(), "Optional: a short explanation in the project's own words."),
        Field("entity", Ref(), "Optional: the id of the entity it names."),
    ], model.Term)), "Abbreviations and terms that are not entities. Entities' abbreviations join them "
       "automatically.", True, ""),
], model.Glossary)

# Ids no entity may have, because the site or the checker already uses the name: each kind's folder
# holds its index page (`<kind>/index.md`), and a former id `index` would put its redirect page
# (`<kind>/index.html`) over that index's HTML; the validator files the glossary under "glossary";
# a kind's folder name as an id would give pages like groups/groups.html and a search result that
# reads like the kind. tests/test_check_cli.py checks this list against every page the site makes.
INDEX_PAGE_NAME = "index"
RESERVED_IDS = frozenset({INDEX_PAGE_NAME, "glossary", *KINDS})

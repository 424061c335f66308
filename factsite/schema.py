"""The one schema: every kind, field and type, with the description readers and editors see.

The validator checks data against these definitions, the JSON Schema for editors is made from
them, and the data reference page prints their descriptions, so none of them is written twice.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from factsite.problems import did_you_mean
from factsite.vocabulary import RELATION_TYPES

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LINK = re.compile(r"\[\[([^\[\]]*)\]\]")
NULLS = {"", "~", "null", "Null", "NULL"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
QUOTE_MAX_WORDS = 40  # DESIGN asks for "about 25"; past 40 a quote stops being short.
GLOSSARY_FILE = "glossary.yaml"
SCHEMA_VERSION = 1


class Plain(str):
    """A scalar written without quotes: YAML 1.1 may read it as something other than text."""

    __slots__ = ()


class Invalid(Exception):
    """A value that does not fit its type; `path` is relative to the value checked."""

    def __init__(self, message: str, hint: str = "", path: tuple = (), key: bool = False):
        super().__init__(message)
        self.message, self.hint, self.path, self.key = message, hint, path, key


class Problems(Exception):
    """Several Invalid at once (a record collects every problem of its fields)."""

    def __init__(self, errors: list[Invalid]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


_resolver = yaml.resolver.Resolver()
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "an empty value (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}


def yaml11_reading(text: str) -> str | None:
    """What a YAML 1.1 loader would turn this unquoted text into, when that is not text."""
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if tag not in _TAG_NAMES:
        return None
    value = yaml.safe_load(text)
    shown = value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else repr(value)
    return f"{_TAG_NAMES[tag]}, {shown}" if tag != "tag:yaml.org,2002:null" else _TAG_NAMES[tag]


# ---------------------------------------------------------------- types


class Type:
    label = "value"

    def convert(self, value: Any) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


def _expect_text(value: Any, label: str) -> str:
    if isinstance(value, (dict, list)):
        got = "a mapping" if isinstance(value, dict) else "a list"
        raise Invalid(f"expected {label}, got {got}")
    return value


class Text(Type):
    """A single line of text; YAML 1.1's surprises (`NO`, `010`, `1:10`, dates) must be quoted."""

    label = "text"

    def __init__(self, *, multiline: bool = False, max_words: int | None = None):
        self.multiline = multiline
        self.max_words = max_words

    def convert(self, value: Any) -> str:
        text = _expect_text(value, self.label)
        if isinstance(text, Plain):
            reading = yaml11_reading(text)
            if reading:
                raise Invalid(f"YAML 1.1 reads the unquoted {text} as {reading}, not as text",
                              f'quote it: "{text}"')
        text = str(text)
        control = _CONTROL.search(text)
        if control:  # only reachable through a YAML escape ("\x02"); Markdown uses some as placeholders
            raise Invalid(f"holds the control character U+{ord(control.group()):04X}",
                          "remove it; text may hold line breaks and tabs, no other control characters")
        if not text.strip():
            raise Invalid("is empty", "write a value or remove the field")
        if not self.multiline and ("\n" in text.strip()):
            raise Invalid("must be a single line", "join the lines into one")
        if self.max_words and len(text.split()) > self.max_words:
            raise Invalid(f"has {len(text.split())} words; at most {self.max_words} are allowed",
                          "quote only the words that show the statement")
        return text.strip() if not self.multiline else text.strip()

    def json_schema(self) -> dict:
        schema: dict = {"type": "string", "minLength": 1}
        if not self.multiline:
            schema["pattern"] = r"^[^\n]*\S[^\n]*$"
        return schema


class Prose(Text):
    """Text in the project's own words; `[[id]]` links to another entity."""

    label = "text"

    def __init__(self):
        super().__init__(multiline=True)


class Slug(Type):
    label = "an id"

    def convert(self, value: Any) -> str:
        text = _expect_text(value, self.label)
        if not SLUG.match(str(text)):
            raise Invalid(f"'{text}' is not a valid id", f"use lower-case letters, digits and single hyphens, like '{slugify(str(text)) or 'taliban'}'")
        return str(text)

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": SLUG.pattern}


class Ref(Slug):
    """The id of another entity (or, with `source=True`, of a file in data/sources/)."""

    def __init__(self, *, source: bool = False):
        self.source = source


class Integer(Type):
    label = "a whole number"

    def __init__(self, minimum: int = 0):
        self.minimum = minimum

    def convert(self, value: Any) -> int:
        text = _expect_text(value, self.label)
        if not isinstance(text, Plain) or not re.fullmatch(r"0|[1-9][0-9]*", text):
            reading = yaml11_reading(text) if isinstance(text, Plain) else None
            if reading and "number" in reading:
                raise Invalid(f"YAML 1.1 reads {text} as {reading}", "write a plain decimal number, like 10")
            raise Invalid(f"expected {self.label}, got '{text}'", "write digits only, without quotes")
        number = int(text)
        if number < self.minimum:
            raise Invalid(f"must be at least {self.minimum}")
        return number

    def json_schema(self) -> dict:
        return {"type": "integer", "minimum": self.minimum}


class Date(Type):
    """A date as precise as the source allows: 2017, 2017-08 or 2017-12-15."""

    label = "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

    def convert(self, value: Any) -> str:
        text = str(_expect_text(value, self.label))
        match = self.PATTERN.match(text)
        if not match:
            raise Invalid(f"expected {self.label}, got '{text}'", "for August 2017 write 2017-08")
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            datetime.date(year, month or 1, day or 1)
        except ValueError:
            raise Invalid(f"'{text}' is not a date in the calendar") from None
        return text

    def json_schema(self) -> dict:
        # An unquoted year (`date: 2017`) is a number to YAML, and the checker takes it as the year.
        return {"anyOf": [{"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                          {"type": "integer", "minimum": 1000, "maximum": 9999}]}


class Locator(Type):
    """Where in the source: a paragraph number for sources that number them, else text."""

    label = "a locator"

    def convert(self, value: Any) -> int | str:
        text = _expect_text(value, self.label)
        if isinstance(text, Plain) and re.fullmatch(r"[0-9]+", text):
            return Integer(minimum=1).convert(text)
        return Text().convert(text)

    def json_schema(self) -> dict:
        return {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1}]}


class Url(Text):
    label = "an http(s) address"

    def convert(self, value: Any) -> str:
        text = super().convert(value)
        if not re.match(r"^https?://[^\s]+$", text):
            raise Invalid(f"expected {self.label}, got '{text}'", "start it with https://")
        return text

    def json_schema(self) -> dict:
        return {"type": "string", "format": "uri", "pattern": "^https?://"}


class Choice(Type):
    def __init__(self, choices: dict[str, str], what: str):
        self.choices, self.what = choices, what
        self.label = f"a {what}"

    def convert(self, value: Any) -> str:
        text = str(_expect_text(value, self.label))
        if text not in self.choices:
            hint = did_you_mean(text, self.choices) or f"see the {self.what}s on the data reference page"
            raise Invalid(f"unknown {self.what} '{text}'", hint)
        return text

    def json_schema(self) -> dict:
        return {"type": "string", "enum": list(self.choices)}


class ListOf(Type):
    def __init__(self, item: Type, *, min_items: int = 0):
        self.item, self.min_items = item, min_items
        self.label = "a list"

    def convert(self, value: Any) -> list:
        if not isinstance(value, list):
            got = "a mapping" if isinstance(value, dict) else f"'{value}'"
            raise Invalid(f"expected a list, got {got}", "start each item on its own line with '- ', "
                          "or write [first, second]")
        if len(value) < self.min_items:
            raise Invalid(f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                items.append(self.item.convert(item))
            except Invalid as error:
                errors.append(Invalid(error.message, error.hint, (index,) + error.path, error.key))
            except Problems as many:
                errors.extend(Invalid(e.message, e.hint, (index,) + e.path, e.key) for e in many.errors)
        if errors:
            raise Problems(errors)
        return items

    def json_schema(self) -> dict:
        schema = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


class OneOrMore(Type):
    """One value, or a list of them; always a tuple once converted."""

    def __init__(self, item: Type):
        self.item = item
        self.label = f"{item.label} or a list of them"

    def convert(self, value: Any) -> tuple:
        if isinstance(value, list):
            return tuple(ListOf(self.item, min_items=1).convert(value))
        return (self.item.convert(value),)

    def json_schema(self) -> dict:
        one = self.item.json_schema()
        return {"oneOf": [one, {"type": "array", "items": one, "minItems": 1}]}


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    description: str
    required: bool = False
    example: str = ""


class Record(Type):
    """A mapping with known fields, turned into an instance of `make` (a model class)."""

    label = "a mapping"

    def __init__(self, title: str, fields: list[Field], make: Callable[..., Any] | None = None):
        self.title, self.fields, self.make = title, {f.name: f for f in fields}, make

    def convert(self, value: Any) -> Any:
        if not isinstance(value, dict):
            got = "a list" if isinstance(value, list) else f"'{value}'"
            raise Invalid(f"expected {self.label} of fields, got {got}", "write 'field: value' lines")
        converted, errors = {}, []
        suggested = set()  # fields an unknown key was probably meant to be (`sumary` -> `summary`)
        for key, item in value.items():
            spec = self.fields.get(key)
            if spec is None:
                close = difflib.get_close_matches(key, list(self.fields), n=1, cutoff=0.6)
                suggested.update(close)
                hint = did_you_mean(key, self.fields) or f"{self.title} fields are: {', '.join(self.fields)}"
                errors.append(Invalid(f"unknown field '{key}'", hint, (key,), key=True))
                continue
            if isinstance(item, Plain) and item in NULLS:
                continue  # an empty optional field is as good as an absent one
            try:
                converted[key] = spec.type.convert(item)
            except Invalid as error:
                errors.append(Invalid(error.message, error.hint, (key,) + error.path, error.key))
            except Problems as many:
                errors.extend(Invalid(e.message, e.hint, (key,) + e.path, e.key) for e in many.errors)
        for name, spec in self.fields.items():
            if not spec.required or name in converted:
                continue
            if name in value:
                if isinstance(value[name], Plain) and value[name] in NULLS:  # not when its value was wrong
                    errors.append(Invalid("is empty", "write a value", (name,)))
            elif name in suggested:
                continue  # the unknown field's "did you mean" already says it
            else:
                example = f"add '{name}: {spec.example}'" if spec.example else f"add '{name}:'"
                errors.append(Invalid(f"missing required field '{name}'", example))
        if errors:
            raise Problems(errors)
        return self.make(**converted) if self.make else converted

    def json_schema(self) -> dict:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [f.name for f in self.fields.values() if f.required],
            "properties": {
                f.name: {"description": f.description, **f.type.json_schema()} for f in self.fields.values()
            },
        }


def slugify(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


# ---------------------------------------------------------------- the data model's fields

from factsite import model  # noqa: E402  (the model's classes are what records make)

CLAIMED_BY = Field("claimed_by", OneOrMore(Ref()),
                   "Who asserts the statement, when the source reports someone else's claim: an id, or a list of ids "
                   "(the DoD report; Afghanistan; both countries' leaders).", example="dod-report")
SOURCE = Field("source", Ref(source=True), "The id of the cited file in data/sources/.", True, "dod-article")
AT = Field("at", Locator(), "Where in the source: for the article, the paragraph number (1-14) in shared/seeds/README.md.",
           True, "3")
QUOTE = Field("quote", Text(max_words=QUOTE_MAX_WORDS),
              "A short verbatim excerpt (about 25 words at most) that shows the statement is in the source, "
              "keeping its curly quotes and dashes.", True, '"…"')

FACT = Record("fact", [
    Field("says", Prose(), "The statement, in the project's own words; may link entities as [[id]].", True, "…"),
    SOURCE, AT, QUOTE, CLAIMED_BY,
], model.Fact)

RELATION = Record("relation", [
    Field("type", Choice({k: t.description for k, t in RELATION_TYPES.items()}, "relation type"),
          "The kind of link, from the controlled vocabulary; the other page shows its inverse.", True, "affiliate-of"),
    Field("to", Ref(), "The id of the entity at the other end.", True, "al-qaida"),
    Field("says", Prose(), "Optional: the relation in the project's own words, when its label is not enough."),
    SOURCE, AT, QUOTE, CLAIMED_BY,
], model.Relation)

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
    colour: str
    examples: str = ""

    @property
    def fields(self) -> dict[str, Field]:
        return self.record.fields


def _entity_kind(folder, singular, title, description, schema_org, colour, extra=(), facts=_FACTS):
    fields = _NAMES + list(extra) + [facts, _RELATIONS, _FORMER_IDS]
    return Kind(folder, singular, title, description, Record(singular, fields, model.entity_maker(folder)),
                schema_org, colour)


KINDS: dict[str, Kind] = {k.folder: k for k in [
    _entity_kind("groups", "group", "Groups", "Militant, insurgent and terrorist groups.", "Organization", "#c0392b"),
    _entity_kind("states", "state", "States", "Countries.", "Country", "#2471a3"),
    _entity_kind("organizations", "organization", "Organizations",
                 "Governments' bodies, armed forces and their units, missions and forums.", "GovernmentOrganization",
                 "#1e8449"),
    _entity_kind("places", "place", "Places", "Regions, borders and areas.", "Place", "#9a7d0a"),
    _entity_kind("events", "event", "Events", "Dated happenings with participants.", "Event", "#7d3c98", extra=[
        Field("date", Date(), "When it happened, as precisely as the source allows: 2017, 2017-08, 2017-12-15.",
              True, "2017-08"),
        Field("date_derived", Prose(), "When the source does not state the date but it was worked out: how. "
              "Marks the date as derived."),
    ]),
    _entity_kind("sources", "source", "Sources", "Documents that facts cite.", "CreativeWork", "#566573", extra=[
        Field("medium", Text(), "What sort of document it is: news article, report."),
        Field("author", Text(), "Who wrote it, as the document gives it."),
        Field("publisher", Text(), "Who published it, as the document gives it."),
        Field("published", Date(), "When it was published, as precisely as known."),
        Field("published_derived", Prose(), "When the publication date was worked out rather than read: how."),
        Field("url", Url(), "Where the document can be read, if it is online."),
        Field("paragraphs", Integer(minimum=1), "How many numbered paragraphs the source has; when set, every `at` "
              "citing it must be a paragraph number in that range."),
        Field("locator", Prose(), "How `at` locates a statement in this source, in words."),
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

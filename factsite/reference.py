"""What the data reference page prints, read from the one schema and the relation vocabulary.

Every kind's fields, the records inside them (a fact, a relation, a glossary term) and every
relation type, in the order the schema defines them. The template only prints these rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from factsite.schema import GLOSSARY, KINDS
from factsite.types import Choice, Date, Integer, ListOf, Locator, OneOrMore, Prose, Record, Ref, Slug, Text, Type, Url
from factsite.schema_files import file_name, schema_line
from factsite.vocabulary import RELATION_TYPES, RelationType


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str  # in words; may link to a record's section (`[fact](#a-fact)`)
    required: bool
    description: str


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    description: str
    location: str  # where such data is written
    schema_file: str  # the JSON Schema file, for kinds and the glossary; else ""
    schema_line: str
    fields: list[FieldRow]


@dataclass(frozen=True)
class Reference:
    kinds: list[Section]
    records: list[Section]  # the records that live inside the kinds' fields
    relation_types: list[RelationType]


def type_words(kind: Type) -> str:
    if isinstance(kind, ListOf):
        item = kind.item
        if isinstance(item, Record):
            return f"list of [{item.title}s](#{_anchor(item.title)})"
        if isinstance(item, Slug):
            return "list of ids"
        return "list of one-line texts" if type(item) is Text and not item.multiline else f"list of: {type_words(item)}"
    if isinstance(kind, OneOrMore):
        one = type_words(kind.item)
        return f"{one}, or a list of them"
    if isinstance(kind, Record):
        return f"[{kind.title}](#{_anchor(kind.title)})"
    if isinstance(kind, Ref):
        return "source id" if kind.source else "entity id"
    if isinstance(kind, Choice):
        return f"[{kind.what}](#relation-types)" if kind.what == "relation type" else kind.what
    words = {Url: "address (http or https)", Prose: "text, several lines, [[id]] links",
             Text: "text, one line", Slug: "id", Integer: "whole number", Date: "date: YYYY, YYYY-MM or YYYY-MM-DD",
             Locator: "paragraph number, or text"}
    for cls, text in words.items():  # most specific first: Url and Prose are kinds of Text, Ref of Slug
        if isinstance(kind, cls):
            if isinstance(kind, Text) and getattr(kind, "max_words", None):
                return f"{text}, at most {kind.max_words} words"
            return text
    return kind.label


def _anchor(title: str) -> str:
    return f"a-{title.replace(' ', '-')}"


def _rows(record: Record) -> list[FieldRow]:
    return [FieldRow(f.name, type_words(f.type), f.required, f.description) for f in record.fields.values()]


def _nested(record: Record, found: dict[str, Record]) -> None:
    for spec in record.fields.values():
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        if isinstance(inner, Record) and inner.title not in found:
            found[inner.title] = inner
            _nested(inner, found)


def reference() -> Reference:
    kinds = [Section(kind.title, kind.folder, kind.description, f"data/{folder}/<id>.yaml", file_name(folder),
                     schema_line(folder), _rows(kind.record)) for folder, kind in KINDS.items()]
    kinds.append(Section("Glossary", "glossary", "Abbreviations and terms that are not entities.",
                         "data/glossary.yaml", file_name("glossary"), schema_line("glossary"), _rows(GLOSSARY)))
    found: dict[str, Record] = {}
    for record in [kind.record for kind in KINDS.values()] + [GLOSSARY]:
        _nested(record, found)
    records = [Section(f"A {title}", _anchor(title), "", "", "", "", _rows(record)) for title, record in found.items()]
    return Reference(kinds, records, list(RELATION_TYPES.values()))

"""The data downloads: the graph as JSON and CSV files, and what the data page says of them.

`downloads()` returns every file by its path relative to the docs folder (the paths are in the table of
pages, factsite/pages.py), like the rendered pages, so the write stage puts them into docs/data/ and
MkDocs copies them into the site (and the offline bundle). Field names are the schema's, so the data
page describes them from the schema's own descriptions. `generated_at` is the data's own date
(factsite/load.py, data_epoch), never the clock, so the same data gives the same files.
"""

from __future__ import annotations

import csv
import io
import json

from factsite.attribution import per
from factsite.model import Fact, Relation
from factsite.pages import EVERYTHING, FACTS_CSV, RELATIONS_CSV, entity_json_path, html_path, kind_csv_path
from factsite.schema import FACT, KINDS, RELATION, SCHEMA_VERSION
from factsite.views import EntityView, Graph
from factsite.vocabulary import RELATION_TYPES

LIST_SEPARATOR = "; "  # between the items of a list in one CSV cell


# ---------------------------------------------------------------- records


def _fields(record, names) -> dict:
    """The fields that are set, in the schema's order, as JSON values."""
    out = {}
    for name in names:
        value = getattr(record, name)
        if value in ("", 0, (), [], None):
            continue
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def fact_record(fact: Fact) -> dict:
    return _fields(fact, FACT.fields)


def relation_record(relation: Relation) -> dict:
    return _fields(relation, RELATION.fields)


ATTRIBUTION = "Whose claim it is, as every page prints it beside the statement: `per` its claimants, or `no claimant` " \
              "and the source whose wording it rests on."


def _attributed(record: dict, cited: Fact | Relation, graph: Graph | None) -> dict:
    if graph is not None:
        claimants = [graph.entities[c].claimant_label for c in cited.claimed_by]
        record["attribution"] = per(claimants, graph.entities[cited.source].claimant_label)
    return record


def entity_record(view: EntityView, graph: Graph | None = None) -> dict:
    entity = view.entity
    record = {"id": entity.id, "kind": entity.kind, "page": html_path(view.page)}
    for name in KINDS[entity.kind].fields:
        value = getattr(entity, name)
        if name == "facts":
            value = [_attributed(fact_record(f), f, graph) for f in value]
        elif name == "relations":
            value = [_attributed(relation_record(r), r, graph) for r in value]
        if value not in ("", 0, (), [], None):
            record[name] = list(value) if isinstance(value, tuple) else value
    return record


def incoming_records(graph: Graph) -> dict[str, list[dict]]:
    """For each entity, the relations other entities state about it, as the other page states them."""
    incoming: dict[str, list[dict]] = {id_: [] for id_ in graph.entities}
    for other in graph.entities.values():
        for relation in other.entity.relations:
            incoming[relation.to].append({"from": other.id, **_attributed(relation_record(relation), relation, graph)})
    return incoming


# ---------------------------------------------------------------- files


def downloads(graph: Graph, generated_at: str) -> dict[str, str]:
    """Every download. (The preview keeps each entity's part between edits: factsite/preview_downloads.py.)"""
    header = {"schema_version": SCHEMA_VERSION, "generated_at": generated_at}
    records = {id_: entity_record(view, graph) for id_, view in graph.entities.items()}  # each goes in three files
    files = {EVERYTHING: _json({**header, "counts": graph.counts, "entities": list(records.values())})}
    # No generated_at per entity: editing one entity must not rewrite every entity's file.
    incoming = incoming_records(graph)
    for id_, record in records.items():
        files[entity_json_path(id_)] = _json({"schema_version": SCHEMA_VERSION, "entity": record,
                                              "incoming": incoming[id_]})
    for kind in KINDS.values():
        rows = [_entity_row(records[v.id], v) for v in graph.entities.values() if v.entity.kind == kind.folder]
        files[kind_csv_path(kind.folder)] = _csv(entity_columns(kind.folder), rows)
    files[FACTS_CSV] = _csv(FACT_COLUMNS, [
        {"entity": id_, "number": n, **_flat(fact)}
        for id_, record in records.items() for n, fact in enumerate(record.get("facts", ()), 1)])
    files[RELATIONS_CSV] = _csv(RELATION_COLUMNS, [
        {"from": id_, **_flat(relation)} for id_, record in records.items() for relation in record.get("relations", ())])
    return files


FACT_COLUMNS = ["entity", "number", *FACT.fields, "attribution"]
RELATION_COLUMNS = ["from", *RELATION.fields, "attribution"]


def entity_columns(kind: str) -> list[str]:
    """One column per field of the kind, except the lists of records, which have their own files."""
    return ["id", "page", *(name for name in KINDS[kind].fields if name not in ("facts", "relations")), "facts"]


def _entity_row(record: dict, view: EntityView) -> dict:
    row = _flat({k: v for k, v in record.items() if k not in ("facts", "relations", "kind")})
    row["facts"] = len(view.entity.facts)
    return row


def _flat(record: dict) -> dict:
    return {k: LIST_SEPARATOR.join(map(str, v)) if isinstance(v, list) else v for k, v in record.items()}


def _json(value) -> str:
    # Compact: Python's C encoder serves only calls without indent (indent=1 took 0.42 s at 4,000
    # entities, this 0.15 s), and the files are a third smaller. `python -m json.tool` re-indents.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _csv(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------- the data page

# Fields the downloads add to the schema's; the schema's own fields are described by the schema.
DERIVED_FIELDS = {
    "id": "The entity's id: its data file's name, and the last part of its page's address.",
    "kind": "The entity's kind: the folder its data file is in (groups, states, organizations, places, events, "
            "sources).",
    "page": "The entity's page, relative to the site's root.",
}


def data_page(graph: Graph) -> dict:
    """What templates/data.md.j2 prints: the files, and every field with the schema's own description."""
    # One row per field and description: a field that means something else in one kind gets its own row.
    rows: dict[tuple[str, str], list[str]] = {(name, text): list(KINDS) for name, text in DERIVED_FIELDS.items()}
    for kind in KINDS.values():
        for name, field in kind.fields.items():
            rows.setdefault((name, field.description), []).append(kind.folder)
    entity_fields = [{"name": name, "description": text, "kinds": "all" if len(kinds) == len(KINDS) else ", ".join(kinds)}
                     for (name, text), kinds in rows.items()]
    example = next(iter(graph.entities.values()), None)
    return {
        "everything": EVERYTHING,
        "example_entity": (example.id, entity_json_path(example.id)) if example else None,
        "kind_files": [(kind.title, kind_csv_path(kind.folder), graph.counts.get(kind.folder, 0))
                       for kind in KINDS.values()],
        "facts_file": (FACTS_CSV, graph.counts["facts"]),
        "relations_file": (RELATIONS_CSV, graph.counts["relations"]),
        "list_separator": LIST_SEPARATOR,
        "entity_fields": entity_fields,
        "fact_fields": {**{name: f.description for name, f in FACT.fields.items()}, "attribution": ATTRIBUTION},
        "relation_fields": {**{name: f.description for name, f in RELATION.fields.items()}, "attribution": ATTRIBUTION},
        "relation_types": list(RELATION_TYPES.values()),
        "schema_version": SCHEMA_VERSION,
    }

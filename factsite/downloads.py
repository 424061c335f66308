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
from dataclasses import dataclass, field

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


def incoming_records(graph: Graph, ids: set[str]) -> dict[str, list[dict]]:
    """For each of these entities, the relations other entities state about it, as the other page states them."""
    incoming: dict[str, list[dict]] = {id_: [] for id_ in ids}
    for other in graph.entities.values():
        for relation in other.entity.relations:
            if relation.to in incoming:
                incoming[relation.to].append({"from": other.id, **_attributed(relation_record(relation), relation, graph)})
    return incoming


# ---------------------------------------------------------------- files


def downloads(graph: Graph, generated_at: str) -> dict[str, str]:
    """Every download."""
    return KeptDownloads().files(graph, generated_at, redo=set(graph.entities))


@dataclass
class _Parts:
    """One entity's part of the downloads: its record, and its text in each file that lists every entity."""
    record: dict
    json: str  # the record as factsite.json lists it
    kind_line: str  # its line of its kind's CSV file
    fact_lines: str
    relation_lines: str


@dataclass
class KeptDownloads:
    """The downloads made from each entity's part. The preview keeps one between edits and has only the
    parts of the entities it redoes made again (at 4,000 entities, a few hundredths of a second an edit
    instead of about a second); the files that list every entity are joined from the parts."""
    parts: dict[str, _Parts] = field(default_factory=dict)

    def files(self, graph: Graph, generated_at: str, redo: set[str]) -> dict[str, str]:
        """Every download; each entity's own JSON file only for the entities in `redo`."""
        for id_ in list(self.parts):
            if id_ not in graph.entities:
                del self.parts[id_]
        for id_, view in graph.entities.items():
            if id_ in redo or id_ not in self.parts:
                self.parts[id_] = _parts(view, graph)
        parts = [self.parts[id_] for id_ in graph.entities]
        header = _compact({"schema_version": SCHEMA_VERSION, "generated_at": generated_at, "counts": graph.counts})
        files = {EVERYTHING: f'{header[:-1]},"entities":[{",".join(p.json for p in parts)}]}}\n'}
        # No generated_at per entity: editing one entity must not rewrite every entity's file.
        redone = [id_ for id_ in graph.entities if id_ in redo]
        incoming = incoming_records(graph, set(redone))
        for id_ in redone:
            files[entity_json_path(id_)] = _json(
                {"schema_version": SCHEMA_VERSION, "entity": self.parts[id_].record, "incoming": incoming[id_]})
        for kind in KINDS.values():
            lines = "".join(self.parts[v.id].kind_line for v in graph.entities.values() if v.entity.kind == kind.folder)
            files[kind_csv_path(kind.folder)] = _header(entity_columns(kind.folder)) + lines
        files[FACTS_CSV] = _header(FACT_COLUMNS) + "".join(p.fact_lines for p in parts)
        files[RELATIONS_CSV] = _header(RELATION_COLUMNS) + "".join(p.relation_lines for p in parts)
        return files


def _parts(view: EntityView, graph: Graph) -> _Parts:
    record = entity_record(view, graph)
    facts = [{"entity": view.id, "number": n, **_flat(fact)} for n, fact in enumerate(record.get("facts", ()), 1)]
    relations = [{"from": view.id, **_flat(relation)} for relation in record.get("relations", ())]
    return _Parts(record, _compact(record), _rows(entity_columns(view.entity.kind), [_entity_row(record, view)]),
                  _rows(FACT_COLUMNS, facts), _rows(RELATION_COLUMNS, relations))


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


def _compact(value) -> str:
    # Compact: Python's C encoder serves only calls without indent (indent=1 took 0.42 s at 4,000
    # entities, this 0.15 s), and the files are a third smaller. `python -m json.tool` re-indents.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json(value) -> str:
    return _compact(value) + "\n"


def _header(columns: list[str]) -> str:
    return _rows(columns, [], header=True)


def _rows(columns: list[str], rows: list[dict], header: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    if header:
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
        for name, spec in kind.fields.items():
            rows.setdefault((name, spec.description), []).append(kind.folder)
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

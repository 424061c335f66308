"""The downloads for the preview: the same files as downloads.downloads, with each entity's part kept.

Each entity's record, its JSON text and its lines of the CSV files are kept between updates and
made again only for the entities the preview redoes; the files that hold every entity are then
joined from the kept parts, which gives them byte for byte as downloads.downloads writes them
(tests/test_preview.py compares). At 4,000 entities this takes the downloads from about a second
to a few hundredths per edit.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from factsite import downloads, pages
from factsite.schema import KINDS, SCHEMA_VERSION
from factsite.views import EntityView, Graph


@dataclass
class _Parts:
    record: dict
    json: str  # the record as factsite.json lists it
    kind_line: str  # its line of its kind's CSV file
    fact_lines: str
    relation_lines: str


@dataclass
class KeptDownloads:
    parts: dict[str, _Parts] = field(default_factory=dict)

    def files(self, graph: Graph, generated_at: str, redo: set[str]) -> dict[str, str]:
        """Every download, as downloads.downloads makes it; the entity files only of the entities in `redo`."""
        for id_ in list(self.parts):
            if id_ not in graph.entities:
                del self.parts[id_]
        for id_, view in graph.entities.items():
            if id_ in redo or id_ not in self.parts:
                self.parts[id_] = _parts(view, graph)
        parts = [self.parts[id_] for id_ in graph.entities]
        header = _compact({"schema_version": SCHEMA_VERSION, "generated_at": generated_at, "counts": graph.counts})
        files = {pages.EVERYTHING: f'{header[:-1]},"entities":[{",".join(p.json for p in parts)}]}}\n'}
        incoming = _incoming(graph, {id_ for id_ in redo if id_ in graph.entities})
        for id_ in graph.entities:
            if id_ in redo:
                files[pages.entity_json_path(id_)] = downloads._json(
                    {"schema_version": SCHEMA_VERSION, "entity": self.parts[id_].record, "incoming": incoming[id_]})
        for kind in KINDS.values():
            lines = "".join(self.parts[v.id].kind_line for v in graph.entities.values() if v.entity.kind == kind.folder)
            files[pages.kind_csv_path(kind.folder)] = _header(downloads.entity_columns(kind.folder)) + lines
        files[pages.FACTS_CSV] = _header(downloads.FACT_COLUMNS) + "".join(p.fact_lines for p in parts)
        files[pages.RELATIONS_CSV] = _header(downloads.RELATION_COLUMNS) + "".join(p.relation_lines for p in parts)
        return files


def _parts(view: EntityView, graph: Graph) -> _Parts:
    record = downloads.entity_record(view, graph)
    id_ = view.id
    facts = [{"entity": id_, "number": n, **downloads._flat(fact)} for n, fact in enumerate(record.get("facts", ()), 1)]
    relations = [{"from": id_, **downloads._flat(relation)} for relation in record.get("relations", ())]
    return _Parts(record, _compact(record), _rows(downloads.entity_columns(view.entity.kind), [downloads._entity_row(record, view)]),
                  _rows(downloads.FACT_COLUMNS, facts), _rows(downloads.RELATION_COLUMNS, relations))


def _incoming(graph: Graph, ids: set[str]) -> dict[str, list[dict]]:
    """downloads.incoming_records, for these entities only."""
    incoming: dict[str, list[dict]] = {id_: [] for id_ in ids}
    for other in graph.entities.values():
        for relation in other.entity.relations:
            if relation.to in incoming:
                incoming[relation.to].append({"from": other.id, **downloads._attributed(
                    downloads.relation_record(relation), relation, graph)})
    return incoming


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _header(columns: list[str]) -> str:
    return _rows(columns, [], header=True)


def _rows(columns: list[str], rows: list[dict], header: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()

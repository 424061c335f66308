"""What the data holds that the editors' JSON Schema names: the real ids, and each source's paragraphs.

Read from the loaded files without validating them, so that the schema files can be made (and a
contributor's editor can know a new entity) while other files still have errors.
"""

from __future__ import annotations

import re
from pathlib import Path

from factsite.ids import is_id
from factsite.load import Document, load_data
from factsite.schema import KINDS, RESERVED_IDS
from factsite.types import Known


def known_in(data_dir: Path) -> Known:
    return known_data(load_data(data_dir).documents)


def known_data(documents: list[Document]) -> Known:
    entities: dict[str, str] = {}
    sources: dict[str, int | None] = {}
    for document in sorted(documents, key=lambda d: d.id):
        if document.kind not in KINDS or not is_id(document.id) or document.id in RESERVED_IDS:
            continue
        data = document.data if isinstance(document.data, dict) else {}
        name = data.get("name")
        kind = KINDS[document.kind].singular
        entities[document.id] = f"{name} ({kind})" if isinstance(name, str) and name.strip() else kind
        if document.kind == "sources":
            sources[document.id] = _paragraphs(data.get("paragraphs"))
    return Known(entities, sources, tuple(sorted(set(entities) | RESERVED_IDS)))


def _paragraphs(value) -> int | None:
    return int(value) if isinstance(value, str) and re.fullmatch(r"[1-9][0-9]*", value) else None

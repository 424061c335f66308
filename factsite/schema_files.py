"""The JSON Schema files that editors read, made from the one schema in factsite/schema.py.

There is one file per kind (docs/schema/<folder>.schema.json) and one for the glossary. They are
committed and published with the site, so that `# yaml-language-server: $schema=…` lines in the
data files and anyone else can point at a stable address. `factsite schema` writes them;
`factsite schema --check` fails when the committed files differ from what the schema makes.

The files also know the data (factsite/known.py): `source`, `to`, `claimed_by` and a glossary
term's `entity` offer the real ids, each with its name and kind; `former_ids` refuses the ids
in use; `at` is a paragraph number in range for a source that numbers its paragraphs. So adding
an entity changes them: the pre-commit hook runs `factsite schema` to remake them.
"""

from __future__ import annotations

import json
from pathlib import Path

from factsite.schema import GLOSSARY, KINDS, SCHEMA_VERSION
from factsite.types import Known, Record, id_definitions

DRAFT = "https://json-schema.org/draft/2020-12/schema"
FOLDER = Path("docs") / "schema"  # under docs/, so MkDocs copies it into the site as it is
GLOSSARY_NAME = "glossary"


def file_name(name: str) -> str:
    """`groups` -> `groups.schema.json`; `name` is a kind's folder or "glossary"."""
    return f"{name}.schema.json"


def schema_line(name: str) -> str:
    """The first line of a data file: where editors find its schema, relative to the file."""
    up = "../" if name == GLOSSARY_NAME else "../../"
    return f"# yaml-language-server: $schema={up}{FOLDER.as_posix()}/{file_name(name)}"


def documents(site_url: str = "", known: Known | None = None) -> dict[str, dict]:
    """Every JSON Schema document, by file name; `site_url` (the site's address) makes each `$id`, and
    `known` (what the data holds) the lists of real ids."""
    made = {file_name(folder): _document(folder, f"A file in data/{folder}/: {kind.description}", kind.record,
                                         site_url, known)
            for folder, kind in KINDS.items()}
    made[file_name(GLOSSARY_NAME)] = _document(GLOSSARY_NAME, "data/glossary.yaml: abbreviations and terms.",
                                               GLOSSARY, site_url, known)
    return made


def _document(name: str, description: str, record: Record, site_url: str, known: Known | None) -> dict:
    head: dict = {"$schema": DRAFT}
    if site_url:
        head["$id"] = f"{site_url.rstrip('/')}/schema/{file_name(name)}"
    head.update(title=f"factsite {name} (schema version {SCHEMA_VERSION})", description=description)
    tail = {"$defs": id_definitions(known)} if known is not None else {}
    return {**head, **record.json_schema(known), **tail}


def texts(site_url: str = "", known: Known | None = None) -> dict[str, str]:
    """Every file's exact text: stable key order, two-space indent, UTF-8, a final newline."""
    return {name: json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
            for name, doc in documents(site_url, known).items()}


def write(folder: Path, site_url: str = "", known: Known | None = None) -> list[str]:
    """Write the files that differ; returns the names written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts(site_url, known).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(name)
    return written


def drift(folder: Path, site_url: str = "", known: Known | None = None) -> list[str]:
    """What is out of date in `folder`, one line per file: missing, different, or not made any more."""
    expected = texts(site_url, known)
    lines = []
    for name, text in expected.items():
        path = folder / name
        if not path.exists():
            lines.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != text:
            lines.append(f"{path}: differs from what factsite/schema.py and the data make")
    if folder.is_dir():
        lines += [f"{path}: no kind has this schema any more" for path in sorted(folder.glob("*.schema.json"))
                  if path.name not in expected]
    return lines

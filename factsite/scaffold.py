"""`factsite new KIND NAME`: start a data file with every required field, from the one schema.

The file gets the `$schema` line, the name, and every other required field left empty, each under
a comment with its description. Empty values are on purpose: the file loads, and `factsite check`
names each one that is still empty ("is empty (write a value)") until the contributor fills it in.
A required list of records (an entity's `facts`) gets one item with the record's required fields;
its optional fields are shown commented out with an example.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from factsite.load import display_path, load_data
from factsite.ids import id_problem
from factsite.schema import KINDS, RESERVED_IDS, Kind
from factsite.types import Field, ListOf, Record, slugify
from factsite.schema_files import schema_line

WIDTH = 100


class ScaffoldError(Exception):
    """Why the file was not written, said so that the contributor knows what to do."""


def kind_named(word: str) -> Kind:
    """A kind by its folder (`groups`) or its singular (`group`)."""
    for kind in KINDS.values():
        if word in (kind.folder, kind.singular):
            return kind
    raise ScaffoldError(f"unknown kind '{word}'; kinds are: {', '.join(KINDS)}")


def new_entity(data_dir: Path, kind_word: str, name: str, entity_id: str | None = None) -> Path:
    """Write data/<kind>/<id>.yaml for a new entity; refuses an id any kind already uses."""
    kind = kind_named(kind_word)
    entity_id = entity_id if entity_id is not None else slugify(name)
    if not entity_id:
        raise ScaffoldError(f"cannot make an id from the name '{name}'; give one with --id")
    wrong = id_problem(entity_id)
    if wrong:
        raise ScaffoldError(f"{wrong[0]}; {wrong[1]}" + ("" if entity_id != slugify(name) else ", with --id"))
    if entity_id in RESERVED_IDS:
        raise ScaffoldError(f"'{entity_id}' is an id kept for the site's own pages; choose another with --id")
    path = data_dir / kind.folder / f"{entity_id}.yaml"
    if path.exists():
        raise ScaffoldError(f"{display_path(path)} already exists; edit it instead")
    taken = taken_ids(data_dir)
    if entity_id in taken:
        raise ScaffoldError(f"the id '{entity_id}' is already used by {taken[entity_id]}; ids are unique across "
                            "all kinds: edit that file, or choose another id with --id")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never overwrite, even in a race
            file.write(scaffold_text(kind, name))
    except FileExistsError:
        raise ScaffoldError(f"{display_path(path)} already exists; edit it instead") from None
    return path


def taken_ids(data_dir: Path) -> dict[str, str]:
    """Every id in use, file stems and former ids alike, with the file that uses it."""
    taken: dict[str, str] = {}
    for document in load_data(data_dir).documents:
        if document.kind == "glossary":
            continue
        taken.setdefault(document.id, document.path)
        former = document.data.get("former_ids") if isinstance(document.data, dict) else None
        for old in former if isinstance(former, list) else []:
            taken.setdefault(str(old), f"{document.path} (as a former id)")
    return taken


def scaffold_text(kind: Kind, name: str) -> str:
    lines = [
        schema_line(kind.folder),
        f"# A new {kind.singular}. Fill in every empty value, then run `make check`, which names each one",
        "# still empty. How to write and cite a fact: CONTRIBUTING.md; every field: the data reference page.",
        f"name: {_scalar(name)}",
    ]
    for spec in kind.fields.values():  # required fields, and those most files fill in (an event's date)
        if (spec.required or spec.example) and spec.name != "name":
            lines += _field(spec, "")
    optional = [spec.name for spec in kind.fields.values() if not spec.required and not spec.example]
    lines += _comment(f"Optional fields: {', '.join(optional)}.", "")
    return "\n".join(lines) + "\n"


def _field(spec: Field, indent: str) -> list[str]:
    lines = _comment(spec.description, indent)
    if isinstance(spec.type, ListOf) and isinstance(spec.type.item, Record):
        lines.append(f"{indent}{spec.name}:")
        lines += _item(spec.type.item, indent + "  ")
    else:
        lines.append(f"{indent}{spec.name}:")
    return lines


def _item(record: Record, indent: str) -> list[str]:
    lines = [f"{indent}- # one {record.title}; copy the whole item for the next one"]
    inner = indent + "  "
    for spec in record.fields.values():
        if spec.required:
            lines += _field(spec, inner)
    for spec in record.fields.values():
        if not spec.required and spec.example:
            lines += _comment(f"Optional: {spec.description[0].lower()}{spec.description[1:]}", inner)
            lines.append(f"{inner}# {spec.name}: {spec.example}")
    return lines


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# ")


def _scalar(text: str) -> str:
    """The name as one YAML scalar, quoted when YAML would read it as something other than text."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=float("inf"), default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")

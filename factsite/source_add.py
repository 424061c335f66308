"""`factsite source add TEXTFILE --id ID …`: a new source, from a plain-text archive of it.

Writes, in data/sources/:

- `<id>.yaml`, when it does not exist yet: the source's details, `paragraphs`,
  `paragraph_openings` and the locator scheme, with `summary` left for the contributor;
- `<id>.verify`, its verification data (factsite/verification.py); for a public-domain source,
  `<id>.txt`, its text, instead.

Deterministic: a second run on the same text writes nothing, because it keeps the key of the
existing `<id>.verify` and never rewrites an existing YAML (it says what in it disagrees).
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from factsite.fingerprint import RUN_WORDS, words
from factsite.load import LoadError, decode, display_path
from factsite.schema import KINDS
from factsite.schema_files import schema_line
from factsite.scaffold import taken_ids
from factsite.types import Invalid, slugify
from factsite.verification import (PUBLIC_DOMAIN, archive_paragraphs, new_key, text_path, verify_file_text,
                                   verify_path)

OPENING_WORDS = 5
_KEY_LINE = re.compile(r"^key ([0-9a-f]{32})$", re.MULTILINE)


class SourceAddError(Exception):
    """Why nothing was written, said so that the contributor knows what to do."""


@dataclass
class NewSource:
    text_file: Path
    id: str
    title: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    licence: str = "copyrighted"
    preamble_lines: int = 0


def add_source(data_dir: Path, new: NewSource) -> list[str]:
    """Write the source's files; returns one line per file, saying what happened to it."""
    paragraphs = _paragraphs(new)
    sources = data_dir / "sources"
    yaml_file = sources / f"{new.id}.yaml"
    planned: list[tuple[Path, str]] = []
    report: list[str] = []
    if yaml_file.exists():
        report += _disagreements(yaml_file, new, paragraphs)
    else:
        _check_new_id(data_dir, new)
        planned.append((yaml_file, source_yaml(new, paragraphs)))
    if new.licence == PUBLIC_DOMAIN:
        planned.append((text_path(sources, new.id), "\n\n".join(paragraphs) + "\n"))
    else:
        verify_file = verify_path(sources, new.id)
        planned.append((verify_file, verify_file_text(new.id, _key(verify_file), paragraphs)))
    sources.mkdir(parents=True, exist_ok=True)
    for path, text in planned:
        report.append(_write(path, text))
    return report


def _paragraphs(new: NewSource) -> list[str]:
    shown = display_path(new.text_file)
    try:
        text = decode(new.text_file.read_bytes(), shown)
    except OSError as error:
        raise SourceAddError(f"cannot read {shown}: {error.strerror}") from None
    except LoadError as error:
        raise SourceAddError(str(error.problem)) from None
    paragraphs = archive_paragraphs(text, new.preamble_lines)
    if not paragraphs:
        raise SourceAddError(f"{shown} has no paragraph after its first {new.preamble_lines} non-empty lines "
                             "(one paragraph per non-empty line)")
    return paragraphs


def _check_new_id(data_dir: Path, new: NewSource) -> None:
    if slugify(new.id) != new.id:
        raise SourceAddError(f"'{new.id}' is not a valid id; use lower-case letters, digits and single hyphens, "
                             f"like '{slugify(new.id) or 'the-report'}'")
    taken = taken_ids(data_dir) if data_dir.is_dir() else {}
    if new.id in taken:
        raise SourceAddError(f"the id '{new.id}' is already used by {taken[new.id]}; ids are unique across all "
                             "kinds: choose another with --id")
    if not new.title:
        raise SourceAddError("a new source needs its title: give it with --title")
    fields = KINDS["sources"].fields
    for name, value in [("published", new.date), ("url", new.url)]:
        if value:
            try:
                fields[name].type.convert(value)
            except Invalid as error:
                option = "--date" if name == "published" else "--url"
                raise SourceAddError(f"{option}: {error.message}" + (f" ({error.hint})" if error.hint else "")) from None


def _key(verify_file: Path) -> str:
    """The existing file's key, so that the same text makes the same file; else a new random one."""
    if verify_file.is_file():
        match = _KEY_LINE.search(verify_file.read_text(encoding="utf-8", errors="replace"))
        if match:
            return match.group(1)
    return new_key()


def opening(paragraph: str) -> str:
    """The paragraph's first words, enough to verify: OPENING_WORDS, or more where marks are few."""
    parts = paragraph.split()
    count = OPENING_WORDS
    while count < len(parts) and len(words(" ".join(parts[:count]))) < RUN_WORDS + 1:
        count += 1
    return " ".join(parts[:count])


def source_yaml(new: NewSource, paragraphs: list[str]) -> str:
    lines = [schema_line("sources"), f"name: {_quoted(new.title)}"]
    lines += [f"{name}: {_quoted(value)}" for name, value in
              [("publisher", new.publisher), ("published", new.date), ("url", new.url)] if value]
    preamble = (f" after the first {new.preamble_lines} non-empty line{'s' if new.preamble_lines > 1 else ''} "
                "(headline, byline, date line)") if new.preamble_lines else ""
    locator = (f"The paragraph number: paragraph 1 is the first non-empty line of the text{preamble}, and each "
               "non-empty line is one paragraph. paragraph_openings gives the first words of each.")
    lines += [f"licence: {new.licence}", f"paragraphs: {len(paragraphs)}", "locator: >-"]
    lines += textwrap.wrap(locator, 100, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)
    lines += ["# One or two sentences in your own words: what this source is. `make check` names it until filled in.",
              "summary:", "paragraph_openings:"]
    lines += [f"  - {_quoted(opening(p))}" for p in paragraphs]
    if new.text_file.name != f"{new.id}.txt":
        lines.append(f"archived_text: {_quoted(new.text_file.name)}")
    if new.preamble_lines:
        lines.append(f"preamble_lines: {new.preamble_lines}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _disagreements(yaml_file: Path, new: NewSource, paragraphs: list[str]) -> list[str]:
    """An existing YAML is never rewritten: say which of its fields no longer fit the text."""
    text = yaml_file.read_text(encoding="utf-8", errors="replace")
    notes = [f"{display_path(yaml_file)}: kept as it is"]
    match = re.search(r"^paragraphs: *(\d+)", text, re.MULTILINE)
    if match and int(match.group(1)) != len(paragraphs):
        notes.append(f"  its 'paragraphs' says {match.group(1)}; the text has {len(paragraphs)}: correct it")
    if "paragraph_openings:" not in text:
        notes.append("  it has no paragraph_openings; these are the text's:")
        notes += ["  paragraph_openings:"] + [f"    - {_quoted(opening(p))}" for p in paragraphs]
    elif any(_quoted(opening(p)) not in text for p in paragraphs):
        notes.append("  its paragraph_openings differ from the text's: `factsite check` says which")
    return notes


def _write(path: Path, text: str) -> str:
    shown = display_path(path)
    if path.is_file() and path.read_bytes() == text.encode("utf-8"):
        return f"{shown}: unchanged"
    temporary = path.with_name(f".{path.name}.factsite-new")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return f"{shown}: written"

"""Quote verification: every quote must stand in the paragraph its `at` names.

The archived texts stay outside the repository (`--texts DIR`); only curly quotes, dashes and
runs of white space are folded before comparing, nothing else.
"""

from __future__ import annotations

from pathlib import Path

from factsite.escape import one_line
from factsite.load import Document
from factsite.model import Entity, Model
from factsite.problems import Problem

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "‒": "-", "―": "-"})


def fold(text: str) -> str:
    return one_line(text.translate(_FOLD))


def archived_paragraphs(source: Entity, texts: Path) -> list[str] | None:
    """The source's paragraphs (paragraph 1 first), or None when no archived text is there."""
    path = texts / (source.archived_text or f"{source.id}.txt")
    if not path.is_file():
        return None
    lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    return lines[source.preamble_lines:]


def verify_quotes(model: Model, documents: dict[str, Document], texts: Path) -> tuple[list[Problem], list[str]]:
    """Problems for quotes not found where they claim to be, and the ids of the sources checked."""
    problems: list[Problem] = []
    texts_by_source: dict[str, list[str]] = {}
    for entity in model.entities.values():
        if entity.kind == "sources":
            paragraphs = archived_paragraphs(entity, texts)
            if paragraphs is not None:
                texts_by_source[entity.id] = [fold(p) for p in paragraphs]
                if entity.paragraphs and len(paragraphs) != entity.paragraphs:
                    problems.append(documents[entity.id].problem(
                        ("paragraphs",), f"the archived text has {len(paragraphs)} paragraphs, not {entity.paragraphs}",
                        "check 'paragraphs' and 'preamble_lines'"))
    for entity in model.entities.values():
        cited = [(("facts", i), f) for i, f in enumerate(entity.facts)]
        cited += [(("relations", i), r) for i, r in enumerate(entity.relations)]
        for path, item in cited:
            paragraphs = texts_by_source.get(item.source)
            if paragraphs is None or not isinstance(item.at, int) or not 1 <= item.at <= len(paragraphs):
                continue
            quote = fold(item.quote)
            if quote in paragraphs[item.at - 1]:
                continue
            elsewhere = [str(n) for n, text in enumerate(paragraphs, 1) if quote in text]
            hint = (f"it is in paragraph {', '.join(elsewhere)}; correct 'at'" if elsewhere else
                    "copy the words exactly; only curly quotes, dashes and spaces may differ")
            problems.append(documents[entity.id].problem(
                path + ("quote",), f"the quote is not in paragraph {item.at} of '{item.source}'", hint))
    return problems, sorted(texts_by_source)

"""`--texts DIR`: does what the repository holds for a source still match its archived text?

The archived text is `DIR/<archived_text>` (or `DIR/<id>.txt`), one paragraph per non-empty line
after `preamble_lines` lines. Each paragraph must have the same words (after folding) as the
repository's text or verification data; where it does, messages about quotes can quote it.
"""

from __future__ import annotations

from pathlib import Path

from factsite.fingerprint import RUN_WORDS, words
from factsite.load import LoadError, decode, display_path
from factsite.matching import span_text
from factsite.model import Entity
from factsite.problems import Problem
from factsite.verification import Paragraph, Reference, archive_paragraphs, from_text

AGAIN = "if the archived text is right, run `factsite source add` on it again; else correct the archived text"


def archived_path(source: Entity, texts: Path) -> Path:
    return texts / (source.archived_text or f"{source.id}.txt")


def compare_archived(source: Entity, reference: Reference, texts: Path) -> tuple[list[Problem], bool]:
    """Problems where the data drifted from the archived text, and whether there was one to compare."""
    path = archived_path(source, texts)
    if not path.is_file():
        return [], False
    shown = display_path(path)
    try:
        text = decode(path.read_bytes(), shown)
    except LoadError as error:
        return [error.problem], True
    archived = from_text(source.id, archive_paragraphs(text, source.preamble_lines), shown, reference.key)
    problems = []
    ours, theirs = reference.paragraphs, archived.paragraphs
    if len(ours) != len(theirs):
        line = ours[-1].line if ours else 1
        problems.append(Problem(reference.path, line, 1, "", f"{len(ours)} paragraphs here, but {len(theirs)} in the "
                                f"archived text {path.name}", AGAIN + "; check `preamble_lines`"))
    for number, (mine, archived_paragraph) in enumerate(zip(ours, theirs), 1):
        word = _first_difference(mine, archived_paragraph, reference.has_text)
        if word is None:
            mine.text = mine.text or archived_paragraph.text
            continue
        there = span_text(archived_paragraph, word - 1, RUN_WORDS)
        problems.append(Problem(reference.path, mine.line, 1, "", f"¶{number} differs from the archived text {path.name} "
                                f"from about word {word} (\"{there}\" there)", AGAIN))
    return problems, True


def _first_difference(mine: Paragraph, archived: Paragraph, has_text: bool) -> int | None:
    """The 1-based word from which the paragraphs differ, or None when they agree."""
    if has_text:
        a, b = words(mine.text), words(archived.text)
        if a == b:
            return None
        return next((i for i, (x, y) in enumerate(zip(a, b), 1) if x != y), min(len(a), len(b)) + 1)
    if mine.runs == archived.runs and mine.words == archived.words:
        return None
    run = next((i for i, (x, y) in enumerate(zip(mine.runs, archived.runs)) if x != y),
               min(len(mine.runs), len(archived.runs)))
    return 1 if run == 0 else run + RUN_WORDS

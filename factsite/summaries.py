"""The summary rule: a summary names who claims what.

Every sentence of a summary that links an entity (`[[id]]`) must also link one of the page's
claimants: an id in `claimed_by` of one of its facts or relations or, for a statement with no
claimant, the source it rests on. A source's summary describes the source itself, and a page that
is its own statements' claimant speaks for itself: neither needs to name anyone else.
A sentence with no link is not checked: it cannot name anyone, so it cannot credit them either.
"""

from __future__ import annotations

import re

from factsite.escape import LINK
from factsite.load import Document
from factsite.model import Entity, Model
from factsite.problems import Problem

# A sentence ends at . ! or ? followed by white space and a capital, a quote or a link.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'\[])")


def claimants(entity: Entity) -> set[str]:
    """Who the page's statements are credited to: their claimants, or their sources when none."""
    found: set[str] = set()
    for cited in [*entity.facts, *entity.relations]:
        found.update(cited.claimed_by or (cited.source,))
    return found


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def unattributed_sentences(entity: Entity) -> list[str]:
    """The summary's sentences that link an entity but no claimant of the page."""
    allowed = claimants(entity)
    if entity.kind == "sources" or entity.id in allowed:
        return []
    return [sentence for sentence in sentences(entity.summary)
            if (linked := {m.group(1) for m in LINK.finditer(sentence)}) and not linked & allowed]


def summary_problems(model: Model, documents: dict[str, Document]) -> list[Problem]:
    problems = []
    for entity in model.entities.values():
        who = sorted(claimants(entity))
        for sentence in unattributed_sentences(entity):
            shown = sentence if len(sentence) <= 60 else sentence[:57] + "…"
            problems.append(documents[entity.id].problem(
                ("summary",), f"the sentence “{shown}” links an entity but names no claimant",
                f"say whose claim it is, e.g. 'the [[{who[0]}]] says'" if who else "cite the facts it sums up"))
    return problems

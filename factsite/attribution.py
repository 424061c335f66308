"""Whose claim a statement is, in the few words every view prints beside it.

A fact or relation with `claimed_by` is that claimant's: "per the DoD report". One without it rests
on the source's own wording (a name, a dateline): it says so, "no claimant: the Monitoring Desk news
article's wording". Sources are named the way a reader refers to them ("the DoD report"), not by
their full titles.
"""

from __future__ import annotations

from typing import Callable

from factsite.model import Entity


def claimant_label(entity: Entity, publisher_abbreviation: str = "") -> str:
    """'the DoD report', 'the Monitoring Desk news article', 'Pakistan'."""
    if entity.kind != "sources":
        return entity.name
    medium = entity.medium or "source"
    by = publisher_abbreviation or entity.author or entity.publisher
    return f"the {by} {medium}" if by else f"the {medium} “{entity.name}”"


def per(claimants: list[str], source: str) -> str:
    """The attribution of one statement, from its claimants' labels (or none) and its source's label
    ("" for the short form)."""
    if claimants:
        return "per " + " and ".join(claimants)
    return f"no claimant: {source}’s wording" if source else "no claimant"


def prose_name(entity: Entity, label: str) -> str:
    """How `[[id]]` reads inside prose: a source by the words readers use for it, so that "the
    [[dod-report]] says" reads "the DoD report says", not the report's title without "report"."""
    if entity.kind == "sources" and label.startswith("the "):
        return label[len("the "):]
    return entity.name


def label_maker(entities: dict[str, Entity]) -> Callable[[str], str]:
    """id -> claimant label; a source published by an entity with an abbreviation is 'the DoD report'."""
    def label(id_: str) -> str:
        entity = entities[id_]
        publisher = next((entities[r.to] for r in entity.relations if r.type == "published-by"), None)
        return claimant_label(entity, publisher.abbreviation if publisher else "")
    return label

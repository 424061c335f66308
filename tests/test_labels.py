"""The relation labels are reviewed: CONTRIBUTING's table lists every type with exactly its labels."""

from __future__ import annotations

import re

from conftest import ROOT

from factsite.vocabulary import RELATION_TYPES

ROW = re.compile(r"^\| `([a-z-]+)` \| ([^|]+?) \| ([^|]+?) \| (.+) \|$", re.M)


def reviewed_labels() -> dict[str, tuple[str, str, str]]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text[text.index("## Labels and summaries"):]
    section = section[: section.index("\n## ", 3)]
    return {m.group(1): (m.group(2), m.group(3), m.group(4)) for m in ROW.finditer(section)}


def test_every_relation_type_is_in_the_reviewed_table_with_exactly_its_labels():
    table = reviewed_labels()
    assert sorted(table) == sorted(RELATION_TYPES), "add the new type to CONTRIBUTING's table of labels"
    for type_id, relation in RELATION_TYPES.items():
        label, inverse, review = table[type_id]
        assert (label, inverse) == (relation.label, relation.inverse), type_id
        assert review.strip(), f"{type_id}: say why both labels keep to the rule"


def test_no_label_gives_agency_the_claims_lack():
    # Words that made a neighbour the actor of a claim about someone else, or added a request.
    for relation in RELATION_TYPES.values():
        for label in (relation.label, relation.inverse):
            assert not re.search(r"\bgives\b|\btargeted\b|\basked\b|\burges?d?\b|\bhas presence\b", label), label

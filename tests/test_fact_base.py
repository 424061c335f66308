"""The bundled fact base: every quote in its paragraph, every paragraph cited, the names readers type.

Quotes are verified in every checkout, against the verification data in data/sources/. Where the
archived article is at hand (../shared/seeds/), the tests also prove that data still matches it, and
that no tracked file carries a long stretch of it.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ROOT, SEEDS, checked

from factsite.enrich import enrich
from factsite.pipeline import check

ARTICLE = "monitoring-desk-article"
ARCHIVED_ARTICLE = "000_2539b5ce5c064dfa.txt"
LEAK_WORDS = 35
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the archived article is not at {SEEDS}; "
                                 "these tests compare the repository with it")


def words(text: str) -> list[str]:
    from factsite.fingerprint import words as all_words

    return [word for word in all_words(text) if word[0].isalnum()]


@pytest.fixture(scope="module")
def graph():
    return enrich(checked(ROOT / "data").model)


def test_every_quote_stands_in_the_paragraph_it_cites():
    checked = check(ROOT / "data")  # no archived text: the verification data is enough
    assert [str(p) for p in checked.problems] == []
    assert checked.quotes_checked == [ARTICLE]


@needs_seeds
def test_the_verification_data_matches_the_archived_article():
    checked = check(ROOT / "data", SEEDS)
    assert [str(p) for p in checked.problems] == []
    assert checked.texts_compared == [ARTICLE]


@needs_seeds
def test_no_tracked_file_holds_a_long_stretch_of_a_copyrighted_source():
    """No run of LEAK_WORDS consecutive words of the article (folded as quotes are, punctuation left out)
    in any tracked file. A quote has 30 words at most."""
    article_text = (SEEDS / ARCHIVED_ARTICLE).read_text(encoding="utf-8-sig")
    article = words(article_text)
    stretches = {tuple(article[i:i + LEAK_WORDS]) for i in range(len(article) - LEAK_WORDS + 1)}

    openings = {stretch[:3] for stretch in stretches}

    def holds_a_stretch(text: str) -> bool:
        found = words(text)
        return any(tuple(found[i:i + 3]) in openings and tuple(found[i:i + LEAK_WORDS]) in stretches
                   for i in range(len(found) - LEAK_WORDS + 1))

    paragraph_3 = [line for line in article_text.splitlines() if line.strip()][5]
    assert holds_a_stretch(paragraph_3.replace("’", "'"))
    assert not holds_a_stretch(" ".join(words(paragraph_3)[:LEAK_WORDS - 1]))
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    leaks = [name for name in filter(None, tracked.decode().split("\0"))
             if (ROOT / name).is_file() and holds_a_stretch((ROOT / name).read_bytes().decode("utf-8", "replace"))]
    assert leaks == []


def test_every_paragraph_of_the_article_is_cited(graph):
    walk = graph.entities[ARTICLE].citing_facts
    assert [p.at for p in walk] == list(range(1, 15))
    assert [p.at for p in walk if not p.citing] == []


@needs_seeds
def test_every_abbreviation_in_the_article_is_in_the_glossary(graph):
    text = (SEEDS / "000_2539b5ce5c064dfa.txt").read_text(encoding="utf-8")
    in_article = set(re.findall(r"\(([A-Z][A-Za-z-]*[A-Z])s?\)", text))
    glossary = {entry.term for entry in graph.glossary}
    assert {"AQIS", "LeT", "TTP", "ISIS-K", "USFOR-A", "ANDSF", "MoD", "IED", "CT"} <= in_article
    assert in_article - glossary == set()


@pytest.mark.parametrize(("spelling", "entity"), [
    ("al-Qaeda", "al-qaida"), ("Lashkar-e-Taiba", "lashkar-e-tayyiba"), ("ISKP", "isis-k"),
    ("Islamic State Khorasan Province", "isis-k"), ("Pakistani Taliban", "ttp"),
])
def test_the_spellings_readers_type_are_aliases(graph, spelling, entity):
    assert spelling in graph.entities[entity].entity.aliases


def test_the_reports_publication_date_is_marked_as_derived(graph):
    report = graph.entities["dod-report"].entity
    assert report.published == "2017-12-15"
    assert "Friday" in report.published_derived


def test_the_dod_reports_assessments_are_attributed(graph):
    """Most of the article relays the report: those facts say so with claimed_by."""
    facts = [f for v in graph.entities.values() for f in v.entity.facts]
    attributed = [f for f in facts if "dod-report" in f.claimed_by]
    assert len(attributed) > len(facts) / 2

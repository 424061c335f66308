"""The bundled fact base: every quote in its paragraph, every paragraph cited, the names readers type."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, SEEDS

from factsite.enrich import enrich
from factsite.load import load_data
from factsite.pipeline import check
from factsite.validate import validate

ARTICLE = "monitoring-desk-article"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the archived article is not at {SEEDS}; "
                                 "the quote check needs ../shared/seeds/ beside the repository")


@pytest.fixture(scope="module")
def graph():
    validated = validate(load_data(ROOT / "data").documents)
    assert validated.problems == []
    return enrich(validated.model)


@needs_seeds
def test_every_quote_stands_in_the_paragraph_it_cites():
    checked = check(ROOT / "data", SEEDS)
    assert [str(p) for p in checked.problems] == []
    assert checked.quotes_checked == [ARTICLE]


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

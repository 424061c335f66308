"""The data downloads (factsite/downloads.py): JSON and CSV files, the data page; each entity page's JSON-LD
(factsite/json_ld.py); and the data's date they carry (factsite/load.py)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from conftest import MINI, checked
from factsite import downloads, json_ld, load, pages
from factsite.enrich import enrich
from factsite.escape import escape_markdown
from factsite.render import render
from factsite.schema import FACT, KINDS, RELATION, SCHEMA_VERSION

WHEN = "2017-12-17T00:00:00Z"


@pytest.fixture(scope="module")
def graph():
    return enrich(checked(MINI / "data").model)


@pytest.fixture(scope="module")
def files(graph):
    return downloads.downloads(graph, WHEN)


def test_one_file_holds_every_entity_fact_and_relation(files, graph):
    everything = json.loads(files[pages.EVERYTHING])
    assert everything["schema_version"] == SCHEMA_VERSION and everything["generated_at"] == WHEN
    entities = {e["id"]: e for e in everything["entities"]}
    assert set(entities) == set(graph.entities)
    assert {e["kind"] for e in entities.values()} == set(KINDS)  # sources included
    assert sum(len(e.get("facts", [])) for e in entities.values()) == graph.counts["facts"]
    assert sum(len(e.get("relations", [])) for e in entities.values()) == graph.counts["relations"]
    alpha = entities["alpha-front"]
    assert alpha["aliases"] == ["Alfa Front", "al-Alpha"] and alpha["page"] == "groups/alpha-front.html"
    assert alpha["relations"][0] == {"type": "affiliate-of", "to": "beta-network", "source": "article", "at": 1,
                                     "quote": "Alpha Front is a regional affiliate of the Beta Network",
                                     "claimed_by": ["report"], "attribution": "per the report “The Test Report”"}


def test_each_entity_has_its_own_file_with_the_relations_stated_about_it(files, graph):
    for id_ in graph.entities:
        one = json.loads(files[f"data/entities/{id_}.json"])
        assert one["entity"]["id"] == id_ and one["schema_version"] == SCHEMA_VERSION
    beta = json.loads(files["data/entities/beta-network.json"])
    assert [(r["from"], r["type"]) for r in beta["incoming"]] == [("alpha-front", "affiliate-of")]


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_files_per_kind_and_for_facts_and_relations(files, graph):
    for kind in KINDS:
        listed = rows(files[f"data/csv/{kind}.csv"])
        assert [r["id"] for r in listed] == [v.id for v in graph.entities.values() if v.entity.kind == kind]
    groups = {r["id"]: r for r in rows(files["data/csv/groups.csv"])}
    assert groups["alpha-front"]["aliases"] == "Alfa Front; al-Alpha" and groups["alpha-front"]["facts"] == "1"
    assert len(rows(files["data/csv/facts.csv"])) == graph.counts["facts"]
    relations = rows(files["data/csv/relations.csv"])
    assert len(relations) == graph.counts["relations"]
    assert any(r["from"] == "alpha-front" and r["type"] == "affiliate-of" and r["to"] == "beta-network"
               and r["claimed_by"] == "report" and r["attribution"] == "per the report “The Test Report”"
               for r in relations)
    assert list(relations[0]) == ["from", *RELATION.fields, "attribution"]


def test_generated_at_comes_from_source_date_epoch_else_from_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1513468800")
    assert load.iso_time(load.data_epoch(tmp_path)) == WHEN
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    (tmp_path / "a.yaml").write_text("name: x\n", encoding="utf-8")
    os.utime(tmp_path / "a.yaml", (1513296000, 1513296000))
    assert load.data_epoch(tmp_path) == 1513296000  # not a git checkout: the newest data file's time


def test_the_data_page_links_every_download_and_describes_fields_from_the_schema(graph):
    page = render(graph)["data/index.md"]
    example = next(iter(graph.entities))
    for path in ["factsite.json", f"entities/{example}.json", "csv/facts.csv", "csv/relations.csv",
                 *(f"csv/{kind}.csv" for kind in KINDS)]:
        assert f"]({path})" in page, path
    for kind in KINDS.values():
        for field in kind.fields.values():
            assert escape_markdown(field.description) in page, field.name
    for field in [*FACT.fields.values(), *RELATION.fields.values()]:
        assert escape_markdown(field.description) in page, field.name


def ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_json_ld_names_the_schema_org_type_and_every_name(graph):
    alpha = ld(json_ld.json_ld(graph.entities["alpha-front"]))
    assert alpha == {"@context": "https://schema.org", "@type": "Organization", "name": "Alpha Front",
                     "alternateName": ["AF", "Alfa Front", "al-Alpha"],
                     "description": "A group that, the report “The Test Report” says, is an affiliate of the Beta Network.",
                     "url": "alpha-front.html"}
    types = {v.entity.kind: ld(json_ld.json_ld(v))["@type"] for v in graph.entities.values()}
    assert types == {"groups": "Organization", "states": "Country", "organizations": "GovernmentOrganization",
                     "places": "Place", "events": "Event", "sources": "CreativeWork"}
    assert ld(json_ld.json_ld(graph.entities["test-meeting"]))["startDate"] == "2017-08"


def test_json_ld_cannot_close_its_script_element(graph):
    beta = json_ld.json_ld(graph.entities["beta-network"])  # its alias holds "<script>alert(1)</script>"
    inside = beta[len('<script type="application/ld+json">'):-len("</script>")]
    assert not set("<>&") & set(inside)
    assert "<script>alert(1)</script>" in ld(beta)["alternateName"][0]


def test_the_built_site_has_the_downloads_and_json_ld(mini_site: Path):
    site = mini_site / "site"
    assert json.loads((site / "data" / "factsite.json").read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION
    assert (site / "data" / "entities" / "alpha-front.json").is_file()
    assert (site / "data" / "csv" / "relations.csv").is_file()
    assert "Relation fields" in (site / "data" / "index.html").read_text(encoding="utf-8")
    page = (site / "groups" / "alpha-front.html").read_text(encoding="utf-8")
    assert ld(page)["alternateName"] == ["AF", "Alfa Front", "al-Alpha"]
    assert "@context" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")

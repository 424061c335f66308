"""Every claim shown as a claim: the whole site, made from the bundled data, names whose claim each
fact and relation is wherever it appears (issue 11). In process: the rendered Markdown and the
downloads, which is what MkDocs turns into the pages."""

from __future__ import annotations

import csv
import io
import re

import pytest

from conftest import ROOT
from factsite.enrich import enrich
from factsite.pipeline import check
from factsite.render import render
from factsite.downloads import downloads
from factsite.pages import FACTS_CSV, RELATIONS_CSV

# What every view prints beside a statement: "*(per the DoD report)*" or "*(no claimant: …)*".
BADGE = re.compile(r"\*\((?:per [^()]+|no claimant[^()]*)\)\*")
EDGE_TITLE = re.compile(r"\((?:per [^()]+|no claimant)\)")


@pytest.fixture(scope="module")
def site():
    checked = check(ROOT / "data")
    assert not checked.problems
    graph = enrich(checked.validated.model)
    pages = render(graph)
    return graph, pages, downloads(graph, generated_at="2017-12-17T00:00:00Z")


def _section(text: str, start: str, end: str) -> str:
    if start not in text:
        return ""
    rest = text[text.index(start):]
    return rest[: rest.index(end)] if end in rest else rest


def test_every_fact_on_every_page_says_whose_claim_it_is(site):
    graph, pages, _ = site
    for view in graph.entities.values():
        listed = [line for line in _section(pages[view.page], "## What the sources say", "\n## ").splitlines()
                  if re.match(r"\d+\. ", line)]
        assert len(listed) == len(view.entity.facts), view.page
        for line in listed:
            assert BADGE.search(line), f"{view.page}: a fact without its claimant: {line[:90]}"


def test_every_relation_and_event_on_every_page_says_whose_claim_it_is(site):
    graph, pages, _ = site
    for view in graph.entities.values():
        items = [line for line in _section(pages[view.page], '<div class="fs-relations"', "</div>").splitlines()
                 if line.startswith("- ")]
        expected = sum(len(g.links) for g in view.outgoing + view.incoming) + len(view.events)
        assert len(items) == expected, view.page
        for line in items:
            assert BADGE.search(line), f"{view.page}: a relation without its claimant: {line[:90]}"


def test_every_infobox_relation_says_whose_claim_it_is(site):
    graph, pages, _ = site
    for view in graph.entities.values():
        for group in view.infobox:
            row = next(line for line in pages[view.page].splitlines()
                       if line.startswith(f"| {group.label[:1].upper()}{group.label[1:]} |"))
            assert len(BADGE.findall(row)) == len(group.links), f"{view.page}: {row[:120]}"


def test_every_diagram_edge_and_network_line_says_whose_claim_it_is(site):
    graph, pages, _ = site
    for view in graph.entities.values():
        labels = _section(pages[view.page], '<g class="edge-labels"', "</g>\n<g class=\"nodes\"")
        titles = re.findall(r"<title>([^<]*)</title>", labels)
        assert len(titles) == len(re.findall(r"<g text-anchor", labels)), view.page
        for title in titles:
            for part in title.split("), "):
                assert EDGE_TITLE.search(part + ")"), f"{view.page}: diagram edge {title!r}"
    network = re.findall(r'<g class="edge">\s*<title>([^<]*)</title>', pages["index.md"])
    assert network, "the home page's network has no edges"
    for title in network:
        for part in title.split("; "):
            assert EDGE_TITLE.search(part), f"network line {title!r}"


def test_the_source_walk_index_pages_and_timeline_say_whose_claims(site):
    graph, pages, _ = site
    for source in graph.sources:
        walk = _section(pages[source.page], '<div class="fs-walk"', "</div>")
        for line in walk.splitlines():
            if line.startswith("- "):
                assert BADGE.search(line), f"{source.page}: {line[:90]}"
    for index in graph.kinds:
        for view in index.entities:
            if view.entity.facts:
                row = next(line for line in pages[index.page].splitlines()
                           if line.split(" | ")[0].endswith(f"]({view.id}.md)"))
                assert view.according_to and view.according_to in row, (index.page, view.id)
    for entry in graph.timeline:
        if entry.entity.entity.facts:
            assert entry.entity.according_to in pages["timeline.md"]


def test_the_downloads_carry_each_statements_attribution(site):
    _, _, files = site
    for name in (FACTS_CSV, RELATIONS_CSV):
        rows = list(csv.DictReader(io.StringIO(files[name])))
        assert rows, name
        for row in rows:
            expected = "no claimant" if not row["claimed_by"] else "per "
            assert row["attribution"].startswith(expected), (name, row)


def test_footnotes_are_one_per_citation_in_reading_order_and_link_the_paragraph(site):
    graph, pages, _ = site
    page = pages[graph.entities["pakistan"].page]
    body = page[: page.index("\n[^1]:")]
    first_uses = list(dict.fromkeys(re.findall(r"\[\^(\d+)\]", body)))
    assert first_uses == [str(n) for n in range(1, len(first_uses) + 1)]
    notes = re.findall(r"^\[\^\d+\]: (.*)$", page, flags=re.M)
    assert len(notes) == len(set(notes)) == len(first_uses)
    assert all("Monitoring Desk, 17 December 2017" in n and "](../sources/monitoring-desk-article.md#p" in n
               for n in notes)
    walk = pages[graph.entities["monitoring-desk-article"].page]
    assert all(f"### ¶{n} {{#p{n}}}" in walk for n in range(1, 15))


def test_who_says_what_files_every_statement_under_each_claimant_once(site):
    """Each fact and relation is on the page of each of its claimants (no claimant: the page of
    statements with no claimant); an accusation only on its accuser's page, as it is reported. The
    list of claimants links each page."""
    graph, pages, _ = site
    claims_pages = {path: text for path, text in pages.items() if path.startswith("who-says-what/")}
    filed = sum(len(re.findall(r"^- ", text, re.M)) for text in claims_pages.values())
    statements = [*(fact for view in graph.entities.values() for fact in view.entity.facts),
                  *(relation for view in graph.entities.values() for relation in view.entity.relations
                    if relation.type != "accuses")]
    accusations = [relation for view in graph.entities.values() for relation in view.entity.relations
                   if relation.type == "accuses"]
    assert filed == sum(max(1, len(cited.claimed_by)) for cited in statements) + len(accusations)
    pakistan = claims_pages["who-says-what/reported/pakistan.md"]
    assert "# Who says what: Pakistan, as the DoD report reports it" in pakistan
    assert "Accusations [Pakistan](../../states/pakistan.md) is reported to make" in pakistan
    assert "- Accuses [Afghanistan](../../states/afghanistan.md): The report says Pakistan's leaders" in pakistan
    listed = set(re.findall(r"\]\((who-says-what/[^)]+)\)", pages["who-says-what.md"]))
    assert listed == set(claims_pages)  # no claimant has a second part with the bundled data

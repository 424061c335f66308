"""What a reader of the hosted site sees: the real data, built, served on localhost, in Chromium."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, StaticServer, make_project, run_factsite, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("real") / "project", ROOT / "data")
    result = run_factsite("build", cwd=project)
    assert result.returncode == 0, result.stderr
    server = StaticServer(project / "site")
    yield server.url
    server.close()


def only_local(requests: list[str], base: str) -> list[str]:
    return [url for url in requests if not url.startswith((base, "data:", "blob:"))]


@pytest.fixture(scope="module")
def search_page(browser, served):
    """One loaded home page for every search, as a reader types one query after another."""
    context = browser.new_context()
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(served + "index.html")
    yield page
    context.close()


def search(page, query: str) -> list[str]:
    """Type a query into Material's search box (emptied first) and return the result links, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length === 0", timeout=10_000)
    box.press_sequentially(query, delay=40)  # as a reader types; fill() can beat the index loading
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.wait_for_timeout(300)  # results settle after the last keystroke
    return page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)")


@pytest.mark.parametrize(("query", "expected"), [
    ("qaida", "groups/al-qaida.html"),
    ("al qaida", "groups/al-qaida.html"),
    ("Al-Qaeda", "groups/al-qaida.html"),
    ("AQIS", "groups/aqis.html"),
    ("lashkar e tayyiba", "groups/lashkar-e-tayyiba.html"),
    ("Lashkar-e-Taiba", "groups/lashkar-e-tayyiba.html"),
    ("isis k", "groups/isis-k.html"),
    ("Islamic State Khorasan Province", "groups/isis-k.html"),
    ("pakistani taliban", "groups/ttp.html"),
    ("haqqani", "groups/haqqani-network.html"),
    ("durand line", "places/durand-line.html"),
    ("usfor", "organizations/usfor-a.html"),
    ("Tehreek-e-Taliban", "groups/ttp.html"),
])
def test_search_finds_the_entity_page_first(served, search_page, query, expected):
    results = search(search_page, query)
    assert results, f"no results for {query!r}"
    assert urlsplit(results[0]).path == urlsplit(served + expected).path, (query, results[:5])
    assert only_local(search_page.requests, served) == []


def test_an_entity_page_shows_infobox_citations_backlinks_and_diagram(served, page_watch):
    page_watch.goto(served + "groups/al-qaida.html")
    infobox = page_watch.locator(".fs-infobox table")
    assert "al-Qaeda" in infobox.locator("tr", has_text="Also known as").inner_text()
    sanctuary = infobox.locator("tr", has_text="Has sanctuary in").locator("a").get_attribute("href")
    assert sanctuary == "../places/afghanistan-pakistan-border-region.html"
    assert page_watch.locator("h2", has_text="What the sources say").count() == 1
    footnotes = page_watch.locator(".footnote li")
    assert footnotes.count() >= 3
    assert "Some terrorist groups were targeted by Pakistan" in footnotes.first.inner_text()
    backlinks = page_watch.locator("h2:has-text('Relations stated on other pages') ~ ul a")
    assert "aqis.html" in " ".join(backlinks.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    assert page_watch.locator(".fs-diagram svg.factsite-diagram").count() == 1
    screenshot(page_watch, "entity-al-qaida")
    assert only_local(page_watch.requests, served) == []


def test_the_edit_link_opens_the_yaml_file(served, page_watch):
    page_watch.goto(served + "groups/ttp.html")
    edit = page_watch.locator("a.md-content__button").first.get_attribute("href")
    assert edit == "https://github.com/factsite/factsite/edit/main/data/groups/ttp.yaml"


def test_the_timeline_is_in_date_order(served, page_watch):
    page_watch.goto(served + "timeline.html")
    cells = page_watch.locator("article table tbody tr td:first-child").all_inner_texts()
    months = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                          "September", "October", "November", "December"], 1)}

    def key(cell: str) -> tuple:
        if cell.startswith("Not dated"):  # events the source gives no date for come last
            return (10_000,)
        match = re.match(r"(?:(\d+) )?(?:([A-Z][a-z]+) )?(\d{4})", cell)
        day, month, year = match.groups()
        return int(year), months.get(month, 0), int(day or 0)

    assert len(cells) >= 4
    assert [key(c) for c in cells] == sorted(key(c) for c in cells)
    assert "derived" in " ".join(cells)
    assert cells[-1].startswith("Not dated")
    screenshot(page_watch, "timeline")


def test_abbreviations_have_tooltips_everywhere(served, page_watch):
    page_watch.goto(served + "states/pakistan.html")
    for path, term, expansion in [("states/pakistan.html", "ISIS-K", "Islamic State of Iraq and Syria Khorasan"),
                                  ("groups/aqis.html", "AQIS", "al-Qa’ida in the Indian Subcontinent"),
                                  ("timeline.html", "ANDSF", "Afghan National Defence and Security Forces")]:
        page_watch.goto(served + path)
        titles = page_watch.locator("article abbr").evaluate_all("els => els.map(e => [e.textContent, e.title])")
        assert [term, expansion] in titles, (path, titles[:10])


def test_dark_mode_toggle_switches_the_colour_scheme(served, page_watch):
    page_watch.goto(served + "groups/taliban.html")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    before = page_watch.evaluate(scheme)
    page_watch.locator("form[data-md-component='palette'] label:visible").first.click()
    assert {before, page_watch.evaluate(scheme)} == {"default", "slate"}
    screenshot(page_watch, "entity-taliban-dark")


def test_no_page_requests_anything_outside_localhost(served, page_watch):
    for path in ["index.html", "groups/index.html", "groups/isis-k.html", "timeline.html", "glossary.html",
                 "sources/monitoring-desk-article.html"]:
        page_watch.goto(served + path)
        page_watch.wait_for_load_state("networkidle")
    assert only_local(page_watch.requests, served) == []


@pytest.mark.parametrize("path", ["index.html", "groups/haqqani-network.html", "groups/index.html", "timeline.html"])
def test_no_serious_accessibility_violations(served, page_watch, path):
    from axe_playwright_python.sync_playwright import Axe

    page_watch.goto(served + path)
    results = Axe().run(page_watch)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    screenshot(page_watch, "axe-" + path.replace("/", "-").replace(".html", ""))
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_the_pakistan_page_says_whose_claim_each_relation_is(served, page_watch):
    page_watch.goto(served + "states/pakistan.html")
    article = page_watch.locator("article")
    relations = article.locator(".fs-relations").inner_text()
    # The report's claim from Pakistan's side, no agency added, and whose claim it is.
    assert "gives freedom of movement" not in relations and "targeted by" not in relations.casefold()
    kept = page_watch.locator("h3:has-text('Keeping freedom of movement here') + ul li")
    assert kept.count() == 2 and all("per the DoD report" in t for t in kept.all_inner_texts())
    # The headline against ¶1, said plainly in the summary.
    assert "“targeted by Pakistan”" in article.locator("p").first.inner_text()
    # A footnote's ¶ opens the paragraph on the source's page.
    locator = page_watch.locator(".footnote li a", has_text="¶1").first
    assert locator.get_attribute("href") == "../sources/monitoring-desk-article.html#p1"
    locator.click()
    page_watch.wait_for_url("**/sources/monitoring-desk-article.html#p1")
    assert page_watch.locator("h3#p1").is_visible()
    page_watch.goto(served + "states/pakistan.html")
    screenshot(page_watch, "claims-pakistan")
    assert only_local(page_watch.requests, served) == []


def test_the_haqqani_network_page_credits_the_report(served, page_watch):
    page_watch.goto(served + "groups/haqqani-network.html")
    row = page_watch.locator(".fs-infobox tr", has_text="Keeps freedom of movement in").inner_text()
    assert "Pakistan" in row and "per the DoD report" in row
    edge_titles = page_watch.locator(".fs-diagram .edge-labels title").evaluate_all("els => els.map(e => e.textContent)")
    assert edge_titles and all("per the DoD report" in t or "no claimant" in t for t in edge_titles)
    screenshot(page_watch, "claims-haqqani-network")


def test_who_says_what_puts_the_mutual_accusations_side_by_side(served, page_watch):
    page_watch.goto(served + "index.html")
    page_watch.locator("a.md-tabs__link", has_text="Who says what").click()
    page_watch.wait_for_url("**/who-says-what.html")
    meeting = page_watch.locator("h3", has_text="Afghanistan and Pakistan, ¶12")
    assert meeting.count() == 1
    header = meeting.locator("xpath=following::table[1]").locator("th").all_inner_texts()
    assert header == ["Afghanistan, as the DoD report reports it", "Pakistan, as the DoD report reports it"]
    assert page_watch.locator("h2#dod-report").count() == 1
    screenshot(page_watch, "claims-who-says-what")

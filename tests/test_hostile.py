"""Hostile text is inert: the hostile fixture (tests/fixtures/hostile/data) builds into a site in which
every name, alias, summary, fact and quote prints as the literal text it is, and nothing injects an
element, an attribute, a script or a link. Checked in the page body and where MkDocs' theme prints
values itself without escaping: the <title>, the meta description, the search index, the navigation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, checked, make_project, run_cli
from html5 import Parsed, collapse, parse, parse_fragment

from factsite.attribution import label_maker, prose_name
from factsite.escape import prose_to_text

HOSTILE = FIXTURES / "hostile" / "data"
# What only an injection would put into a page. The theme's own markup uses none of these.
FORBIDDEN_TAGS = {"iframe", "math", "mglyph", "mtext", "style", "object", "embed", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}


def Page(html: str) -> Parsed:
    """The page as a browser parses it; a parse error is a failure (markup that data broke)."""
    page = parse(html)
    assert page.errors == [], page.errors[:5]
    return page


def body_text(page: Parsed) -> str:
    return page.text(page.first("body").node)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", HOSTILE)
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def hostile_model():
    return checked(HOSTILE).model


def entity_page(entity) -> str:
    return f"{entity.kind}/{entity.id}.html"


def pages(site: Path) -> list[Path]:
    return sorted((site / "site").rglob("*.html"))


def test_the_fixture_is_hostile(hostile_model):
    names = " ".join(e.name for e in hostile_model.entities.values())
    for payload in ["<script>", "onerror=", "javascript:", "&#106;avascript:", "{{", "{%", "*[", "[Test Corps]("]:
        assert payload in names, payload


def test_no_page_has_an_injected_element_attribute_or_link(hostile_site):
    checked = 0
    for path in pages(hostile_site):
        page = Page(path.read_text(encoding="utf-8"))
        where = path.relative_to(hostile_site / "site").as_posix()
        for element in page.elements():
            tag, attributes, ancestors = element.tag, element.attributes, element.ancestors
            assert tag not in FORBIDDEN_TAGS, (where, tag, attributes)
            assert not (tag == "img" and attributes.get("src") in {"x", ""}), (where, attributes)
            assert not (tag == "div" and "admonition" in attributes.get("class", "")), (where, attributes)
            for name, value in attributes.items():
                assert not name.startswith("on"), (where, tag, name, value)
                if name in URL_ATTRIBUTES:
                    assert not re.match(r"\s*(javascript|vbscript|data)\s*:", value, re.I), (where, tag, name, value)
            if tag == "script":
                # inside the article, where data is printed: a script with src, or our JSON-LD; the
                # theme's inline scripts (its config, its palette switch) stand outside the article
                kind = attributes.get("type", "")
                assert attributes.get("src") or kind in {"application/ld+json", "application/json"} or \
                    "article" not in ancestors, (where, attributes)
        for attributes, body in page.scripts():
            if attributes.get("type") == "application/ld+json":
                json.loads(body)  # well-formed: nothing broke out of the JSON
                assert "<" not in body, (where, body)
            else:
                assert "__pwned" not in body, (where, body)
        # one heading of level 1 per page: data opened none
        assert len(page.find("h1")) <= 1, where
        checked += 1
    assert checked >= 15


def test_every_page_parses_as_html5_without_errors(hostile_site):
    """No value breaks markup a browser would silently repair: no raw control character (Markdown's
    \\x02/\\x03 placeholders), no broken attribute, no noncharacter."""
    checked = 0
    for path in pages(hostile_site):
        text = path.read_text(encoding="utf-8")
        assert parse(text).errors == [], path.relative_to(hostile_site / "site")
        assert not re.search("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]", text), path
        checked += 1
    assert checked >= 15


def test_an_address_full_of_markdown_characters_is_one_link_to_itself(hostile_site, hostile_model):
    """In the source's table and in each citation of it: a link to itself, whole, and nothing else."""
    url = hostile_model.entities["article"].url
    assert set("()*_~&'!") <= set(url)
    page = Page((hostile_site / "site" / "sources" / "article.html").read_text(encoding="utf-8"))
    links = [e for e in page.find("a") if e.attributes.get("href") == url]
    in_table = [e for e in links if "td" in e.ancestors]
    in_notes = [e for e in links if "li" in e.ancestors and "td" not in e.ancestors]
    assert len(in_table) == 1 and len(in_notes) == len(links) - 1 >= 1
    assert all(page.text(e.node) == url for e in links)
    cell = [e for e in page.find("td") if in_table[0].node in list(e.node)]
    assert len(cell) == 1 and page.text(cell[0].node) == url


def test_terms_that_match_inside_markdown_placeholders_get_no_tooltip(hostile_site):
    """`42` is the code of an escaped `*`, `124` of `|`, `wzxhzdk` marks stashed HTML: as tooltips they
    split Markdown's placeholders and left raw \\x02/\\x03 and broken <abbr> markup in pages."""
    for path in pages(hostile_site):
        page = Page(path.read_text(encoding="utf-8"))
        shown = {page.text(e.node) for e in page.find("abbr")}
        assert not shown & {"42", "124", "wzxhzdk"}, path
    glossary = Page((hostile_site / "site" / "glossary.html").read_text(encoding="utf-8"))
    rows = [page_row for page_row in (glossary.text(e.node) for e in glossary.find("tr"))]
    for row in ["42 the code of an asterisk", "124 the code of a bar", "wzxhzdk a placeholder"]:
        assert row in rows


def prose_names(entities):
    """How prose names each [[id]]: its name, or a source as readers call it (factsite/attribution.py)."""
    label = label_maker(entities)
    return lambda id_: prose_name(entities[id_], label(id_))


def test_every_hostile_value_prints_as_literal_text(hostile_site, hostile_model):
    entities = hostile_model.entities
    name = prose_names(entities)
    for entity in entities.values():
        page = Page((hostile_site / "site" / entity_page(entity)).read_text(encoding="utf-8"))
        text = body_text(page)
        expected = [entity.name, prose_to_text(entity.summary, name), *entity.aliases]
        if entity.abbreviation:
            expected.append(entity.abbreviation)
        for fact in entity.facts:
            expected += [prose_to_text(fact.says, name), fact.quote]
        for relation in entity.relations:
            expected.append(relation.quote)
            if relation.says:
                expected.append(prose_to_text(relation.says, name))
        for value in expected:
            assert collapse(value) in text, (entity.id, value)


def test_the_page_title_and_meta_description_are_the_literal_text(hostile_site, hostile_model):
    name = prose_names(hostile_model.entities)
    for entity in hostile_model.entities.values():
        page = Page((hostile_site / "site" / entity_page(entity)).read_text(encoding="utf-8"))
        assert page.title().startswith(collapse(entity.name)), (entity.id, page.title())
        assert page.meta("description") == collapse(prose_to_text(entity.summary, name)), entity.id


def test_the_redirect_page_of_a_former_id_names_the_entity_literally(hostile_site, hostile_model):
    beta = hostile_model.entities["beta-network"]
    page = Page((hostile_site / "site" / "groups" / "beta-net.html").read_text(encoding="utf-8"))
    assert page.title() == f"Moved: {collapse(beta.name)}"
    assert collapse(beta.name) in body_text(page)
    assert not page.find("img")


def test_index_pages_and_links_on_other_pages_show_names_literally(hostile_site, hostile_model):
    for entity in hostile_model.entities.values():
        index = Page((hostile_site / "site" / entity.kind / "index.html").read_text(encoding="utf-8"))
        assert collapse(entity.name) in body_text(index), entity.id
        assert f"{entity.id}.html" in index.links()


def test_the_search_index_holds_names_as_escaped_text(hostile_site, hostile_model):
    """Material's search shows titles and text as HTML: a raw `<` there would become an element."""
    index = json.loads((hostile_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    documents = index["docs"]
    for document in documents:
        for field in ("title", "text"):
            value = document.get(field, "")
            for payload in ("<script", "<img", "<iframe", "<svg", "<style", "<math", "<a href", "<div"):
                assert payload not in value, (document["location"], field, value[:200])
    titles = {document["location"]: document["title"] for document in documents}
    for entity in hostile_model.entities.values():
        title = titles[entity_page(entity)]
        shown = parse_fragment(title).text()  # as the search results show it
        assert shown.startswith(collapse(entity.name)), (entity.id, title)


def test_the_navigation_holds_no_entity_name(hostile_site, hostile_model):
    html = (hostile_site / "site" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary[^"]*".*?</nav>', html, re.S).group(0)
    nav_text = parse_fragment(nav).text()
    for entity in hostile_model.entities.values():
        assert collapse(entity.name) not in nav_text


def test_every_abbreviation_definition_is_read_as_one(hostile_site):
    """A term that cannot be an `abbr` key (`\\{#` after escaping) must not print its definition on every page."""
    about = body_text(Page((hostile_site / "site" / "about.html").read_text(encoding="utf-8")))
    assert "*[" not in about
    glossary = (hostile_site / "site" / "glossary.html").read_text(encoding="utf-8")
    assert '<abbr title="improvised &quot;explosive&quot; &lt;device&gt; &amp; onmouseover=window.__pwned=1">IED</abbr>' \
        in glossary


# ---------------------------------------------------------------- in a browser

# Everything the hostile payloads would add to the DOM, counted in the page as the browser built it.
INJECTED = """() => {
  const all = [...document.querySelectorAll('*')];
  const handlers = all.flatMap(el => [...el.attributes].filter(a => a.name.startsWith('on'))
                                                     .map(a => el.tagName + '[' + a.name + ']'));
  const urls = all.flatMap(el => ['href', 'src', 'action', 'formaction', 'xlink:href']
      .map(n => el.getAttribute(n) || '').filter(v => /^\\s*(javascript|vbscript|data)\\s*:/i.test(v)));
  return {
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    handlers,
    urls,
    elements: [...document.querySelectorAll(
      'body iframe, body math, body style, body object, body embed, img[src="x"], .admonition, article script:not([type="application/ld+json"])'
    )].map(el => el.outerHTML.slice(0, 120)),
  };
}"""
CLEAN = {"pwned": None, "handlers": [], "urls": [], "elements": []}


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    from conftest import StaticServer

    server = StaticServer(hostile_site / "site")
    yield server
    server.close()


def _hostile_pages(site: Path) -> list[str]:
    return [path.relative_to(site / "site").as_posix() for path in pages(site)
            if path.name != "404.html" and "assets" not in path.parts]


def _evaluate_settled(page, script: str):
    """The script's result once the page stays put: a former id's page moves on by itself (a meta
    refresh of 0 s), which can destroy the page under the script; then the page it moved to answers."""
    from playwright.sync_api import Error

    for _ in range(3):
        try:
            return page.evaluate(script)
        except Error as error:
            if "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state("load")
    return page.evaluate(script)


@pytest.mark.browser
def test_no_script_runs_and_nothing_is_injected_in_a_browser(browser, hostile_site, hostile_server):
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    visited = 0
    try:
        for path in _hostile_pages(hostile_site):
            page.goto(hostile_server.url + path, wait_until="load")
            page.wait_for_timeout(50)
            found = _evaluate_settled(page, INJECTED)
            assert found == CLEAN, (path, found)
            assert page.url.startswith(hostile_server.url), (path, page.url)
            visited += 1
        assert dialogs == []
    finally:
        context.close()
    assert visited >= 15


@pytest.mark.browser
def test_search_results_for_hostile_names_stay_text(browser, hostile_server):
    """Material renders search results as HTML from the index: the names must arrive escaped."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(hostile_server.url + "index.html", wait_until="load")
        for query in ["Alpha", "Beta", "Testland", "Corps", "Region", "article"]:
            box = page.locator("input.md-search__input")
            box.click()
            box.fill("")
            box.press_sequentially(query, delay=40)  # as a reader types; fill() can beat the index loading
            page.wait_for_selector(".md-search-result__item", timeout=10_000)
            page.wait_for_timeout(300)
            results = page.inner_text(".md-search-result")
            found = page.evaluate(INJECTED)
            assert found == CLEAN, (query, found)
            if query in ("Alpha", "Beta"):  # the names show as the literal text they are
                assert "<script>" in results or "<img" in results, (query, results[:300])
        assert dialogs == []
    finally:
        context.close()

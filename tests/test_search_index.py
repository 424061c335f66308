"""What the search index holds (factsite/search_index.py), and search while the index loads (issue 14, item 7).

The index keeps what a reader searches for, once: every name still finds its page, and the entries
that only repeated a page's title or another page's text are gone. A page stays usable while its
index loads, served and from file://; how fast is scripts/bench_search.py's business, not a test's.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import StaticServer, checked, MINI
from html5 import parse
from factsite import search_index, search_prebuilt
from factsite.search_index import Pages, introduction, trimmed


def entry(location: str, text: str = "", title: str = "A page", **more) -> dict:
    return {"location": location, "title": title, "text": text, **more}


def test_a_section_without_text_of_its_own_is_left_out_and_sections_drop_the_tags():
    entries = [entry("about.html", "<p>What the site is.</p>", "About"),
               entry("about.html#empty", tags=["About"]),
               entry("about.html#spaces", "  ", tags=["About"]),
               entry("about.html#reading-a-page", "<p>Each page.</p>", "Reading a page", tags=["About"])]
    assert trimmed(entries, Pages({"about.md": "about.md.j2"})) == [
        entry("about.html", "<p>What the site is.</p>", "About"),
        entry("about.html#reading-a-page", "<p>Each page.</p>", "Reading a page")]


def test_an_entity_page_is_found_by_its_title_names_and_summary():
    entries = [entry("groups/a.html", "<p>Summary.</p>", "A", tags=["A", "Alpha"], boost=4),
               entry("groups/a.html#how-a-relates-to-others", title="A", tags=["A", "Alpha"]),
               entry("groups/a.html#what-the-sources-say", "<ol><li>A fact.</li></ol>", "What the sources say",
                     tags=["A", "Alpha"])]
    assert trimmed(entries, Pages({"groups/a.md": "entity.md.j2"})) == [entries[0]]


def test_a_listing_page_keeps_its_title_and_introduction_only():
    entries = [entry("timeline.html", "<p>Every event, in date order.</p> Date What 2017 Talks", "Timeline"),
               entry("timeline.html#undated", "Talks Summit", "Not dated"),
               entry("groups/a.html", "<p>Summary.</p>")]
    assert trimmed(entries, Pages({"timeline.md": "timeline.md.j2", "groups/a.md": "entity.md.j2"})) == [
        entry("timeline.html", "<p>Every event, in date order.</p>", "Timeline"),
        entry("groups/a.html", "<p>Summary.</p>")]
    assert introduction("Name Summary Alpha Front") == ""  # a listing with no opening paragraph


def test_the_pages_of_a_graph_are_told_apart_as_the_table_of_pages_does():
    from factsite.enrich import enrich
    from factsite.pages import table

    graph = enrich(checked(MINI / "data").model)
    assert vars(Pages.of(graph)) == vars(Pages({path: page.template for path, page in table(graph).items()}))


@pytest.fixture(scope="module")
def mini_index(mini_site) -> list[dict]:
    return json.loads((mini_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_every_name_of_every_entity_is_in_its_own_pages_entry(mini_index):
    by_location = {doc["location"]: doc for doc in mini_index}
    entities = checked(MINI / "data").model.entities
    assert len(entities) >= 8
    for ident, entity in entities.items():
        page = by_location[f"{entity.kind}/{ident}.html"]
        words = html.unescape(" ".join([page["title"], *page.get("tags", [])])).lower()  # the index holds HTML
        names = [entity.name, entity.abbreviation, *entity.aliases]
        assert all(name.lower() in words for name in names if name), (ident, names, page)


def test_no_entry_repeats_a_pages_title_and_tags_without_text(mini_index):
    sections = [doc for doc in mini_index if "#" in doc["location"]]
    assert any(doc["location"].startswith("about.html#") for doc in sections), "hand-written pages keep sections"
    assert [doc["location"] for doc in sections if not doc["text"].strip() or "tags" in doc] == []
    assert [doc["location"] for doc in sections if doc["location"].startswith(("groups/", "states/"))] == []
    listings = [doc["location"] for doc in mini_index
                if doc["location"].split("#")[0] in {"timeline.html", "who-says-what.html", "groups/index.html"}]
    assert sorted(listings) == ["groups/index.html", "timeline.html", "who-says-what.html"]


def test_a_served_page_starts_its_search_before_its_stylesheets(mini_site):
    """A script after a stylesheet waits for it: the one that starts search comes first in the head, and
    names Material's search worker as the site has it."""
    site = mini_site / "site"
    head = [element for element in parse((site / "groups" / "alpha-front.html").read_text(encoding="utf-8")).elements()
            if "head" in element.ancestors and element.tag in ("script", "link")]
    order = [element.attributes.get("src", "") if element.tag == "script" else element.attributes.get("rel")
             for element in head]
    early = next(element for element in head if element.attributes.get("src", "").endswith("factsite-search-early.js"))
    assert order.index(early.attributes["src"]) < order.index("stylesheet")
    assert (site / "groups" / early.attributes["data-worker"]).is_file()
    assert (site / "groups" / early.attributes["data-index"]).resolve() == site / "search" / "search_index.json"
    assert (site / "groups" / early.attributes["src"]).is_file()


# ---------------------------------------------------------------- in the browser

@pytest.fixture(scope="module")
def mini_server(mini_site):
    server = StaticServer(mini_site / "site")
    yield server.url
    server.close()


def first_result(page) -> str:
    link = page.locator(".md-search-result__item > a.md-search-result__link").first
    link.wait_for(timeout=15_000)
    return urlsplit(link.get_attribute("href")).path


def search(page, query: str) -> str:
    """Click the search box, type `query`; the address of the first result."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    return first_result(page)


@pytest.fixture
def context(browser):
    """A fresh browser context, as a new reader's, closed after the test."""
    fresh = browser.new_context()
    yield fresh
    fresh.close()


@pytest.mark.browser
def test_a_served_page_is_usable_while_its_search_index_loads(context, mini_server):
    page = context.new_page()
    held = []  # the index's request, never answered while the page is tried
    page.route("**/search/search_index.json", lambda route: held.append(route))
    with page.expect_request("**/search/search_index.json"):  # asked for as the page opens
        page.goto(mini_server + "groups/alpha-front.html")
    assert page.locator("h1").first.inner_text().startswith("Alpha Front")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("beta")
    assert box.input_value() == "beta"
    assert page.locator(".md-search-result__item").count() == 0  # the index is still held back
    page.keyboard.press("Escape")
    page.unroute("**/search/search_index.json")  # the next page gets its index
    page.locator("article a[href$='beta-network.html']").first.click()  # links work meanwhile
    page.wait_for_url("**/groups/beta-network.html")
    assert page.locator("h1").first.inner_text().startswith("Beta Network")
    assert search(page, "Alfa Front").endswith("/groups/alpha-front.html")


@pytest.mark.browser
def test_a_served_page_starts_building_its_search_index_before_materials_script_runs(context, mini_server):
    """The page's head starts the search worker (templates/theme/main.html): the worker script and the
    index are asked for while Material's own script, at the page's end, is held back; once it runs,
    Material's search answers from that worker."""
    page = context.new_page()
    held = []
    page.route("**/assets/javascripts/bundle.*.min.js", lambda route: held.append(route))
    with page.expect_request("**/assets/javascripts/workers/search.*.min.js"):  # Material's search code
        with page.expect_request("**/search/search_index.json"):  # by the head's worker: Material's waits
            page.goto(mini_server + "groups/alpha-front.html", wait_until="commit")
    assert held, "Material's script was let through"
    for route in held:
        route.continue_()
    assert search(page, "Alfa Front").endswith("/groups/alpha-front.html")


@pytest.mark.browser
def test_a_served_page_whose_early_search_fails_falls_back_to_materials_own(context, mini_server):
    page = context.new_page()
    refused = []

    def refuse_the_early_workers(route):  # it fetches; Material's own script asks by XMLHttpRequest
        if route.request.resource_type == "fetch":
            refused.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/search/search_index.json", refuse_the_early_workers)  # a page's route misses workers'
    page.goto(mini_server + "groups/beta-network.html")
    assert search(page, "Alfa Front").endswith("/groups/alpha-front.html")
    assert refused


@pytest.mark.browser
def test_materials_own_script_is_handed_the_indexs_settings_not_its_entries(context, mini_site, mini_server):
    """The early worker has the entries; Material's script, which would download them again on the page's
    thread only to send them to its worker, is handed the same file without them."""
    page = context.new_page()
    asked = []
    page.on("request", lambda request: asked.append((request.resource_type, urlsplit(request.url).path)))
    page.goto(mini_server + "groups/beta-network.html")
    assert search(page, "Alfa Front").endswith("/groups/alpha-front.html")
    by_materials_script = [path for kind, path in asked if kind == "xhr" and path.startswith("/search/")]
    assert by_materials_script == ["/search/factsite_search_settings.json"]
    folder = mini_site / "site" / "search"
    index = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
    settings = json.loads((folder / search_index.SETTINGS_FILE).read_text(encoding="utf-8"))
    assert settings == {"config": index["config"], "docs": []} and len(index["docs"]) > 10


@pytest.mark.browser
def test_materials_own_worker_taking_over_after_the_settings_were_handed_over_is_sent_the_entries(context,
                                                                                                 mini_server):
    """The early worker fails only once Material's script has been handed the settings alone: Material's
    own worker, taking over, is sent the entries as well, and answers."""
    page = context.new_page()
    held = []

    def hold_the_early_workers(route):  # it fetches; Material's script and its own worker's entries come by XHR
        if route.request.resource_type == "fetch":
            return held.append(route)
        return route.continue_()

    context.route("**/search/search_index.json", hold_the_early_workers)
    with page.expect_request("**/search/factsite_search_settings.json"):
        page.goto(mini_server + "groups/beta-network.html")
    page.wait_for_load_state()
    assert held
    for route in held:
        route.abort()
    assert search(page, "Alfa Front").endswith("/groups/alpha-front.html")


# ---------------------------------------------------------------- the index made at build time


def in_a_page(browser, mini_server: str, script: str, *more):
    """`script` run in a served page of the mini site, given the addresses of Material's search worker,
    the page's loader of the prebuilt index, the site's entries and its prebuilt index, then `more`."""
    page = browser.new_page()
    try:
        page.goto(mini_server + "index.html")
        early = page.locator("script[data-worker]")
        addresses = [urljoin(page.url, early.get_attribute(name)) for name in ("data-worker", "data-loader")]
        addresses += [urljoin(page.url, f"search/{name}") for name in ("search_index.json", search_prebuilt.FILE)]
        return page.evaluate(script, addresses + list(more))
    finally:
        page.close()


# In a worker of the page: Material's own search worker builds its index from the site's entries, as it
# would without a prebuilt one, and hands that index over as lunr.js serializes it; beside it, the
# prebuilt index of the site's file, as the page's worker loads it (factsite-search-prebuilt.js: its terms'
# postings and its vectors unpacked as they are read, here all of them, as lunr.js serializes an index).
MATERIALS_OWN_INDEX = """async ([worker, loader, index, prebuilt]) => {
  const source = `importScripts(${JSON.stringify(worker)}, ${JSON.stringify(loader)});
    const build = lunr.Builder.prototype.build;
    const files = Promise.all([fetch(${JSON.stringify(index)}), fetch(${JSON.stringify(prebuilt)})])
      .then(responses => Promise.all(responses.map(response => response.json())));
    lunr.Builder.prototype.build = function () {
      const built = build.call(this);
      files.then(([index, prebuilt]) => postMessage({own: JSON.stringify(built),
                                                     unpacked: JSON.stringify(factsiteLoadPacked(prebuilt,
                                                                                                 index.docs))}));
      return built;
    };
    files.then(([index]) => self.dispatchEvent(
      new MessageEvent("message", {data: {type: 0, data: {config: index.config, docs: index.docs, options: {}}}})));`;
  const builder = new Worker(URL.createObjectURL(new Blob([source], {type: "text/javascript"})));
  return await new Promise((resolve, reject) => {
    builder.addEventListener("message", event => {
      if (event.data && event.data.own) { builder.terminate(); resolve(event.data); }
    });
    builder.addEventListener("error", event => reject(new Error(event.message)));
  });
}"""


@pytest.mark.browser
def test_the_index_made_at_build_time_is_the_one_materials_worker_builds(browser, mini_site, mini_server):
    """Term for term, position for position and score for score: search ranks as it did. The file holds
    it packed, without positions (the worker finds those in the documents it found)."""
    site = mini_site / "site"
    found = in_a_page(browser, mini_server, MATERIALS_OWN_INDEX)
    own, unpacked = json.loads(found["own"]), json.loads(found["unpacked"])
    entries = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    made = search_prebuilt.serialized(entries["config"], entries["docs"])
    assert made.pop("factsite")["fingerprint"] > 0
    assert len(own["invertedIndex"]) > 100 and len(own["fieldVectors"]) > 100
    assert made == own
    for _, posting in own["invertedIndex"]:
        for field in own["fields"]:
            posting[field] = {ref: {} for ref in posting[field]}
    in_any_order = dict(own.pop("fieldVectors"))  # lunr's Index.load reads them by their names
    assert dict(unpacked.pop("fieldVectors")) == in_any_order and unpacked == own


# Two workers of the page answer the same searches: Material's own, which builds its index from the
# entries, and Material's given the index made at build time first (as the page's worker is,
# factsite-search-prebuilt.js), which finds the places of the words a search found by tokenizing the
# fields it found them in; then it answers the same searches again, from the tables those searches
# filled. Each answer whole, as the worker posts it: pages, scores, marked text.
ANSWERS = """async ([worker, loader, index, prebuilt, queries]) => {
  const [entries, packed] = await Promise.all([fetch(index), fetch(prebuilt)])
    .then(responses => Promise.all(responses.map(response => response.json())));
  const withPrebuilt = `addEventListener("message", event => {
      if (event.data && event.data.factsitePrebuilt) self.factsiteLoadPrebuilt(event.data.factsitePrebuilt);
      else if (event.data && event.data.factsiteUsed) postMessage({used: self.factsiteUsed === true});
      else return;
      event.stopImmediatePropagation();
    });
    importScripts(${JSON.stringify(worker)}, ${JSON.stringify(loader)});
    const load = self.factsiteLoadPacked;
    self.factsiteLoadPacked = function () { self.factsiteUsed = true; return load.apply(this, arguments); };`;
  function start(source) {
    const searcher = new Worker(URL.createObjectURL(new Blob([source], {type: "text/javascript"})));
    searcher.reply = () => new Promise((resolve, reject) => {
      searcher.addEventListener("message", event => resolve(event.data), {once: true});
      searcher.addEventListener("error", event => reject(new Error(event.message)), {once: true});
    });
    return searcher;
  }
  async function answers(searcher) {
    const found = [];
    for (const query of queries) {
      searcher.postMessage({type: 2, data: query});
      found.push(JSON.stringify((await searcher.reply()).data));
    }
    return found;
  }
  const setup = {type: 0, data: {config: entries.config, docs: entries.docs, options: {suggest: true}}};
  const own = start(`importScripts(${JSON.stringify(worker)});`);
  own.postMessage(setup);
  await own.reply();
  const ownAnswers = await answers(own);
  own.terminate();
  const made = start(withPrebuilt);
  made.postMessage({factsitePrebuilt: packed});
  made.postMessage(setup);
  await made.reply();
  const first = await answers(made);
  const again = await answers(made);
  made.postMessage({factsiteUsed: true});
  const used = (await made.reply()).used;
  made.terminate();
  return {own: ownAnswers, first, again, used};
}"""


@pytest.mark.browser
def test_searches_answered_from_the_index_made_at_build_time_are_materials_own_answers(browser, mini_server):
    """Whole answers, equal: the same pages in the same order with the same scores, and the same words
    marked, though the worker unpacks the index as searches read it and finds a found word's places only
    in the fields it was found in: asked first, and asked again once those fields are tokenized."""
    queries = ["Alfa Front", "Beta Network", "a", "front network", "usfor-a", "the", "al qaida"]
    found = in_a_page(browser, mini_server, ANSWERS, queries)
    assert found["used"] is True, "the worker built its own index: the prebuilt one was not used"
    assert found["first"] == found["own"]
    assert found["again"] == found["own"]
    answers = [json.loads(answer)["items"] for answer in found["own"]]
    assert all(answers) and sum(len(items) for items in answers) > 20
    assert all("<mark>" in json.dumps(items) for items in answers)


@pytest.mark.browser
def test_a_served_page_answers_from_the_index_made_at_build_time_once_it_arrives(context, mini_server):
    """Held back, the prebuilt index keeps search waiting (so it is what search answers from), and the
    page usable; let through, the right page comes first."""
    held = []
    context.route(f"**/search/{search_prebuilt.FILE}", lambda route: held.append(route))  # the worker's fetch
    page = context.new_page()
    page.goto(mini_server + "groups/beta-network.html")
    box = page.locator("input.md-search__input")
    box.click()
    page.keyboard.type("Alfa Front")
    page.wait_for_timeout(300)
    assert held and page.locator(".md-search-result__item").count() == 0
    page.keyboard.press("Escape")
    page.locator("article a[href$='alpha-front.html']").first.click()  # links work meanwhile
    page.wait_for_url("**/groups/alpha-front.html")
    for route in held:
        route.continue_()
    context.unroute(f"**/search/{search_prebuilt.FILE}")
    assert search(page, "Beta Network").endswith("/groups/beta-network.html")


@pytest.mark.browser
def test_an_index_made_from_other_entries_is_not_used(context, mini_site, mini_server):
    """The worker checks that the prebuilt index was made from the entries it was sent: one made from
    others (here: a reordered copy, with its fingerprint of other entries) is left, and Material's
    worker builds the index itself."""
    stale = json.loads((mini_site / "site" / "search" / search_prebuilt.FILE).read_text(encoding="utf-8"))
    stale["factsite"]["fingerprint"] += 1
    stale["vectors"][0] = ";".join(reversed(stale["vectors"][0].split(";")))
    context.route(f"**/search/{search_prebuilt.FILE}",
                  lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(stale)))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(mini_server + "groups/beta-network.html")
    assert search(page, "Alfa Front").endswith("/groups/alpha-front.html")
    assert errors == []


@pytest.mark.browser
def test_a_query_typed_while_the_index_loads_is_answered_once_it_is_ready(context, mini_server):
    """The reader types while the index is held back, and does nothing more: the query is kept, and its
    results appear once the index arrives."""
    held = []
    context.route(f"**/search/{search_prebuilt.FILE}", lambda route: held.append(route))
    page = context.new_page()
    page.goto(mini_server + "groups/beta-network.html")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Alfa Front")
    page.wait_for_timeout(300)
    assert held and page.locator(".md-search-result__item").count() == 0
    for route in held:
        route.continue_()
    assert first_result(page).endswith("/groups/alpha-front.html")


def test_words_are_placed_as_materials_tokenizer_places_them():
    """Material's highlighting finds a word by its block (of markup) and its place among the block's
    tags and words."""
    separator = re.compile(r"[\s\-]+")
    assert search_prebuilt.tokens("<p>Al-Qaida in <em>South</em> Asia</p> more", separator) == [
        ("al", 0 << 20 | 1), ("qaida", 0 << 20 | 2), ("in", 0 << 20 | 3), ("south", 0 << 20 | 4),
        ("asia", 0 << 20 | 5), ("more", 1 << 20 | 0)]
    assert search_prebuilt.tokens(["Alpha Front", "AF"], separator) == [
        ("alpha", 0), ("front", 1), ("af", 1 << 20 | 0)]


def test_a_configuration_not_reproduced_gets_no_prebuilt_index():
    docs = [entry("a.html", "<p>words</p>")]
    config = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"],
              "fields": {"title": {"boost": 1000}, "text": {"boost": 1}}}
    assert search_prebuilt.serialized(config, docs)["version"] == "2.3.9"
    assert search_prebuilt.serialized({**config, "pipeline": ["stemmer", "stopWordFilter"]}, docs) is None
    assert search_prebuilt.serialized({**config, "lang": ["de"]}, docs) is None


@pytest.mark.browser
def test_a_search_typed_as_the_page_opens_marks_the_words_it_found(context, mini_server):
    """The worker finds a found word's places in the documents it found (the prebuilt index holds none),
    in the tables Material highlights with, filled as the search needs them."""
    page = context.new_page()
    page.goto(mini_server + "groups/alpha-front.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("Beta Networ")
    box.press("k")  # Material reads the box on keyup: one search, for the whole name
    first = page.locator(".md-search-result__item").first
    link = first.locator("a.md-search-result__link")
    expect(link).to_have_attribute("href", re.compile(r"/groups/beta-network\.html"))
    expect(first.locator("h1 mark")).to_have_text(["Beta", "Network"])

"""Property-based, through the whole pipeline: any text in any text or address field of the data either
is refused by the checker, naming the code point that cannot be in a page, or makes pages that an HTML5
parser reads without an error, whose elements are only those the templates make, with the text intact.

A full `mkdocs build` per example would take seconds. In process, the data is validated, enriched and
rendered by our stages, and each page that the value changed goes through what MkDocs does to it:
its front matter is split off by MkDocs' own loader, its body converted by Python-Markdown configured
from mkdocs.yml by MkDocs' own config loader. What the theme adds around the article is checked on
full builds of fixed hostile data (tests/test_hostile.py).
"""

from __future__ import annotations

import copy
import html
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, property_examples
from html5 import Parsed, collapse, parse, parse_fragment
from site_markdown import front_matter, to_html

from factsite.enrich import enrich, search_names, shown_aliases
from factsite.load import dotted, load_data
from factsite import render
from factsite.schema import GLOSSARY, KINDS
from factsite.types import LINK, ListOf, Locator, Prose, Record, Text, Url
from factsite.validate import validate

# The hostile fixture: its pages are full of escapes and stashed HTML, whose placeholders a value may break.
HOSTILE = FIXTURES / "hostile" / "data"
PLACEHOLDER = {Text: "Placeholder text", Url: "https://example.org/placeholder"}
NOT_SHOWN = {"archived_text"}  # a file name for the quote check, printed on no page


def refused_code_point(text: str) -> str | None:
    """The first code point the checker must refuse, by the rule written out again here: controls but
    tab and line breaks, surrogates, noncharacters."""
    for char in text:
        code = ord(char)
        if (unicodedata.category(char) == "Cc" and char not in "\t\n\r") or 0xD800 <= code <= 0xDFFF \
                or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            return f"U+{code:04X}"
    return None


# ---------------------------------------------------------------- the slots: every text and address field

@dataclass(frozen=True)
class Slot:
    document: int  # index in the loaded documents
    path: tuple
    type: Text

    @property
    def field(self) -> str:
        return next(part for part in reversed(self.path) if isinstance(part, str))

    def __repr__(self) -> str:
        return f"Slot({self.document}, {dotted(self.path)})"


def _slots_of(record: Record, data: dict, index: int, path: tuple = ()) -> list[Slot]:
    slots = []
    for name, spec in record.fields.items():
        kind = spec.type
        if isinstance(kind, Locator) or (name == "undated" and "date" in data) or \
                (name == "paragraph_openings" and "paragraphs" not in data):
            # `at` takes only numbers for sources with numbered paragraphs; a dated event has no `undated`;
            # openings belong to numbered paragraphs
            continue
        if isinstance(kind, Text):
            slots.append(Slot(index, path + (name,), kind))
        elif isinstance(kind, ListOf) and isinstance(kind.item, Text):
            slots.append(Slot(index, path + (name, 0), kind.item))
        elif isinstance(kind, ListOf) and isinstance(kind.item, Record):
            for n, item in enumerate((data.get(name) or [])[:1]):
                slots += _slots_of(kind.item, item, index, path + (name, n))
    return slots


@lru_cache(maxsize=None)
def documents():
    return tuple(load_data(HOSTILE).documents)


@lru_cache(maxsize=None)
def slots() -> tuple[Slot, ...]:
    found = []
    for index, document in enumerate(documents()):
        record = GLOSSARY if document.kind == "glossary" else KINDS[document.kind].record
        found += _slots_of(record, document.data, index)
    return tuple(found)


def with_value(slot: Slot, value: str) -> list:
    changed = [copy.copy(d) for d in documents()]
    document = changed[slot.document] = copy.copy(changed[slot.document])
    document.data = copy.deepcopy(document.data)
    target = document.data
    for part in slot.path[:-1]:
        if isinstance(target, dict) and part not in target:
            target[part] = []
        target = target[part]
    if isinstance(target, list) and slot.path[-1] >= len(target):
        target.append(value)
    else:
        target[slot.path[-1]] = value
    return changed


# ---------------------------------------------------------------- rendering as MkDocs would

@dataclass
class Site:
    graph: object
    pages: dict[str, str]  # Markdown, by path


_COMPILED = render.CompiledTemplates()  # compiled once for all examples (compiling took a third of each)


def build(changed_documents: list) -> tuple[list, Site | None]:
    validated = validate(changed_documents)
    if validated.problems:
        return validated.problems, None
    graph = enrich(validated.model)
    renderer = render.Renderer(graph, compiled=_COMPILED)
    pages = {**renderer.site_pages(), **renderer.entity_pages(graph.entities.values())}
    return [], Site(graph, pages)


@lru_cache(maxsize=None)
def baseline(slot: Slot) -> Site:
    problems, site = build(with_value(slot, PLACEHOLDER[Url if isinstance(slot.type, Url) else Text]))
    assert not problems, problems
    return site


@lru_cache(maxsize=256)
def article(markdown_page: str) -> tuple[dict, Parsed]:
    """The page's front matter and its body as the HTML5 parser reads it inside the theme's <article>."""
    body, meta = front_matter(markdown_page)
    parsed = parse_fragment(to_html(body), container="article")
    return meta, parsed


# ---------------------------------------------------------------- what the pages must be

def signature(element) -> tuple:
    return element.tag, frozenset(element.attributes), element.attributes.get("class")


def counted(parsed: Parsed) -> Counter:
    """Elements by tag, outside diagrams (whose boxes wrap names into as many lines as they need) and
    but for tooltips (a glossary term in the text gets one)."""
    return Counter(e.tag for e in parsed.elements() if "svg" not in e.ancestors and e.tag not in {"svg", "abbr"})


UNSAFE_IN_META = re.compile(r"[<>\"]|&(?!(?:amp|lt|gt|quot|#39);)")


def assert_page_is_the_templates_own(where: str, page: str, before: str, url: str | None, row_delta: int) -> None:
    meta, parsed = article(page)
    old_meta, old = article(before)
    assert parsed.errors == [], (where, parsed.errors)
    # The front matter was read as front matter, and the theme may print its values unescaped.
    assert meta.keys() == old_meta.keys(), (where, meta)
    for key in ("title", "description"):
        if key in meta:
            assert not UNSAFE_IN_META.search(meta[key]), (where, key, meta[key])
    # Only the kinds of elements and attributes the templates make with ordinary text.
    known = {signature(e) for e in old.elements()} | {("abbr", frozenset({"title"}), None)}  # a term in the value
    # A link leaves the site only to the address a source's `url` holds.
    addresses = set(old.links()) | {url}
    for element in parsed.elements():
        assert signature(element) in known, (where, element.tag, element.attributes)
        for name, value in element.attributes.items():
            if name == "href" and re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", value):
                assert value in addresses, (where, value)
    # As many of each: no value opened or closed an element of its own.
    expected = counted(old)
    expected["tr"] += row_delta
    expected["td"] += 2 * row_delta
    assert counted(parsed) == expected, (where, counted(parsed) - expected, expected - counted(parsed))
    for attributes, body in parsed.scripts():
        assert attributes == {"type": "application/ld+json"}, (where, attributes)
        json.loads(body)


def page_of(slot: Slot, site: Site) -> str:
    document = documents()[slot.document]
    if document.kind == "glossary":
        return "glossary.md"
    return site.graph.entities[document.id].page


def also_spelt_delta(slot: Slot, site: Site) -> int:
    """The infobox row "Also spelt" shows when a name folds to a new spelling, and "Also known as"
    when an alias is more than the name spelt another way: a row more or fewer each."""
    document = documents()[slot.document]
    if document.kind == "glossary":
        return 0

    def rows(graph) -> int:
        entity = graph.entities[document.id].entity
        return int(bool(search_names(entity))) + int(bool(shown_aliases(entity)))
    return rows(site.graph) - rows(baseline(slot).graph)


def concepts_changed(slot: Slot, site: Site) -> bool:
    """A glossary term of lower-case words with a description is a concept: it leaves the table
    for a section of its own (a heading and a paragraph)."""
    return [e.concept for e in site.graph.glossary] != [e.concept for e in baseline(slot).graph.glossary]


# ---------------------------------------------------------------- the property

NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)]
# Every category but surrogates, which no YAML file can hold (libyaml refuses even the escape "\uD800").
ANY_CHARACTER = st.characters(blacklist_categories=("Cs",))
# What the checker lets through, so that most examples reach the pages.
ALLOWED_CHARACTER = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r",
                                  blacklist_characters=NONCHARACTERS)
SYNTAX = st.sampled_from(list("<>&\"'`*_{}[]()|!#+-.:;=~^\\/ \n\t") + [
    "<script>", "</div>", "<div markdown>", "&#106;", "&lt;", "javascript:", "[^1]", "*[AF]: x", "{: onclick=x }",
    "!!! note", "```", "~~~", "| --- |", "1. ", "# ", "---", "<!--", "]]", "[[", "{{", "{%", "--8<--", "42",
    "124", "wzxhzdk", "\u2028", "\u00a0", "\u200b", "\u202e", "AF", "IED", "https://", "(", ")",
])
REFUSED = st.sampled_from(["\x00", "\x02", "\x03", "\x1b", "\x7f", "\x85", "\x9f", *NONCHARACTERS])
TEXT = st.one_of(
    st.text(ALLOWED_CHARACTER, min_size=1, max_size=40),
    st.lists(st.one_of(SYNTAX, ALLOWED_CHARACTER), min_size=1, max_size=15).map("".join),
    st.lists(st.one_of(SYNTAX, REFUSED, ANY_CHARACTER), min_size=1, max_size=15).map("".join),
)
URL = st.one_of(
    TEXT,
    st.builds(lambda rest: "https://example.org/" + rest, TEXT),
    st.builds(lambda rest: "https://example.org/" + rest, st.text(st.sampled_from("aZ0/()*_~&'!%?#=;:+,.$@-[]|<>\" `"),
                                                                 max_size=20)),
)


@st.composite
def slot_and_value(draw):
    slot = draw(st.sampled_from(slots()))
    value = draw(URL if isinstance(slot.type, Url) else TEXT)
    return slot, value


def find_slot(field_path: str, kind: str) -> Slot:
    return next(s for s in slots() if dotted(s.path) == field_path and documents()[s.document].kind == kind)


settings.register_profile("factsite-site", max_examples=property_examples(60), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(settings.get_profile("factsite-site"))
@given(slot_and_value())
@example(lambda: (find_slot("summary", "groups"), "A group \ufffe *x*{: tabindex=1 autofocus onfocus=alert(1) }"))
@example(lambda: (find_slot("url", "sources"), "https://[x](javascript:alert(7))|"))
@example(lambda: (find_slot("url", "sources"), "https://example.org/A_(b)*c*?x=1&y='z'#f!"))
@example(lambda: (find_slot("terms[0].term", "glossary"), "42"))
@example(lambda: (find_slot("terms[0].term", "glossary"), "wzxhzdk"))
@example(lambda: (find_slot("name", "groups"), "~~~ x"))
@example(lambda: (find_slot("name", "groups"), "\x02wzxhzdk:0\x03"))
def test_any_text_in_any_field_is_refused_by_code_point_or_prints_as_itself(case):
    if callable(case):  # the fixed examples need the slots, which are known only once the data is loaded
        case = case()
    slot, value = case
    single_line = not (isinstance(slot.type, Prose) or slot.type.multiline)
    assume(value.strip())  # "is empty"
    assume(not (single_line and "\n" in value.strip()))  # "must be a single line"
    assume(not (isinstance(slot.type, Prose) and LINK.search(value)))  # a link to an id the data lacks

    problems, site = build(with_value(slot, value))
    refused = refused_code_point(value)
    if refused:
        assert [p.field for p in problems] == [dotted(slot.path)], problems
        assert refused in problems[0].message, problems
        event("refused: a code point")
        return
    if isinstance(slot.type, Url) and problems:  # not an address: the checker says why
        assert [p.field for p in problems] == [dotted(slot.path)], problems
        assert problems[0].message.startswith(("expected an http(s) address", "holds ")), problems
        event("refused: not an address")
        return
    assert problems == [], problems

    event("built")
    before = baseline(slot)
    url = value if isinstance(slot.type, Url) else None
    target = page_of(slot, site)
    delta = also_spelt_delta(slot, site)
    changed = [path for path, page in site.pages.items() if before.pages.get(path) != page]
    for path in changed:
        if path == "includes/abbreviations.md":  # the hand-written pages' tooltips: every line a definition
            assert to_html(site.pages[path]).strip() == "", site.pages[path]
        elif path == "glossary.md" and concepts_changed(slot, site):
            continue  # a term became a concept, or stopped being one: it moved between table and section
        elif path.endswith(".html"):  # a redirect page of a former id
            page, old = parse(site.pages[path]), parse(before.pages[path])
            assert page.errors == [] and page.tags() == old.tags(), (path, page.errors)
        else:
            assert_page_is_the_templates_own(path, site.pages[path], before.pages[path], url,
                                             delta if path == target else 0)
    if slot.field in NOT_SHOWN:
        return
    meta, parsed = article(site.pages[target])
    assert collapse(value) in parsed.text(), (target, value)
    shown_in_meta = {"name": "title", "summary": "description"}.get(slot.field) if slot.path in {("name",), ("summary",)} else None
    if shown_in_meta:  # what the theme prints into <title> and <meta name="description">
        assert collapse(html.unescape(meta[shown_in_meta])).startswith(collapse(value)), (meta, value)
    if url:
        links = [e for e in parsed.find("a") if e.attributes.get("href") == url]
        # in the source's table, and in each footnote citing the source on its own page
        assert links and all(parsed.text(link.node) == url for link in links), (target, url)
        assert len([link for link in links if "td" in link.ancestors]) == 1, (target, url)

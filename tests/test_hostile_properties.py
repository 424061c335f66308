"""Property-based: any text through the escaping filters comes out of Python-Markdown, configured as
mkdocs.yml configures it, as exactly that text in one paragraph, with no element of its own; read by
an HTML5 parser, as a browser reads it, without a parse error."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import property_examples
from html5 import collapse, parse_fragment
from site_markdown import to_html

from factsite.escape import escape_markdown, prose_to_markdown

# Validated text holds no control characters but white space, no surrogates and no noncharacters
# (the checker refuses them, tests/test_hostile_site.py); Python-Markdown's own placeholders are made
# of two control characters.
NONCHARACTERS = "".join(chr(c) for c in range(0xFDD0, 0xFDF0)) + "".join(
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF))
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r",
                             blacklist_characters=NONCHARACTERS), max_size=80)
# Text rich in what Markdown and HTML give meaning to.
SYNTAX = st.lists(st.sampled_from(list("<>&\"'`*_{}[]()|!#+-.:;=~^\\/ \n\tx1aA") + [
    "<script>", "</div>", "<div markdown>", "&#106;", "&lt;", "javascript:", "[^1]", "*[HTML]: x", "{: .c }",
    "!!! note", "```", "~~~", "    ", "| --- |", "1. ", "# ", "---", "===", "<!--", "-->", "<?", "]]", "[[", "{{",
    "{%", "--8<--", "[TOC]", "\\[", "&#x3c;",
]), max_size=30).map("".join)
SLUGS = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)?", fullmatch=True)


class Tree:
    """Markdown's output as an HTML5 parser reads it inside a page: its elements and its text."""

    def __init__(self, produced: str):
        parsed = parse_fragment(produced, container="article")
        assert parsed.errors == [], (produced, parsed.errors)
        self.elements = [(e.tag, e.attributes) for e in parsed.elements()]
        self.text = [parsed.text()]


def assert_literal(original: str, produced: str) -> None:
    tree = Tree(produced)
    expected = collapse(original)
    if not expected:
        assert tree.elements in ([], [("p", {})]), produced
        return
    assert tree.elements == [("p", {})], (original, produced)
    assert collapse("".join(tree.text)) == expected, (original, produced)


settings.register_profile("factsite", max_examples=property_examples(200), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("factsite")


@given(st.one_of(TEXT, SYNTAX))
@example("!!! danger injected")
@example("Look![[x]]")
@example("<img src=x onerror=alert(1)>")
@example("&#106;avascript:alert(1)")
@example("[^1]: a footnote")
@example("*[HTML]: Hyper Text")
@example("| a | b |\n| --- | --- |")
@example("{: onclick=alert(1) }")
@example("<div markdown>**x**</div>")
@example("    indented code")
@example("1) item")
@example("\\")
def test_escape_markdown_prints_the_literal_text(text):
    assert_literal(text, to_html(escape_markdown(text)))


@given(st.lists(st.tuples(st.one_of(TEXT, SYNTAX), SLUGS), max_size=4), st.one_of(TEXT, SYNTAX))
@example([("Look!", "x")], "")
@example([("!", "x")], "!")
def test_prose_to_markdown_prints_the_literal_text_and_only_its_links(parts, tail):
    """`[[id]]` links become links named by the id; everything around them stays literal text."""
    prose = "".join(f"{text}[[{slug}]]" for text, slug in parts) + tail
    links = re.findall(r"\[\[([^\[\]]*)\]\]", collapse(prose))
    assume(all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", link) for link in links))  # the validator's guarantee
    produced = to_html(prose_to_markdown(prose, lambda id_: f"[{escape_markdown(id_)}]({id_}.html)"))
    tree = Tree(produced)
    expected = re.sub(r"\[\[([^\[\]]*)\]\]", lambda m: m.group(1), collapse(prose))
    if not expected:  # nothing but spaces: no element, or one empty paragraph
        assert tree.elements in ([], [("p", {})]), produced
        return
    assert tree.elements[0] == ("p", {}), produced
    assert tree.elements[1:] == [("a", {"href": f"{slug}.html"}) for slug in links], (prose, produced)
    assert collapse("".join(tree.text)) == expected, (prose, produced)


@given(st.text(max_size=40))
@example("\x02wzxhzdk:0\x03")
@example("a\ufffe\ud800\U0010ffff")
def test_no_text_at_all_opens_an_element(text):
    """Even what the checker refuses (controls, surrogates, noncharacters) cannot reach Markdown's
    placeholders or the page: each becomes U+FFFD."""
    tree = Tree(to_html(escape_markdown(text)))
    assert tree.elements in ([], [("p", {})])


def test_html_entities_in_data_are_not_decoded():
    produced = to_html(escape_markdown("&lt;script&gt; &#106;avascript:"))
    assert html.unescape(produced) != produced
    assert collapse("".join(Tree(produced).text)) == "&lt;script&gt; &#106;avascript:"

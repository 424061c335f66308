"""Property-based: any text through the escaping filters comes out of Python-Markdown, with the
site's extensions, as exactly that text in one paragraph, with no element of its own."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from factsite.escape import escape_markdown, prose_to_markdown

# The site's extensions (mkdocs.yml), those that read Markdown syntax.
EXTENSIONS = ["abbr", "attr_list", "md_in_html", "footnotes", "tables", "toc", "admonition"]
SPACE = re.compile(r"\s+")

# Validated text holds no control characters but white space (the schema refuses them), and
# Python-Markdown's own placeholders are made of two of them; surrogates cannot be in YAML.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"), max_size=80)
# Text rich in what Markdown and HTML give meaning to.
SYNTAX = st.lists(st.sampled_from(list("<>&\"'`*_{}[]()|!#+-.:;=~^\\/ \n\tx1aA") + [
    "<script>", "</div>", "<div markdown>", "&#106;", "&lt;", "javascript:", "[^1]", "*[HTML]: x", "{: .c }",
    "!!! note", "```", "    ", "| --- |", "1. ", "# ", "---", "===", "<!--", "-->", "<?", "]]", "[[", "{{", "{%",
]), max_size=30).map("".join)
SLUGS = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)?", fullmatch=True)


class Tree(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.elements.append(("<!--", {}))

    def handle_pi(self, data):
        self.elements.append(("<?", {}))

    def handle_decl(self, decl):
        self.elements.append(("<!", {}))


def to_html(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


def collapse(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def assert_literal(original: str, produced: str) -> None:
    tree = Tree(produced)
    expected = collapse(original)
    if not expected:
        assert tree.elements in ([], [("p", {})]), produced
        return
    assert tree.elements == [("p", {})], (original, produced)
    assert collapse("".join(tree.text)) == expected, (original, produced)


settings.register_profile("factsite", max_examples=400, deadline=None,
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


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
@example("\x02wzxhzdk:0\x03")
def test_no_text_at_all_opens_an_element(text):
    """Even control characters, which the schema refuses, cannot reach Markdown's placeholders."""
    tree = Tree(to_html(escape_markdown(text)))
    assert tree.elements in ([], [("p", {})])


def test_html_entities_in_data_are_not_decoded():
    produced = to_html(escape_markdown("&lt;script&gt; &#106;avascript:"))
    assert html.unescape(produced) != produced
    assert collapse("".join(Tree(produced).text)) == "&lt;script&gt; &#106;avascript:"

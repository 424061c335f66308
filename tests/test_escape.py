"""The escaping filters: data prints as the literal text it is; and what the checker lets reach them."""

from __future__ import annotations

import pytest

from factsite.escape import abbreviation_key, escape_html, escape_markdown, prose_to_markdown, prose_to_text
from factsite.types import Invalid, Prose, Url


@pytest.mark.parametrize(("text", "escaped"), [
    ("Haqqani Network", "Haqqani Network"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("a | b", "a \\| b"),
    ("# heading", "\\# heading"),
    ("- item", "\\- item"),
    ("+ item", "\\+ item"),
    ("2017. A year", "2017\\. A year"),
    ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
    ("{: onclick=x}", "\\{: onclick=x\\}"),
    ("&#106;avascript:", "&amp;#106;avascript:"),
    ("two\nlines", "two lines"),
    ("al-Qa’ida", "al-Qa’ida"),
])
def test_escape_markdown(text, escaped):
    assert escape_markdown(text) == escaped


def test_escape_html_quotes_attributes():
    assert escape_html('a "b" \'c\' <d> &') == "a &quot;b&quot; &#39;c&#39; &lt;d&gt; &amp;"


def test_prose_links_ids_and_escapes_the_rest():
    text = "The *report* by [[us-dod]] says\n so."
    assert prose_to_markdown(text, lambda i: f"[DoD](../{i}.md)") == "The \\*report\\* by [DoD](../us-dod.md) says so."


def test_prose_as_plain_text_uses_names():
    assert prose_to_text("Named by [[us-dod]].", lambda i: "the DoD") == "Named by the DoD."


def test_code_points_the_checker_refuses_never_reach_a_page():
    """Controls, surrogates and noncharacters become U+FFFD in every filter, should one get past the
    checker: MkDocs' YAML loader refuses front matter that holds one and prints it as Markdown."""
    for char in ["\x02", "\x7f", "\ud800", "\ufdd0", "\ufffe", "\U0001fffe", "\U0010ffff"]:
        assert escape_markdown(f"a{char}b") == "a\ufffdb"
        assert escape_html(f"a{char}b") == "a\ufffdb"


@pytest.mark.parametrize("term", ["42", "124", "2017", "wzxhzdk", "wzxhzdk:3", "klzzwxh", "amp",
                                  "zz1337820767766393qq", "A [b]", "a\\b", "x<y", "R&D"])
def test_a_term_that_would_break_markup_gets_no_tooltip(term):
    """Digits match the code of an escaped character (`\\*` is \\x0242\\x03 while abbr runs), the
    others a placeholder's word or what abbr cannot read in a definition."""
    assert abbreviation_key(term) == ""


@pytest.mark.parametrize("term", ["IED", "AQIS", "ISIS-K", "9/11", "A1", "US DoD", "qq"])
def test_ordinary_terms_get_tooltips(term):
    assert abbreviation_key(term) == term


@pytest.mark.parametrize("address", [
    "https://example.org/", "http://example.org/a/b?c=1&d=2#e",
    "https://en.wikipedia.org/wiki/Haqqani_network_(disambiguation)", "https://example.org/it's*here*~!$;,=:@%20+",
])
def test_the_checker_takes_http_addresses_that_print_as_one_link(address):
    assert Url().convert(address) == address


@pytest.mark.parametrize(("address", "message", "hint"), [
    ("javascript:alert(1)", "expected an http(s) address, got 'javascript:alert(1)'", "start it with https:// and the host's name"),
    ("ftp://example.org/", "expected an http(s) address, got 'ftp://example.org/'", "start it with https:// and the host's name"),
    ("HTTPS://example.org/", "expected an http(s) address, got 'HTTPS://example.org/'", "start it with https:// and the host's name"),
    ("https:///path", "expected an http(s) address, got 'https:///path'", "start it with https:// and the host's name"),
    ("https://example.org/a|b", "holds '|', which an address cannot hold here", "percent-encode it as %7C"),
    ("https://example.org/[x](javascript:alert(7))", "holds '[', which an address cannot hold here", "percent-encode it as %5B"),
    ("https://example.org/a>b", "holds '>', which an address cannot hold here", "percent-encode it as %3E"),
    ("https://example.org/a`b", "holds '`', which an address cannot hold here", "percent-encode it as %60"),
    ('https://example.org/a"b', "holds '\"', which an address cannot hold here", "percent-encode it as %22"),
    ("https://example.org/a b", "holds a space, which an address cannot hold here", "percent-encode it as %20"),
    ("https://example.org/café", "holds 'é' (U+00E9), which an address cannot hold here", "percent-encode it as %C3%A9"),
    ("https://example.org/\u200b", "holds U+200B, which an address cannot hold here", "percent-encode it as %E2%80%8B"),
    ("https://example.org/\ufffe", "holds the noncharacter U+FFFE", "remove it; Unicode reserves it, and web pages cannot hold it"),
])
def test_the_checker_refuses_what_would_end_or_open_markup_in_an_address(address, message, hint):
    with pytest.raises(Invalid) as refused:
        Url().convert(address)
    assert (refused.value.message, refused.value.hint) == (message, hint)


@pytest.mark.parametrize(("text", "message"), [
    ("a\x02", "holds the control character U+0002"),
    ("a\x85", "holds the control character U+0085"),
    ("a\ud800", "holds the lone surrogate U+D800"),
    ("a\ufdd0", "holds the noncharacter U+FDD0"),
    ("a\uffff", "holds the noncharacter U+FFFF"),
    ("a\U0002fffe", "holds the noncharacter U+2FFFE"),
])
def test_text_refuses_code_points_that_pages_cannot_hold(text, message):
    with pytest.raises(Invalid) as refused:
        Prose().convert(text)
    assert refused.value.message == message


def test_text_keeps_tabs_line_breaks_and_every_other_character():
    text = "tab\there\nnext ¶ “quoted” 😀 \ue000 \u200d"
    assert Prose().convert(text) == text

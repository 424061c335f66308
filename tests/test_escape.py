"""The escaping filters: data prints as the literal text it is."""

from __future__ import annotations

import pytest

from factsite.escape import escape_html, escape_markdown, prose_to_markdown, prose_to_text


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

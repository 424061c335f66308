"""Markdown escaping: every data value passes here so that it prints as the literal text it is.

A value may not open HTML, a link, emphasis, a table cell, a heading, a footnote, an attribute
list or an abbreviation: `&`, `<` and `>` become entities, the characters that Markdown and
its extensions give meaning become backslash escapes, and line breaks become spaces, since
every value is printed inline.
"""

from __future__ import annotations

import functools
import re
from typing import Callable

from factsite.types import LINK

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Characters that carry meaning anywhere in a line; Python-Markdown honours a backslash
# before each (`|` with the tables extension, `{}` for attribute lists). `!` opens an
# admonition at the start of a line (`!!! danger`) and, just before a `[[link]]`, would turn
# the link into an image (`![name](page)`).
_SPECIAL = set("\\`*_{}[]|!")
# What carries meaning only where a value starts (it may start a list item or a table cell).
_LEADING = re.compile(r"^(?:[-+#>]|\d+(?=[.)]))")
_WHITESPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Whitespace runs and line breaks as single spaces, trimmed."""
    # Every whitespace character but the plain space is unprintable to Python: text that is
    # printable and has no double space needs only trimming (most text; the regex took 0.27 s).
    if text.isprintable() and "  " not in text:
        return text.strip()
    return _WHITESPACE.sub(" ", text).strip()


def escape_markdown(value: object) -> str:
    return _escape_text(str(value))


@functools.lru_cache(maxsize=65536)  # names and labels recur on many pages
def _escape_text(text: str) -> str:
    return _escape_leading(_escape_chars(one_line(text)))


def _escape_leading(text: str) -> str:
    match = _LEADING.match(text)
    if not match:
        return text
    end = match.end()
    if text[:end].isdigit():  # "2017. x" would start an ordered list: escape the dot
        return text[:end] + "\\" + text[end:]
    return "\\" + text


# The checker refuses these code points (factsite/types.py); should one get here anyway, it must not
# reach a page: Markdown's placeholders for stashed HTML are made of two controls (\x02, \x03), and a
# noncharacter or surrogate in the front matter makes MkDocs' YAML loader print it as Markdown instead.
_REFUSED = {chr(code): "\ufffd" for code in [
    *range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000),
    *range(0xFDD0, 0xFDF0), *(plane + last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)),
]}
_TABLE = str.maketrans({
    **{char: "\\" + char for char in _SPECIAL},
    **_ENTITIES,
    **_REFUSED,
})


def _escape_chars(text: str) -> str:
    return text.translate(_TABLE)


_HTML_TABLE = str.maketrans({**_ENTITIES, "'": "&#39;", **_REFUSED})


def escape_html(value: object) -> str:
    """For values printed inside raw HTML blocks, where backslash escapes do not apply."""
    return one_line(str(value)).translate(_HTML_TABLE)


_UNFIT_ABBREVIATION = re.compile(r"[\\\[\]<>&\s]")
# What Python-Markdown leaves in a page's text while the abbr extension looks for terms (placeholders
# between \x02 and \x03): stashed HTML, escaped characters (by code), footnote back links, `&`. Numbers
# vary (the nth stashed block, the escaped character's code), so digit runs are compared as 0.
_PLACEHOLDERS = "\x02wzxhzdk:0\x03\x02hzzhzkh:0\x03\x02klzzwxh:0\x03\x020\x03\x02amp\x03" \
    "\x02zz0qq\x03\x02qq0zz\x03"
_DIGITS = re.compile(r"[0-9]+")


@functools.lru_cache(maxsize=16384)  # each glossary term and abbreviation, met again on every enrich of the preview
def abbreviation_key(term: object) -> str:
    """The term as an `abbr` definition's key (`*[AQIS]: …`), or '' when it cannot be one.

    The key is matched against the page text literally, and the extension reads no backslash
    escapes in it: a term with `\\`, brackets, `<`, `>` or `&` would turn its definition into a
    paragraph of text on every page. A term that could match inside one of Markdown's placeholders
    (`42`, the code of `*`; `wzxhzdk`) would split it and leave raw \x02/\x03 and broken markup in
    the page. Such a term keeps its glossary entry, without a tooltip.
    """
    text = str(term).strip()
    if _UNFIT_ABBREVIATION.search(text.replace(" ", "")) or _inside_a_placeholder(text):
        return ""
    return text


def _inside_a_placeholder(term: str) -> bool:
    pattern = r"\b" + re.escape(_DIGITS.sub("0", term)) + r"\b"
    return re.search(pattern, _PLACEHOLDERS) is not None


def prose_to_markdown(text: str, link: Callable[[str], str]) -> str:
    """Escape prose and turn each `[[id]]` into a Markdown link; `link(id)` gives `[name](path)`."""
    text = one_line(text)
    if "[[" not in text:
        return _escape_leading(_escape_chars(text))
    parts, last = [], 0
    for match in LINK.finditer(text):
        parts.append(_escape_chars(text[last:match.start()]))
        parts.append(link(match.group(1)))
        last = match.end()
    parts.append(_escape_chars(text[last:]))
    return _escape_leading("".join(parts))


def prose_to_text(text: str, name: Callable[[str], str]) -> str:
    """Prose as plain text, each `[[id]]` replaced by the entity's name (for metadata)."""
    return one_line(LINK.sub(lambda m: name(m.group(1)), text))

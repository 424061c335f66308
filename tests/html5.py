"""Pages read as a browser reads them: html5lib runs the WHATWG HTML parsing algorithm and reports
every parse error (a broken attribute, a stray control character, a noncharacter), so a test sees
the element tree a browser would build and can insist that a page parses cleanly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator
from xml.etree import ElementTree

import html5lib

SPACE = re.compile(r"\s+")
_NAMESPACE = re.compile(r"^\{[^}]*\}")
# Elements whose text a reader never sees as text.
_NOT_TEXT = {"script", "style", "template"}


def collapse(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def local(name: str) -> str:
    """A tag or attribute name without its namespace (`svg`, not `{http://www.w3.org/2000/svg}svg`)."""
    return _NAMESPACE.sub("", name)


@dataclass
class Element:
    tag: str
    attributes: dict[str, str]
    ancestors: list[str]  # the tags of the open elements around it, outermost first
    node: ElementTree.Element = field(repr=False)


@dataclass
class Parsed:
    root: ElementTree.Element
    errors: list[str]  # "line:col: error-code", as html5lib names them

    def elements(self) -> list[Element]:
        return list(_walk(self.root, []))

    def tags(self) -> list[str]:
        return [element.tag for element in self.elements()]

    def find(self, tag: str, **attributes: str) -> list[Element]:
        return [e for e in self.elements()
                if e.tag == tag and all(e.attributes.get(k.replace("_", "-")) == v for k, v in attributes.items())]

    def links(self) -> list[str]:
        return [e.attributes.get("href", "") for e in self.elements() if e.tag == "a"]

    def text(self, node: ElementTree.Element | None = None) -> str:
        """The text a reader sees (not scripts' or styles'), whitespace collapsed."""
        return collapse("".join(_text(self.root if node is None else node)))

    def first(self, tag: str, **attributes: str) -> Element | None:
        found = self.find(tag, **attributes)
        return found[0] if found else None

    def scripts(self) -> list[tuple[dict[str, str], str]]:
        return [(e.attributes, e.node.text or "") for e in self.elements() if e.tag == "script"]

    def title(self) -> str:
        """The document's <title> (not an SVG's)."""
        head = self.first("head")
        titles = [e for e in self.elements() if e.tag == "title" and "svg" not in e.ancestors]
        return collapse(titles[0].node.text or "") if head and titles else ""

    def meta(self, name: str) -> str | None:
        found = self.find("meta", name=name)
        return found[0].attributes.get("content") if found else None


def _parser() -> html5lib.HTMLParser:
    return html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)


def parse(html: str) -> Parsed:
    """A whole document."""
    parser = _parser()
    root = parser.parse(html)
    return Parsed(root, _errors(parser))


def parse_fragment(html: str, container: str = "div") -> Parsed:
    """Markup as it would be parsed inside `container` (Markdown's output, an element of a page)."""
    parser = _parser()
    fragment = parser.parseFragment(html, container=container)
    root = ElementTree.Element(container)
    root.text = fragment.text
    root.extend(list(fragment))
    return Parsed(root, _errors(parser))


def _errors(parser: html5lib.HTMLParser) -> list[str]:
    return [f"{line}:{col}: {code}" + (f" {data}" if data else "") for (line, col), code, data in parser.errors]


def _walk(node: ElementTree.Element, ancestors: list[str]) -> Iterator[Element]:
    for child in node:
        if not isinstance(child.tag, str):  # a comment or a processing instruction
            yield Element("<!--", {}, list(ancestors), child)
            continue
        tag = local(child.tag)
        yield Element(tag, {local(k): v for k, v in child.attrib.items()}, list(ancestors), child)
        yield from _walk(child, ancestors + [tag])


def _text(node: ElementTree.Element) -> Iterator[str]:
    if isinstance(node.tag, str) and local(node.tag) not in _NOT_TEXT:
        yield node.text or ""
        for child in node:
            yield from _text(child)
            yield child.tail or ""
    # the tail of a script or comment is yielded by its parent

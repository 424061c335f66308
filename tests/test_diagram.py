"""Diagrams: safe, self-contained, deterministic SVG that can be inlined in Markdown."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import pytest

from factsite import diagram
from factsite.diagram import (CARD_COLOUR, EDGE_TEXT_COLOUR, KIND_COLOURS, KIND_TITLES, LINE_COLOUR,
                              NODE_TEXT_COLOUR, Edge, Node, neighbourhood_narrow_svg, neighbourhood_svg,
                              network_svg, safe_href)

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
HOSTILE = """<script>alert("x")</script> & 'q'"""
SHORT_HOSTILE = """<script> x & "q" 'y' \\N"""  # short words, so that nothing is cut when wrapped

HAQQANI = Node("haqqani-network", "Haqqani Network", "groups", "")
PAKISTAN = Node("pakistan", "Pakistan", "states", "../states/pakistan.html")
TALIBAN = Node("taliban", "Taliban", "groups", "../groups/taliban.html")
ANDSF = Node("andsf", "Afghan national defence and security forces", "organizations",
             "../organizations/andsf.html")


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}a"))


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def node_titles(root: ET.Element) -> list[str]:
    return [e.find(f"{SVG}title").text for e in root.iter() if e.get("class") == "node"]


def legend(root: ET.Element) -> list[str]:
    (group,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    return texts(group)


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def haqqani_svg(**changes) -> str:
    arguments = dict(center=HAQQANI, outgoing=[("has sanctuary in", PAKISTAN), ("affiliate of", TALIBAN)],
                     incoming=[("targeted by", ANDSF)], title="Haqqani Network and its relations")
    return neighbourhood_svg(**{**arguments, **changes})


def assert_self_contained(svg: str) -> None:
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert all(line.strip() for line in svg.split("\n")), "a blank line ends Markdown's raw HTML block"
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
    assert set(re.findall(r"https?://[^\s\"'<>)]*", svg)) <= NAMESPACES
    root = parse(svg)
    forbidden = {f"{SVG}{tag}" for tag in ("script", "image", "foreignObject", "style", "use")}
    assert not [e.tag for e in root.iter() if e.tag in forbidden]
    assert root.get("role") == "group" and root.get("class").split()[0] == "factsite-diagram"
    (title,) = [e for e in root.iter(f"{SVG}title") if e.get("id") == root.get("aria-labelledby")]
    assert title is root[0]
    (desc,) = [e for e in root.iter(f"{SVG}desc") if e.get("id") == root.get("aria-describedby")]
    assert desc.text


# --- neighbourhood -------------------------------------------------------------------

def test_neighbourhood_is_a_self_contained_accessible_svg():
    svg = haqqani_svg()
    assert_self_contained(svg)
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "Haqqani Network and its relations"
    assert "has sanctuary in Pakistan" in root.find(f"{SVG}desc").text
    assert "targeted by Afghan national defence and security forces" in root.find(f"{SVG}desc").text
    assert root.get("viewBox").startswith("0 0 760 ")


def test_the_narrow_layout_carries_the_same_relations_in_one_column_that_fits_a_phone():
    arguments = dict(center=HAQQANI, outgoing=[("has sanctuary in (per the DoD report)", PAKISTAN)],
                     incoming=[("targeted by (per the DoD report)", ANDSF)], title="Haqqani Network")
    wide, narrow = parse(neighbourhood_svg(**arguments)), parse(neighbourhood_narrow_svg(**arguments))
    assert_self_contained(neighbourhood_narrow_svg(**arguments))
    assert narrow.get("class") == "factsite-diagram factsite-narrow"
    assert wide.get("class") == "factsite-diagram factsite-wide"
    # 320 units wide: on a 390 px phone (about 358 px of column) 11-unit text stays above 11 px.
    assert narrow.get("viewBox").startswith("0 0 320 ")
    assert min(float(g.get("font-size")) for g in narrow.iter(f"{SVG}g") if g.get("font-size")) >= 11
    assert narrow.find(f"{SVG}desc").text == wide.find(f"{SVG}desc").text
    assert sorted(node_titles(narrow)) == sorted(node_titles(wide))
    assert sorted(a.get("href") for a in links(narrow)) == sorted(a.get("href") for a in links(wide))
    labels = [g.find(f"{SVG}title").text for g in narrow.iter(f"{SVG}g") if g.get("text-anchor") == "start"]
    assert labels == ["targeted by (per the DoD report)", "has sanctuary in (per the DoD report)"]
    # Whole names: the long name is wrapped, not cut.
    assert "…" not in "".join(texts(narrow))


def test_hostile_labels_round_trip_as_text_and_never_become_markup():
    hostile = Node("x", HOSTILE, "groups", "../groups/x.html")
    svg = neighbourhood_svg(Node("c", "A<b>&amp;", "states", ""), [(HOSTILE, hostile)], [],
                            title=HOSTILE + " \\N")
    assert "<script" not in svg
    root = parse(svg)
    assert not [e for e in root.iter() if "script" in e.tag]
    assert root.find(f"{SVG}title").text == HOSTILE + " \\N"
    assert f"{HOSTILE} (Group)" in node_titles(root)
    assert "A<b>&amp; (State)" in node_titles(root)
    assert "A<b>&amp;" in texts(root)
    label_titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("text-anchor") == "end"]
    assert label_titles == [HOSTILE]


def test_no_blank_lines_even_when_labels_contain_them():
    node = Node("n", "two\n\nparagraphs\r\n\r\n", "places", "a.html")
    svg = neighbourhood_svg(node, [("part\n\nof", PAKISTAN)], [("in\n\n", node)], title="a\n\nb")
    assert_self_contained(svg)
    assert "\n\n" not in svg


def test_links_use_href_and_xlink_href_and_hostile_hrefs_are_dropped():
    hostile = [Node(f"h{i}", f"Hostile {i}", "groups", href) for i, href in enumerate(
        ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>",
         "//evil.example/x", "vbscript:x", "C:\\evil"])]
    svg = haqqani_svg(outgoing=[("supports", node) for node in hostile + [PAKISTAN]])
    root = parse(svg)
    hrefs = sorted((a.get("href"), a.get(XLINK_HREF)) for a in links(root))
    assert hrefs == sorted([("../states/pakistan.html",) * 2, ("../organizations/andsf.html",) * 2])
    assert not re.search(r"javascript|vbscript|data:|evil", svg, re.IGNORECASE)
    assert sum(title.startswith("Hostile") for title in node_titles(root)) == len(hostile)


@pytest.mark.parametrize("href, kept", [
    ("../states/pakistan.html", True), ("pakistan.html#facts", True), ("https://example.org/a?b=c&d", True),
    ("http://example.org", True), ("./a:b", True), ("javascript:alert(1)", False), ("JAVASCRIPT:x", False),
    ("data:image/svg+xml,x", False), ("//example.org", False), ("http:relative", False), ("", False),
    ("a\nb", False), ("\\\\server\\share", False), ("mailto:a@b.c", False),
])
def test_safe_href(href, kept):
    assert safe_href(href) == (href if kept else "")


def test_href_is_escaped_in_attributes():
    node = Node("q", "Query", "places", '../places/q.html?a=1&b="2"')
    root = parse(haqqani_svg(outgoing=[("present in", node)]))
    assert {a.get("href") for a in links(root)} >= {'../places/q.html?a=1&b="2"'}


def test_same_neighbour_with_several_labels_is_one_row_with_joined_labels():
    outgoing = [("present in", PAKISTAN), ("has sanctuary in", PAKISTAN), ("present in", PAKISTAN),
                ("affiliate of", TALIBAN)]
    root = parse(haqqani_svg(outgoing=outgoing, incoming=[]))
    assert sorted(node_titles(root)) == ["Haqqani Network (Group)", "Pakistan (State)", "Taliban (Group)"]
    labels = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("text-anchor") == "end"]
    assert sorted(labels) == ["affiliate of", "has sanctuary in, present in"]
    assert len(root.findall(f".//{SVG}g[@class='arrows']/{SVG}polygon")) == 2


def test_output_is_deterministic_and_independent_of_input_order():
    outgoing = [(f"rel {i}", Node(f"n{i}", f"Neighbour {i}", "places", f"p/{i}.html")) for i in range(12)]
    incoming = [(f"inv {i}", Node(f"m{i}", f"Other {i}", "events", f"e/{i}.html")) for i in range(7)]
    first = haqqani_svg(outgoing=outgoing, incoming=incoming)
    assert first == haqqani_svg(outgoing=list(outgoing), incoming=list(incoming))
    shuffled = outgoing[:]
    random.Random(1).shuffle(shuffled)
    assert first == haqqani_svg(outgoing=shuffled, incoming=incoming[::-1])


def test_legend_lists_exactly_the_kinds_present_in_canonical_order():
    assert legend(parse(haqqani_svg())) == ["Group", "State", "Organization"]
    assert legend(parse(haqqani_svg(outgoing=[], incoming=[]))) == ["Group"]


def test_long_names_are_shown_whole_and_only_very_long_ones_cut_with_the_whole_name_in_the_tooltip():
    whole = "Four states formalise membership of the Quadrilateral Counterterrorism Coordination Mechanism"
    very_long = "Enhancing Security and Stability in Afghanistan (DoD report, December 2017) " * 2
    for name, cut in [(whole, False), (very_long, True)]:
        node = Node("report", name, "sources", "../sources/report.html")
        root = parse(haqqani_svg(outgoing=[("reported on by, published by, cited by, read by", node)]))
        (link,) = [a for a in links(root) if a.get("href") == "../sources/report.html"]
        assert link.find(f"{SVG}title").text == f"{name.strip()} (Source)"
        shown = texts(link)
        assert shown[-1].endswith("…") == cut and len(shown) <= 6
        assert all(diagram.text_width(line, 12) <= diagram.NEIGHBOUR_W for line in shown)
        if not cut:
            assert " ".join(shown) == name
    labels = [t for g in root.iter(f"{SVG}g") if g.get("text-anchor") == "end" for t in texts(g)]
    assert " ".join(labels) == "reported on by, published by, cited by, read by"  # labels are never cut


def test_rows_grow_the_height_and_keep_the_width():
    def viewbox(count: int) -> list[float]:
        pairs = [("part of", Node(f"n{i}", f"N {i}", "places", "")) for i in range(count)]
        return [float(v) for v in parse(haqqani_svg(outgoing=pairs)).get("viewBox").split()]
    small, big = viewbox(2), viewbox(20)
    assert small[2] == big[2] == 760 and big[3] > small[3] + 17 * diagram.NEIGHBOUR_H


def test_colours_give_aa_contrast_and_nodes_use_them():
    assert set(KIND_COLOURS) == set(KIND_TITLES)
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)
    for colour in KIND_COLOURS.values():
        assert contrast(colour, NODE_TEXT_COLOUR) >= 4.5
    assert contrast(EDGE_TEXT_COLOUR, CARD_COLOUR) >= 4.5
    assert contrast(LINE_COLOUR, CARD_COLOUR) >= 3  # non-text graphics
    root = parse(haqqani_svg())
    fills = {r.get("fill") for node in root.iter() if node.get("class") == "node" for r in node.iter(f"{SVG}rect")}
    assert fills == {KIND_COLOURS["groups"], KIND_COLOURS["states"], KIND_COLOURS["organizations"]}


# --- network -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def graphviz():
    try:
        return diagram.graphviz_executable()
    except RuntimeError as error:  # a dependency of the project: every build's home page needs it
        pytest.fail(f"graphviz-pure is not installed: {error}")


def sample_network() -> tuple[list[Node], list[Edge]]:
    extra = [Node(f"place-{i}", f"Province number {i}", "places", f"places/place-{i}.html") for i in range(8)]
    nodes = [HAQQANI, PAKISTAN, TALIBAN, ANDSF, Node("x", SHORT_HOSTILE, "events", "javascript:alert(1)"),
             *extra]
    edges = [Edge("haqqani-network", "pakistan", "has sanctuary in"), Edge("haqqani-network", "pakistan", "present in"),
             Edge("haqqani-network", "taliban", "affiliate of"), Edge("andsf", "taliban", HOSTILE),
             Edge("x", "andsf", "took place in"),
             *(Edge(p.id, "pakistan", "part of") for p in extra)]
    return nodes, edges


def test_network_is_a_scalable_self_contained_linked_svg(graphviz):
    nodes, edges = sample_network()
    svg = network_svg(nodes, edges, title="The network")
    assert_self_contained(svg)
    root = parse(svg)
    assert root.get("width") is None and root.get("height") is None and root.get("viewBox")
    assert "sans-serif" in root.get("font-family")
    assert not [e for e in root.iter() if e is not root and e.get("font-family")]
    assert not [e for e in root.iter() if e.get("id") and not e.get("id").startswith("factsite-network-")]
    expected = sorted(n.href for n in nodes if safe_href(n.href))
    assert sorted(a.get("href") for a in links(root)) == expected
    assert sorted(a.get(XLINK_HREF) for a in links(root)) == expected
    assert legend(root) == ["Group", "State", "Organization", "Place", "Event"]
    # Each node's full name is its title, however its box cuts it; the text never shrinks below 11 px.
    assert sorted(t.rsplit(" (", 1)[0] for t in node_titles(root)) == sorted(n.label for n in nodes)
    width = float(root.get("viewBox").split()[2])
    assert root.get("style") == f"min-width: {width * 11.5 / 14:.0f}px"


def test_network_escapes_labels_and_merges_parallel_edges(graphviz):
    nodes, edges = sample_network()
    root = parse(network_svg(nodes, edges, title=HOSTILE))
    assert root.find(f"{SVG}title").text == HOSTILE
    assert not [e for e in root.iter() if "script" in e.tag]
    (hostile,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"
                  and g.find(f"{SVG}title").text.startswith("<script>")]
    assert hostile.find(f"{SVG}title").text == f"{SHORT_HOSTILE} (Event)"
    assert len(texts(hostile)) > 1 and " ".join(texts(hostile)) == SHORT_HOSTILE
    edge_titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edge_titles) == len(edges) - 1
    assert "Haqqani Network has sanctuary in Pakistan; present in Pakistan" in edge_titles
    assert f"Afghan national defence and security forces {HOSTILE} Taliban" in edge_titles


def test_network_is_deterministic(graphviz):
    nodes, edges = sample_network()
    assert network_svg(nodes, edges, title="t") == network_svg(nodes[::-1], edges[::-1], title="t")


def test_network_rejects_edges_to_unknown_nodes():
    with pytest.raises(ValueError, match="nowhere"):
        network_svg([PAKISTAN], [Edge("pakistan", "nowhere", "borders")], title="t")


def test_missing_graphviz_pure_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(diagram.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="pip install graphviz-pure"):
        network_svg([PAKISTAN], [], title="t")


def test_the_network_list_carries_every_relation_with_its_links_and_claimant():
    nodes, edges = sample_network()
    edges = [Edge(e.source, e.target, e.label, "per the DoD report") for e in edges]
    hostile = Node("h", HOSTILE, "groups", "javascript:alert(1)")
    html = diagram.network_list_html(nodes + [hostile], edges + [Edge("h", "pakistan", "<b>in</b>", "no claimant")],
                                     summary="The same relations as a list")
    assert "\n\n" not in html and html.startswith('<details class="fs-network-list"><summary>')
    items = re.findall(r"<li>(.*?)</li>", html)
    assert len(items) == len({(e.source, e.label, e.target) for e in edges}) + 1
    assert all(item.endswith(("<em>(per the DoD report)</em>", "<em>(no claimant)</em>")) for item in items)
    assert '<a href="../states/pakistan.html">Pakistan</a>' in html
    assert "javascript" not in html and "<script" not in html and "&lt;b&gt;in&lt;/b&gt;" in html

"""Relationship diagrams as static, self-contained SVG to inline in Markdown pages.

An entity's neighbourhood is laid out here in pure Python (it runs for every page); the
whole network is laid out by the `graphviz-pure` executable. Both return one `<svg>` with
no blank lines (a blank line ends Python-Markdown's raw HTML block), no scripts and no
external references, drawn on its own light card so it reads alike in light and dark mode.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from factsite.escape import one_line
from factsite.schema import KINDS


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str
    href: str


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    attribution: str = ""  # whose claim the relation is: "per the DoD report"


KIND_COLOURS: dict[str, str] = {folder: kind.colour for folder, kind in KINDS.items()}
KIND_TITLES: dict[str, str] = {folder: kind.singular.capitalize() for folder, kind in KINDS.items()}
CARD_COLOUR = "#F5F6F8"       # the diagram's own background, in both site modes
LINE_COLOUR = "#6B7280"       # 4.5:1 on the card
EDGE_TEXT_COLOUR = "#374151"  # 9.5:1 on the card
NODE_TEXT_COLOUR = "#FFFFFF"
FALLBACK_COLOUR = "#4F5B6B"
FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', Arimo, sans-serif"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

WIDTH, PAD = 760, 12
NEIGHBOUR_W, NEIGHBOUR_H = 170, 36
CENTER_W, TRUNK_GAP = 150, 16  # TRUNK_GAP: from the centre box to each side's vertical line

# Measured on 62 nodes and 120 edges: fdp is the most compact and evenly spread, so its text
# is the largest at page width (dot came out twice as wide with long detours; neato and sfdp
# spread wider). sep="+2" and narrow labels keep it compact and make fdp ~5x faster.
NETWORK_ENGINE, NETWORK_FONT_SIZE, NETWORK_LABEL_WIDTH = "fdp", 14, 100

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNSAFE_IN_HREF = re.compile(r"[\s\x00-\x1f\x7f\\]")  # browsers drop or reinterpret these
_WRAP_PIECES = re.compile(r"(\s*)(\S+?-(?=\S)|\S+)")  # words, split after inner hyphens too
# Approximate Helvetica/Arial advance widths in em: enough to wrap without a font engine.
_CHAR_EM = {**{c: 0.28 for c in " .,:;'!|()[]-/fijlrtI"}, **{c: 0.88 for c in "mwMW@%"},
            **{c: 0.68 for c in "ABCDEFGHJKLNOPQRSTUVXYZ"}}


# --- text ---------------------------------------------------------------------------

@lru_cache(maxsize=65536)  # labels recur in many diagrams
def clean_text(text: str) -> str:
    """One line: whitespace runs collapsed, characters that XML cannot hold removed."""
    return one_line(_INVALID_XML.sub("", text))


def _esc(text: str) -> str:
    return escape(clean_text(text), quote=True)


@lru_cache(maxsize=65536)  # the same pages are linked from many diagrams
def safe_href(href: str) -> str:
    """The href if it is a relative path or an http(s) URL, otherwise ""."""
    href = href.strip()
    if not href or _UNSAFE_IN_HREF.search(href):
        return ""
    scheme, netloc = urlsplit(href)[:2]
    if scheme:
        return href if scheme in ("http", "https") and netloc else ""
    return "" if href.startswith("//") or ":" in href.split("/")[0] else href


@lru_cache(maxsize=16384)
def _em(text: str) -> float:
    return sum(_CHAR_EM.get(c, 0.55) for c in text)


def text_width(text: str, size: float) -> float:
    return size * _em(text)


def _fit(text: str, limit_em: float) -> str:
    """Text cut so that it, plus an ellipsis, fits limit_em."""
    room, kept = limit_em - _em("…"), 0
    while kept < len(text) and room >= _em(text[kept]):
        room -= _em(text[kept])
        kept += 1
    return text[:kept].rstrip() + "…"


@lru_cache(maxsize=65536)  # names recur in many diagrams
def wrap(text: str, max_width: float, size: float, max_lines: int) -> tuple[str, ...]:
    """Greedy word wrap; the last line ends in "…" when text is cut."""
    limit = max_width / size
    lines: list[str] = []
    line, line_em = "", 0.0
    for space, piece in _WRAP_PIECES.findall(clean_text(text)):
        gap = _em(" ") if space and line else 0.0
        if line and line_em + gap + _em(piece) > limit:
            lines.append(line if line_em <= limit else _fit(line, limit))
            line, line_em = piece, _em(piece)
        else:
            line, line_em = line + (" " if gap else "") + piece, line_em + gap + _em(piece)
    lines.append(line if line_em <= limit else _fit(line, limit))
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [_fit(lines[max_lines - 1], limit)]
    return tuple(lines)


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind.capitalize())


def kinds_in_order(kinds: set[str]) -> list[str]:
    return [k for k in KIND_TITLES if k in kinds] + sorted(kinds - KIND_TITLES.keys())


# --- shared SVG pieces --------------------------------------------------------------

def _svg_open(ident: str, width: float, height: float, title: str, desc: str,
              classes: str = "factsite-diagram factsite-wide") -> list[str]:
    return [
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" viewBox="0 0 {width:g} {height:g}"'
        f' class="{classes}" role="group" aria-labelledby="{ident}-title"'
        f' aria-describedby="{ident}-desc" font-family="{FONT_FAMILY}">',
        f'<title id="{ident}-title">{_esc(title)}</title>',
        f'<desc id="{ident}-desc">{_esc(desc)}</desc>',
        f'<rect class="card" width="{width:g}" height="{height:g}" rx="8" fill="{CARD_COLOUR}"/>',
    ]


def legend_svg(kinds: list[str], x: float, y: float, size: float) -> list[str]:
    """A row of coloured swatches with kind titles, text baseline at y."""
    parts = [f'<g class="legend" font-size="{size:g}" fill="{EDGE_TEXT_COLOUR}">']
    for kind in kinds:
        parts.append(f'<rect x="{x:g}" y="{y - size * 0.85:.1f}" width="{size:g}" height="{size:g}"'
                     f' rx="2" fill="{KIND_COLOURS.get(kind, FALLBACK_COLOUR)}"/>')
        parts.append(f'<text x="{x + size * 1.4:.1f}" y="{y:g}">{_esc(kind_title(kind))}</text>')
        x += size * 2.8 + text_width(kind_title(kind), size)
    return parts + ["</g>"]


def _node_tooltip(node: Node) -> str:
    return f"{clean_text(node.label)} ({kind_title(node.kind)})"


@lru_cache(maxsize=65536)  # a node is drawn in the diagram of each of its neighbours
def _label(node: Node, w: float, size: float, max_lines: int) -> tuple[str, tuple[str, ...], str]:
    """What a box shows that does not depend on where it stands: tooltip, escaped lines, safe href."""
    lines = tuple(escape(line) for line in wrap(node.label, w - 18, size, max_lines))
    return f"<title>{escape(_node_tooltip(node))}</title>", lines, escape(safe_href(node.href))


def _box(node: Node, x: float, y: float, w: float, h: float, size: float, max_lines: int,
         emphasis: bool = False) -> list[str]:
    """A filled, rounded box with the node's wrapped label, linked when it has a safe href."""
    title, lines, href = _label(node, w, size, max_lines)
    ring = ' stroke="#111827" stroke-width="2"' if emphasis else ""
    font = f' font-size="{size:g}" font-weight="bold"' if emphasis else ""
    first = y + h / 2 - (len(lines) - 1) * size * 0.6 + size * 0.35
    inner = [title,
             f'<rect x="{x:g}" y="{y:.1f}" width="{w:g}" height="{h:g}" rx="6"'
             f' fill="{KIND_COLOURS.get(node.kind, FALLBACK_COLOUR)}"{ring}/>',
             *(f'<text x="{x + w / 2:g}" y="{first + i * size * 1.2:.1f}"{font}>{line}</text>'
               for i, line in enumerate(lines))]
    if not href:
        return ['<g class="node">', *inner, "</g>"]
    return [f'<a class="node" href="{href}" xlink:href="{href}">', *inner, "</a>"]


# --- an entity's neighbourhood ------------------------------------------------------

def _merge_rows(pairs: list[tuple[str, Node]]) -> list[tuple[Node, str]]:
    """One row per neighbour with its distinct labels joined, sorted by name."""
    nodes: dict[str, Node] = {}
    labels: dict[str, set[str]] = {}
    for label, node in pairs:
        nodes.setdefault(node.id, node)
        labels.setdefault(node.id, set()).add(clean_text(label))
    rows = [(nodes[i], ", ".join(sorted(labels[i] - {""}))) for i in nodes]
    return sorted(rows, key=lambda row: (clean_text(row[0].label).casefold(), row[0].id))


def _edge_label(label: str, x: float, y: float, room: float, anchor: str) -> list[str]:
    """The label stacked above its connector, whose height is y."""
    title, lines = _edge_text(label, room)
    return [f'<g text-anchor="{anchor}">{title}',
            *(f'<text x="{x:g}" y="{y - 5 - (len(lines) - 1 - i) * 12.5:g}">{line}</text>'
              for i, line in enumerate(lines)), "</g>"]


@lru_cache(maxsize=16384)  # a few relation labels, on every diagram
def _edge_text(label: str, room: float) -> tuple[str, tuple[str, ...]]:
    return f"<title>{_esc(label)}</title>", tuple(escape(line) for line in wrap(label, room, 11, 8))


_LABEL_ROOM = (WIDTH - CENTER_W) / 2 - TRUNK_GAP - NEIGHBOUR_W - PAD - 14  # between trunk and box


def _box_height(node: Node, w: float) -> float:
    """Tall enough for the whole name, wrapped at 12 units (cut only past 6 lines)."""
    return max(NEIGHBOUR_H, len(wrap(node.label, w - 18, 12, 6)) * 14.4 + 8)


def _row_offsets(rows: list[tuple[Node, str]]) -> tuple[list[float], float]:
    """Each row's connector height from the column's top, and the column's height: every row has
    room for its whole box and, above its connector, its whole label."""
    offsets, top = [], 0.0
    for node, label in rows:
        half = _box_height(node, NEIGHBOUR_W) / 2
        above = max(half, len(_edge_text(label, _LABEL_ROOM)[1]) * 12.5 + 6)
        offsets.append(top + above)
        top += above + half + 12
    return offsets, max(top - 12, 0.0)


def _side(rows: list[tuple[Node, str]], left: bool, center_y: float, parts: dict[str, list[str]]) -> None:
    """One column of neighbours: a line from the centre to a vertical trunk, and from the
    trunk one labelled arrow to each neighbour's box."""
    if not rows:
        return
    step = -1 if left else 1  # outwards from the centre
    box_x = PAD if left else WIDTH - PAD - NEIGHBOUR_W
    box_edge = box_x + NEIGHBOUR_W if left else box_x
    center_edge = (WIDTH + step * CENTER_W) / 2
    trunk_x = center_edge + step * TRUNK_GAP
    offsets, height = _row_offsets(rows)
    ys = [center_y - height / 2 + offset for offset in offsets]
    parts["edges"].append(f'<path d="M{center_edge:g} {center_y:g}H{trunk_x:g}'
                          f'M{trunk_x:g} {min(ys + [center_y]):g}V{max(ys + [center_y]):g}"/>')
    for (node, label), y in zip(rows, ys):
        tip, back = box_edge - step * 2, box_edge - step * 11
        parts["edges"].append(f'<path d="M{trunk_x:g} {y:g}H{back:g}"/>')
        parts["arrows"].append(f'<polygon points="{tip:g},{y:g} {back:g},{y - 4.5:g} {back:g},{y + 4.5:g}"/>')
        parts["labels"] += _edge_label(label, box_edge - step * 12, y, abs(trunk_x - box_edge) - 14,
                                       "start" if left else "end")
        box_h = _box_height(node, NEIGHBOUR_W)
        parts["nodes"] += _box(node, box_x, y - box_h / 2, NEIGHBOUR_W, box_h, 12, 6)


def neighbourhood_svg(center: Node, outgoing: list[tuple[str, Node]],
                      incoming: list[tuple[str, Node]], *, title: str) -> str:
    """The entity in the middle, derived backlinks (incoming) on the left, the relations it
    states (outgoing) on the right; every arrow reads "centre <label> neighbour"."""
    left, right = _merge_rows(incoming), _merge_rows(outgoing)
    center_h = max(44, len(wrap(center.label, CENTER_W - 18, 14, 4)) * 17 + 14)
    body_h = max(_row_offsets(left)[1], _row_offsets(right)[1], center_h + 16) + 2 * PAD
    center_y, height = PAD + body_h / 2, body_h + 36
    parts: dict[str, list[str]] = {"edges": [], "arrows": [], "labels": [], "nodes": []}
    _side(left, True, center_y, parts)
    _side(right, False, center_y, parts)
    parts["nodes"] += _box(center, (WIDTH - CENTER_W) / 2, center_y - center_h / 2, CENTER_W,
                           center_h, 14, 4, emphasis=True)
    relations = "; ".join(f"{label} {node.label}" for node, label in left + right)
    desc = f"{center.label}: {relations or 'no relations'}."
    ident = "factsite-neighbourhood-" + (re.sub(r"[^a-z0-9]+", "-", center.id.lower()).strip("-") or "x")
    kinds = kinds_in_order({center.kind} | {node.kind for node, _ in left + right})
    return _neighbourhood_svg(_svg_open(ident, WIDTH, height, title, desc), parts,
                              legend_svg(kinds, PAD + 4, height - 14, 12))


NARROW_WIDTH, NARROW_INDENT = 320, 40  # fits a 390 px phone at >= 11 px text


def neighbourhood_narrow_svg(center: Node, outgoing: list[tuple[str, Node]],
                             incoming: list[tuple[str, Node]], *, title: str) -> str:
    """The same relations for a narrow screen: the entity on top, then one row per neighbour
    below it, each under its relation's label; every arrow reads "centre <label> neighbour"."""
    rows = _merge_rows(incoming) + _merge_rows(outgoing)
    center_w = NARROW_WIDTH - 2 * PAD
    center_h = max(44, len(wrap(center.label, center_w - 18, 14, 4)) * 17 + 14)
    trunk_x, box_w = PAD + 10, NARROW_WIDTH - NARROW_INDENT - PAD
    parts: dict[str, list[str]] = {"edges": [], "arrows": [], "labels": [], "nodes": []}
    cursor, last_y = PAD + center_h + 14, PAD + center_h
    for node, label in rows:
        lines = len(_edge_text(label, box_w)[1])
        box_h = _box_height(node, box_w)
        box_top = cursor + lines * 12.5 + 6
        y = box_top + box_h / 2
        parts["edges"].append(f'<path d="M{trunk_x:g} {y:g}H{NARROW_INDENT - 9:g}"/>')
        parts["arrows"].append(f'<polygon points="{NARROW_INDENT - 2:g},{y:g} {NARROW_INDENT - 11:g},{y - 4.5:g}'
                               f' {NARROW_INDENT - 11:g},{y + 4.5:g}"/>')
        parts["labels"] += _edge_label(label, NARROW_INDENT, box_top, box_w, "start")
        parts["nodes"] += _box(node, NARROW_INDENT, box_top, box_w, box_h, 12, 6)
        cursor, last_y = box_top + box_h + 12, y
    if rows:
        parts["edges"].insert(0, f'<path d="M{trunk_x:g} {PAD + center_h:g}V{last_y:g}"/>')
    parts["nodes"] += _box(center, PAD, PAD, center_w, center_h, 14, 4, emphasis=True)
    kinds = kinds_in_order({center.kind} | {node.kind for node, _ in rows})
    height = cursor + 8 + len(kinds) * 18
    relations = "; ".join(f"{label} {node.label}" for node, label in rows)
    desc = f"{center.label}: {relations or 'no relations'}."
    ident = "factsite-narrow-" + (re.sub(r"[^a-z0-9]+", "-", center.id.lower()).strip("-") or "x")
    legend = [line for i, kind in enumerate(kinds)
              for line in legend_svg([kind], PAD + 4, cursor + 14 + i * 18, 12)]
    return _neighbourhood_svg(_svg_open(ident, NARROW_WIDTH, height, title, desc, "factsite-diagram factsite-narrow"),
                              parts, legend)


def _neighbourhood_svg(opening: list[str], parts: dict[str, list[str]], legend: list[str]) -> str:
    """A neighbourhood diagram, wide or narrow: its edges, arrows, labels and boxes, then the legend."""
    return "\n".join([
        *opening,
        f'<g class="edges" fill="none" stroke="{LINE_COLOUR}" stroke-width="1.5">', *parts["edges"], "</g>",
        f'<g class="arrows" fill="{LINE_COLOUR}">', *parts["arrows"], "</g>",
        f'<g class="edge-labels" font-size="11" fill="{EDGE_TEXT_COLOUR}">', *parts["labels"], "</g>",
        f'<g class="nodes" text-anchor="middle" font-size="12" fill="{NODE_TEXT_COLOUR}">',
        *parts["nodes"], "</g>",
        *legend,
        "</svg>",
    ])


# --- the whole network --------------------------------------------------------------

def graphviz_executable() -> str:
    beside_python = Path(sys.executable).parent / "graphviz-pure"
    found = str(beside_python) if beside_python.is_file() else shutil.which("graphviz-pure")
    if not found:
        raise RuntimeError("the network diagram needs the graphviz-pure executable: "
                           "run `pip install graphviz-pure` in the environment that runs factsite")
    return found


def _dot_escape(text: str) -> str:
    # Inside a quoted DOT label Graphviz decodes HTML entities and backslash escapes (\N).
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")


def _network_dot(nodes: list[Node], pairs: list[tuple[str, str]], names: dict[str, str]) -> str:
    lines = [
        "digraph {",
        'graph [bgcolor="transparent" pad="0.15" overlap="false" sep="+2" splines="true"'
        ' outputorder="edgesfirst"];',
        f'node [shape="box" style="rounded,filled" fontname="Helvetica" fontsize="{NETWORK_FONT_SIZE}"'
        f' fontcolor="{NODE_TEXT_COLOUR}" color="{CARD_COLOUR}" margin="0.1,0.04"];',
        f'edge [color="{LINE_COLOUR}" arrowsize="0.7" penwidth="1.2"];',
    ]
    for node in nodes:
        # Whole names: as many lines as they take, and no narrower than their longest word.
        words = clean_text(node.label).split()
        room = max([NETWORK_LABEL_WIDTH] + [text_width(word, NETWORK_FONT_SIZE) + 2 for word in words])
        label = "\\n".join(map(_dot_escape, wrap(node.label, room, NETWORK_FONT_SIZE, 8)))
        lines.append(f'{names[node.id]} [label="{label}"'
                     f' fillcolor="{KIND_COLOURS.get(node.kind, FALLBACK_COLOUR)}"];')
    return "\n".join(lines + [f"{names[s]} -> {names[t]};" for s, t in pairs] + ["}"])


def _run_graphviz(dot: str) -> bytes:
    result = subprocess.run([graphviz_executable(), f"-K{NETWORK_ENGINE}", "-Tsvg"],
                            input=dot.encode(), capture_output=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"graphviz-pure failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def _link(group: ET.Element, keep: ET.Element, href: str) -> None:
    """Move the group's children other than `keep` into a link."""
    link = ET.SubElement(group, f"{{{SVG_NS}}}a", {"href": href, f"{{{XLINK_NS}}}href": href})
    for child in [c for c in group if c is not keep and c is not link]:
        group.remove(child)
        link.append(child)


def _polish(drawing: ET.Element, nodes: dict[str, Node], edge_titles: dict[str, str],
            head: list[str]) -> str:
    """Graphviz's drawing under our own root: its ids and fonts dropped, titles and links ours."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    graph = drawing.find(f"{{{SVG_NS}}}g")
    for element in graph.iter():
        element.attrib.pop("id", None)
        element.attrib.pop("font-family", None)
    for graph_title in graph.findall(f"{{{SVG_NS}}}title"):
        graph.remove(graph_title)
    for group in graph.findall(f"{{{SVG_NS}}}g"):
        title = group.find(f"{{{SVG_NS}}}title")
        if group.get("class") == "node":
            node = nodes[title.text or ""]
            title.text = _node_tooltip(node)
            if safe_href(node.href):
                _link(group, title, safe_href(node.href))
        else:
            title.text = edge_titles[title.text or ""]
    root = ET.fromstring("\n".join(head) + "</svg>")
    root.append(graph)
    text = ET.tostring(root, encoding="unicode")
    return "\n".join(line for line in text.splitlines() if line.strip())


def _html_link(node: Node) -> str:
    href = safe_href(node.href)
    return f'<a href="{escape(href)}">{_esc(node.label)}</a>' if href else _esc(node.label)


def network_list_html(nodes: list[Node], edges: list[Edge], *, summary: str) -> str:
    """The network's relations as a list, for whoever cannot point at a line (a phone, a screen
    reader): one item per relation, "<from> <label> <to> (whose claim)", grouped by the entity that
    states it. One raw HTML block, no blank lines."""
    by_id = {node.id: node for node in nodes}
    items = sorted({(clean_text(by_id[e.source].label).casefold(), e.source, clean_text(e.label),
                     clean_text(by_id[e.target].label).casefold(), e.target, clean_text(e.attribution)) for e in edges})
    lines = [f'<details class="fs-network-list"><summary>{_esc(summary)}</summary>', "<ul>"]
    for _, source, label, _, target, attribution in items:
        claim = f" <em>({escape(attribution)})</em>" if attribution else ""
        lines.append(f"<li>{_html_link(by_id[source])} {escape(label)} {_html_link(by_id[target])}{claim}</li>")
    return "\n".join(lines + ["</ul>", "</details>"])


def network_svg(nodes: list[Node], edges: list[Edge], *, title: str) -> str:
    """The whole network laid out by graphviz-pure. Relation labels are tooltips and the
    description, not text on the lines: at this density they would cover each other."""
    by_id = {node.id: node for node in sorted(nodes, key=lambda n: n.id)}
    names = {node_id: f"n{i}" for i, node_id in enumerate(by_id)}
    labels: dict[tuple[str, str], set[str]] = {}
    for edge in edges:
        if edge.source not in by_id or edge.target not in by_id:
            raise ValueError(f"edge {edge.source!r} -> {edge.target!r} names a node not in `nodes`")
        said = f"{edge.label} {by_id[edge.target].label}"
        labels.setdefault((edge.source, edge.target), set()).add(
            clean_text(f"{said} ({edge.attribution})" if edge.attribution else said))
    pairs = sorted(labels)
    edge_titles = {f"{names[s]}->{names[t]}": clean_text(f"{by_id[s].label} {'; '.join(sorted(labels[s, t]))}")
                   for s, t in pairs}
    desc = f"{len(by_id)} entities and {len(pairs)} relations: " + "; ".join(edge_titles.values()) + "."
    drawing = ET.fromstring(_run_graphviz(_network_dot(list(by_id.values()), pairs, names)))
    _, _, width, height = map(float, drawing.get("viewBox", "").split())  # prolog, DOCTYPE, comments gone
    legend_size = NETWORK_FONT_SIZE + 4
    kinds = kinds_in_order({node.kind for node in by_id.values()})
    head = _svg_open("factsite-network", width, height + legend_size * 3, title, desc,
                     "factsite-diagram factsite-network")
    # Never drawn so small that its text falls below 11 px: its area scrolls instead.
    head[0] = head[0].replace(">", f' style="min-width: {width * 11.5 / NETWORK_FONT_SIZE:.0f}px">', 1)
    head += legend_svg(kinds, PAD, height + legend_size * 1.5, legend_size)
    return _polish(drawing, {names[i]: node for i, node in by_id.items()}, edge_titles, head)

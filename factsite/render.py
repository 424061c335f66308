"""Stage 4, render: the graph → Markdown pages, through the templates in templates/.

Templates only print. Jinja runs with StrictUndefined, so a misspelt variable fails the build,
and data reaches the page only through the escaping filters: `md` for Markdown text, `html` for
raw HTML attributes and blocks, `prose` for text that may hold `[[id]]` links.
"""

from __future__ import annotations

import functools
import json
import posixpath
import secrets
from pathlib import Path
from typing import Iterable

import jinja2

from factsite import diagram, reference
from factsite import pages as table
from factsite.abbreviations import AbbreviationIndex
from factsite.downloads import data_page
from factsite.escape import escape_html, escape_markdown, prose_to_markdown
from factsite.json_ld import json_ld
from factsite.views import EntityView, Graph

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once and kept in memory, for renderers made one after another (the preview makes
    one per edit: compiling the templates took most of an edit's render with the bundled data). Jinja
    keys each by the template's name and checks it against a checksum of its source, so an edited
    template is compiled again."""

    def __init__(self) -> None:
        self.held: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.held.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.held[bucket.key] = bucket.bytecode_to_string()


def environment(templates: Path = TEMPLATES, compiled: CompiledTemplates | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown: escaping is explicit, per context
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one render is one snapshot: no stat of each template file for each of 8,000 pages
        bytecode_cache=compiled,
    )
    env.filters["md"] = escape_markdown
    env.filters["html"] = escape_html
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


class Renderer:
    def __init__(self, graph: Graph, templates: Path = TEMPLATES, compiled: CompiledTemplates | None = None):
        self.graph = graph
        self._slot = secrets.token_hex(8)  # see _page
        self._links: dict[tuple[str, str], str] = {}
        self._nodes: dict[tuple[str, str], diagram.Node] = {}
        self._parts: dict | None = None  # who-says-what's pages by path, once one is made
        self.env = environment(templates, compiled)
        self.env.filters["prose"] = self._prose
        self.env.filters["link"] = self._link
        self.env.filters["href"] = self._href
        self.env.filters["json_download"] = lambda view: table.entity_json_path(view.id)
        self.env.globals.update(graph=graph, pages=table.LINKED)
        self.glossary_include = self._render("abbreviations.md.j2", "includes/abbreviations.md")
        self.abbreviations = AbbreviationIndex([(line[2:line.index("]:")], line)
                                                for line in self.glossary_include.split("\n\n") if line.strip()])

    def site_pages(self, only: set[str] | None = None) -> dict[str, str]:
        """The pages about the whole graph (factsite/pages.py lists them), or those of them in `only`."""
        pages = {}
        for page in table.site_pages(self.graph):
            if only is None or page.path in only:
                pages[page.path] = self._site_page(page)
        if only is None or table.ABBREVIATIONS_INCLUDE in only:
            pages[table.ABBREVIATIONS_INCLUDE] = self.glossary_include
        return {path: pages[path] for path in self._site_order(pages)}

    def _site_order(self, pages: dict[str, str]) -> list[str]:
        """The order render has always made them in: the abbreviations include before the redirects."""
        redirects = [path for path in pages if path.endswith(".html")]
        return [path for path in pages if not path.endswith(".html")] + redirects

    def _site_page(self, page: table.Page) -> str:
        if page is table.HOME:
            return self._page(page.template, page.path, raw_html=self._network(self.graph.network),
                              network_shown=len(self.graph.network))
        if page.template == "kind_index.md.j2":
            return self._page(page.template, page.path, index=next(i for i in self.graph.kinds if i.page == page.path))
        if page.template == table.CLAIMS_PART_TEMPLATE:
            voice, part = self._claims_parts()[page.path]
            return self._page(page.template, page.path, voice=voice, part=part)
        if page.template == "redirect.html.j2":
            view = self.graph.entities[page.entity]
            return self._render(page.template, page.path, view=view,
                                target=table.html_path(_relative(view.page, posixpath.dirname(page.path) or ".")))
        context = {table.WHO_SAYS_WHAT: lambda: {"claims": self.graph.who_says_what},
                   table.DATA_PAGE: lambda: data_page(self.graph),
                   table.REFERENCE: lambda: {"reference": reference.reference()}}.get(page.path, dict)()
        return self._page(page.template, page.path, **context)

    def _claims_parts(self) -> dict:
        if self._parts is None:
            self._parts = {part.page: (voice, part) for voice, part in self.graph.who_says_what.parts}
        return self._parts

    def entity_pages(self, views: Iterable[EntityView]) -> dict[str, str]:
        pages = {}
        for view in views:
            pages[view.page] = self._page(table.entity_page_template(view), view.page, view=view, raw_html={
                "diagram": self._neighbourhood(view), "json_ld": json_ld(view)})
        return pages

    def _page(self, template: str, page: str, raw_html: dict[str, str] | None = None, **context) -> str:
        """A Markdown page that ends with the definitions of the abbreviations it uses (hand-written
        pages include the whole list, includes/abbreviations.md, with a snippet line).

        Raw HTML (the diagram, the JSON-LD) is held out while the page is scanned for abbreviations,
        and so is the front matter, whose title and description the body repeats: the abbr extension
        never looks inside them, and they are more than half of an entity page's text. Each raw
        value stands in as a slot no data can hold, then takes its place."""
        slots = {name: f"{self._slot}{name}{self._slot}" if value else "" for name, value in (raw_html or {}).items()}
        text = self._render(template, page, **context, **slots)
        definitions = self.abbreviations.definitions_for(_body(text))
        for name, slot in slots.items():
            if slot:
                text = text.replace(slot, raw_html[name], 1)
        return text + "\n" + definitions if definitions else text

    def _render(self, template: str, page: str, **context) -> str:
        return self.env.get_template(template).render(page=page, page_dir=posixpath.dirname(page) or ".", **context)

    # -- links: every path is relative to the page being rendered, so MkDocs checks and rewrites it

    @jinja2.pass_context
    def _href(self, context, target: str) -> str:
        return _relative(target, context["page_dir"])

    @jinja2.pass_context
    def _link(self, context, view: EntityView, prose: bool = False) -> str:
        """A link named by the entity's name, or inside prose by its prose name ("DoD report")."""
        key = (view.id, context["page_dir"], prose)
        link = self._links.get(key)
        if link is None:  # an entity is linked from thousands of pages in a few folders
            name = view.prose_name if prose else view.name
            link = self._links[key] = f"[{escape_markdown(name)}]({_relative(view.page, key[1])})"
        return link

    @jinja2.pass_context
    def _prose(self, context, text: str) -> str:
        return prose_to_markdown(text, lambda id_: self._link(context, self.graph.entities[id_], prose=True))

    # -- diagrams

    def _node(self, view: EntityView, folder: str) -> diagram.Node:
        key = (view.id, folder)
        node = self._nodes.get(key)
        if node is None:  # the same few folders link to each entity: one Node each, and cache hits after
            href = table.html_path(_relative(view.page, key[1]))
            node = self._nodes[key] = diagram.Node(view.id, view.name, view.entity.kind, href)
        return node

    def _neighbourhood(self, view: EntityView) -> str:
        if not view.outgoing and not view.incoming:
            return ""
        folder = posixpath.dirname(view.page)
        outgoing = [(f"{g.label} ({link.citation.per_short})", self._node(link.entity, folder))
                    for g in view.outgoing for link in g.links]
        incoming = [(f"{g.label} ({link.citation.per_short})", self._node(link.entity, folder))
                    for g in view.incoming for link in g.links]
        title = f"Relations of {view.name} as the sources state them, each with whose claim it is"
        center = self._node(view, folder)
        # Both layouts on the page; the stylesheet shows the one that fits the screen.
        return "\n".join([diagram.neighbourhood_svg(center, outgoing, incoming, title=title),
                           diagram.neighbourhood_narrow_svg(center, outgoing, incoming, title=title)])

    def _network(self, views: list[EntityView]) -> dict[str, str]:
        """The home page's network: the drawing, and the same relations as a list."""
        kept = {v.id for v in views}
        nodes = [self._node(v, ".") for v in views]
        edges = [diagram.Edge(v.id, link.entity.id, group.label, link.citation.per_short)
                 for v in views for group in v.outgoing for link in group.links if link.entity.id in kept]
        return {"network": _network_svg(tuple(nodes), tuple(edges)),
                "network_list": diagram.network_list_html(nodes, edges, summary="The same relations as a list")}


@functools.lru_cache(maxsize=4)
def _network_svg(nodes: tuple[diagram.Node, ...], edges: tuple[diagram.Edge, ...]) -> str:
    """The layout is the home page's slowest part; the preview re-renders the home page after each
    edit, and most edits leave the network as it was."""
    return diagram.network_svg(list(nodes), list(edges), title="The network of entities named in the report")


def _body(page: str) -> str:
    """The page without its front matter, which MkDocs takes off before Markdown sees the text."""
    if page.startswith("---\n"):
        end = page.find("\n---\n", 3)
        if end != -1:
            return page[end + 5:]
    return page


@functools.lru_cache(maxsize=65536)
def _relative(target: str, start: str) -> str:
    """`target`, a path from the docs folder, as seen from the folder `start` ("." for the top)."""
    if start == ".":
        return target
    folder, _, name = target.rpartition("/")
    if folder == start:
        return name
    if "/" not in start and not target.startswith(start + "/"):  # an entity page to another folder
        return "../" + target
    return posixpath.relpath(target, start)


def render(graph: Graph, templates: Path = TEMPLATES) -> dict[str, str]:
    """Every page, in one process (the pipeline shares the work out: factsite/pipeline.py)."""
    renderer = Renderer(graph, templates)
    return in_order(graph, renderer.site_pages(), renderer.entity_pages(graph.entities.values()))


def in_order(graph: Graph, site: dict[str, str], entities: dict[str, str]) -> dict[str, str]:
    """The pages in the order render makes them, however the entity pages were shared out: the pages about
    the whole graph, then each entity's page in the graph's order."""
    return {**site, **{view.page: entities[view.page] for view in graph.entities.values()}}

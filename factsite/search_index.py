"""What the search index holds: what a reader searches for, once per page.

Material's search plugin makes an entry for every heading of every page, and the browser builds its
index from all of them each time a page opens, so the time to a first result grows with the index's
text. Measured at 1,000 and 4,000 entities (scripts/bench_search.py), most of it was what readers
never search for, or find better elsewhere:

- one entry per heading whose text is kept out of the index (relations, events, the diagram): empty
  text under the page's title and tags, 8 to 12 per entity, that only repeat the page's own entry;
- an entity page's numbered facts: the summary restates them and names who claims what, and each
  fact's words are the facts of other pages too (the pages it links);
- the pages that list what other pages say (the kind indexes, the timeline, who says what, a
  source's paragraph-by-paragraph walk and text): every entity's name and summary again.

So the plugin passes the entries through `trimmed` before the search plugin writes them (and so before
the offline plugin inlines them): an entity page is found by its title, names (tags) and summary,
which is also the result's preview; a listing page by its title and introduction, so that "timeline"
still finds the timeline; every other page (home, about, glossary, data, reference) keeps its
sections that hold text. Tags stay on a page's own entry, where factsite.js reads them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from factsite.pages import TIMELINE, WHOLE_GRAPH, entity_page_template

# Pages whose title and opening text are all the index needs (pages.py names their templates): entity
# pages, and the listings whose body repeats what entity pages say.
OPENING_ONLY = frozenset({"entity.md.j2", "source.md.j2", "kind_index.md.j2", "timeline.md.j2", "who_says_what.md.j2"})
LISTINGS = frozenset({"source.md.j2", "kind_index.md.j2", "timeline.md.j2", "who_says_what.md.j2"})

SETTINGS_FILE = "factsite_search_settings.json"  # beside search_index.json
SETTINGS = ("lang", "separator", "pipeline", "fields")  # what Material's search_index.json holds besides its entries

_FIRST_PARAGRAPH = re.compile(r"^\s*<p>.*?</p>", re.S)


class Pages:
    """Which search locations (page addresses) are indexed by their opening only, and which of those are
    listings, cut to their introduction; from each generated page's path and template."""

    def __init__(self, templates: dict[str, str] | None = None):
        templates = templates or {}
        self.opening_only = frozenset(_location(path) for path, kind in templates.items() if kind in OPENING_ONLY)
        self.listings = frozenset(_location(path) for path, kind in templates.items() if kind in LISTINGS)

    @classmethod
    def of(cls, graph) -> "Pages":
        """The graph's pages, as pages.table names them, without computing what each page shows (which
        takes a second and more at 4,000 entities, on every build and every preview)."""
        templates = {view.page: entity_page_template(view) for view in graph.entities.values()}
        templates.update((index.page, "kind_index.md.j2") for index in graph.kinds)
        templates.update({TIMELINE: "timeline.md.j2"})
        templates.update((page.path, page.template) for page in WHOLE_GRAPH)
        return cls(templates)  # who-says-what's claimant pages are kept out of search by their front matter


def _location(path: str) -> str:
    return path.removesuffix(".md") + ".html"


def trimmed(entries: list[dict], pages: Pages) -> list[dict]:
    """The entries a reader's search needs, in their order (see the module's docstring)."""
    kept = []
    for entry in entries:
        page, _, section = entry.get("location", "").partition("#")
        if section:
            if page in pages.opening_only or not entry.get("text", "").strip():
                continue
            entry = {key: value for key, value in entry.items() if key != "tags"}
        elif page in pages.listings:
            entry = {**entry, "text": introduction(entry.get("text", ""))}
        kept.append(entry)
    return kept


def introduction(text: str) -> str:
    """A listing page's opening paragraph, without the table or list that follows it."""
    match = _FIRST_PARAGRAPH.match(text)
    return match.group(0).strip() if match else ""


def materials_index(config):
    """The index Material's search plugin of this build is filling (its `entries` a list), or None."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return index
    return None


def trim(config, pages: Pages) -> None:
    """Trim the entries Material's search plugin is about to write (the plugin calls it before the plugin's
    on_post_build); a build without the plugin is left alone."""
    index = materials_index(config)
    if index is not None:
        index.entries = trimmed(index.entries, pages)


def settings(index) -> dict:
    """The settings Material's search plugin writes into search_index.json beside the entries."""
    return {key: index.config.get(key) for key in SETTINGS}


def write_settings(config) -> None:
    """search/factsite_search_settings.json: search_index.json as Material is about to write it, without
    its entries. Material's own script downloads the index on the page's thread only to send the entries
    to its search worker; on the served site that worker is the early one, which has them already
    (factsite-search-early.js), so the script is handed this file instead: at 4,000 entities 1.5 MB
    less to download, decode and parse on the page's thread while the page is starting."""
    index = materials_index(config)
    path = Path(config.site_dir) / "search" / SETTINGS_FILE
    if index is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"config": settings(index), "docs": []}, separators=(",", ":"), default=str),
                    encoding="utf-8")

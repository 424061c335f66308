"""What the search index holds: what a reader searches for, once per page.

Material's search plugin makes an entry for every heading of every page, and the browser builds its
index from all of them each time a page opens, so the time to a first result grows with the index's
text. Measured at 4,000 entities (scripts/bench_search.py), most of it was what readers never search
for, or find better elsewhere:

- one entry per heading whose text is kept out of the index (relations, events, the diagram): empty
  text under the page's title and tags, that only repeats the page's own entry, 8 to 12 per entity;
- the pages that list what other pages say (the kind indexes, the timeline, who says what, a
  source's paragraph-by-paragraph walk and text): every entity's name and summary again;
- every section entry carries the page's tags again.

The hook passes the entries through `trimmed` before the search plugin writes them (and so before
the offline plugin inlines them): an entity page keeps its title, summary, tags and its sections
that hold text; a listing page keeps its title and its introduction, so that "timeline" still finds
the timeline; tags stay on the page's own entry, where factsite.js reads them.
"""

from __future__ import annotations

import re

# Pages whose body repeats what the entity pages say (pages.py names their templates): only their
# title and introduction are indexed.
LISTING_TEMPLATES = frozenset({"kind_index.md.j2", "timeline.md.j2", "who_says_what.md.j2", "source.md.j2"})

_FIRST_PARAGRAPH = re.compile(r"^\s*<p>.*?</p>", re.S)


def listing_locations(table: dict) -> frozenset[str]:
    """The search locations (page addresses) of the listing pages in the table of pages (pages.table)."""
    return frozenset(path.removesuffix(".md") + ".html" for path, page in table.items()
                     if page.template in LISTING_TEMPLATES)


def trimmed(entries: list[dict], listings: frozenset[str]) -> list[dict]:
    """The entries a reader's search needs, in their order (see the module's docstring)."""
    kept = []
    for entry in entries:
        page, _, section = entry.get("location", "").partition("#")
        if section:
            if page in listings or not entry.get("text", "").strip():
                continue
            entry = {key: value for key, value in entry.items() if key != "tags"}
        elif page in listings:
            entry = {**entry, "text": introduction(entry.get("text", ""))}
        kept.append(entry)
    return kept


def introduction(text: str) -> str:
    """A listing page's opening paragraph, without the table or list that follows it."""
    match = _FIRST_PARAGRAPH.match(text)
    return match.group(0).strip() if match else ""


def trim(config, listings: frozenset[str]) -> None:
    """Trim the entries Material's search plugin is about to write (the hook calls it before the plugin's
    on_post_build); a build without the plugin is left alone."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            index.entries = trimmed(index.entries, listings)

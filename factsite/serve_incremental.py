"""Under `mkdocs serve`: rebuild only the pages the generator rewrote, keep search whole, show data errors.

- **Only changed pages.** After the first build, each rebuild is a MkDocs "dirty" build: MkDocs
  reads and renders only the Markdown files newer than their HTML, which are exactly the pages the
  incremental preview (factsite/preview.py) rewrote. `mkdocs serve` has no way to ask for that
  after a full first build (`--dirty` would skip the first build's cleaning too), so the hook's
  `on_serve` points the serve command's `build` at one that passes `dirty=True`.
- **Search stays whole.** A dirty build indexes only the pages it rebuilt; the search entries of
  every page are kept here, replaced for the rebuilt pages, and put back in the site's order before
  the search plugin writes its index, so the index equals a full build's after every edit.
- **Every page is rebuilt** when something all pages depend on changed: the edition line in the
  footer, mkdocs.yml, or a template or the theme (the preview then renders everything).
- **Pages of removed entities go** from the served site (a dirty build never deletes).
- **Data errors show in the browser**: while the data has errors, every page the server sends is a
  page listing them, as the checker prints them, with MkDocs' live reload, so fixing the file
  brings the site back.

It relies on private parts of MkDocs 1.6 (`LiveReloadServer._serve_request`, `_inject_js_into_html`,
`_epoch_cond`) and of Material's search plugin (`search_index.entries`); MkDocs 1.x is pinned.
"""

from __future__ import annotations

import html
import logging
import os

DIRTY_WARNING = "A 'dirty' build is being performed"

errors: list[str] = []  # the data's problems while it has some, else empty
_search_entries: dict[str, list] = {}  # page src_uri -> its entries in the search index
_indexed = 0  # how many entries of this build's index were already assigned to a page
_serving = False


def start_serving() -> None:
    global _serving
    _serving = True
    logging.getLogger("mkdocs.commands.build").addFilter(_drop_dirty_warning)


def stop_serving() -> None:
    global _serving
    _serving = False
    _restore_full_builds()
    errors.clear()
    _search_entries.clear()
    _last_build.clear()


def serving() -> bool:
    return _serving


def _drop_dirty_warning(record: logging.LogRecord) -> bool:
    return not (_serving and record.getMessage().startswith(DIRTY_WARNING))


def rebuild_dirty() -> None:
    """Make every later build of `mkdocs serve` a dirty one."""
    import mkdocs.commands.serve as serve_command

    full_build = serve_command.build
    if getattr(full_build, "factsite_dirty", False):
        return

    def dirty_build(config, *, serve_url=None, dirty=False):
        return full_build(config, serve_url=serve_url, dirty=True)

    dirty_build.factsite_dirty = True
    dirty_build.full_build = full_build
    serve_command.build = dirty_build


def _restore_full_builds() -> None:
    import mkdocs.commands.serve as serve_command

    if getattr(serve_command.build, "factsite_dirty", False):
        serve_command.build = serve_command.build.full_build


# -- search

def _search_index(config):
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return index
    return None


def build_started() -> None:
    global _indexed
    _indexed = 0


def page_indexed(page, config) -> None:
    """Called after the search plugin indexed `page`: the entries it added are this page's."""
    global _indexed
    index = _search_index(config)
    if index is None:
        return
    _search_entries[page.file.src_uri] = index.entries[_indexed:]
    _indexed = len(index.entries)


def complete_search_index(config, files) -> None:
    """Before the search plugin writes its index: every page's entries, in the order of a full build."""
    index = _search_index(config)
    if index is None:
        return
    pages = [file.src_uri for file in files.documentation_pages()]
    for gone in _search_entries.keys() - set(pages):
        del _search_entries[gone]
    index.entries = [entry for uri in pages for entry in _search_entries.get(uri, [])]


# -- pages every build must redo

_last_build: list[tuple] = []  # what every page of the last build depended on


def rebuild_all_if_needed(config, full_render: bool) -> None:
    """Every page prints the edition ("data of …, commit … with uncommitted changes") and depends on
    mkdocs.yml and the theme (templates/theme/, which the preview counts as a template): when one
    changed, or the preview rendered everything, deleting the built pages makes the dirty build redo them all."""
    edition = config.extra.get("edition")
    line = str(edition.get("line", "")) if isinstance(edition, dict) else ""
    try:
        with open(config.config_file_path, "rb") as file:
            settings = file.read()
    except (OSError, TypeError):
        settings = b""
    key = (line, settings)
    if _last_build and (_last_build[0] != key or full_render):
        for folder, _, names in os.walk(config.site_dir):
            for name in names:
                if name.endswith(".html"):
                    os.remove(os.path.join(folder, name))
    _last_build[:] = [key]


# -- removed pages

def remove_from_site(site_dir: str, names: list[str]) -> None:
    for name in names:
        built = name[: -len(".md")] + ".html" if name.endswith(".md") else name
        try:
            os.remove(os.path.join(site_dir, built))
        except (FileNotFoundError, IsADirectoryError):
            pass


# -- errors in the browser

def error_page(problems: list[str]) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>factsite: the data has "
            f"errors</title></head>\n<body>\n<h1>The data has errors</h1>\n<p>The preview comes back as soon as "
            f"they are fixed; nothing was written.</p>\n<ul>\n{items}\n</ul>\n</body></html>\n").encode("utf-8")


def show_errors(server) -> bool:
    """While the data has errors, answer every page request with the list of them (live reload included)."""
    needed = ("_serve_request", "_inject_js_into_html", "_epoch_cond", "_visible_epoch")
    if not all(hasattr(server, name) for name in needed):
        return False
    serve_file = server._serve_request

    def serve_request(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if errors and not path.startswith("/livereload/") and (path.endswith(("/", ".html"))):
            with server._epoch_cond:
                epoch = server._visible_epoch
            content = server._inject_js_into_html(error_page(errors), epoch)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", str(len(content)))])
            return [content]
        return serve_file(environ, start_response)

    server._serve_request = serve_request
    return True


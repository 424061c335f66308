"""Under `mkdocs serve`: rebuild only the pages the generator rewrote, keep search whole, show data errors.

- **Only changed pages.** After the first build, an edit is an "edit build": the last build's
  configuration, plugins, files, navigation and theme environment are kept (Session.built), the
  generator (factsite/preview.py) rewrites what changed, and only the pages it rewrote are read,
  rendered and written, with MkDocs' own page functions and every plugin's page events; the
  downloads it rewrote are copied. No walk of docs/, no navigation, no read of 4,000 unchanged
  pages. When pages are added or removed, mkdocs.yml, the edition line or a template changed, the
  rebuild is a MkDocs "dirty" build instead (MkDocs reads and renders only the Markdown files newer
  than their HTML): the plugin's `on_serve` points the serve command's `build` at one that does this.
- **The edit's own pages first.** An edit build builds the entity pages it rewrote (not sources'
  pages, which list every statement citing them), then lets the browsers reload and sends those
  pages at once, while it builds the rest (the kind index, whose 1,200-row table is the slowest
  page at 4,000 entities, the sources' pages, the timeline, the search index); every
  other page still waits for the build's end, as MkDocs makes it (_show_early, _early_page). The
  rest goes smallest first, and a change that comes meanwhile leaves what is not built yet to the
  next build, which it starts (_change_waiting).
- **No reload of mkdocs.yml for an edit.** The server's builder would load the configuration anew
  (and reset the search plugin's settings) before every build; the edit build is tried first
  (edit_builds_first).
- **Search stays whole.** A dirty build indexes only the pages it rebuilt; the search entries of
  every page are kept here, replaced for the rebuilt pages, and put back in the site's order before
  the search plugin writes its index, so the index equals a full build's after every edit.
- **Every page is rebuilt** when something all pages depend on changed: the edition line in the
  footer, mkdocs.yml, or a template or the theme (the preview then renders everything).
- **Pages of removed entities go** from the served site (a dirty build never deletes).
- **Data errors show in the browser**: while the data has errors, every page the server sends is a
  page listing them, as the checker prints them, with MkDocs' live reload, so fixing the file
  brings the site back.

All of this lives in one Session per `mkdocs serve` (factsite/serve_session.py); what the server
answers while the data has errors or an edit build runs is factsite/serve_requests.py. It relies on private parts of MkDocs 1.6
(`LiveReloadServer._serve_request`, `_inject_js_into_html`, `_epoch_cond`, `_visible_epoch`,
`_wanted_epoch`, `root`, `mount_path`, `builder`, `livereload._timestamp`, `commands.build`'s
`_populate_page` and `_build_page`) and of Material's search plugin (`search_index.entries`);
MkDocs 1.x is pinned.
"""

from __future__ import annotations

import gc
import logging
import os

from factsite.serve_session import BUILDING, Built, Session, settings_bytes

log = logging.getLogger("mkdocs.plugins.factsite")


def rebuild_dirty(current: Session) -> None:
    """Make every later build of `mkdocs serve` an edit build, or else a dirty one."""
    import mkdocs.commands.serve as serve_command

    full_build = serve_command.build
    if getattr(full_build, "factsite_dirty", False):
        return

    def dirty_build(config, *, serve_url=None, dirty=False):
        if current.edit_tried or not edit_build(current):
            full_build(config, serve_url=serve_url, dirty=True)

    dirty_build.factsite_dirty = True
    dirty_build.full_build = full_build
    serve_command.build = dirty_build


def edit_builds_first(server, current: Session) -> None:
    """The server's builder loads mkdocs.yml afresh for every rebuild, which also resets the settings of
    the plugins MkDocs keeps between builds (Material's search then translates its defaults again):
    a third of an edit's time with the bundled data, and an edit build needs none of it. So the edit
    build is tried first, with the last build's configuration; only when it hands over does the
    server's own builder load the configuration for a MkDocs build."""
    load_and_build = server.builder
    serve_log = logging.getLogger("mkdocs.commands.serve")
    serve_log.addFilter(current._said_once)

    def build() -> None:
        serve_log.info(BUILDING)
        collecting = gc.isenabled()
        gc.disable()  # see below
        try:
            current.edit_built = False
            if edit_build(current):
                current.edit_built = True
                return
            current.edit_tried = True
            current.deferred = []  # a MkDocs dirty build redoes every page whose Markdown is newer than its HTML
            load_and_build()
        finally:
            current.edit_tried = False
            with server._epoch_cond:
                current.early = set()
            # The cycle collector's full pass over this process (MkDocs' pages and the preview's kept
            # state: 1.6 s at 4,000 entities) ran as the generator finished, before any page was built;
            # now it runs once the edit's own pages are out, and only when needed (_collect).
            if collecting:
                gc.enable()
                _collect(current, getattr(server, "_want_rebuild", False) is True)

    server.builder = build
    # MkDocs' serve command made the first build before the hook's on_serve, outside this builder: its
    # objects are walked once now, before the first page is served, and frozen, so that the first
    # edit's pass does not walk them all (see _collect).
    gc.collect()
    gc.freeze()


def _collect(current: Session, change_waiting: bool) -> None:
    """Collect this build's garbage. A full pass walks every object MkDocs and the preview keep (1.6 s at
    4,000 entities), and the next edit waited for it when it came within a second or two. What survives
    a pass is frozen (gc.freeze: later passes skip it); after an edit that kept the preview's graph
    (only summaries changed) the pass walks only what was made since, and after any other build,
    which replaced the graph or MkDocs' pages, everything is unfrozen and walked again: at once after
    a MkDocs build, and after an edit build once no change is waiting (the next build's end, at the latest
    once the edits stop)."""
    edit_built = current.edit_built
    full = not edit_built or current.sweep_due or not (
        current.previews and all(preview.kept_graph for preview in current.previews.values()))
    if full and edit_built and change_waiting:
        current.sweep_due, full = True, False
    if full:
        gc.unfreeze()
        current.sweep_due = False
    gc.collect()
    gc.freeze()


def restore_full_builds() -> None:
    import mkdocs.commands.serve as serve_command

    if getattr(serve_command.build, "factsite_dirty", False):
        serve_command.build = serve_command.build.full_build


# -- the edit build: only the pages the generator rewrote

def edit_build(current: Session) -> bool:
    """Rebuild with the last build's configuration and navigation only the pages the generator rewrote;
    False (having built nothing) when this edit needs a MkDocs build: the caller then runs one."""
    built = current.built
    hand_written, current.hand_written_changed = current.hand_written_changed, False
    if built is None or built.files is None or hand_written or settings_bytes(built.config) != built.settings:
        return False
    config = built.config
    try:
        config = config.plugins.on_config(config)  # the edition line; the search plugin's empty index
        config.plugins.on_pre_build(config=config)  # the generator, through the plugin
    except Exception as error:
        config.plugins.on_build_error(error=error)
        raise
    generated = current.generated
    if current.rebuild_all or current.full_render or (generated is not None and _adds_or_removes(generated, built)):
        return False  # the dirty build runs the plugin again: the preview then finds nothing new
    from mkdocs.commands.build import _build_page, _populate_page

    files = built.files
    changed = [] if current.errors or generated is None else generated.report.written
    pages = []
    for name in changed:
        file = files.get_file_from_path(name)
        if file is None:
            continue
        if file.is_documentation_page():
            pages.append(file.page)
        else:
            file.copy_file()
    copied = len(changed) - len(pages)
    pages += [page for page in (_page(files, name) for name in current.deferred)
              if page is not None and page not in pages]  # left by the last build (_change_waiting)
    doc_files = files.documentation_pages()
    # A source's page lists every statement citing it (hundreds at 4,000 entities): it comes after, with the indexes.
    entity_pages = {view.page for view in generated.graph.entities.values()
                    if view.entity.kind != "sources"} if generated is not None else set()
    first = [page for page in pages if page.file.src_uri in entity_pages]
    for page in first:
        _populate_page(page, config, files)
    for page in first:
        _build_page(page, config, doc_files, built.nav, built.env)
    rest = sorted((page for page in pages if page.file.src_uri not in entity_pages), key=_markdown_size)
    if rest:
        _show_early(current, [page.file.abs_dest_path for page in first])
    left: list[str] = []
    for index, page in enumerate(rest):
        if _change_waiting(current):
            left = [later.file.src_uri for later in rest[index:]]
            break
        _populate_page(page, config, files)
        _build_page(page, config, doc_files, built.nav, built.env)
    current.deferred = left
    config.plugins.on_post_build(config=config)
    log.info(f"factsite: edit build of {len(pages) - len(left)} pages and {copied} files"
             + (f"; {len(left)} pages left to the next build, which a change started" if left else ""))
    return True


def _page(files, name: str):
    file = files.get_file_from_path(name)
    return file.page if file is not None and file.is_documentation_page() else None


def _markdown_size(page) -> int:
    try:
        return os.path.getsize(page.file.abs_src_path)
    except OSError:
        return 0


def _change_waiting(current: Session) -> bool:
    """A change came while this edit build goes on with the pages after the edit's own (the kind index,
    sources' pages, who says what: a page of every statement, seconds to build at 4,000 entities). The
    pages not built yet are then left to the next build, which the change has started already, so the
    next edit's own pages need not wait for them; the smallest are built first."""
    server = current.server
    return server is not None and getattr(server, "_want_rebuild", False) is True


def _show_early(current: Session, built_pages: list[str]) -> None:
    """The entity pages of an edit are built; its kind index, timeline and the like (a 1,200-row table's
    Markdown took 1.5 s at 4,000 entities) and the search index are still to come. The browsers reload
    now, and the server sends these pages at once; every other page still waits for the build's end.
    They carry the epoch the build ends with, so their own live reload waits for the next change."""
    server = current.server
    if server is None:
        return
    from mkdocs.livereload import _timestamp

    with server._epoch_cond:
        current.early = {os.path.abspath(path) for path in built_pages}
        server._visible_epoch = server._wanted_epoch  # the browsers reload ...
        server._wanted_epoch = max(_timestamp(), server._wanted_epoch + 1)  # ... the build goes on: shown at its end
        server._epoch_cond.notify_all()


def _adds_or_removes(generated, built: Built) -> bool:
    return bool(generated.report.removed) or any(built.files.get_file_from_path(name) is None
                                                 for name in generated.report.written)

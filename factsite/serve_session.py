"""One `mkdocs serve`'s state between its builds (factsite/serve_incremental.py says what it is for):
what the last build left for the next edit build, the search entries of every page, the data's
errors, the pages removed and still on the served site.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from factsite.pages import html_path
from factsite.preview import Preview
from factsite.search_index import materials_index

DIRTY_WARNING = "A 'dirty' build is being performed"
BUILDING = "Building documentation..."  # what MkDocs' server logs as each build starts


@dataclass
class Built:
    """What the last build left that the next edit build reuses."""
    config: object
    settings: bytes = b""  # mkdocs.yml as that build read it
    files: object = None
    nav: object = None
    env: object = None


@dataclass
class Session:
    """Everything one `mkdocs serve` keeps between its builds."""
    errors: list[str] = field(default_factory=list)  # the data's problems while it has some, else empty
    search_entries: dict[str, list] = field(default_factory=dict)  # page src_uri -> its entries in the search index
    indexed: int = 0  # how many entries of this build's index were already assigned to a page
    last_key: tuple = ()  # what every page of the last build depended on
    built: Built | None = None
    previews: dict[tuple, Preview] = field(default_factory=dict)
    generated: object = None  # this build's factsite.pipeline.Generated
    full_render: bool = False  # this build's generator rendered everything
    rebuild_all: bool = False  # this build deleted every built page: only a MkDocs build redoes them
    hand_written_changed: bool = False  # a page or asset in docs/ not made by the generator changed
    removed: list[str] = field(default_factory=list)  # pages the generator removed, still to take out of the site
    edit_tried: bool = False  # this rebuild's edit build was tried already and handed over to a MkDocs build
    server: object = None  # MkDocs' LiveReloadServer, once edit_builds_first has its builder
    early: set[str] = field(default_factory=set)  # built pages sent before the edit build's end (_show_early)
    edit_built: bool = False  # the last build was an edit build
    deferred: list[str] = field(default_factory=list)  # pages rewritten, not yet built: a change came first
    sweep_due: bool = False  # a full pass of the cycle collector was put off (_collect)

    def preview(self, data_dir: Path, docs_dir: Path, **options) -> Preview:
        """The preview of this data and docs folder, kept across rebuilds."""
        key = (data_dir.resolve(), docs_dir.resolve())
        preview = self.previews.get(key)
        if preview is None or any(getattr(preview, name) != value for name, value in options.items()):
            preview = self.previews[key] = Preview(data_dir, docs_dir, **options)
        return preview

    def start(self) -> None:
        logging.getLogger("mkdocs.commands.build").addFilter(self._drop_dirty_warning)

    def stop(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self._drop_dirty_warning)
        logging.getLogger("mkdocs.commands.serve").removeFilter(self._said_once)

    def _drop_dirty_warning(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)

    def _said_once(self, record: logging.LogRecord) -> bool:
        """The server's builder says it is building: edit_builds_first said so already."""
        return not (self.edit_tried and record.getMessage() == BUILDING)

    def build_started(self) -> None:
        self.indexed = 0
        self.generated = None
        self.full_render = self.rebuild_all = False

    # -- search

    def page_indexed(self, page, config) -> None:
        """Called after the search plugin indexed `page`: the entries it added are this page's."""
        index = materials_index(config)
        if index is None:
            return
        self.search_entries[page.file.src_uri] = index.entries[self.indexed:]
        self.indexed = len(index.entries)

    def complete_search_index(self, config, files) -> None:
        """Before the search plugin writes its index: every page's entries, in the order of a full build."""
        index = materials_index(config)
        if index is None:
            return
        entries = self.search_entries
        pages = [file.src_uri for file in files.documentation_pages()]
        for gone in entries.keys() - set(pages):
            del entries[gone]
        index.entries = [entry for uri in pages for entry in entries.get(uri, [])]

    def remember_build(self, config, **parts) -> None:
        """The plugin passes on what each MkDocs build made (files, navigation, theme environment)."""
        if self.built is None or self.built.config is not config:
            self.built = Built(config, settings_bytes(config))
        for name, value in parts.items():
            setattr(self.built, name, value)

    # -- pages every build must redo

    def rebuild_all_if_needed(self, config, full_render: bool) -> None:
        """Every page prints the edition ("data of …, commit … with uncommitted changes") and depends on
        mkdocs.yml and the theme (templates/theme/, which the preview counts as a template): when one
        changed, or the preview rendered everything, deleting the built pages makes the dirty build redo them all."""
        edition = config.extra.get("edition")
        line = str(edition.get("line", "")) if isinstance(edition, dict) else ""
        key = (line, settings_bytes(config))
        self.full_render = full_render
        if self.last_key and (self.last_key != key or full_render):
            self.rebuild_all = True
            for folder, _, names in os.walk(config.site_dir):
                for name in names:
                    if name.endswith(".html"):
                        os.remove(os.path.join(folder, name))
        self.last_key = key


def settings_bytes(config) -> bytes:
    try:
        with open(config.config_file_path, "rb") as file:
            return file.read()
    except (OSError, TypeError):
        return b""


# -- removed pages

def remove_from_site(site_dir: str, names: list[str]) -> None:
    for name in names:
        built = html_path(name) if name.endswith(".md") else name
        try:
            os.remove(os.path.join(site_dir, built))
        except (FileNotFoundError, IsADirectoryError):
            pass

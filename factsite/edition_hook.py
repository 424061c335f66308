"""The MkDocs hook (named in mkdocs.yml) that says on every page which edition it is, and publishes
the offline edition beside the hosted site.

- Every page's footer (templates/theme/partials/copyright.html) prints `config.extra.edition`.
- A page holding the line MARKER gets, in its place, the block of templates/theme/partials/
  offline-edition.html: on the hosted site the current zip with its size, date and checksum; in
  the offline edition (mkdocs.offline.yml sets `extra.offline_edition`), which edition the reader
  holds and where the current one is.
- The hosted build publishes dist/factsite-offline.zip and its .sha256 at downloads/, when that
  archive holds this very edition (`factsite bundle` makes it; `make site` runs it first).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from factsite.edition import ARCHIVE, DOWNLOADS, Edition, archive_edition_line, checksum_line, current_edition
from factsite.plugin import data_dir

log = logging.getLogger("mkdocs.hooks.factsite.edition")

MARKER = "<!-- factsite: offline edition -->"  # on a line of its own
_MARKER_LINE = re.compile(rf"^{re.escape(MARKER)}[ \t]*$", re.MULTILINE)
BLOCK_TEMPLATE = "partials/offline-edition.html"


@dataclass(frozen=True)
class PublishedArchive:
    """The archive as the hosted site offers it."""

    name: str
    content: bytes
    checksum: str  # the .sha256 file's line

    @property
    def sha256(self) -> str:
        return self.checksum.split()[0]

    @property
    def size(self) -> str:
        return f"{len(self.content) / 1e6:.1f} MB" if len(self.content) >= 1e6 else f"{len(self.content) / 1e3:.0f} kB"

    @property
    def uri(self) -> str:
        return f"{DOWNLOADS}/{self.name}"


def on_config(config):
    project = Path(config.config_file_path).parent
    edition = current_edition(project, data_dir(config))
    offline = bool(config.extra.get("offline_edition"))
    site_url = config.site_url or ""
    archive = None if offline else published_archive(project / ARCHIVE, edition)
    # The archive this build publishes, for its files and pages: kept on this build's own config, which
    # MkDocs loads anew for each build.
    vars(config)["_factsite_archive"] = archive
    current_url = f"{site_url}{DOWNLOADS}/{ARCHIVE.name}" if site_url else ""
    config.extra["edition"] = {"line": edition.line, "offline": offline, "site_url": site_url, "current_url": current_url}
    return config


def _archive(config) -> PublishedArchive | None:
    return vars(config).get("_factsite_archive")


def published_archive(path: Path, edition: Edition) -> PublishedArchive | None:
    """The archive at `path` if it holds `edition`; else None (and say why, for `factsite build -v`)."""
    held = archive_edition_line(path)
    if held != edition.line:
        log.info(f"factsite: no offline edition published: {path} "
                 f"{'is missing' if held is None else f'holds another edition ({held})'}; `make site` makes it")
        return None
    content = path.read_bytes()
    return PublishedArchive(path.name, content, checksum_line(content, path.name))


def on_files(files, config):
    archive = _archive(config)
    if archive:
        files.append(File.generated(config, archive.uri, content=archive.content))
        files.append(File.generated(config, archive.uri + ".sha256", content=archive.checksum.encode("ascii")))
    return files


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    block = offline_edition_block(config, page.url)
    return _MARKER_LINE.sub(lambda match: block, markdown, count=1)


def offline_edition_block(config, page_url: str) -> str:
    """The block's HTML, its links relative to the page at `page_url`."""
    archive = _archive(config)
    links = {}
    if archive:
        links = {"archive": get_relative_url(archive.uri, page_url),
                 "checksum": get_relative_url(archive.uri + ".sha256", page_url)}
    template = config.theme.get_env().get_template(BLOCK_TEMPLATE)
    return "\n" + template.render(config=config, edition=config.extra["edition"], archive=archive, links=links) + "\n"

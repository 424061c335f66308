"""Build the site with MkDocs into a fresh folder, and change docs/ and the site folder together or not at all.

The run (factsite/run.py) holds the docs folder from before MkDocs starts until the new site is
built: the MkDocs plugin writes the pages into it, MkDocs builds into a staging folder beside the
site folder, and only then does the run commit, swapping in the site and dropping the pages'
previous content. A failure anywhere before that (bad data, a page MkDocs refuses in strict
mode, Ctrl-C, SIGTERM) undoes the pages and removes the staging folder; after SIGKILL, the next
run does the same from the journal.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from factsite import run
from factsite.journal import site_staging
from factsite.plugin import Inputs, PluginMissing, required_plugin


class SiteError(Exception):
    pass


def build_site(config_file: Path, site_dir: Path, log_level: int = logging.WARNING, inputs: Inputs | None = None) -> None:
    """Raises SiteError, having changed nothing, when MkDocs or the generator fails. `inputs` replace
    the factsite plugin's options in the configuration."""
    show_mkdocs_log(log_level)
    staging = site_staging(site_dir.resolve())
    try:
        config = load_config(config_file=str(config_file), strict=True, site_dir=str(staging))
    except MkDocsException as error:
        raise SiteError(f"{config_file}: {str(error).strip().rstrip('.')}; nothing was built.") from None
    try:
        plugin = required_plugin(config, config_file)
    except PluginMissing as error:
        raise SiteError(f"{error}; nothing was built.") from None
    if inputs is not None:
        plugin.use(inputs)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        _build_in_run(config, site_dir)
    finally:
        config.plugins.on_shutdown()


def _build_in_run(config, site_dir: Path) -> None:
    current = run.begin(Path(config.docs_dir), owner="build")
    try:
        current.journal.record_site(site_dir)
        mkdocs_build(config)
    except MkDocsException as error:
        current.roll_back()
        raise SiteError(f"{str(error).strip().rstrip('.')}; {site_dir}/ and {config.docs_dir}/ were left as "
                        "they were.") from None
    except BaseException:
        current.roll_back()
        raise
    current.commit()


def show_mkdocs_log(level: int) -> None:
    """Print MkDocs' messages from `level` up on standard error, with one handler however often it is called."""
    logger = logging.getLogger("mkdocs")
    handler = next((h for h in logger.handlers if getattr(h, "_factsite", False)), None)
    if handler is None:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._factsite = True
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    handler.setLevel(level)

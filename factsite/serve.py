"""`factsite serve`: MkDocs' development server, with the factsite plugin generating from the command's inputs."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from factsite.plugin import Inputs, PluginMissing, required_plugin
from factsite.site import show_mkdocs_log


class ServeError(Exception):
    pass


def serve_site(config_file: Path, dev_addr: str, inputs: Inputs) -> None:
    """MkDocs loads the configuration again for every rebuild, but keeps the one plugin object (it has
    `on_startup`) for the whole serve: the inputs given to it here last until the serve stops."""
    show_mkdocs_log(logging.INFO)
    try:
        config = load_config(config_file=str(config_file), dev_addr=dev_addr)
    except MkDocsException as error:
        raise ServeError(f"{config_file}: {str(error).strip().rstrip('.')}; nothing was served.") from None
    try:
        required_plugin(config, config_file).use(inputs)
    except PluginMissing as error:
        raise ServeError(f"{error}; nothing was served.") from None
    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)

"""Build the site with MkDocs into a fresh folder and put it in place only when the build succeeds."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import click
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


def build_site(config_file: Path, site_dir: Path, log_level: int = logging.WARNING) -> None:
    staging = site_dir.with_name(site_dir.name + ".factsite-new")
    shutil.rmtree(staging, ignore_errors=True)
    show_mkdocs_log(log_level)
    try:
        config = load_config(config_file=str(config_file), strict=True, site_dir=str(staging.resolve()))
        mkdocs_build(config)
    except MkDocsException as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise click.ClickException(f"{str(error).rstrip('.')}; {site_dir}/ was left as it was.") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace(site_dir, staging)


def _replace(site_dir: Path, staging: Path) -> None:
    old = site_dir.with_name(site_dir.name + ".factsite-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


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

"""Markdown as MkDocs turns a page into HTML for this site, in process: the extensions and their
settings come from mkdocs.yml through MkDocs' own config loader (which adds its defaults, such as
`fenced_code`), and the front matter is split off by MkDocs' own loader."""

from __future__ import annotations

import functools
from pathlib import Path

import markdown
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=None)
def _extensions() -> tuple[list, dict]:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return list(config.markdown_extensions), dict(config.mdx_configs)


@functools.lru_cache(maxsize=None)
def _converter() -> markdown.Markdown:
    """One converter, reset before each page as MkDocs' would be made anew (a fresh one costs 50 ms)."""
    extensions, configs = _extensions()
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def front_matter(page: str) -> tuple[str, dict]:
    """The page's Markdown body and its front matter, as MkDocs reads them."""
    return get_data(page)


def to_html(text: str) -> str:
    return _converter().reset().convert(text)

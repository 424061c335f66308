"""Output folders that would destroy input: refused before anything runs.

`--site-dir` is replaced whole by each build, so it must not be, hold or lie inside the data,
docs or templates folders, nor be the repository root (the folder of the MkDocs configuration),
hold it, or be `/`; and an existing folder must look like a built site. `--docs-dir` is written
into (never replaced), so it must keep clear of the data and templates folders and the root.
The bundle's `--output` file must not land in the inputs, and must not replace a file that is
not a zip archive.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

BUILT_SITE_MARKS = ("index.html", "404.html", "sitemap.xml")


def _describe(path: Path, name: str, folder: Path, *, inside_ok: bool = False) -> str | None:
    if path == folder:
        return f"is the {name} ({folder})"
    if path in folder.parents:
        return f"contains the {name} ({folder})"
    if folder in path.parents and not inside_ok:
        return f"lies inside the {name} ({folder})"
    return None


def site_dir_problem(site_dir: Path, *, root: Path, data: Path, docs: Path, templates: list[Path]) -> str | None:
    site = site_dir.resolve()
    if site == Path(site.anchor):
        return "is the root of the file system"
    inputs = [("repository root, the folder of the MkDocs configuration", root.resolve(), True),
              ("data folder", data.resolve(), False), ("docs folder", docs.resolve(), False),
              *(("templates folder", folder.resolve(), False) for folder in templates)]
    for name, folder, inside_ok in inputs:
        problem = _describe(site, name, folder, inside_ok=inside_ok)
        if problem:
            return problem + "; the site folder is replaced by each build, so give it a folder of its own, such as site"
    if site.is_dir() and any(site.iterdir()) and not any((site / mark).exists() for mark in BUILT_SITE_MARKS):
        return ("holds files but no built site (no index.html, 404.html or sitemap.xml); the site folder is "
                "replaced by each build, so give a new or empty folder, or the previous site's")
    return None


def docs_dir_problem(docs_dir: Path, *, root: Path, data: Path, templates: list[Path]) -> str | None:
    docs = docs_dir.resolve()
    if docs == Path(docs.anchor):
        return "is the root of the file system"
    inputs = [("repository root", root.resolve(), True), ("data folder", data.resolve(), False),
              *(("templates folder", folder.resolve(), False) for folder in templates)]
    for name, folder, inside_ok in inputs:
        problem = _describe(docs, name, folder, inside_ok=inside_ok)
        if problem:
            return problem + "; the pages go into a docs folder of their own, such as docs"
    return None


def archive_problem(output: Path, *, data: Path, docs: Path, templates: list[Path], site: Path) -> str | None:
    archive = output.resolve()
    for name, folder in [("data folder", data), ("docs folder", docs), ("built site", site),
                         *(("templates folder", folder) for folder in templates)]:
        folder = folder.resolve()
        if archive == folder or folder in archive.parents:
            return f"lies inside the {name} ({folder}); write the archive elsewhere, such as dist/"
    if archive.suffix != ".zip":
        return "must end in .zip"
    if archive.exists() and not zipfile.is_zipfile(archive):
        return "exists and is not a zip archive; it would be replaced, so give a new file name"
    return None


def config_folders(config_file: Path) -> tuple[Path, Path, list[Path]]:
    """The repository root (the configuration's folder), its docs folder and the templates folders."""
    from mkdocs.utils.yaml import yaml_load

    from factsite.render import TEMPLATES

    root = config_file.resolve().parent
    with open(config_file, "rb") as handle:
        config = yaml_load(handle) or {}
    docs = root / str(config.get("docs_dir", "docs"))
    return root, docs, [TEMPLATES, root / "templates"]

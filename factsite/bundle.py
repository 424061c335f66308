"""The offline bundle: the site built for file:// (mkdocs.offline.yml), zipped reproducibly into dist/.

The archive's root holds index.html and README.txt; beside it goes its SHA-256 in `sha256sum`'s
format. The same commit and data give the same bytes: every zip entry has the data's own time
(SOURCE_DATE_EPOCH if the caller sets it, else the data's last commit, see load.data_epoch), fixed
permissions and a sorted place, and the edition the pages, the README and the zip's comment name is
only the data's date and the commit (factsite/edition.py). MkDocs' own build clock (mkdocs.utils.
get_build_datetime: SOURCE_DATE_EPOCH, else now) dates only the sitemaps, which the archive leaves out,
so the build needs no change to the environment.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from factsite.edition import ARCHIVE, DOWNLOADS, archive_comment, checksum_line, current_edition
from factsite.plugin import Inputs
from factsite.search_index import SETTINGS_FILE as SEARCH_SETTINGS
from factsite.search_prebuilt import FILE as PREBUILT
from factsite.site import build_site

OFFLINE_CONFIG = Path("mkdocs.offline.yml")
SHIM = Path(__file__).resolve().parent / "assets" / "factsite-iframe-worker.js"
ZIP_EPOCH_MIN = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
# Built files the bundle leaves out: source maps are for developers' tools, sitemaps for search engines'
# crawlers (and the only files MkDocs dates by its build clock), 404.html for web servers (its addresses
# are absolute, so from file:// it breaks), and from file:// the search index is read from a script
# (factsite_search.js), never from search_index.json. downloads/ is where the hosted site publishes this
# archive: an archive never holds itself. The served site's early search script, and the files only it
# reads, do nothing from file://.
LEFT_OUT = ("*.map", "sitemap.xml", "sitemap.xml.gz", "404.html", "search/search_index.json", f"{DOWNLOADS}/*",
            "assets/javascripts/factsite-search-early.js", "assets/javascripts/factsite-search-prebuilt.js",
            f"search/{PREBUILT}", f"search/{SEARCH_SETTINGS}")

README = """\
{site_name}
{underline}

An offline copy of the site: {edition}.

To read it, unpack this archive anywhere and open index.html in a web browser.
Everything works without a network, search included; nothing is fetched from the internet.

The data behind every page, as JSON and CSV files, is in the data/ folder;
data/index.html describes the files and their fields.

Online: {site_url}
The current offline edition, and its SHA-256 checksum: {site_url}{current}
"""


def build_bundle(config_file: Path = OFFLINE_CONFIG, archive: Path = ARCHIVE, *, inputs: Inputs) -> Path:
    """Build the offline site and zip it into `archive`, its checksum beside it; returns the archive's path."""
    config = _read_config(config_file)
    built = built_site_dir(config_file)
    edition = current_edition(config_file.parent, inputs.data)
    build_site(config_file, built, inputs=inputs)
    shim = built / next(p for p in config["extra"]["polyfills"] if "iframe-worker" in p)
    shim.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHIM, shim)
    write_early_search(built)
    readme = README.format(site_name=config.get("site_name", "factsite"),
                           underline="=" * len(config.get("site_name", "factsite")),
                           edition=edition.line, site_url=config.get("site_url", ""),
                           current=f"{DOWNLOADS}/{ARCHIVE.name}")
    write_zip(archive, _files(built), readme, edition.epoch, comment=archive_comment(edition))
    _write_atomically(archive.with_name(archive.name + ".sha256"),
                      checksum_line(archive.read_bytes(), archive.name).encode("ascii"))
    return archive


def write_early_search(built: Path) -> None:
    """search/factsite_search.js: Material's search worker and the search index as strings, which the
    shim (factsite/assets/factsite-iframe-worker.js) turns into a blob: worker that readies the index as
    a page opens; with them, the index made at build time (factsite/search_prebuilt.py) and the script
    that loads it into that worker, so that the worker builds nothing. From file:// a page can start no
    worker from a file and read no file's text, but it can run a script, and a string is quick to parse
    where the same index as a script's object is not."""
    workers = sorted((built / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    index = built / "search" / "search_index.json"
    if not workers or not index.is_file():
        return  # a build without Material's search: nothing to start early
    strings = {"worker": workers[-1].read_text(encoding="utf-8"), "index": index.read_text(encoding="utf-8")}
    prebuilt = built / "search" / PREBUILT
    loader = built / "assets" / "javascripts" / "factsite-search-prebuilt.js"
    if prebuilt.is_file() and loader.is_file():
        strings.update(prebuilt=prebuilt.read_text(encoding="utf-8"), loader=loader.read_text(encoding="utf-8"))
    script = "var __factsiteSearch = {" + ", ".join(f"{key}: {_js_string(text)}" for key, text in strings.items())
    suggest = "true" if "search.suggest" in _theme_features(built / "index.html") else "false"
    _write_atomically(built / "search" / "factsite_search.js",
                      (script + f", suggest: {suggest}}};\n").encode("utf-8"))
    # Material still loads search_index.js (the offline plugin's) when the search box opens, and waits
    # for it before asking its worker for the index: with the documents in it, the page's thread would
    # parse them all over again, after the reader started typing. The shim answers from the worker it
    # started, or sends the frame stand-in the documents of factsite_search.js.
    stub = {"config": json.loads(strings["index"])["config"], "docs": []}
    _write_atomically(built / "search" / "search_index.js",
                      ("var __index = " + json.dumps(stub, separators=(",", ":"))).encode("utf-8"))


def _theme_features(page: Path) -> list[str]:
    # Material's options for its scripts, which every page carries at its end: the worker is started
    # before the page has them
    found = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                      page.read_text(encoding="utf-8") if page.is_file() else "", re.S)
    return json.loads(found.group(1)).get("features", []) if found else []


def _js_string(text: str) -> str:
    # JSON's string is a JavaScript string, but for the two line separators older engines refuse
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def built_site_dir(config_file: Path) -> Path:
    """Where the offline site is built before it is zipped: the configuration's site_dir."""
    return (config_file.parent / _read_config(config_file).get("site_dir", "site")).resolve()


def _read_config(config_file: Path) -> dict:
    with open(config_file, "rb") as handle:
        return yaml_load(handle)


def _files(built: Path) -> dict[str, Path]:
    files = {}
    for path in built.rglob("*"):
        name = path.relative_to(built).as_posix()
        if path.is_file() and not any(fnmatch.fnmatch(name, pattern) for pattern in LEFT_OUT):
            files[name] = path
    return files


def write_zip(archive: Path, files: dict[str, Path], readme: str, epoch: int, comment: bytes = b"") -> None:
    """A zip whose bytes depend only on the files' contents and `epoch`, written whole or not at all."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    staged = archive.with_name(archive.name + ".factsite-new")
    contents = {name: path.read_bytes() for name, path in files.items()}
    contents["README.txt"] = readme.encode("utf-8")
    stamp = time.gmtime(max(epoch, ZIP_EPOCH_MIN))[:6]
    try:
        with zipfile.ZipFile(staged, "w") as bundle:
            bundle.comment = comment
            for name in sorted(contents):
                entry = zipfile.ZipInfo(name, date_time=stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.create_system = 3  # Unix, so that the permissions below are read
                entry.external_attr = (0o100644 << 16)  # a regular file, rw-r--r--
                bundle.writestr(entry, contents[name], compresslevel=9)
        os.replace(staged, archive)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _write_atomically(path: Path, content: bytes) -> None:
    staged = path.with_name(path.name + ".factsite-new")
    try:
        staged.write_bytes(content)
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise

"""The offline bundle (`factsite bundle`): one reproducible zip that works from file:// with no network,
published by the hosted build beside its checksum and linked from the site; every page names its edition."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import MINI, ROOT, make_project, run_cli, screenshot
from html5 import local, parse

ARCHIVE = Path("dist") / "factsite-offline.zip"
CHECKSUM = ARCHIVE.with_name(ARCHIVE.name + ".sha256")
SITE_URL = "https://factsite.github.io/factsite/"  # mkdocs.yml's site_url
# One commit, the same in every clone made this way: its hash depends only on the files, names and dates.
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_AUTHOR_DATE": "2017-12-17T12:00:00Z",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_COMMITTER_DATE": "2017-12-17T12:00:00Z"}
GIT_CONFIG = ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"]


def git(project: Path, *args: str) -> str:
    result = subprocess.run(["git", *GIT_CONFIG, *args], cwd=project, env={**os.environ, **GIT_ENV},
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def committed_project(folder: Path) -> Path:
    """A project with the mini data, committed to a git repository of its own, with the real .gitignore."""
    project = make_project(folder, MINI / "data")
    shutil.copy(ROOT / "mkdocs.offline.yml", project / "mkdocs.offline.yml")
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "The mini data")
    return project


def bundled_project(folder: Path) -> Path:
    project = committed_project(folder)
    result = run_cli("bundle", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    return bundled_project(tmp_path_factory.mktemp("bundle") / "project")


@pytest.fixture(scope="module")
def bundle(bundled) -> Path:
    return bundled / ARCHIVE


@pytest.fixture(scope="module")
def edition_line(bundled) -> str:
    """What every page of this project's editions must say: the data's date (its commit's) and the commit."""
    return f"data of 17 December 2017, commit {git(bundled, 'rev-parse', 'HEAD')[:12]}"


@pytest.fixture(scope="module")
def hosted(bundled) -> Path:
    """The hosted site built after the bundle, as `make site` does; returns the built site."""
    result = run_cli("build", cwd=bundled)
    assert result.returncode == 0, result.stderr
    return bundled / "site"


@pytest.fixture(scope="module")
def unpacked(bundle, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked") / "somewhere else"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    return folder


def test_one_zip_with_index_and_readme_at_its_root(bundle):
    assert sorted(p.name for p in bundle.parent.iterdir()) == [bundle.name, bundle.name + ".sha256"]
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        readme = archive.read("README.txt").decode("utf-8")
    assert "index.html" in names and "README.txt" in names
    assert "groups/alpha-front.html" in names and "search/search_index.js" in names
    assert "assets/javascripts/factsite-iframe-worker.js" in names
    assert "assets/javascripts/factsite-search-early.js" not in names  # the served site's; nothing from file://
    assert "index.html" in readme and "search" in readme
    assert not [n for n in names if n.endswith(".map") or n.startswith("sitemap")]


def test_the_data_downloads_are_in_the_bundle(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
    assert {"data/index.html", "data/factsite.json", "data/entities/alpha-front.json", "data/csv/groups.csv",
            "data/csv/facts.csv", "data/csv/relations.csv"} <= names


def test_the_same_commit_and_data_give_the_same_bytes(bundle, tmp_path):
    again = bundled_project(tmp_path / "elsewhere" / "project") / ARCHIVE
    assert again.read_bytes() == bundle.read_bytes()
    assert (again.parent / CHECKSUM.name).read_bytes() == (bundle.parent / CHECKSUM.name).read_bytes()
    with zipfile.ZipFile(bundle) as archive:
        entries = archive.infolist()
    assert [e.filename for e in entries] == sorted(e.filename for e in entries)
    assert {e.date_time for e in entries} == {entries[0].date_time}
    assert {stat.S_IMODE(e.external_attr >> 16) for e in entries} == {0o644}


def test_mkdocs_build_clock_never_reaches_the_archive(bundle, tmp_path, monkeypatch):
    """MkDocs dates a build by its clock (SOURCE_DATE_EPOCH, else now) only in the sitemaps the archive
    leaves out, so a build on another day, with no SOURCE_DATE_EPOCH set, gives the same bytes."""
    import mkdocs.utils

    from factsite.bundle import build_bundle
    from factsite.plugin import Inputs

    project = committed_project(tmp_path / "another-day" / "project")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(mkdocs.utils, "get_build_datetime", lambda: datetime(1999, 1, 2, tzinfo=timezone.utc))
    monkeypatch.chdir(project)
    build_bundle(Path("mkdocs.offline.yml"), ARCHIVE, inputs=Inputs(Path("data").resolve()))
    assert "<lastmod>1999-01-02</lastmod>" in (project / "build" / "offline" / "sitemap.xml").read_text()  # it was read
    assert (project / ARCHIVE).read_bytes() == bundle.read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ


# ---------------------------------------------------------------- the edition: published, linked, named


def blocks(page: Path, css_class: str) -> list[dict]:
    """The text and link targets of every outermost element whose class list holds `css_class`."""
    parsed = parse(page.read_text(encoding="utf-8"))
    found = []

    def visit(node) -> None:
        for child in node:
            if not isinstance(child.tag, str):  # a comment
                continue
            if css_class in (child.get("class") or "").split():
                links = [e.get("href") for e in child.iter() if isinstance(e.tag, str) and local(e.tag) == "a"]
                found.append({"text": parsed.text(child), "links": links})
            else:
                visit(child)

    visit(parsed.root)
    return found


def test_beside_the_archive_its_sha256_in_the_format_sha256sum_checks(bundle):
    line = (bundle.parent / CHECKSUM.name).read_text(encoding="ascii")
    assert line == f"{hashlib.sha256(bundle.read_bytes()).hexdigest()}  {bundle.name}\n"
    subprocess.run(["sha256sum", "--check", "--strict", CHECKSUM.name], cwd=bundle.parent, check=True,
                   capture_output=True)


def test_the_archive_names_its_edition_in_its_comment_and_readme(bundle, edition_line):
    with zipfile.ZipFile(bundle) as archive:
        assert archive.comment.decode("ascii") == f"factsite offline edition: {edition_line}"
        readme = archive.read("README.txt").decode("utf-8")
    assert f"An offline copy of the site: {edition_line}." in readme
    assert f"{SITE_URL}downloads/factsite-offline.zip" in readme


@pytest.mark.parametrize("page", ["index.html", "about.html", "data/index.html"])
def test_the_site_links_the_published_zip_with_its_size_date_and_checksum(hosted, bundle, edition_line, page):
    [block] = blocks(hosted / page, "fs-offline-edition")
    archive_link, checksum_link = block["links"]
    published = (hosted / page).parent / archive_link
    assert published.resolve() == (hosted / "downloads" / ARCHIVE.name).resolve()
    assert published.read_bytes() == bundle.read_bytes()
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    assert ((hosted / page).parent / checksum_link).read_text(encoding="ascii") == f"{digest}  {ARCHIVE.name}\n"
    size = f"{bundle.stat().st_size / 1e3:.0f} kB"
    assert block["text"] == (f"{ARCHIVE.name} ({size}, {edition_line}; SHA-256 {digest}) is this whole site in one "
                             "file. Unzip it anywhere and open index.html in a web browser: everything works without "
                             "a network, search included.")


def test_the_hosted_pages_name_their_edition_in_the_footer(hosted, edition_line):
    for page in ["index.html", "groups/alpha-front.html", "about.html"]:
        assert blocks(hosted / page, "fs-edition") == [{"text": f"This edition: {edition_line}.", "links": []}]


def test_bundling_again_after_the_hosted_build_gives_the_same_bytes_and_never_itself(hosted, bundled, bundle):
    before = bundle.read_bytes()
    assert (hosted / "downloads" / ARCHIVE.name).read_bytes() == before
    result = run_cli("bundle", cwd=bundled)
    assert result.returncode == 0, result.stderr
    assert bundle.read_bytes() == before
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    assert [n for n in names if n.startswith("downloads/") or n.endswith((".zip", ".sha256"))] == []


def test_every_offline_page_names_its_edition_and_where_the_current_one_is(unpacked, edition_line):
    footers = {page.relative_to(unpacked).as_posix(): blocks(page, "fs-edition") for page in unpacked.rglob("*.html")}
    expected = [{"text": f"Offline edition, {edition_line}. The current one: {SITE_URL}", "links": [SITE_URL]}]
    assert "groups/alpha-front.html" in footers and "data/index.html" in footers
    assert {page: footer for page, footer in footers.items() if footer != expected} == {}
    [block] = blocks(unpacked / "index.html", "fs-offline-edition")
    current = f"{SITE_URL}downloads/factsite-offline.zip"
    assert block == {"text": f"You are reading the offline edition: {edition_line}. The current edition is on the site, "
                             f"at {current}, with its SHA-256 checksum.", "links": [current]}


def test_a_build_without_the_bundle_says_where_the_edition_comes_from(mini_site):
    assert not (mini_site / "site" / "downloads").exists()
    current = f"{SITE_URL}downloads/factsite-offline.zip"
    for page in ["index.html", "about.html", "data/index.html"]:
        [block] = blocks(mini_site / "site" / page, "fs-offline-edition")
        assert block["links"] == [current]
        assert block["text"].startswith("This build has no offline edition of its own: make site makes one "
                                        "(factsite bundle before factsite build) and links it here.")
    assert blocks(mini_site / "site" / "index.html", "fs-edition")[0]["text"].endswith(", not built from a git commit.")


def test_source_date_epoch_sets_every_timestamp(tmp_path):
    project = make_project(tmp_path / "project", MINI / "data")
    shutil.copy(ROOT / "mkdocs.offline.yml", project / "mkdocs.offline.yml")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1513296000"}  # 2017-12-15
    subprocess.run([sys.executable, "-m", "factsite", "bundle"], cwd=project, env=env, check=True, capture_output=True)
    with zipfile.ZipFile(project / ARCHIVE) as archive:
        assert {e.date_time[:3] for e in archive.infolist()} == {(2017, 12, 15)}
        assert json.loads(archive.read("data/factsite.json"))["generated_at"] == "2017-12-15T00:00:00Z"


def test_offline_search_has_the_hosted_search_options():
    hosted = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    offline = yaml.load((ROOT / "mkdocs.offline.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)

    def search(config):
        return next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)

    assert offline["INHERIT"] == "mkdocs.yml"
    assert search(offline) == search(hosted), "copy mkdocs.yml's search options into mkdocs.offline.yml"
    assert any("offline" in (p if isinstance(p, str) else list(p)) for p in offline["plugins"])
    assert offline["site_dir"] != hosted["site_dir"]


# ---------------------------------------------------------------- nothing is fetched from the network

# What makes a browser fetch a URL, by file type. Plain <a href> links a reader clicks are not fetches.
FETCHING = {
    ".html": [r"<(?:script|img|iframe|audio|video|source|embed|track|input|image|use)\b[^>]*?\s(?:src|srcset|poster|"
              r"href|xlink:href)\s*=\s*[\"']?\s*(?:https?:)?//",
              # every <link> but those that only name a page (canonical, alternate, prev, next, ...)
              r"<link\b(?![^>]*\srel\s*=\s*[\"']?(?:canonical|alternate|prev|next|author|license|help|me)\b)"
              r"[^>]*?\shref\s*=\s*[\"']?\s*(?:https?:)?//",
              r"<object\b[^>]*?\sdata\s*=\s*[\"']?\s*(?:https?:)?//",
              r"url\(\s*[\"']?\s*(?:https?:)?//",
              r"http-equiv\s*=\s*[\"']?refresh[^>]*url\s*=\s*(?:https?:)?//"],
    ".css": [r"url\(\s*[\"']?\s*(?:https?:)?//", r"@import\s+(?:url\()?\s*[\"']?\s*(?:https?:)?//"],
    ".js": [r"\b(?:import|importScripts|fetch)\s*\(\s*[\"'`]\s*(?:https?:)?//",
            r"\bfrom\s*[\"'`](?:https?:)?//",
            r"new\s+(?:Worker|SharedWorker|EventSource|WebSocket)\s*\(\s*[\"'`](?:https?|wss?):",
            r"[\"'`]https?://"],  # any address a script holds as a whole string
}
FETCHING[".svg"] = FETCHING[".html"]

# Addresses Material's bundle holds, each fetched only in a case the bundle does not have.
NOT_FETCHED_HERE = {
    "`https://api.github.com/": "the repository widget's counts, which templates/theme/partials/source.html leaves out",
    "`https://${e}/api/v4/projects/": "the repository widget, for GitLab",
    '"https://unpkg.com/resize-observer-polyfill': "browsers without ResizeObserver (none since 2020)",
    '"https://unpkg.com/mermaid@': "pages with Mermaid diagrams; the diagrams are static SVG",
}


def network_references(folder: Path) -> list[str]:
    found: dict[tuple, str] = {}  # by where the address starts, so that two rules find it once
    for path in sorted(folder.rglob("*")):
        patterns = FETCHING.get(path.suffix)
        if not patterns:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in patterns:
            for match in re.finditer(pattern, text, re.IGNORECASE):
                if not any(text.startswith(known, match.start()) or text.startswith(known, match.end() - 9)
                           for known in NOT_FETCHED_HERE):
                    start = text.find("//", match.start())
                    address = re.match(r"//[^\s\"'`)>]*", text[start:]).group()
                    found[(path, start)] = f"{path.relative_to(folder)}: {address}"
    return list(found.values())


def test_no_file_of_the_bundle_fetches_from_the_network(unpacked):
    assert network_references(unpacked) == []


def test_the_cases_material_would_fetch_in_do_not_occur(unpacked):
    for page in unpacked.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'data-md-component="source"' not in html, page
        assert 'class="mermaid"' not in html, page


def test_the_scanner_finds_what_would_be_fetched(tmp_path):
    (tmp_path / "a.html").write_text('<a href="https://example.org/">fine</a>'
                                     '<script src="https://cdn.example.org/x.js"></script>'
                                     '<link rel="stylesheet" href="//fonts.googleapis.com/css">'
                                     '<link rel="canonical" href="https://example.org/a.html">', encoding="utf-8")
    (tmp_path / "b.css").write_text("body{background:url('https://example.org/a.png')}", encoding="utf-8")
    (tmp_path / "c.js").write_text('fetch("https://example.org/api"); console.log("see https://x.org")',
                                   encoding="utf-8")
    assert sorted(network_references(tmp_path)) == ["a.html: //cdn.example.org/x.js", "a.html: //fonts.googleapis.com/css",
                                                    "b.css: //example.org/a.png", "c.js: //example.org/api"]


def link_targets(html: str) -> list[str]:
    """Every `src`, and every `href` of a link or stylesheet: what a browser would open or load."""
    targets = []
    for element in parse(html).elements():
        for name, value in element.attributes.items():
            if value and (name == "src" or (name == "href" and element.tag in ("a", "link"))):
                targets.append(value)
    return targets


def test_every_local_link_and_asset_is_in_the_bundle(unpacked):
    missing = []
    for page in sorted(unpacked.rglob("*.html")):
        for target in link_targets(page.read_text(encoding="utf-8")):
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            if not (page.parent / unquote(parts.path)).resolve().is_file():
                missing.append(f"{page.relative_to(unpacked)} → {target}")
    assert missing == []


# ---------------------------------------------------------------- a stock browser, offline, from file://


@pytest.mark.browser
def test_a_reader_downloads_the_offline_edition_from_the_hosted_home_page(browser, hosted, bundle, tmp_path):
    from conftest import StaticServer

    server = StaticServer(hosted)
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(server.url + "index.html")
        link = page.get_by_role("link", name=ARCHIVE.name)
        with page.expect_download() as download:
            link.click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
    finally:
        context.close()
        server.close()
    assert saved.name == ARCHIVE.name and saved.read_bytes() == bundle.read_bytes()


@pytest.mark.browser
def test_search_finds_an_alias_offline_from_file_urls(browser, unpacked):
    context = browser.new_context(offline=True)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((unpacked / "index.html").as_uri())
        page.click("input[data-md-component=search-query]")
        page.keyboard.type("Alfa Front", delay=20)
        result = page.locator(".md-search-result__item a").first
        result.wait_for(timeout=15000)
        assert "Alpha Front" in result.inner_text()
        result.click()
        page.wait_for_url("**/groups/alpha-front.html*")
        assert page.locator("h1").first.inner_text().startswith("Alpha Front")
        assert page.locator(".fs-diagram svg:visible").count() == 1  # the layout that fits the screen
        page.locator(".fs-diagram svg:visible a").first.click()  # the diagram's links lead to pages too
        page.wait_for_load_state()
        assert page.url.startswith(unpacked.as_uri())
        page.goto((unpacked / "groups" / "alpha-front.html").as_uri())
        abbr = page.locator("abbr[title]").first
        abbr.hover()
        page.locator(".md-tooltip2, .md-tooltip").first.wait_for(state="visible", timeout=5000)
        screenshot(page, "bundle-offline")
    finally:
        context.close()
    assert errors == []
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []


@pytest.mark.browser
def test_every_page_of_the_bundle_loads_offline_without_a_request_out(browser, unpacked):
    context = browser.new_context(offline=True)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    failed: list[str] = []
    context.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    page = context.new_page()
    without_script = []
    try:
        for html in sorted(unpacked.rglob("*.html")):
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            if not page.evaluate("document.documentElement.classList.contains('js')"):  # Material's script ran
                without_script.append(html.name)
    finally:
        context.close()
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []
    # Headless Chromium starts and then drops favicon loads; the favicon's presence is checked above. Each
    # page starts its search worker from a blob: address as it opens, stopped when the next page opens.
    assert [f for f in failed if "favicon" not in f and not f.startswith("blob:")] == []
    assert without_script == []


def offline_search(browser, unpacked, init_script: str = "") -> tuple[str, list[str], int, list[str]]:
    """Search the unpacked bundle from file:// for an alias: the first result's path, the requests made,
    the number of frames the search runs in, and the page's errors."""
    context = browser.new_context(offline=True)
    if init_script:
        context.add_init_script(init_script)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((unpacked / "places" / "border-region.html").as_uri())
        page.click("input[data-md-component=search-query]")
        page.keyboard.type("al-Alpha", delay=20)
        result = page.locator(".md-search-result__item > a.md-search-result__link").first
        result.wait_for(timeout=15000)
        first = result.get_attribute("href").split("?")[0]
        frames = page.locator("iframe[title=search]").count()
    finally:
        context.close()
    return first, requests, frames, errors


@pytest.mark.browser
def test_offline_search_is_built_as_the_page_opens_in_a_worker_of_its_own(browser, unpacked):
    first, requests, frames, errors = offline_search(browser, unpacked)
    assert first.endswith("groups/alpha-front.html")
    assert any(url.endswith("search/factsite_search.js") for url in requests)
    assert any(url.startswith("blob:") for url in requests), "the index is built in a blob: worker"
    assert frames == 0 and errors == []


@pytest.mark.browser
def test_offline_search_works_where_blob_workers_are_refused(browser, unpacked):
    refuse = "URL.createObjectURL = function () { throw new Error('blob: addresses refused'); };"
    first, requests, frames, errors = offline_search(browser, unpacked, refuse)
    assert first.endswith("groups/alpha-front.html")
    assert frames == 1, "the frame stand-in runs Material's worker"
    assert not any(url.startswith("blob:") for url in requests) and errors == []


def test_the_early_search_script_holds_the_worker_and_the_index_and_materials_holds_no_documents(unpacked, bundled):
    script = (unpacked / "search" / "factsite_search.js").read_text(encoding="utf-8")
    built = (bundled / "build" / "offline" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert script.startswith("var __factsiteSearch = {worker: ") and "index: " in script
    assert script.endswith(", suggest: true};\n")  # mkdocs.yml's search.suggest, for the worker started early
    assert json.dumps(built, ensure_ascii=False) in script  # the whole index, as a string
    inlined = (unpacked / "search" / "search_index.js").read_text(encoding="utf-8")
    inlined = json.loads(inlined.removeprefix("var __index = "))
    assert inlined == {"config": json.loads(built)["config"], "docs": []}


@pytest.mark.browser
def test_an_offline_page_is_usable_while_its_search_index_is_built(browser, unpacked):
    # A worker that never answers: the index is still being built for as long as the test looks.
    never_ready = "window.Worker = class extends EventTarget { postMessage() {} terminate() {} };"
    context = browser.new_context(offline=True)
    context.add_init_script(never_ready)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((unpacked / "groups" / "alpha-front.html").as_uri())
        assert page.locator("h1").first.inner_text().startswith("Alpha Front")
        box = page.locator("input[data-md-component=search-query]")
        box.click()
        box.press_sequentially("beta")
        assert box.input_value() == "beta"
        assert page.locator(".md-search-result__item").count() == 0
        page.keyboard.press("Escape")
        page.locator("article a[href$='beta-network.html']").first.click()
        page.wait_for_url("**/groups/beta-network.html")
        assert page.locator("h1").first.inner_text().startswith("Beta Network")
    finally:
        context.close()
    assert errors == []


def test_the_offline_shim_runs_before_the_stylesheets_load(unpacked):
    """A script after a stylesheet waits for it: the shim that starts search comes first in the head."""
    page = (unpacked / "groups" / "alpha-front.html").read_text(encoding="utf-8")
    head = page[:page.index("</head>")]
    assert head.index('src="../assets/javascripts/factsite-iframe-worker.js"') < head.index('rel="stylesheet"')
    assert "factsite-search-early.js" not in page

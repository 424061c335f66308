"""`factsite serve` regenerates and reloads when a data file or a template changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import MINI, make_project

from factsite.journal import JOURNAL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body and text in body:
            return body
        time.sleep(0.3)
    pytest.fail(f"{url} did not show {text!r} within {seconds} s")


@pytest.fixture()
def served_project(tmp_path):
    project = make_project(tmp_path / "project", MINI / "data")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "factsite", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                   cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield project, f"http://127.0.0.1:{port}/factsite/", log  # mounted at site_url's path
    finally:
        process.terminate()
        process.wait(timeout=10)


def builds(log) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count("Building documentation...")


def settled_builds(log) -> int:
    """The number of builds once none has started for a while: MkDocs polls for changes every 0.5 s
    and waits 0.1 s more, so a rebuild caused by a build's own writes would have started by then."""
    count = builds(log)
    while True:
        time.sleep(3)
        if builds(log) == count:
            return count
        count = builds(log)


def test_serve_rebuilds_once_when_a_data_file_changes(served_project):
    """The generator's own writes into docs/ do not start a second build; a hand-written page's edit does start one."""
    project, url, log = served_project
    wait_for(url + "states/testland.html", "Testland")
    assert settled_builds(log) == 1
    data_file = project / "data" / "states" / "testland.yaml"
    data_file.write_text(data_file.read_text(encoding="utf-8").replace(
        "summary: A state", "summary: A freshly edited state"), encoding="utf-8")
    wait_for(url + "states/testland.html", "A freshly edited state")
    assert settled_builds(log) == 2
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA hand-written addition.\n", encoding="utf-8")
    wait_for(url + "about.html", "A hand-written addition.")
    assert settled_builds(log) == 3
    assert not (project / "docs" / JOURNAL).exists()


def test_serve_watches_the_data_and_templates_folders(tmp_path):
    """The data folder watched is mkdocs.yml's `data_dir` option, or the factsite command's --data."""
    from factsite.plugin import FactsitePlugin, Inputs
    from factsite.render import TEMPLATES

    class Recorder:
        def __init__(self):
            self.watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    class Config:
        config_file_path = str(tmp_path / "mkdocs.yml")
        docs_dir = str(tmp_path / "docs")

    plugin = FactsitePlugin()
    errors, warnings = plugin.load_config({"data_dir": "facts"}, config_file_path=Config.config_file_path)
    assert errors == warnings == []
    assert plugin.on_serve(Recorder(), Config(), None).watched == [str(tmp_path / "facts"), str(TEMPLATES)]
    plugin.use(Inputs(tmp_path / "given"))
    assert plugin.on_serve(Recorder(), Config(), None).watched == [str(tmp_path / "given"), str(TEMPLATES)]
    plugin.on_shutdown()
    assert plugin.on_serve(Recorder(), Config(), None).watched[0] == str(tmp_path / "facts")


def test_serve_keeps_search_whole_shows_data_errors_and_drops_removed_pages(served_project):
    """After an incremental rebuild the search index holds every page and the edit; bad data shows as
    a page listing its problems until it is fixed; a deleted entity's page leaves the served site."""
    project, url, log = served_project
    wait_for(url + "states/testland.html", "Testland")
    index_before = fetch(url + "search/search_index.json")
    data_file = project / "data" / "states" / "testland.yaml"
    good = data_file.read_text(encoding="utf-8")
    data_file.write_text(good.replace("summary: A state", "summary: A zanzibarish state"), encoding="utf-8")
    wait_for(url + "states/testland.html", "zanzibarish")
    index_after = wait_for(url + "search/search_index.json", "zanzibarish")
    assert index_after.count('"location":') == index_before.count('"location":')

    data_file.write_text(good.replace("name: ", "name: [", 1), encoding="utf-8")
    page = wait_for(url + "states/testland.html", "The data has errors")
    assert "data/states/testland.yaml:" in page and "invalid YAML" in page
    data_file.write_text(good, encoding="utf-8")
    wait_for(url + "states/testland.html", "A state")

    added = project / "data" / "groups" / "gamma-cell.yaml"
    added.write_text((project / "data" / "groups" / "beta-network.yaml").read_text(encoding="utf-8").replace(
        "name: Beta Network", "name: Gamma Cell").replace('aliases: ["Beta Network <script>alert(1)</script>"]\n', ""),
        encoding="utf-8")
    wait_for(url + "groups/gamma-cell.html", "Gamma Cell")
    wait_for(url + "search/search_index.json", "Gamma Cell")
    added.unlink()
    deadline = time.monotonic() + 120
    while fetch(url + "groups/gamma-cell.html") is not None and time.monotonic() < deadline:
        time.sleep(0.3)
    assert fetch(url + "groups/gamma-cell.html") is None
    assert "Gamma Cell" not in wait_for(url + "groups/index.html", "Beta Network")
    assert "Gamma Cell" not in fetch(url + "search/search_index.json")


def test_an_edit_builds_own_pages_are_sent_before_the_rest_is_built(tmp_path):
    """While an edit build goes on after its entity pages (_show_early), those pages are sent at once,
    carrying the epoch the build ends with; any other page waits for the build's end."""
    import threading

    from mkdocs.livereload import LiveReloadServer

    from factsite import serve_incremental, serve_requests, serve_session

    (tmp_path / "groups").mkdir()
    (tmp_path / "groups" / "edited.html").write_text("<html><body>edited</body></html>", encoding="utf-8")
    (tmp_path / "groups" / "index.html").write_text("<html><body>the index</body></html>", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path),
                              mount_path="/factsite/")
    session = serve_session.Session()
    session.start()
    try:
        assert serve_requests.show_errors(server, session)

        def get(path: str) -> bytes:
            return b"".join(server._serve_request({"PATH_INFO": path}, lambda status, headers: None))

        started = server._wanted_epoch = server._visible_epoch + 1  # a build has started
        serve_incremental._show_early(session, [str(tmp_path / "groups" / "edited.html")])
        assert server._visible_epoch == started < server._wanted_epoch
        page = get("/factsite/groups/edited.html")
        assert b"edited" in page and b"livereload(%d," % server._wanted_epoch in page
        index: list[bytes] = []
        waiting = threading.Thread(target=lambda: index.append(get("/factsite/groups/index.html")))
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and not index  # the rest of the site waits for the build
        with server._epoch_cond:
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()
        waiting.join(10)
        assert index and b"the index" in index[0]
    finally:
        session.stop()


def test_a_change_during_an_edit_builds_rest_leaves_the_rest_to_the_next_build(tmp_path, monkeypatch):
    """Past the edit's own pages, a change that has come makes the edit build stop: the pages not built yet
    (here the source's page, which lists the edited statement) are left to the next build, which builds them."""
    import threading

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from factsite import serve_incremental

    project = make_project(tmp_path / "project", MINI / "data")
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")

    class Server:  # what the edit build reads of MkDocs' LiveReloadServer
        _epoch_cond = threading.Condition()
        _visible_epoch, _wanted_epoch = 1, 2
        _want_rebuild = False

    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)  # as `factsite serve` starts: Material's kept search plugin
    # would stay dirty for the tests that follow in this process
    session = config.plugins["factsite"].session
    try:
        build(config, dirty=True)  # the first build, which the edits reuse
        session.server = server = Server()
        site = project / "site"
        testland = project / "data" / "states" / "testland.yaml"
        testland.write_text(testland.read_text(encoding="utf-8").replace(
            "Testland's forces act", "Testland's forces still act"), encoding="utf-8")
        server._want_rebuild = True  # a change has come
        assert serve_incremental.edit_build(session)
        assert "still act" in (site / "states" / "testland.html").read_text(encoding="utf-8")
        assert "sources/article.md" in session.deferred
        assert "still act" not in (site / "sources" / "article.html").read_text(encoding="utf-8")
        server._want_rebuild = False
        assert serve_incremental.edit_build(session)  # the next build: nothing new in the data
        assert session.deferred == []
        assert "still act" in (site / "sources" / "article.html").read_text(encoding="utf-8")
    finally:
        config.plugins.on_shutdown()

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
    process = subprocess.Popen([sys.executable, "-m", "factsite", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                               cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield project, f"http://127.0.0.1:{port}/factsite/"  # mounted at site_url's path
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_rebuilds_when_a_data_file_changes(served_project):
    project, url = served_project
    wait_for(url + "states/testland.html", "Testland")
    data_file = project / "data" / "states" / "testland.yaml"
    data_file.write_text(data_file.read_text(encoding="utf-8").replace(
        "summary: A state", "summary: A freshly edited state"), encoding="utf-8")
    wait_for(url + "states/testland.html", "A freshly edited state")


def test_serve_watches_the_data_and_templates_folders(tmp_path, monkeypatch):
    from factsite.hook import on_serve
    from factsite.render import TEMPLATES

    monkeypatch.delenv("FACTSITE_DATA", raising=False)

    class Recorder:
        def __init__(self):
            self.watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    class Config:
        config_file_path = str(tmp_path / "mkdocs.yml")

    server = on_serve(Recorder(), Config(), None)
    assert server.watched == [str(tmp_path / "data"), str(TEMPLATES)]

"""Shared fixtures: a throw-away copy of the project with a chosen data folder."""

from __future__ import annotations

import functools
import http.server
import logging
import os
import shutil
import signal
import threading
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
SEEDS = ROOT.parent / "shared" / "seeds"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def hand_written_docs() -> list[Path]:
    """docs/ files that are not the generator's (its manifest lists what it owns)."""
    from factsite.write import MANIFEST, read_manifest

    owned = read_manifest(ROOT / "docs") | {MANIFEST}
    files = []
    for path in sorted((ROOT / "docs").rglob("*")):
        relative = path.relative_to(ROOT / "docs").as_posix()
        if path.is_file() and relative not in owned and ".factsite-" not in path.name:
            files.append(path)
    return files


# The order in which modules start. The forking tests first: a process forks only while it runs one
# thread, and the browser fixture leaves Playwright's threads running until the session ends. Then the
# slowest modules, longest first: `make test` runs on two workers (pytest-xdist, `--dist loadfile` in
# pyproject.toml), each taking a whole module at a time (so a module's fixtures are made once), and the
# short modules left at the end even out the workers' finishing times. The rest follow in file order.
FIRST = ["test_parallel.py"]
SLOWEST = ["test_reading.py", "test_interrupt.py", "test_no_loss.py", "test_lossless.py", "test_bundle.py",
           "test_hostile.py", "test_serve.py", "test_hostile_site.py", "test_bad_input.py", "test_preview.py"]


def pytest_collection_modifyitems(items):
    order = {name: rank for rank, name in enumerate(FIRST + SLOWEST)}
    items.sort(key=lambda item: order.get(item.path.name, len(order)))


def property_examples(default: int) -> int:
    """How many examples a property test tries: `default` in `make test` and CI, more with
    FACTSITE_EXAMPLES=N (say before a release, or after changing the escaping)."""
    wanted = os.environ.get("FACTSITE_EXAMPLES", "")
    return int(wanted) if wanted.isdigit() and int(wanted) > 0 else default


def checked(data: Path, texts: Path | None = None):
    """The data's validated model, through the same `pipeline.check` that `factsite check` runs (so a
    load problem fails the test too, instead of leaving a document out); any problem fails the test."""
    from factsite.pipeline import check

    result = check(data, texts)
    assert not result.problems, "\n".join(str(problem) for problem in result.problems)
    return result.validated


def mini_copy(tmp_path: Path) -> Path:
    """A project folder holding a copy of the mini data set, which checks clean."""
    shutil.copytree(MINI / "data", tmp_path / "data")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_mini_data(data: Path) -> None:
    """Changes to the mini data that make a rebuild create, replace and remove pages."""
    alpha = data / "groups" / "alpha-front.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(
        "is an affiliate of the", "is, in the report's words, an affiliate of the"), encoding="utf-8")
    (data / "organizations" / "test-corps.yaml").unlink()
    (data / "places" / "far-valley.yaml").write_text(
        "name: Far Valley\nsummary: A valley the article names.\nfacts:\n  - says: The article names it.\n"
        "    source: article\n    at: 2\n    quote: \"The border region remains a sanctuary\"\n", encoding="utf-8")


def make_project(target: Path, data: Path) -> Path:
    """A project folder with the real mkdocs.yml, hand-written docs and templates, and `data` as its data."""
    target.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - factsite/", f"  - {ROOT / 'factsite'}/")  # every hook
    config = config.replace("custom_dir: templates/theme", f"custom_dir: {ROOT / 'templates' / 'theme'}")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    for path in hand_written_docs():
        destination = target / "docs" / path.relative_to(ROOT / "docs")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    shutil.copytree(data, target / "data", symlinks=True)
    return target


def run_factsite(*args: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "factsite", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=check)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`factsite ARGS` in `cwd`, run in this process by click's test runner, where a subprocess proves nothing
    more: for what the command says and writes, not for how a process starts, ends or takes a signal (those
    run with run_factsite). The signal handler a command sets is undone."""
    from click.testing import CliRunner

    from factsite.cli import cli

    previous = os.getcwd()
    on_terminate = signal.getsignal(signal.SIGTERM)
    _forget_mkdocs_log()  # MkDocs' messages go to this run's stderr, not to an earlier run's
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), prog_name="factsite")
    finally:
        os.chdir(previous)
        signal.signal(signal.SIGTERM, on_terminate)
    _forget_mkdocs_log()
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["factsite", *args], result.exit_code, result.stdout, stderr)


def _forget_mkdocs_log() -> None:
    """Drop the handler that `factsite build` gives MkDocs' logger: it holds the standard error of the run
    that made it (in process, click's test runner's)."""
    logger = logging.getLogger("mkdocs")
    for handler in [h for h in logger.handlers if getattr(h, "_factsite", False)]:
        logger.removeHandler(handler)


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The mini fixture built once with `factsite build` (mkdocs build --strict); returns the project folder."""
    project = make_project(tmp_path_factory.mktemp("mini") / "project", MINI / "data")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove later that nothing changed."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- browser tests

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"  # screenshots for review; ignored by git


def _browser_unavailable_reason() -> str | None:
    if not shutil.which("chromium"):
        return "Debian's chromium is not installed (apt-get install chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make test installs it)"
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. In CI (CI=true) a missing browser fails instead of skipping."""
    reason = _browser_unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class StaticServer:
    """The built site served on localhost by a thread, for as long as the fixture lives."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def page_watch(browser):
    """A fresh page that records every request it makes; `requests` lists their URLs."""
    context = browser.new_context()
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

"""Benchmark: from opening a page to the first search result, served and offline, before and after.

    .venv/bin/python scripts/bench_search.py                     # 1,000 and 4,000 entities
    .venv/bin/python scripts/bench_search.py --sizes 200 --opens 3
    .venv/bin/python scripts/bench.py --only search              # the same, from the main benchmark

For each size it writes the synthetic fact base of scripts/bench.py into a project, twice: once with
the code of `--before` (a commit: main before search was made fast, by default) and once with this
checkout's code. Each project is built as the hosted site (`factsite build`, served on localhost)
and as the offline bundle (`factsite bundle`, unpacked and opened from file://). Then Debian's
Chromium (the tests' flags) opens an entity page, as a new reader would (a fresh browser context
each time), clicks the search box as soon as the page has been parsed, types a known entity's
name, and waits for that entity's page to be the first result. The figure is the time from the
start of the navigation to that first result appearing (performance.now() in the page), the
median of `--opens` opens; beside it, when the box took the query and the time from there, and the
CPU time the whole machine spent from opening to the result (both cores: steadier than the wall time
on a shared machine whose speed varies from minute to minute). Then a
second page in the same context shows what is kept between pages. `--keep` keeps the built sites
and `--work FOLDER` measures them again; `--interleave` opens the two versions' pages in turn in one
browser, once both are built, so that they share the machine's load alike. Not part of the test
suite: tests never assert wall-clock times.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.0
BEFORE = "7a81b9d"  # main when issue 14's item 7 was started: Material's search as it was configured then
OPENS = 5
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]

# Records, in the page, when the result the reader is after first shows first (window.__expected is
# the path of its page, set before typing) and when any result first shows.
FIRST_RESULT_PROBE = """
window.__firstResult = null;
window.__anyResult = null;
new MutationObserver(function () {
  var link = document.querySelector(".md-search-result__item > a.md-search-result__link");
  if (!link) return;
  if (window.__anyResult === null) window.__anyResult = performance.now();
  if (window.__firstResult === null && window.__expected && link.pathname.endsWith(window.__expected)) {
    window.__firstResult = performance.now();
  }
}).observe(document, {childList: true, subtree: true});
"""


# ---------------------------------------------------------------- the code: a commit's or this checkout's

def code_tree(ref: str | None, work: Path) -> Path:
    """The project's code to build with: this checkout (None), or `ref` exported from git into `work`."""
    if ref is None:
        return ROOT
    tree = work / f"code-{ref}"
    if not tree.exists():
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)  # its symlinks as they are
    return tree


def child_env(code: Path) -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(code)}


def run(args: list[str], cwd: Path, code: Path) -> None:
    result = subprocess.run(args, cwd=cwd, env=child_env(code), capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"{' '.join(map(str, args))} failed in {cwd}")


def make_sites(code: Path, data: Path, target: Path, reuse: bool = False) -> tuple[Path, Path]:
    """`data` built with `code` as the hosted site and as the offline bundle (unpacked): both folders.
    With `reuse`, the sites of an earlier run kept in `target` (--keep, --work) are measured again."""
    if reuse and (target / "site").is_dir() and (target / "unpacked").is_dir():
        return target / "site", target / "unpacked"
    # the tests' own project copy (real mkdocs.yml, hooks and templates of `code`), made by `code` itself
    script = ("import sys; from pathlib import Path; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']; "
              "from conftest import make_project; make_project(Path(sys.argv[2]), Path(sys.argv[3]))")
    run([sys.executable, "-c", script, str(code), str(target), str(data)], ROOT, code)
    shutil.copy(code / "mkdocs.offline.yml", target / "mkdocs.offline.yml")
    for command in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "data"]):
        run(command, target, code)  # the bundle names its edition by the commit
    for command in ("bundle", "build"):
        run([sys.executable, "-m", "factsite", command], target, code)
    unpacked = target / "unpacked"
    with zipfile.ZipFile(next((target / "dist").glob("*.zip"))) as archive:
        archive.extractall(unpacked)
    return target / "site", unpacked


# ---------------------------------------------------------------- the browser

@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def machine_cpu_s() -> float:
    """CPU time spent so far by the whole machine, every core and process (Linux's /proc/stat; 0 elsewhere):
    what an open costs, steadier than its wall time on a shared machine whose speed varies."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            user, nice, system, idle, iowait, irq, softirq, *_ = map(int, stat.readline().split()[1:])
    except (OSError, ValueError):
        return 0.0
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def time_to_first_result(page, url: str, query: str, expected: str) -> dict:
    """Open `url`, type `query` as soon as the search box can take it; the time from the navigation's
    start to the first result, whether that result is `expected`, when the box took the first key, and
    the machine's CPU time meanwhile."""
    cpu_before = machine_cpu_s()
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    box = page.locator("input.md-search__input")
    box.click(timeout=60_000)
    typed_at = page.evaluate("expected => { window.__expected = expected; return performance.now(); }", expected)
    box.fill(query[:-1], timeout=120_000)  # at once, then the last key as a key: Material reads the box on keyup
    box.press(query[-1], timeout=120_000)
    page.wait_for_function("() => window.__firstResult !== null", timeout=120_000)
    cpu = machine_cpu_s() - cpu_before
    first, any_result, parsed = page.evaluate(
        "[window.__firstResult, window.__anyResult,"
        " performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]")
    return {"s": first / 1000, "typed_s": typed_at / 1000, "any_result_s": any_result / 1000, "parsed_s": parsed / 1000,
            "cpu_s": cpu}


def measure_in_turn(browser, bases: dict[str, str], pages: list[tuple[str, str, str]], opens: int) -> dict:
    """Per site (label -> address): `opens` fresh contexts, each opening one entity page and then a second
    one (work kept between pages shows in the second); medians in seconds. Several sites are opened in
    turn (the order reversed every other round), so that they share the machine's load alike. One open
    before them is not counted: it shares the machine with Chromium's own start-up (in a trace, its UI's
    WebUI renderer spends about 2 s of CPU in the first seconds after launch, on this machine's 2 cores)."""
    runs = {label: [] for label in bases}
    open_two_pages(browser, next(iter(bases.values())), pages[-1], pages[0])
    load = os.getloadavg()[0]
    for number in range(opens):
        labels = list(bases) if number % 2 == 0 else list(reversed(bases))
        for label in labels:
            runs[label].append(open_two_pages(browser, bases[label], pages[number % len(pages)],
                                              pages[(number + 1) % len(pages)]))
    load = (load + os.getloadavg()[0]) / 2
    return {label: summary(opened, load) for label, opened in runs.items()}


def summary(opened: list[tuple[dict, dict]], load: float) -> dict:
    first, second = [a["s"] for a, _ in opened], [b["s"] for _, b in opened]
    typed, parsed = [a["typed_s"] for a, _ in opened], [a["parsed_s"] for a, _ in opened]
    return {"first_page_s": statistics.median(first), "second_page_s": statistics.median(second),
            "typeable_s": statistics.median(typed), "typed_to_result_s": statistics.median(
                f - t for f, t in zip(first, typed)),
            "parsed_s": statistics.median(parsed), "cpu_s": statistics.median(a["cpu_s"] for a, _ in opened),
            "load_average": load,
            "runs_first_s": first, "runs_second_s": second, "runs_typeable_s": typed}


def open_two_pages(browser, base: str, first: tuple[str, str, str], second: tuple[str, str, str]) -> tuple[dict, dict]:
    """A new reader (a fresh context) opens `first` and searches, then `second` and searches."""
    context = browser.new_context()
    context.add_init_script(FIRST_RESULT_PROBE)
    try:
        page = context.new_page()
        (path_a, query_a, _), (path_b, query_b, _) = first, second
        return (time_to_first_result(page, base + path_a, query_a, path_a),
                time_to_first_result(page, base + path_b, query_b, path_b))
    finally:
        context.close()


def served(folder: Path):
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import StaticServer

    return StaticServer(folder)


# ---------------------------------------------------------------- one size

def queries(synthetic) -> list[tuple[str, str, str]]:
    """Entity pages to open and to search for: (path, the name typed, kind), one of each kind."""
    chosen, kinds = [], set()
    for entity in synthetic.entities:
        if entity["kind"] not in kinds:
            kinds.add(entity["kind"])
            chosen.append((f"{entity['kind']}/{entity['id']}.html", entity["name"], entity["kind"]))
    return chosen


def bench_size(size: int, work: Path, before: str | None, opens: int, versions: list[str],
               reuse: bool = False, interleave: bool = False) -> dict:
    sys.path.insert(0, str(ROOT / "scripts"))
    from synthetic import Synthetic

    synthetic = Synthetic(size)
    synthetic.build()
    data, texts = work / f"data-{size}", work / f"texts-{size}"
    synthetic.write(data, texts)
    pages = queries(synthetic)
    result = {"entities": len(synthetic.entities) + len(synthetic.sources)}
    sites = {}
    for label, ref in [("before", before), ("after", None)]:
        if label not in versions or (label == "before" and not before):
            continue
        code = code_tree(ref, work)
        site, offline = sites[label] = make_sites(code, data, work / f"project-{size}-{label}", reuse)
        index = site / "search" / "search_index.json"
        result[label] = {"index_mb": index.stat().st_size / 1e6,
                         "offline_index_script_mb": (offline / "search" / "search_index.js").stat().st_size / 1e6}
        if not interleave:
            measure_sites(result, {label: sites[label]}, pages, opens, size)
    if interleave:
        measure_sites(result, sites, pages, opens, size)
    return result


def measure_sites(result: dict, sites: dict[str, tuple[Path, Path]], pages, opens: int, size: int) -> None:
    """Each version's sites (label -> hosted site, unpacked bundle), served and offline, opened in turn
    in one browser; their figures into `result`."""
    with chromium() as browser:
        servers = {label: served(site) for label, (site, _) in sites.items()}
        try:
            figures = measure_in_turn(browser, {label: server.url for label, server in servers.items()}, pages, opens)
        finally:
            for server in servers.values():
                server.close()
        offline = measure_in_turn(browser, {label: unpacked.as_uri() + "/" for label, (_, unpacked) in sites.items()},
                                  pages, opens)
    for label in sites:
        result[label].update(served=figures[label], offline=offline[label])
        for where in ("served", "offline"):
            f = result[label][where]
            print(f"   {size:,} entities, {label}, {where}: first result {f['first_page_s']:.2f} s after opening "
                  f"(page parsed at {f['parsed_s']:.2f} s, box typeable at {f['typeable_s']:.2f} s), second page "
                  f"{f['second_page_s']:.2f} s; load average {f['load_average']:.1f}", flush=True)


# ---------------------------------------------------------------- report

ROWS = [("index (JSON)", lambda v: f"{v['index_mb']:.2f} MB"),
        ("served: open → first result", lambda v: f"{v['served']['first_page_s']:.2f} s"),
        ("served: page parsed (DOMContentLoaded)", lambda v: f"{v['served']['parsed_s']:.2f} s"),
        ("served: search box typeable", lambda v: f"{v['served']['typeable_s']:.2f} s"),
        ("served: typed → first result", lambda v: f"{v['served']['typed_to_result_s']:.2f} s"),
        ("served: second page → result", lambda v: f"{v['served']['second_page_s']:.2f} s"),
        ("served: machine's CPU, open → result", lambda v: f"{v['served'].get('cpu_s', 0):.2f} s"),
        ("offline: open → first result", lambda v: f"{v['offline']['first_page_s']:.2f} s"),
        ("offline: page parsed (DOMContentLoaded)", lambda v: f"{v['offline']['parsed_s']:.2f} s"),
        ("offline: search box typeable", lambda v: f"{v['offline']['typeable_s']:.2f} s"),
        ("offline: typed → first result", lambda v: f"{v['offline']['typed_to_result_s']:.2f} s"),
        ("offline: second page → result", lambda v: f"{v['offline']['second_page_s']:.2f} s"),
        ("offline: machine's CPU, open → result", lambda v: f"{v['offline'].get('cpu_s', 0):.2f} s"),
        ("machine's load average meanwhile",
         lambda v: f"{v['served']['load_average']:.1f} / {v['offline']['load_average']:.1f}")]


def table(results: dict[int, dict]) -> list[str]:
    """Rows of (label, before, after) per size, as printed lines."""
    lines = []
    for size, result in sorted(results.items()):
        labels = [label for label in ("before", "after") if label in result]
        lines.append(f"{result['entities']:,} entities".ljust(42) + "".join(f"{label:>12}" for label in labels))
        for name, cell in ROWS:
            lines.append(f"  {name}".ljust(42) + "".join(f"{cell(result[label]):>12}" for label in labels))
    return lines


def targets(results: dict[int, dict]) -> list[tuple[str, str, bool]]:
    """Item 7's target at the largest size: within TARGET_S of opening, served and offline, right result."""
    size = max(results)
    if "after" not in results[size]:
        return []
    after = results[size]["after"]
    rows = []
    for where in ("served", "offline"):
        figure = after[where]["first_page_s"]
        before = results[size].get("before", {}).get(where, {}).get("first_page_s")
        rows.append((f"search {where}: first result ≤ {TARGET_S:.0f} s after opening a page at "
                     f"{results[size]['entities']:,}",
                     f"median {figure:.2f} s" + (f" (before: {before:.2f} s)" if before is not None else ""),
                     figure <= TARGET_S))
    return rows


def run_all(sizes: list[int], before: str | None, opens: int, work: Path, versions: list[str] = ("before", "after"),
            reuse: bool = False, interleave: bool = False) -> dict[int, dict]:
    results = {}
    for size in sizes:
        print(f"\n== search at {size:,} entities", flush=True)
        results[size] = bench_size(size, work, before, opens, list(versions), reuse, interleave)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--opens", type=int, default=OPENS, help="page opens per figure (their median)")
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with ('' for none)")
    parser.add_argument("--versions", nargs="+", choices=["before", "after"], default=["before", "after"])
    parser.add_argument("--json", type=Path, default=ROOT / "dist" / "bench-search-results.json")
    parser.add_argument("--keep", action="store_true", help="keep the projects (their path is printed)")
    parser.add_argument("--work", type=Path, help="a folder kept by --keep: measure its built sites again")
    parser.add_argument("--interleave", action="store_true",
                        help="open before's and after's pages in turn in one browser (after both are built), "
                             "so that both share the machine's load alike")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="factsite-bench-search-"))
    print(f"working in {work}", flush=True)
    try:
        results = run_all(args.sizes, args.before or None, args.opens, work, args.versions, reuse=bool(args.work),
                          interleave=args.interleave)
        print("\n" + "\n".join(table(results)) + "\n")
        for label, figure, ok in targets(results):
            print(f"{'PASS' if ok else 'MISS'}  {label}: {figure}")
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"sizes": {str(k): v for k, v in results.items()},
                                         "targets": [{"target": t, "figure": f, "pass": ok}
                                                     for t, f, ok in targets(results)]}, indent=1) + "\n",
                             encoding="utf-8")
        print(f"\nwrote {args.json}")
    finally:
        if not (args.keep or args.work):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

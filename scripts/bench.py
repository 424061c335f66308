"""Benchmark: factsite on deterministic synthetic fact bases of 1,000 and 4,000 entities.

    .venv/bin/python scripts/bench.py                 # 1,000 and 4,000 entities
    .venv/bin/python scripts/bench.py --sizes 200     # a quick run
    .venv/bin/python scripts/bench.py --json dist/bench-results.json
    .venv/bin/python scripts/bench.py --only search   # only open-a-page-to-first-search-result
    .venv/bin/python scripts/bench.py --only preview --sizes bundled 1000 4000   # the preview rows alone

For each size it makes a project (the real mkdocs.yml, templates and hand-written docs, synthetic
data/), then measures, in one process tree so that the ratios are side by side:

- the project's own stages (load, validate, enrich, render, write), each run as `factsite generate
  -v` in a new process: the median of three runs, and one more in a single process (the render
  stage forks a worker when it can); peak Python memory from tracemalloc, in this process;
- `factsite build -v` (check + generate + `mkdocs build --strict` with our plugin), as a child
  process, with the time of each of our stages inside that build: the 5% target compares those;
- a plain `mkdocs build --strict` of the same generated Markdown with a copy of mkdocs.yml that has
  no `factsite` plugin and no `hooks:` (what any engine that reads mkdocs.yml would do), as a child process;
- peak memory of each build (its resident high-water mark), site size, median entity-page HTML
  size, search index size;
- a no-op regeneration (must rewrite nothing) and the regeneration after editing one entity's
  summary (must rewrite only the pages that show it), from the WriteReport;
- the preview: `factsite serve` started on the project, then five edits of one summary, each timed
  from the file's write to the served page showing the new words (median), before (the former
  preview, FACTSITE_PREVIEW=full) and after (the incremental one), and the time to the first page;
- search: from opening a page to the first search result, served and offline, before and after
  (scripts/bench_search.py; `--only search` runs these rows alone).

It prints a table and each target with PASS or MISS, and writes the figures as JSON. Not part of
the test suite: it takes minutes, and tests never assert wall-clock times.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factsite.pipeline import generate  # noqa: E402
from factsite.write import read_manifest  # noqa: E402

import bench_search  # noqa: E402  (the search rows: open a page to the first result)
from synthetic import Synthetic, bench_summary, quoted  # noqa: E402

def make_project(target: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import make_project as conftest_make_project  # the tests' own project copy

    empty = target.parent / "empty-data"
    empty.mkdir(exist_ok=True)
    project = conftest_make_project(target, empty)
    shutil.rmtree(project / "data")
    return project


def run_child(args: list[str], cwd: Path, env_extra: dict | None = None) -> tuple[float, int, str]:
    """Run a child process; its wall time, its peak resident memory (bytes) and what it printed on stderr.

    The peak is read from /proc while it runs: the kernel's rusage of a child forked from this
    process counts this process's own memory, which the child had until it ran exec."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    settle()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _peak_rss(child.pid))
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        err.seek(0)
        printed = err.read().decode("utf-8", "replace")
        if child.returncode != 0:
            sys.stderr.write(printed[-4000:])
            raise SystemExit(f"{' '.join(args)} failed in {cwd}")
    return elapsed, peak, printed


def _peak_rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


GENERATE_RUNS = 3
_STAGE = re.compile(r"(load|validate|enrich|render|write) (\d+\.\d+) s")
_runs = itertools.count(1)


def stage_times(printed: str, marker: str) -> dict[str, float]:
    """The stage times a `-v` run printed on the line that contains `marker` and the stages."""
    line = next(line for line in printed.splitlines() if marker in line and "stages:" in line)
    return {stage: float(seconds) for stage, seconds in _STAGE.findall(line)}


def fresh_docs(project: Path, scratch: Path) -> Path:
    """A new copy of the hand-written docs for one run.

    Each run writes into a folder of its own, and none is deleted before the end: this machine's
    disk is mounted with `discard`, and deleting a run's 8,000 files stalled the next run's writes
    (the write stage took 0.5 s, then 2.5 s and 3.9 s after each deletion)."""
    folder = scratch.with_name(f"{scratch.name}-{next(_runs)}")
    shutil.copytree(project / "docs", folder)
    return folder


def generate_run(project: Path, scratch: Path, *, one_process: bool = False) -> dict[str, float]:
    """`factsite generate -v` in a new process, as a build runs it; each stage's time."""
    args = [sys.executable, "-m", "factsite", "generate", "-v", "--docs-dir", str(fresh_docs(project, scratch))]
    _, _, printed = run_child(args, project, {"FACTSITE_PROCESSES": "1"} if one_process else None)
    return stage_times(printed, "Stages:")


def peak_python_memory(project: Path, scratch: Path) -> tuple[int, float]:
    """Files made and peak Python memory (MB) of the stages, traced here, in one process."""
    os.environ["FACTSITE_PROCESSES"] = "1"  # tracemalloc sees this process only
    tracemalloc.start()
    try:
        generated = generate(project / "data", fresh_docs(project, scratch))
        return len(generated.pages), tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
        del os.environ["FACTSITE_PROCESSES"]


def settle() -> None:
    """Flush what earlier steps wrote before a timed run: otherwise the kernel throttles the run's own
    writes while it writes back the synthetic data and the previous site (measured: the write stage
    took 0.6 s alone and 3 to 6 s straight after making a fact base)."""
    os.sync()


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench(size: int, work: Path) -> dict:
    print(f"\n== {size:,} entities", flush=True)
    project = make_project(work / f"project-{size}")
    synthetic = Synthetic(size)
    synthetic.build()
    synthetic.write(project / "data", work / f"texts-{size}")
    entities = len(synthetic.entities) + len(synthetic.sources)
    result: dict = {"entities": entities, "facts": sum(len(e["facts"]) for e in synthetic.entities),
                    "relations": sum(len(e["relations"]) for e in synthetic.entities)}

    # 1. the project's own stages, each run in a new process into a new copy of the docs folder:
    #    the median of GENERATE_RUNS runs, and one more in a single process (no forked worker)
    scratch = work / f"scratch-docs-{size}"
    result["pages"], result["generate_peak_python_mb"] = peak_python_memory(project, scratch)
    runs = [generate_run(project, scratch) for _ in range(GENERATE_RUNS)]
    result["stage_runs_s"] = runs
    result["stages_s"] = {stage: statistics.median(run[stage] for run in runs) for stage in runs[0]}
    result["stages_one_process_s"] = generate_run(project, scratch, one_process=True)
    print(f"   own stages, median of {GENERATE_RUNS} runs: "
          f"{', '.join(f'{k} {v:.2f}s' for k, v in result['stages_s'].items())}", flush=True)

    # 2. factsite build: check + generate + mkdocs build --strict with our plugin; -v prints the time
    #    of each stage inside this very build, which the 5% target compares with the build's time
    python = sys.executable
    elapsed, rss, printed = run_child([python, "-m", "factsite", "build", "-v"], project)
    result["factsite_build_s"], result["factsite_build_peak_rss_mb"] = elapsed, rss / 1e6
    result["stages_in_build_s"] = stage_times(printed, "factsite: ")
    print(f"   factsite build: {elapsed:.1f}s, {rss / 1e6:.0f} MB; its stages: "
          f"{', '.join(f'{k} {v:.2f}s' for k, v in result['stages_in_build_s'].items())}", flush=True)

    # 3. plain mkdocs build of the same generated Markdown, without our plugin and hooks
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    lines, skipping = [], False
    for line in config.splitlines():
        if line.strip() == "- factsite":
            continue
        if line.startswith("hooks:"):
            skipping = True
            continue
        if skipping and (line.startswith("  ") or not line.strip()):
            continue
        skipping = False
        lines.append(line)
    (project / "mkdocs.nohook.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    elapsed, rss, _ = run_child([python, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.nohook.yml",
                                 "-d", "site-plain"], project)
    result["plain_mkdocs_build_s"], result["plain_mkdocs_build_peak_rss_mb"] = elapsed, rss / 1e6
    print(f"   plain mkdocs build: {elapsed:.1f}s, {rss / 1e6:.0f} MB", flush=True)

    # 4. sizes
    site = project / "site"
    result["site_mb"] = folder_size(site) / 1e6
    entity_pages = [site / e["kind"] / f"{e['id']}.html" for e in synthetic.entities]
    result["median_entity_page_kb"] = statistics.median(p.stat().st_size for p in entity_pages) / 1e3
    result["max_entity_page_kb"] = max(p.stat().st_size for p in entity_pages) / 1e3
    result["home_page_kb"] = (site / "index.html").stat().st_size / 1e3
    result["search_index_mb"] = (site / "search" / "search_index.json").stat().st_size / 1e6

    # 5. rebuilds: a no-op, then one entity edited
    docs = project / "docs"
    report = generate(project / "data", docs).report
    result["noop_rewritten"] = len(report.written) + len(report.removed)
    result["noop_rewritten_files"] = sorted(report.written + report.removed)
    edited = next(e for e in synthetic.entities if e["kind"] == "groups")
    path = project / "data" / "groups" / f"{edited['id']}.yaml"
    text = path.read_text(encoding="utf-8")
    old_summary = f"summary: {quoted(bench_summary(edited))}"
    path.write_text(text.replace(old_summary, 'summary: "An edited summary, for the benchmark."'), encoding="utf-8")
    report = generate(project / "data", docs).report
    result["edit_rewritten"] = sorted(report.written)
    showing = pages_showing(docs, edited["name"], read_manifest(docs))
    result["edit_pages_showing_entity"] = len(showing)
    result["edit_rewrote_only_pages_showing_it"] = set(report.written) <= showing
    result["edit_rewritten_not_showing_it"] = sorted(set(report.written) - showing)
    page = f"groups/{edited['id']}.html"
    result["preview"] = preview_latency(project, project / "data" / "groups" / f"{edited['id']}.yaml", page)
    print(f"   no-op regeneration rewrote {result['noop_rewritten']} files {result['noop_rewritten_files'][:8]}; "
          f"editing one summary rewrote "
          f"{len(report.written)} ({', '.join(report.written[:8])}{'…' if len(report.written) > 8 else ''})", flush=True)
    return result


def pages_showing(docs: Path, name: str, owned: set[str]) -> set[str]:
    """Generated files that show the entity: its name, as the Markdown or the JSON/CSV prints it."""
    shown = {name, json.dumps(name, ensure_ascii=False)[1:-1]}
    return {page for page in owned if (docs / page).is_file()
            and any(form in (docs / page).read_text(encoding="utf-8") for form in shown)}


# ---------------------------------------------------------------- edit to page, under `factsite serve`

EDITS = 5  # edits per preview; the figure is their median


def _fetch(url: str) -> str | None:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _until(url: str, text: str, seconds: float = 600) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        page = _fetch(url)
        if page is not None and text in page:
            return
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {text!r} within {seconds:.0f} s")


SUMMARY = re.compile(r"^summary: (?:>-\n(?:  .*\n)+|.*\n)", re.M)
FACT = re.compile(r"^  - says: .*\n", re.M)  # the first fact's wording


def edit_latency(project: Path, edited: Path, page: str, *, full: bool) -> dict:
    """`factsite serve` on the project: the seconds until the first page is served, then for each of
    EDITS edits of one summary, from the file's write to the served page showing the new words; then
    (the incremental preview only) as many edits of the wording of one of its facts, which its source's
    page and its claimant's page of who says what also print.
    `full` is the former preview (FACTSITE_PREVIEW=full: regenerate everything, rebuild every page)."""
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **({"FACTSITE_PREVIEW": "full"} if full else {})}
    original = edited.read_text(encoding="utf-8")
    settle()
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "factsite", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from urllib.parse import urlsplit
    site_url = re.search(r"^site_url: (.*)$", (project / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    mount = urlsplit(site_url.group(1).strip()).path.rstrip("/") if site_url else ""
    url = f"http://127.0.0.1:{port}{mount}/{page}"
    preview = "full" if full else "incremental"
    try:
        _until(url, "</html>")
        first = time.perf_counter() - start
        summaries = [_edit(edited, url, SUMMARY, f'summary: "Edited for the latency benchmark, edit {n} of a '
                                                 f'{preview} preview."\n') for n in range(EDITS)]
        facts = [] if full else [_edit(edited, url, FACT, f'  - says: "The report says this is fact edit {n} of the '
                                                           f'latency benchmark."\n') for n in range(EDITS)]
    finally:
        server.terminate()
        server.wait(timeout=60)
        edited.write_text(original, encoding="utf-8")
    result = {"first_page_s": first, "edits_s": summaries, "median_edit_s": statistics.median(summaries)}
    if facts:
        result |= {"fact_edits_s": facts, "median_fact_edit_s": statistics.median(facts)}
    return result


def _edit(edited: Path, url: str, pattern: re.Pattern, replacement: str) -> float:
    """Replace the first match of `pattern` in `edited`; the seconds until the page at `url` shows it."""
    time.sleep(1.5)  # the server settles after the last build
    text = pattern.sub(lambda match: replacement, edited.read_text(encoding="utf-8"), count=1)
    shown = replacement.split('"')[1]
    begun = time.perf_counter()
    edited.write_text(text, encoding="utf-8")
    _until(url, shown)
    return time.perf_counter() - begun


PREVIEWS = ("before", "after")  # which previews preview_latency measures (--previews)


def preview_latency(project: Path, edited: Path, page: str) -> dict:
    result = {}
    for label, full in (("before", True), ("after", False)):
        if label not in PREVIEWS:
            continue
        result[label] = edit_latency(project, edited, page, full=full)
        print(f"   edit to page, {label} (factsite serve{', FACTSITE_PREVIEW=full' if full else ''}): median "
              f"{result[label]['median_edit_s']:.2f} s of {', '.join(f'{s:.2f}' for s in result[label]['edits_s'])}; "
              f"first page after {result[label]['first_page_s']:.1f} s", flush=True)
        if "fact_edits_s" in result[label]:
            print(f"   a fact's wording edited, {label}: median {result[label]['median_fact_edit_s']:.2f} s of "
                  f"{', '.join(f'{s:.2f}' for s in result[label]['fact_edits_s'])}", flush=True)
    return result


# ---------------------------------------------------------------- report

def targets(results: dict[int, dict]) -> list[tuple[str, str, bool]]:
    sizes = sorted(results)
    small, large = results[sizes[0]], results[sizes[-1]]
    own = sum(large["stages_in_build_s"].values())
    rows = [
        (f"own stages ≤ 5% of the whole build at {large['entities']:,}",
         f"{own:.2f}s of {large['factsite_build_s']:.1f}s = {own / large['factsite_build_s']:.1%} (stages timed in that build)",
         own / large["factsite_build_s"] <= 0.05),
    ]
    if len(sizes) > 1:
        per_small = small["factsite_build_s"] / small["entities"]
        per_large = large["factsite_build_s"] / large["entities"]
        rows.append((f"build time per entity at {large['entities']:,} ≤ 1.15× that at {small['entities']:,}",
                     f"{per_large * 1e3:.2f} ms vs {per_small * 1e3:.2f} ms = {per_large / per_small:.2f}×",
                     per_large / per_small <= 1.15))
    rows += [
        ("median entity page ≤ 60 KB", f"{large['median_entity_page_kb']:.1f} KB", large["median_entity_page_kb"] <= 60),
        ("search index ≤ 10 MB", f"{large['search_index_mb']:.2f} MB", large["search_index_mb"] <= 10),
        ("no-op rebuild rewrites no generated file", f"{large['noop_rewritten']} rewritten", large["noop_rewritten"] == 0),
        ("editing one entity rewrites only pages that show it",
         f"{len(large['edit_rewritten'])} rewritten, {large['edit_pages_showing_entity']} show it; "
         f"{len(large['edit_rewritten_not_showing_it'])} do not: "
         f"{', '.join(large['edit_rewritten_not_showing_it'][:3])}",
         large["edit_rewrote_only_pages_showing_it"]),
        (f"preview: edit to page ≤ 2 s at {large['entities']:,}",
         f"median {large['preview']['after']['median_edit_s']:.2f} s (before: {large['preview']['before']['median_edit_s']:.2f} s)",
         large["preview"]["after"]["median_edit_s"] <= 2),
        (f"preview: first page no slower than before at {large['entities']:,}",
         f"{large['preview']['after']['first_page_s']:.1f} s (before: {large['preview']['before']['first_page_s']:.1f} s)",
         large["preview"]["after"]["first_page_s"] <= large["preview"]["before"]["first_page_s"] * 1.1),
    ]
    return rows


def print_table(results: dict[int, dict]) -> None:
    sizes = sorted(results)
    rows = [("entities (incl. sources)", lambda r: f"{r['entities']:,}"),
            ("facts / relations", lambda r: f"{r['facts']:,} / {r['relations']:,}"),
            ("generated files", lambda r: f"{r['pages']:,}")]
    for stage in ["load", "validate", "enrich", "render", "write"]:
        rows.append((f"  {stage}", lambda r, s=stage: f"{r['stages_s'].get(s, 0):.2f} s"))
    rows += [
        (f"own stages total (median of {GENERATE_RUNS})", lambda r: f"{sum(r['stages_s'].values()):.2f} s"),
        ("  in one process (no fork)", lambda r: f"{sum(r['stages_one_process_s'].values()):.2f} s"),
        ("  within the factsite build", lambda r: f"{sum(r['stages_in_build_s'].values()):.2f} s"),
        ("own stages peak Python memory", lambda r: f"{r['generate_peak_python_mb']:.0f} MB"),
        ("factsite build (plugin, strict)", lambda r: f"{r['factsite_build_s']:.1f} s"),
        ("  per entity", lambda r: f"{r['factsite_build_s'] / r['entities'] * 1e3:.2f} ms"),
        ("  peak RSS", lambda r: f"{r['factsite_build_peak_rss_mb']:.0f} MB"),
        ("plain mkdocs build (no plugin)", lambda r: f"{r['plain_mkdocs_build_s']:.1f} s"),
        ("  peak RSS", lambda r: f"{r['plain_mkdocs_build_peak_rss_mb']:.0f} MB"),
        ("its own stages / factsite build", lambda r: f"{sum(r['stages_in_build_s'].values()) / r['factsite_build_s']:.1%}"),
        ("site size", lambda r: f"{r['site_mb']:.1f} MB"),
        ("median entity page HTML", lambda r: f"{r['median_entity_page_kb']:.1f} KB"),
        ("largest entity page HTML", lambda r: f"{r['max_entity_page_kb']:.1f} KB"),
        ("home page HTML", lambda r: f"{r['home_page_kb']:.1f} KB"),
        ("search index", lambda r: f"{r['search_index_mb']:.2f} MB"),
        ("no-op regeneration: files rewritten", lambda r: f"{r['noop_rewritten']}"),
        ("one summary edited: files rewritten", lambda r: f"{len(r['edit_rewritten'])}"),
        ("preview: first page (before / after)",
         lambda r: f"{r['preview']['before']['first_page_s']:.1f} / {r['preview']['after']['first_page_s']:.1f} s"),
        (f"preview: edit to page, median of {EDITS} (before / after)",
         lambda r: f"{r['preview']['before']['median_edit_s']:.2f} / {r['preview']['after']['median_edit_s']:.2f} s"),
    ]
    width = max(len(label) for label, _ in rows)
    print("\n" + "".ljust(width) + "".join(f"{size:>18,}" for size in sizes))
    for label, cell in rows:
        print(label.ljust(width) + "".join(f"{cell(results[size]):>18}" for size in sizes))
    print()
    for label, figure, ok in targets(results):
        print(f"{'PASS' if ok else 'MISS'}  {label}: {figure}")


def preview_only(size: int | str, work: Path) -> dict:
    """Only the preview rows: the project, then `factsite serve` before and after, editing one group's
    summary; `bundled` is the repository's own data."""
    print(f"\n== {size if size == BUNDLED else f'{size:,}'} entities: the preview alone", flush=True)
    project = make_project(work / f"project-{size}")
    if size == BUNDLED:
        shutil.copytree(ROOT / "data", project / "data")
        edited = sorted((project / "data" / "groups").glob("*.yaml"))[0]
        entities = sum(1 for path in (project / "data").rglob("*.yaml") if path.parent.name != "data")
    else:
        synthetic = Synthetic(size)
        synthetic.build()
        synthetic.write(project / "data", work / f"texts-{size}")
        edited = project / "data" / "groups" / f"{next(e for e in synthetic.entities if e['kind'] == 'groups')['id']}.yaml"
        entities = len(synthetic.entities) + len(synthetic.sources)
    page = f"groups/{edited.stem}.html"
    return {"entities": entities, "preview": preview_latency(project, edited, page)}


BUNDLED = "bundled"


def size_argument(text: str) -> int | str:
    return BUNDLED if text == BUNDLED else int(text)


def print_preview_table(results: dict) -> None:
    print(f"\n{'':34}" + "".join(f"{str(size):>18}" for size in results))
    rows = [("entities (incl. sources)", lambda r: f"{r['entities']:,}"),
            ("preview: first page (before / after)",
             lambda r: f"{r['preview']['before']['first_page_s']:.1f} / {r['preview']['after']['first_page_s']:.1f} s"),
            (f"edit to page, median of {EDITS} (before)", lambda r: f"{r['preview']['before']['median_edit_s']:.2f} s"),
            (f"edit to page, median of {EDITS} (after)", lambda r: f"{r['preview']['after']['median_edit_s']:.2f} s"),
            (f"a fact's wording, median of {EDITS} (after)",
             lambda r: f"{r['preview']['after']['median_fact_edit_s']:.2f} s"),
            ("  after / before", lambda r: f"{r['preview']['after']['median_edit_s'] / r['preview']['before']['median_edit_s']:.2f}×")]
    for label, cell in rows:
        print(label.ljust(34) + "".join(f"{_cell(cell, r):>18}" for r in results.values()))


def _cell(cell, result: dict) -> str:
    try:
        return cell(result)
    except KeyError:  # a preview not measured (--previews)
        return "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=size_argument, nargs="+", default=[1000, 4000],
                        help="entities in the synthetic fact base; `bundled` for the repository's data (with --only preview)")
    parser.add_argument("--previews", nargs="+", choices=["before", "after"], default=["before", "after"],
                        help="with --only preview: which previews to measure (the former one takes minutes an edit at 4,000)")
    parser.add_argument("--json", type=Path, default=ROOT / "dist" / "bench-results.json")
    parser.add_argument("--keep", action="store_true", help="keep the projects (their path is printed)")
    parser.add_argument("--only", choices=["search", "preview"],
                        help="run only these rows (search: open a page to the first result, scripts/bench_search.py; "
                             "preview: edit to page under `factsite serve`)")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    work = Path(tempfile.mkdtemp(prefix="factsite-bench-"))
    print(f"working in {work}", flush=True)
    try:
        if args.only == "preview":
            global PREVIEWS
            PREVIEWS = tuple(args.previews)
            results = {size: preview_only(size, work) for size in args.sizes}
            print_preview_table(results)
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"preview": {str(k): v for k, v in results.items()}}, indent=1) + "\n",
                                 encoding="utf-8")
            print(f"\nwrote {args.json}")
            return
        if BUNDLED in args.sizes:
            parser.error("`bundled` is for --only preview")
        results = {} if args.only else {size: bench(size, work) for size in args.sizes}
        searched = bench_search.run_all(args.sizes, bench_search.BEFORE, bench_search.OPENS, work / "search")
        if results:
            print_table(results)
        print("\n" + "\n".join(bench_search.table(searched)) + "\n")
        rows = (targets(results) if results else []) + bench_search.targets(searched)
        for label, figure, ok in bench_search.targets(searched):
            print(f"{'PASS' if ok else 'MISS'}  {label}: {figure}")
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"sizes": {str(k): v for k, v in results.items()},
                   "search": {str(k): v for k, v in searched.items()},
                   "targets": [{"target": t, "figure": f, "pass": ok} for t, f, ok in rows]}
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""load → validate → enrich → render → write, each stage timed, every data problem collected.

The pipeline also decides what runs where: with two cores, two fifths of the entity pages and the
downloads are made in a forked worker (factsite/parallel.py) while this process renders the rest.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from factsite import parallel
from factsite.downloads import downloads
from factsite.enrich import Graph, enrich
from factsite.load import data_epoch, iso_time, load_data
from factsite.problems import DataError, Problem
from factsite.quotes import verify_quotes
from factsite.render import TEMPLATES, CompiledTemplates, Renderer, in_order
from factsite.summaries import summary_problems
from factsite.validate import Validated, validate
from factsite.write import WriteReport, write_pages


# Below this, forking costs more than it saves (at 4,000 entities it halves the render stage: 2.6 s -> 1.5 s).
FORK_FROM_ENTITIES = 300


class NoEntities(Exception):
    def __init__(self, data_dir: Path):
        super().__init__(f"{data_dir}/: no entity files found (no YAML file in a kind's folder such as groups/ or "
                         "states/); nothing was written (is --data the right folder? To make a site with no "
                         "entities, pass --allow-empty)")


@dataclass
class Checked:
    validated: Validated | None
    problems: list[Problem]
    quotes_checked: list[str] = field(default_factory=list)  # source ids whose quotes were verified
    texts_compared: list[str] = field(default_factory=list)  # source ids whose data matched an archived text
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Generated:
    graph: Graph
    pages: dict[str, str]
    report: WriteReport
    timings: dict[str, float]


@contextmanager
def _no_cyclic_gc():
    """The stages build hundreds of thousands of small objects and free them together at the end;
    Python's cycle collector would walk them all again and again as they grow (at 4,000 entities it
    tripled load and enrich). Nothing here forms cycles that must be freed early."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def stage_times(timings: dict[str, float]) -> str:
    """'load 0.52 s, validate 0.27 s, …': what `-v` prints, and what scripts/bench.py reads back."""
    return ", ".join(f"{stage} {seconds:.3f} s" for stage, seconds in timings.items())


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def check(data_dir: Path, texts: Path | None = None) -> Checked:
    with _no_cyclic_gc():
        return _check(data_dir, texts)


def _check(data_dir: Path, texts: Path | None) -> Checked:
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        loaded = load_data(data_dir)
    with _timed(timings, "validate"):
        validated = validate(loaded.documents)
        problems = loaded.problems + validated.problems
        verified = verify_quotes(validated.model, validated.documents, data_dir, texts)
        problems += verified.problems
        if not problems:  # the summary rule reads a well-formed model
            problems += summary_problems(validated.model, validated.documents)
    return Checked(validated, sorted(problems), verified.sources, verified.compared, timings)


def generate(data_dir: Path, docs_dir: Path, *, templates: Path = TEMPLATES, texts: Path | None = None,
             allow_empty: bool = False, repair_manifest: bool = False) -> Generated:
    """Check the data, then write the pages; raises DataError, having written nothing, if the data is wrong
    or holds no entity at all (a mistyped folder would otherwise remove every page) unless `allow_empty`."""
    with _no_cyclic_gc():
        return _generate(data_dir, docs_dir, templates, texts, allow_empty, repair_manifest)


def _generate(data_dir: Path, docs_dir: Path, templates: Path, texts: Path | None, allow_empty: bool,
              repair_manifest: bool) -> Generated:
    checked = _check(data_dir, texts)
    if checked.problems:
        raise DataError(checked.problems)
    if not checked.validated.model.entities and not allow_empty:
        raise NoEntities(data_dir)
    timings = checked.timings
    with _timed(timings, "enrich"):
        graph = enrich(checked.validated.model)
    with _timed(timings, "render"):
        pages = pages_and_downloads(graph, templates, iso_time(data_epoch(data_dir)))
    with _timed(timings, "write"):
        report = write_pages(pages, docs_dir, repair_manifest=repair_manifest)
    return Generated(graph, pages, report, timings)


def pages_and_downloads(graph: Graph, templates: Path, generated_at: str,
                        compiled: CompiledTemplates | None = None) -> dict[str, str]:
    """Every page, then every download, in the same order however the work was shared out; `compiled`
    keeps the compiled templates for later renders (the preview's)."""
    renderer = Renderer(graph, templates, compiled)
    views = list(graph.entities.values())
    here, there = views[0::5] + views[1::5] + views[2::5], views[3::5] + views[4::5]

    def made_there() -> tuple[dict[str, str], dict[str, str]]:
        return renderer.entity_pages(there), downloads(graph, generated_at=generated_at)

    (site, entities_here), (entities_there, files) = parallel.both(
        lambda: (renderer.site_pages(), renderer.entity_pages(here)), made_there,
        worth_forking=len(views) >= FORK_FROM_ENTITIES)
    return {**in_order(graph, site, {**entities_here, **entities_there}), **files}

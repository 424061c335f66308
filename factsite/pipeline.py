"""load → validate → enrich → render → write, each stage timed, every data problem collected."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from factsite.enrich import Graph, enrich
from factsite.export import data_epoch, downloads, iso_time
from factsite.load import load_data
from factsite.problems import DataError, Problem
from factsite.quotes import verify_quotes
from factsite.render import TEMPLATES, render
from factsite.validate import Validated, validate
from factsite.write import WriteReport, write_pages


@dataclass
class Checked:
    validated: Validated | None
    problems: list[Problem]
    quotes_checked: list[str] = field(default_factory=list)  # source ids whose quotes were verified
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Generated:
    graph: Graph
    pages: dict[str, str]
    report: WriteReport
    timings: dict[str, float]


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def check(data_dir: Path, texts: Path | None = None) -> Checked:
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        loaded = load_data(data_dir)
    with _timed(timings, "validate"):
        validated = validate(loaded.documents)
        problems = loaded.problems + validated.problems
        checked: list[str] = []
        if texts is not None and not problems:
            quote_problems, checked = verify_quotes(validated.model, validated.documents, texts)
            problems += quote_problems
    return Checked(validated, sorted(problems), checked, timings)


def generate(data_dir: Path, docs_dir: Path, *, templates: Path = TEMPLATES, texts: Path | None = None) -> Generated:
    """Check the data, then write the pages; raises DataError, having written nothing, if the data is wrong."""
    checked = check(data_dir, texts)
    if checked.problems:
        raise DataError(checked.problems)
    timings = checked.timings
    with _timed(timings, "enrich"):
        graph = enrich(checked.validated.model)
    with _timed(timings, "render"):
        pages = render(graph, templates)
        pages.update(downloads(graph, generated_at=iso_time(data_epoch(data_dir))))
    with _timed(timings, "write"):
        report = write_pages(pages, docs_dir)
    return Generated(graph, pages, report, timings)

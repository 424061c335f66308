"""Golden files: the Markdown of every kind of page, made from the mini fixture.

Input: tests/fixtures/mini/data. Expected output: tests/golden/mini/, one file per page.
After a deliberate change to a template, regenerate them with
    FACTSITE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factsite.enrich import enrich
from factsite.load import load_data
from factsite.render import render
from factsite.validate import validate

FIXTURE = Path(__file__).parent / "fixtures" / "mini" / "data"
GOLDEN = Path(__file__).parent / "golden" / "mini"


def rendered_pages() -> dict[str, str]:
    validated = validate(load_data(FIXTURE).documents)
    assert not validated.problems
    return render(enrich(validated.model))


PAGES = rendered_pages()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matches_its_golden_file(page):
    golden = GOLDEN / page
    if os.environ.get("FACTSITE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(PAGES[page], encoding="utf-8")
    assert golden.exists(), f"no golden file for {page}; run with FACTSITE_UPDATE_GOLDEN=1 to create it"
    assert PAGES[page] == golden.read_text(encoding="utf-8")


def test_every_golden_file_is_still_made():
    made = set(PAGES)
    kept = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert kept - made == set(), "golden files for pages the generator no longer makes"


def test_the_golden_set_covers_every_kind_of_page():
    kinds = {"index.md", "timeline.md", "who-says-what.md", "glossary.md", "includes/abbreviations.md", "groups/index.md",
             "groups/alpha-front.md", "sources/article.md", "events/test-meeting.md", "places/border-region.md",
             "states/testland.md", "organizations/test-corps.md"}
    assert kinds <= set(PAGES)

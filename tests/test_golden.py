"""Golden files: the Markdown of every kind of page, made from the mini fixture.

Input: tests/fixtures/mini/data. Expected output: tests/golden/mini/, one file per page.
After a deliberate change to a template, regenerate them with
    FACTSITE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff like any other change.

The pages are rendered by a fixture, not at import time: a render error fails these tests, not the
collection of the whole run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import MINI, checked

from factsite.enrich import enrich
from factsite.render import render

GOLDEN = Path(__file__).parent / "golden" / "mini"
GOLDEN_FILES = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
UPDATE = bool(os.environ.get("FACTSITE_UPDATE_GOLDEN"))


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    made = render(enrich(checked(MINI / "data").model))
    if UPDATE:
        for page, text in made.items():
            golden = GOLDEN / page
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8")
    return made


@pytest.mark.parametrize("page", GOLDEN_FILES)
def test_page_matches_its_golden_file(page, pages):
    assert page in pages, f"a golden file for {page}, a page the generator no longer makes: remove it"
    assert pages[page] == (GOLDEN / page).read_text(encoding="utf-8")


def test_every_page_has_a_golden_file(pages):
    missing = sorted(set(pages) - {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()})
    assert missing == [], f"no golden file for {missing}; run with FACTSITE_UPDATE_GOLDEN=1 to create them"


def test_the_golden_set_covers_every_kind_of_page(pages):
    kinds = {"index.md", "timeline.md", "who-says-what.md", "who-says-what/by/report.md", "who-says-what/no-claimant.md",
             "glossary.md", "includes/abbreviations.md", "groups/index.md",
             "groups/alpha-front.md", "sources/article.md", "events/test-meeting.md", "places/border-region.md",
             "states/testland.md", "organizations/test-corps.md"}
    assert kinds <= set(pages)


PARTS = Path(__file__).parent / "golden" / "claims-parts"


def test_a_claimant_with_more_subjects_than_a_page_holds_has_its_statements_in_parts(monkeypatch):
    """In parts of two subjects, the five subjects of the statements with no claimant fill three pages,
    each naming the subjects every part runs from and to; the list of claimants says so."""
    monkeypatch.setattr("factsite.claims.SUBJECTS_PER_PART", 2)
    made = render(enrich(checked(MINI / "data").model))
    wanted = ["who-says-what.md", "who-says-what/no-claimant.md", "who-says-what/no-claimant/part-2.md",
              "who-says-what/no-claimant/part-3.md"]
    assert sorted(page for page in made if page.startswith("who-says-what/no-claimant")) == wanted[1:]
    for page in wanted:
        golden = PARTS / page
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(made[page], encoding="utf-8")
        assert made[page] == golden.read_text(encoding="utf-8"), page

"""The incremental preview: after any sequence of edits, the docs folder equals a fresh full generate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factsite.pipeline import generate
from factsite.preview import Preview
from factsite.problems import DataError
from factsite.render import TEMPLATES

ROOT = Path(__file__).resolve().parent.parent

NEW_GROUP = """name: Preview Test Front
summary: A group that, the [[dod-report]] says, has sanctuary in the [[afghanistan-pakistan-border-region]].
facts:
  - says: The report lists the border region as a sanctuary.
    source: monitoring-desk-article
    at: 2
    quote: "the Afghanistan-Pakistan border region remains a sanctuary for various groups"
    claimed_by: dod-report
relations:
  - type: has-sanctuary-in
    to: afghanistan-pakistan-border-region
    source: monitoring-desk-article
    at: 2
    quote: "the Afghanistan-Pakistan border region remains a sanctuary for various groups"
    claimed_by: dod-report
"""


def files(docs: Path) -> dict[str, bytes]:
    return {path.relative_to(docs).as_posix(): path.read_bytes() for path in sorted(docs.rglob("*")) if path.is_file()}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def test_every_sequence_of_edits_ends_where_a_fresh_build_does(project: Path, monkeypatch) -> None:
    # Who says what in parts of 8 subjects: the DoD report's 36 fill five pages, and the group added,
    # renamed and deleted below moves the subjects of the parts after its own.
    monkeypatch.setattr("factsite.claims.SUBJECTS_PER_PART", 8)
    data, templates = project / "data", project / "templates"
    preview = Preview(data, project / "docs", templates=templates)
    fresh = iter(range(1000))

    def same_as_fresh() -> None:
        docs = project / f"fresh-{next(fresh)}"
        generate(data, docs, templates=templates)
        assert files(project / "docs") == files(docs)

    preview.update()
    same_as_fresh()

    replace(data / "groups" / "al-qaida.yaml", "has sanctuary in the", "has a sanctuary in the")
    report = preview.update().report
    assert preview.last_render == "incremental"
    assert "groups/al-qaida.md" in report.written and "groups/isis-k.md" not in report.written
    # a summary alone changed: no other entity's page prints it, so neither the neighbours' pages nor the
    # sources' are made again, and the last graph is kept with the new summary
    assert {"groups/al-qaida.md", "groups/index.md"} <= set(preview.last_stale)
    assert not {"places/afghanistan-pakistan-border-region.md", "sources/monitoring-desk-article.md"} & set(
        preview.last_stale)
    same_as_fresh()

    replace(data / "groups" / "al-qaida.yaml", "has a sanctuary in the", "has a sanctuary, near [[pakistan]], in the")
    preview.update()  # a summary naming one more entity: the pages showing it change
    same_as_fresh()

    replace(data / "events" / "corps-commander-hotlines-established.yaml", "established telephone hotlines",
            "set up telephone hotlines")  # an event's summary: the timeline prints it
    replace(data / "sources" / "dod-report.yaml", "known here only as", "known here only as what")  # a source's
    preview.update()
    assert "timeline.md" in preview.last_stale and "sources/dod-report.md" in preview.last_stale
    same_as_fresh()

    (data / "groups" / "preview-test-front.yaml").write_text(NEW_GROUP, encoding="utf-8")  # added
    preview.update()
    assert preview.last_render == "incremental"
    same_as_fresh()

    (data / "groups" / "preview-test-front.yaml").unlink()  # renamed
    (data / "groups" / "preview-renamed-front.yaml").write_text(
        NEW_GROUP.replace("summary:", "former_ids: [preview-test-front]\nsummary:"), encoding="utf-8")
    preview.update()
    same_as_fresh()

    replace(data / "places" / "afghanistan-pakistan-border-region.yaml", "name: ", "name: The ")  # a neighbour
    preview.update()
    same_as_fresh()

    replace(data / "groups" / "haqqani-network.yaml", "The report lists the Haqqani Network",  # a claim: who says what
            "The report names the Haqqani Network")
    report = preview.update().report  # the claimant's page that lists it changes; not the list of claimants
    claims_pages = {path for path in report.written if path.startswith("who-says-what/")}
    assert len(claims_pages) == 1 and next(iter(claims_pages)).startswith("who-says-what/by/dod-report")
    assert "who-says-what.md" not in preview.last_stale and "index.md" not in preview.last_stale
    same_as_fresh()

    replace(data / "states" / "pakistan.yaml", "have accused Afghanistan of harbouring",  # claims that meet
            "have accused Afghanistan of sheltering")
    preview.update()
    assert {"who-says-what.md", "who-says-what/reported/pakistan.md"} <= set(preview.last_stale)
    same_as_fresh()

    replace(data / "groups" / "preview-renamed-front.yaml", "type: has-sanctuary-in", "type: present-in")  # a relation
    preview.update()
    same_as_fresh()

    (data / "groups" / "preview-renamed-front.yaml").unlink()  # deleted
    preview.update()
    assert not (project / "docs" / "groups" / "preview-renamed-front.md").exists()
    same_as_fresh()

    replace(data / "glossary.yaml", "improvised explosive device", "improvised explosive devices")
    preview.update()
    assert preview.last_render == "full"
    same_as_fresh()

    replace(templates / "entity.md.j2", "{#", "Edited template.\n{#") if "{#" in (
        templates / "entity.md.j2").read_text(encoding="utf-8") else (templates / "entity.md.j2").write_text(
        (templates / "entity.md.j2").read_text(encoding="utf-8") + "\nEdited template.\n", encoding="utf-8")
    preview.update()
    assert preview.last_render == "full"
    same_as_fresh()


def test_bad_data_writes_nothing_and_fixing_it_brings_the_site_back(project: Path) -> None:
    data = project / "data"
    preview = Preview(data, project / "docs", templates=project / "templates")
    preview.update()
    before = files(project / "docs")
    taliban = data / "groups" / "taliban.yaml"
    good = taliban.read_text(encoding="utf-8")
    taliban.write_text(good.replace("name: ", "name: [", 1), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        preview.update()
    assert any(problem.path.endswith("groups/taliban.yaml") for problem in raised.value.problems)
    assert files(project / "docs") == before
    taliban.write_text(good.replace("summary: ", "summary: Edited, see [[preview-test-front]]. ", 1), encoding="utf-8")
    with pytest.raises(DataError) as raised:  # a link to no entity; the other files' checks are kept
        preview.update()
    assert [problem.message for problem in raised.value.problems] == ["the link [[preview-test-front]] names no entity"]
    assert files(project / "docs") == before
    (data / "groups" / "preview-test-front.yaml").write_text(NEW_GROUP, encoding="utf-8")  # now it names one
    preview.update()
    assert b"Edited, see" in (project / "docs" / "groups" / "taliban.md").read_bytes()
    generate(data, project / "fresh", templates=project / "templates")
    assert files(project / "docs") == files(project / "fresh")

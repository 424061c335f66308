"""Events: a date as precise as the source allows, or `undated` when it gives none."""

from __future__ import annotations


from conftest import mini_copy

from factsite.enrich import enrich
from factsite.pipeline import check
from factsite.render import render

EVENT = """name: A test visit
summary: A visit the article tells of without a date.
facts:
  - says: The article tells of a visit.
    source: article
    at: 2
    quote: "In August 2017, Testland met"
"""


def data_with_event(tmp_path, extra: str):
    mini_copy(tmp_path)
    (tmp_path / "data" / "events" / "test-visit.yaml").write_text(EVENT + extra, encoding="utf-8")
    return tmp_path / "data"


def messages(data) -> list[str]:
    return [str(p).split("data/", 1)[1] for p in check(data).problems]


def test_an_event_needs_a_date_or_undated(tmp_path):
    assert messages(data_with_event(tmp_path, "")) == [
        "events/test-visit.yaml:1:1: date: an event needs a 'date', or 'undated' when the source gives none "
        "(write the date as precisely as the source allows, like 2017-08, or add 'undated: …')"]


def test_an_event_cannot_have_both(tmp_path):
    assert messages(data_with_event(tmp_path, "date: 2017-08\nundated: The article gives no date.\n")) == [
        "events/test-visit.yaml:9:10: undated: an event with a 'date' cannot also be 'undated' "
        "(keep 'date', or remove it if the source gives none)"]


def test_an_undated_event_comes_last_in_the_timeline_with_its_note(tmp_path):
    data = data_with_event(tmp_path, "undated: The article tells of it as done by December 2017.\n")
    checked = check(data)
    assert checked.problems == []
    pages = render(enrich(checked.validated.model))
    rows = [line for line in pages["timeline.md"].splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows[-1].startswith("| Not dated[^undated-test-visit] | [A test visit](events/test-visit.md)")
    assert "[^undated-test-visit]: The source gives no date. The article tells of it as done by December 2017." \
        in pages["timeline.md"]
    assert "| Date | Not dated |" in pages["events/test-visit.md"]
    assert "**When:** the source gives no date. The article tells of it as done by December 2017." \
        in pages["events/test-visit.md"]

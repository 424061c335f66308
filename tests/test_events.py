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


ZETA = EVENT.replace("name: A test visit", "name: Zeta talks") + "undated: The article gives no date.\n"


def test_an_undated_event_follows_the_event_the_source_puts_before_it(tmp_path):
    data = data_with_event(tmp_path, "undated: The article tells of it after the talks.\nafter: zeta-talks\n")
    (data / "events" / "zeta-talks.yaml").write_text(ZETA, encoding="utf-8")
    checked = check(data)
    assert checked.problems == []
    pages = render(enrich(checked.validated.model))
    rows = [line for line in pages["timeline.md"].splitlines() if line.startswith("| ") and "---" not in line][1:]
    # By name "A test visit" would come first; the source puts it after the talks, and the row says so.
    assert rows[-2].startswith("| Not dated[^undated-zeta-talks] | [Zeta talks]")
    assert rows[-1].startswith(
        "| Not dated, after [Zeta talks](events/zeta-talks.md)[^undated-test-visit] | [A test visit]")


def test_after_names_an_event_and_only_an_undated_one_has_it(tmp_path):
    def problems(n: int, extra: str) -> list[str]:
        (tmp_path / str(n)).mkdir()
        return messages(data_with_event(tmp_path / str(n), extra))

    assert problems(1, "undated: No date.\nafter: testland\n") == [
        "events/test-visit.yaml:9:8: after: 'testland' is not an event "
        "(`after` names the event that came before this one)"]
    assert problems(2, "undated: No date.\nafter: test-visit\n") == [
        "events/test-visit.yaml:9:8: after: an event cannot come after itself "
        "(name the event the source puts before this one)"]
    assert problems(3, "date: 2017-08\nafter: test-meeting\n") == [
        "events/test-visit.yaml:9:8: after: an event with a 'date' is placed by its date "
        "(remove 'after', or the date if the source gives none)"]
    assert problems(4, "undated: No date.\nafter: test-meting\n")[0].startswith(
        "events/test-visit.yaml:9:8: after: no entity 'test-meting' (did you mean")

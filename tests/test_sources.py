"""Sources and quote verification: `factsite source add`, the verification data, public-domain texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MINI, edit, mini_copy, run_factsite

from factsite.fingerprint import MIN_QUOTE_WORDS, RUN_WORDS, words
from factsite.matching import found_in, quote_runs
from factsite.pipeline import check, generate
from factsite.source_add import NewSource, SourceAddError, add_source
from factsite.verification import read_verify_file

TEXT = """A Second Test Report
Issued by the Test Office

The Gamma Brigade moved its camps into the northern valley during the spring of 2016.

Officials said the brigade’s leaders — three in all — met twice with the Test Corps.

The report’s last paragraph says nothing new about “the valley” or its people.
"""


@pytest.fixture()
def project(tmp_path) -> Path:
    project = mini_copy(tmp_path)
    (project / "second.txt").write_text(TEXT, encoding="utf-8")
    return project


def new_source(project: Path, **fields) -> NewSource:
    values = dict(title="A Second Test Report", publisher="Test Office", date="2017-12", url="https://example.org/r",
                  preamble_lines=2) | fields
    return NewSource(project / "second.txt", "second-report", **values)


def cite(project: Path, quote: str, at: int) -> None:
    edit(project / "data/states/testland.yaml", "relations:\n",
         f"  - says: The second report says the brigade's leaders met the [[test-corps]].\n"
         f"    source: second-report\n    at: {at}\n    quote: \"{quote}\"\nrelations:\n")


def fill_summary(project: Path) -> None:
    edit(project / "data/sources/second-report.yaml", "summary:\n", "summary: A second report, for the tests.\n")


def test_words_fold_quotes_dashes_and_spaces_and_keep_case():
    assert words("al-Qa’ida’s  “AQIS” — built") == ["al", "-", "Qa'ida's", '"', "AQIS", '"', "-", "built"]
    assert words("The Report") != words("the report")


def test_source_add_writes_the_yaml_and_the_verification_data_and_a_rerun_changes_nothing(project):
    report = add_source(project / "data", new_source(project))
    assert [line.rsplit("/", 1)[-1] for line in report] == ["second-report.yaml: written",
                                                            "second-report.verify: written"]
    yaml_file, verify_file = project / "data/sources/second-report.yaml", project / "data/sources/second-report.verify"
    before = yaml_file.read_bytes(), verify_file.read_bytes()
    assert "paragraphs: 3\n" in before[0].decode()
    assert '  - "Officials said the brigade’s leaders"\n' in before[0].decode()
    assert re.search(r"^¶2 \d+ [0-9a-f]+$", before[1].decode(), re.MULTILINE)

    again = add_source(project / "data", new_source(project))
    assert [line.split(": ")[-1] for line in again] == ["kept as it is", "unchanged"]
    assert (yaml_file.read_bytes(), verify_file.read_bytes()) == before


def test_a_new_source_checks_clean_once_its_summary_is_written_and_its_quotes_verify(project):
    add_source(project / "data", new_source(project))
    assert [p.message for p in check(project / "data").problems] == ["is empty"]
    fill_summary(project)
    cite(project, "the brigade’s leaders — three in all — met twice", 2)
    checked = check(project / "data")
    assert [str(p) for p in checked.problems] == []
    assert checked.quotes_checked == ["article", "second-report"]

    edit(project / "data/states/testland.yaml", "at: 2", "at: 1")
    assert [p.message + " | " + p.hint for p in check(project / "data").problems] == [
        "not in ¶1 of 'second-report' | found in ¶2; correct 'at'"]


def test_the_verification_data_holds_no_word_of_the_text(project):
    add_source(project / "data", new_source(project))
    held = (project / "data/sources/second-report.verify").read_text(encoding="utf-8")
    paragraph_lines = [line for line in held.splitlines() if line.startswith("¶")]
    assert len(paragraph_lines) == 3
    assert all(re.fullmatch(r"¶\d \d+ [0-9a-f]+", line) for line in paragraph_lines)
    assert "Gamma" not in held and "brigade" not in held


def test_every_one_word_change_inside_a_quote_is_caught(project):
    add_source(project / "data", new_source(project))
    reference = read_verify_file(project / "data/sources/second-report.verify", "second-report")
    paragraph = words(TEXT.splitlines()[3])
    quote = paragraph[2:14]
    assert found_in(reference, quote_runs(reference, quote), len(quote)) == [1]
    for index in range(RUN_WORDS - 1, len(quote) - RUN_WORDS + 1):  # words inside: each in RUN_WORDS runs
        changed = quote[:index] + ["Zeta"] + quote[index + 1:]
        assert found_in(reference, quote_runs(reference, changed), len(changed)) == [], index


@pytest.mark.parametrize(("quote", "hint"), [
    ("The Gamma Brigade moved its camps into the northern hills during the spring",
     "¶1 has its words 1-9, but not its run of words 7-10: word 10, 'hills', differs"),
    ("The Delta Brigade moved its camps into the northern valley during the spring",
     "¶1 has its words 3-13, but not its run of words 2-5: word 2, 'Delta', differs"),
    ("The Gamma Brigade moved its camps into the northern valley during the spring", "found in ¶1; correct 'at'"),
])
def test_a_quote_close_to_its_paragraph_gets_the_run_and_the_word_that_differ(project, quote, hint):
    add_source(project / "data", new_source(project))
    fill_summary(project)
    cite(project, quote, 2 if "found" in hint else 1)
    [problem] = check(project / "data").problems
    assert problem.hint.startswith(hint)


def test_a_quote_too_short_to_verify_says_so(project):
    add_source(project / "data", new_source(project))
    fill_summary(project)
    cite(project, "met twice with", 2)
    [problem] = check(project / "data").problems
    assert problem.message == f"3 words are too few to verify: a quote needs at least {MIN_QUOTE_WORDS}"


def test_a_public_domain_source_keeps_its_text_which_verifies_quotes_and_shows_on_its_page(project):
    report = add_source(project / "data", new_source(project, licence="public-domain"))
    assert [line.rsplit("/", 1)[-1] for line in report] == ["second-report.yaml: written",
                                                            "second-report.txt: written"]
    assert not (project / "data/sources/second-report.verify").exists()
    assert "licence: public-domain\n" in (project / "data/sources/second-report.yaml").read_text(encoding="utf-8")
    fill_summary(project)
    cite(project, "the brigade’s leaders — three in all — met twice", 2)
    assert [str(p) for p in check(project / "data").problems] == []

    edit(project / "data/states/testland.yaml", "three in all", "four in all")
    [problem] = check(project / "data").problems
    assert problem.hint.startswith("¶2 has its words 1-4, but not its run of words 2-5: word 5, 'four', differs; "
                                   "there it reads "
                                   "\"the brigade’s leaders — three in all — met twice\"")
    edit(project / "data/states/testland.yaml", "four in all", "three in all")

    generated = generate(project / "data", project / "docs")
    page = generated.pages["sources/second-report.md"]
    assert "## The text" in page
    assert "**¶1** The Gamma Brigade moved its camps" in page
    assert "**¶3** The report’s last paragraph" in page


def test_the_archived_text_is_compared_with_the_verification_data(project, tmp_path):
    add_source(project / "data", new_source(project))
    fill_summary(project)
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "second.txt").write_text(TEXT, encoding="utf-8")
    assert check(project / "data", texts).texts_compared == ["second-report"]
    (texts / "second.txt").write_text(TEXT.replace("met twice", "met once"), encoding="utf-8")
    [problem] = check(project / "data", texts).problems
    assert problem.path.endswith("data/sources/second-report.verify") and problem.message.startswith(
        "¶2 differs from the archived text second.txt from about word")


@pytest.mark.parametrize(("fields", "error"), [
    ({"title": ""}, "a new source needs its title: give it with --title"),
    ({"date": "Dec 2017"}, "--date: expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got 'Dec 2017'"),
    ({"url": "example.org"}, "--url: expected an http(s) address, got 'example.org' (start it with https:// and the host's name)"),
    ({"preamble_lines": 9}, "second.txt has no paragraph after its first 9 non-empty lines"),
])
def test_source_add_refuses_what_it_cannot_use_and_writes_nothing(project, fields, error):
    with pytest.raises(SourceAddError, match=re.escape(error)):
        add_source(project / "data", new_source(project, **fields))
    assert sorted(p.name for p in (project / "data/sources").iterdir()) == sorted(
        p.name for p in (MINI / "data/sources").iterdir())


def test_source_add_refuses_an_id_another_kind_uses(project):
    with pytest.raises(SourceAddError, match="the id 'testland' is already used by"):
        add_source(project / "data", NewSource(project / "second.txt", "testland", "Title"))


def test_the_command_line_adds_a_source(project):
    result = run_factsite("source", "add", "second.txt", "--id", "second-report", "--title", "A Second Test Report",
                          "--preamble-lines", "2", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["data/sources/second-report.yaml: written",
                                          "data/sources/second-report.verify: written"]


@pytest.mark.parametrize(("change", "line", "message"), [
    (lambda text: "", 1, "the file ends before its header is complete: it was cut off"),
    (lambda text: text.replace("source second-report", "source article"), 6,
     "this is the verification data of 'article', not of 'second-report'"),
    (lambda text: text.replace("format factsite-verify 1", "format factsite-verify 2"), 5,
     "unknown format 'factsite-verify 2', expected 'factsite-verify 1'"),
    (lambda text: text.replace("¶2 ", "¶3 "), 10, "expected the line of ¶2, found '¶3'"),
    (lambda text: text + "¶4 1 abc\n", 13, "a line after the seal"),
    (lambda text: text.rsplit("seal", 1)[0], 11, "the file ends before its seal line: it was cut off"),
    (lambda text: re.sub(r"key [0-9a-f]{32}", "key " + "0" * 32, text), 12,
     "the seal does not match the lines above: the file was edited or damaged"),
])
def test_a_damaged_verification_file_is_an_error_on_its_line(project, change, line, message):
    add_source(project / "data", new_source(project))
    path = project / "data/sources/second-report.verify"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    reference = read_verify_file(path, "second-report")
    assert [(p.line, p.message) for p in reference.problems] == [(line, message)]

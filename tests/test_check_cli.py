"""`factsite check` as a contributor and CI meet it: exact messages, positions, summary, exit codes.

The loader's and validator's individual messages are covered by the bad-input corpus
(tests/bad_input/); these tests cover what the command prints around them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, mini_copy, run_factsite

from factsite.problems import Problem


@pytest.fixture()
def misspelt(tmp_path) -> Path:
    """The mini data with a misspelt relation type, field name, entity id and source id, in three files."""
    project = mini_copy(tmp_path)
    edit(project / "data/groups/alpha-front.yaml", "type: affiliate-of", "type: afiliate-of")
    edit(project / "data/groups/beta-network.yaml", "\nsummary:", "\nsumary:")
    corps = project / "data/organizations/test-corps.yaml"
    edit(corps, "to: testland", "to: testlnd")
    edit(corps, "    source: article\n    at: 3\n    quote: \"the Test Corps of Testland\"\nrelations",
         "    source: articel\n    at: 3\n    quote: \"the Test Corps of Testland\"\nrelations")
    return project


EXPECTED = [
    ("data/groups/alpha-front.yaml", 12, 11, "relations[0].type",
     "unknown relation type 'afiliate-of'", "did you mean 'affiliate-of'?"),
    ("data/groups/beta-network.yaml", 3, 1, "sumary", "unknown field 'sumary'", "did you mean 'summary'?"),
    ("data/organizations/test-corps.yaml", 5, 13, "facts[0].source", "no source 'articel'", "did you mean 'article'?"),
    ("data/organizations/test-corps.yaml", 10, 9, "relations[0].to", "no entity 'testlnd'", "did you mean 'testland'?"),
]


def test_clean_data_exits_0_with_a_summary(tmp_path):
    project = mini_copy(tmp_path)
    result = run_factsite("check", cwd=project)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "data: 8 entities, no errors; quotes verified against article.\n"


def test_every_error_is_printed_with_its_position_field_and_hint(misspelt):
    result = run_factsite("check", cwd=misspelt)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{p}:{line}:{col}: {field}: {message} ({hint})"
                                          for p, line, col, field, message, hint in EXPECTED]
    assert result.stderr == "4 errors found; fix them and run the check again.\n"


def test_github_format_prints_one_annotation_per_error(misspelt):
    result = run_factsite("check", "--format", "github", cwd=misspelt)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"::error file={p},line={line},col={col}::{field}: {message} ({hint})"
                                          for p, line, col, field, message, hint in EXPECTED]
    assert result.stderr == "4 errors found; fix them and run the check again.\n"


def test_one_error_has_a_singular_summary(tmp_path):
    project = mini_copy(tmp_path)
    edit(project / "data/events/test-meeting.yaml", "date: 2017-08", "date: August 2017")
    result = run_factsite("check", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ("data/events/test-meeting.yaml:2:7: date: expected a date (YYYY, YYYY-MM or YYYY-MM-DD), "
                             "got 'August 2017' (for August 2017 write 2017-08)\n")
    assert result.stderr == "1 error found; fix them and run the check again.\n"


def test_a_file_outside_the_working_directory_is_shown_by_its_path(misspelt, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = run_factsite("check", "--data", str(misspelt / "data"), cwd=elsewhere)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (f"{misspelt}/data/groups/alpha-front.yaml:12:11: relations[0].type: "
                                             "unknown relation type 'afiliate-of' (did you mean 'affiliate-of'?)")


@pytest.mark.parametrize("args, message", [
    (["--no-such-option"], "Error: No such option '--no-such-option'."),
    (["--data", "no-such-folder"], "Error: Invalid value for '--data': Directory 'no-such-folder' does not exist."),
    (["--format", "json"], "Error: Invalid value for '--format': 'json' is not one of 'text', 'github'."),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    result = run_factsite("check", *args, cwd=mini_copy(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == message


def test_github_annotations_escape_what_would_end_the_command():
    problem = Problem("data/a.yaml", 3, 5, "summary", "100% wrong\nsecond line", "fix\rit")
    assert problem.github() == "::error file=data/a.yaml,line=3,col=5::summary: 100%25 wrong%0Asecond line (fix%0Dit)"
    assert str(problem) == "data/a.yaml:3:5: summary: 100% wrong\nsecond line (fix\rit)"


def test_a_github_annotation_escapes_the_separators_in_its_file_name():
    from factsite.problems import Problem

    problem = Problem("data/groups/a,b:c.yaml", 3, 5, "name", "is empty", "write a value")
    assert problem.github() == "::error file=data/groups/a%2Cb%3Ac.yaml,line=3,col=5::name: is empty (write a value)"

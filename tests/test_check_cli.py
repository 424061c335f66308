"""`factsite check` as a contributor and CI meet it: exact messages, positions, summary, exit codes.

The loader's and validator's individual messages are covered by the bad-input corpus
(tests/bad_input/); these tests cover what the command prints around them.
"""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edit, mini_copy, run_cli

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
    result = run_cli("check", cwd=project)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "data: 8 entities, no errors; quotes verified against article.\n"


def test_every_error_is_printed_with_its_position_field_and_hint(misspelt):
    result = run_cli("check", cwd=misspelt)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{p}:{line}:{col}: {field}: {message} ({hint})"
                                          for p, line, col, field, message, hint in EXPECTED]
    assert result.stderr == "4 errors found; fix them and run the check again.\n"


def test_github_format_prints_one_annotation_per_error(misspelt):
    result = run_cli("check", "--format", "github", cwd=misspelt)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"::error file={p},line={line},col={col}::{field}: {message} ({hint})"
                                          for p, line, col, field, message, hint in EXPECTED]
    assert result.stderr == "4 errors found; fix them and run the check again.\n"


def test_one_error_has_a_singular_summary(tmp_path):
    project = mini_copy(tmp_path)
    edit(project / "data/events/test-meeting.yaml", "date: 2017-08", "date: August 2017")
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ("data/events/test-meeting.yaml:2:7: date: expected a date (YYYY, YYYY-MM or YYYY-MM-DD), "
                             "got 'August 2017' (for August 2017 write 2017-08)\n")
    assert result.stderr == "1 error found; fix it and run the check again.\n"


def test_a_file_outside_the_working_directory_is_shown_by_its_path(misspelt, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = run_cli("check", "--data", str(misspelt / "data"), cwd=elsewhere)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (f"{misspelt}/data/groups/alpha-front.yaml:12:11: relations[0].type: "
                                             "unknown relation type 'afiliate-of' (did you mean 'affiliate-of'?)")


@pytest.mark.parametrize("args, message", [
    (["--no-such-option"], "Error: No such option '--no-such-option'."),
    (["--data", "no-such-folder"], "Error: Invalid value for '--data': Directory 'no-such-folder' does not exist."),
    (["--format", "json"], "Error: Invalid value for '--format': 'json' is not one of 'text', 'github'."),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    result = run_cli("check", *args, cwd=mini_copy(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == message


def test_github_annotations_escape_what_would_end_the_command():
    problem = Problem("data/a.yaml", 3, 5, "summary", "100% wrong\nsecond line", "fix\rit")
    assert problem.github() == "::error file=data/a.yaml,line=3,col=5::summary: 100%25 wrong\\nsecond line (fix\\rit)"
    assert str(problem) == "data/a.yaml:3:5: summary: 100% wrong\\nsecond line (fix\\rit)"


def test_a_message_never_writes_a_control_sequence_and_stays_one_line():
    problem = Problem("data/\u202egroups/a\x1b.yaml", 1, 1, "\x1b]0;x\x07", "got 'a\x9bb\u200bc\td'", "")
    assert str(problem) == "data/\\u202egroups/a\\x1b.yaml:1:1: \\x1b]0;x\\x07: got 'a\\x9bb\\u200bc\\td'"
    assert str(problem).isprintable()


def test_a_problem_about_a_whole_file_has_no_position():
    problem = Problem("data/groups/a.yaml", 0, 0, "", "cannot read", "Permission denied")
    assert str(problem) == "data/groups/a.yaml: cannot read (Permission denied)"
    assert problem.github() == "::error file=data/groups/a.yaml::cannot read (Permission denied)"


def test_a_github_annotation_escapes_the_separators_in_its_file_name():
    from factsite.problems import Problem

    problem = Problem("data/groups/a,b:c.yaml", 3, 5, "name", "is empty", "write a value")
    assert problem.github() == "::error file=data/groups/a%2Cb%3Ac.yaml,line=3,col=5::name: is empty (write a value)"


# ---------------------------------------------------------------- files that are not plain files


def _check_in_process(data: Path) -> list[str]:
    from factsite.pipeline import check

    return [str(problem) for problem in check(data).problems]


def test_a_fifo_named_yaml_is_reported_and_never_read(tmp_path):
    """Opening a FIFO for reading blocks until a writer comes; the check must not wait for one."""
    project = mini_copy(tmp_path)
    os.mkfifo(project / "data/groups/gamma-front.yaml")
    result = _check_command(project)  # before, this hung forever
    assert result.returncode == 1
    assert result.stdout == ("data/groups/gamma-front.yaml: cannot read (it is a named pipe (FIFO); "
                             "data files are plain files)\n")
    assert result.stderr == "1 error found; fix it and run the check again.\n"


def test_a_socket_named_yaml_is_reported(tmp_path):
    project = mini_copy(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(project / "data/glossary.yaml.tmp"))
        os.replace(project / "data/glossary.yaml.tmp", project / "data/glossary.yaml")
        assert _check_in_process(project / "data") == [
            f"{project}/data/glossary.yaml: cannot read (it is a socket; data files are plain files)"]
    finally:
        server.close()


def _check_command(project: Path, preexec_fn=None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FACTSITE_")}
    return subprocess.run([sys.executable, "-m", "factsite", "check"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=120, preexec_fn=preexec_fn)


def _without_file_permission_override():
    """In the child: drop the capabilities that let root read any file, so that mode 000 holds for it too."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_an_unreadable_file_is_reported_not_a_traceback(tmp_path):
    """Tests run as root, which reads any file: the check runs without that power (see above)."""
    project = mini_copy(tmp_path)
    secret = project / "data/groups/gamma-front.yaml"
    secret.write_text("name: Gamma\n", encoding="utf-8")
    secret.chmod(0)
    result = _check_command(project, _without_file_permission_override if os.geteuid() == 0 else None)
    assert result.returncode == 1, result.stderr
    assert result.stdout == "data/groups/gamma-front.yaml: cannot read (Permission denied)\n"


def test_an_unreadable_kind_folder_is_reported(tmp_path, monkeypatch):
    project = mini_copy(tmp_path)
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("places"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert f"{project}/data/places: cannot read (Permission denied)" in _check_in_process(project / "data")


def test_a_folder_and_a_dangling_link_named_yaml_are_reported(tmp_path):
    project = mini_copy(tmp_path)
    (project / "data/groups/gamma-front.yaml").mkdir()
    os.symlink("no-such-file.yaml", project / "data/groups/delta-front.yaml")
    result = run_cli("check", cwd=project)
    assert result.stdout.splitlines() == [
        "data/groups/delta-front.yaml:1:1: symbolic links are not allowed in data/ (replace the link with the file itself)",
        "data/groups/gamma-front.yaml:1:1: folders inside a kind's folder are not read (put the files directly in "
        "data/groups/)",
    ]


# ---------------------------------------------------------------- ids and messages


def test_a_file_name_ending_in_a_newline_is_not_an_id(tmp_path):
    project = mini_copy(tmp_path)
    (project / "data/groups/gamma-front\n.yaml").write_bytes((project / "data/states/testland.yaml").read_bytes())
    result = run_cli("check", cwd=project)
    assert result.stdout == ("data/groups/gamma-front\\n.yaml:1:1: 'gamma-front\\n', the file's name, is not a valid "
                             "id: it holds U+000A, a control character (rename the file to gamma-front.yaml)\n")


@pytest.mark.parametrize("summary, position", [
    ('"Allied with [[gam\\u006da]]."', (1, 10)),  # written with an escape: not in the source, so the value's start
    ('"Allied \\u0041 [[gamma]]."', (1, 25)),  # an escape before it: found where it is written
    ("Allied with [[gamma]] and [[gamma]].", (1, 36)),  # the second of two, at its own column
    ("|\n  One line.\n  Allied with [[gamma]].", (3, 15)),
])
def test_a_link_is_reported_where_it_is_written_or_else_where_its_value_starts(tmp_path, summary, position):
    from factsite.load import load_file
    from factsite.validate import validate

    path = tmp_path / "data/states/testland.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(f"summary: {summary}\n", encoding="utf-8")
    document = load_file(path, "states")
    written = "[[gamma]]"
    occurrence = 1 if summary.count(written) == 2 else 0
    assert document.position_of(("summary",), written, occurrence) == position


def test_the_reserved_ids_are_every_name_the_site_uses_inside_a_kind_folder(mini_site):
    """Entity pages live in their kind's folder: any other page there (the kind's index) is a name no
    entity may take. This derives that list from the built pages, so a new page cannot slip in unseen."""
    from factsite.schema import KINDS, RESERVED_IDS

    entities = {p.stem for p in (mini_site / "data").glob("*/*.yaml")}
    others = {page.stem for kind in KINDS for page in (mini_site / "docs" / kind).glob("*.md")} - entities
    assert others and others <= RESERVED_IDS


def test_a_former_id_that_two_entities_claim_names_the_first(tmp_path):
    project = mini_copy(tmp_path)
    for path in ["data/groups/alpha-front.yaml", "data/states/testland.yaml"]:
        with open(project / path, "a", encoding="utf-8") as file:
            file.write("former_ids: [old-name]\n")
    assert _check_in_process(project / "data") == [
        f"{project}/data/states/testland.yaml:14:14: former_ids[0]: 'old-name' is already a former id of "
        "'alpha-front' (an old id can only redirect to one entity)"]


def test_an_empty_data_folder_is_an_error_unless_asked_for(tmp_path):
    from click.testing import CliRunner

    from factsite.cli import cli

    (tmp_path / "data" / "groups").mkdir(parents=True)
    refused = CliRunner().invoke(cli, ["check", "--data", str(tmp_path / "data")])
    assert (refused.exit_code, refused.stderr) == (1, (
        f"Error: {tmp_path / 'data'}/: no entity files found (no YAML file in a kind's folder such as groups/ "
        "or states/); is --data the right folder? (--allow-empty accepts a folder with none)\n"))
    accepted = CliRunner().invoke(cli, ["check", "--data", str(tmp_path / "data"), "--allow-empty"])
    assert (accepted.exit_code, accepted.stderr) == (0, f"{tmp_path / 'data'}: 0 entities, no errors.\n")

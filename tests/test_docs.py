"""The README and CONTRIBUTING stay true to the code: every command is documented."""

from __future__ import annotations

import importlib.util

from conftest import ROOT

from factsite.cli import cli


def command_table_script():
    spec = importlib.util.spec_from_file_location("command_table", ROOT / "scripts" / "command_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_command_table_is_the_command_lines_own():
    script = command_table_script()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert script.with_table(readme) == readme, f"README.md's command table drifted from factsite/cli.py: run {script.FIX}"


def test_the_command_table_shows_every_option_with_its_value_and_help():
    table = command_table_script().table()
    assert "| `factsite check [--data DIR] [--texts DIR] [--format text\\|github] [--allow-empty]` | Check every data file;" in table
    assert "`factsite source add TEXTFILE --id ID [--title TITLE]" in table  # a required option, unbracketed
    assert "`--dev-addr`: Address to serve on. (default: `127.0.0.1:8000`)" in table
    assert "[--verbose]` |" in table and "`--verbose`: Also print the time of each stage." in table


def test_the_readme_lists_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"`factsite {name}" not in readme]
    assert missing == []


def test_the_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make site " in readme and "make test " in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()[-1]


def test_every_command_option_has_help():
    undocumented = [f"{name} {param.name}" for name, command in cli.commands.items()
                    for param in command.params if param.param_type_name == "option" and not param.help]
    assert undocumented == []


def test_the_readme_lists_every_option_of_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows: dict[str, str] = {}  # the command table's row of each command: the first row that names it
    for line in readme.splitlines():
        if line.startswith("| `factsite "):
            rows.setdefault(line.split("`")[1].split()[1], line)
    missing = [f"{name} {param.opts[0]}" for name, command in cli.commands.items() for param in command.params
               if param.param_type_name == "option" and f"[{param.opts[0]}" not in rows.get(name, "")]
    assert missing == []

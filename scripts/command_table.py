"""README.md's command table, written from the command line itself (click's commands and options).

    .venv/bin/python scripts/command_table.py           rewrite the table in README.md
    .venv/bin/python scripts/command_table.py --check   exit 1 if it drifted (tests/test_docs.py does this)

The table stands between the two marker lines below; everything else in README.md is left alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = "<!-- command table: made by scripts/command_table.py from factsite/cli.py; do not edit by hand -->"
END = "<!-- end of the command table -->"
FIX = ".venv/bin/python scripts/command_table.py"


def commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    """Every command under `group` with its full name (`factsite source add`), in the group's order."""
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix} {name}")
        else:
            found.append((f"{prefix} {name}", command))
    return found


def metavar(option: click.Option) -> str:
    """What follows an option on the command line: nothing for a flag, the choices, or a word for the value."""
    if option.is_flag:
        return ""
    if option.metavar:
        return option.metavar
    kind = option.type
    if isinstance(kind, click.Choice):
        return "|".join(kind.choices)
    if isinstance(kind, click.Path):
        return "DIR" if not kind.file_okay else "FILE"
    if isinstance(kind, (click.IntRange, click.types.IntParamType)):
        return "N"
    return "ID" if option.name.endswith("_id") else option.name.upper().replace("_", "-")


def synopsis(name: str, command: click.Command) -> str:
    words = [name]
    for param in command.params:
        if isinstance(param, click.Argument):
            shown = param.human_readable_name
            words.append(shown if param.required else f"[{shown}]")
        elif isinstance(param, click.Option) and not param.hidden:
            shown = " ".join(filter(None, [param.opts[0], metavar(param)]))
            words.append(shown if param.required else f"[{shown}]")
    return " ".join(words)


def described(command: click.Command) -> str:
    """The command's help and each option's, on one line."""
    parts = [" ".join((command.help or "").split())]
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.help:
            default = ""
            if param.show_default and param.default is not None and not param.is_flag:
                default = f" (default: `{param.default}`)"
            parts.append(f"`{param.opts[0]}`: {' '.join(param.help.split())}{default}")
    return " ".join(parts)


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def table() -> str:
    from factsite.cli import cli

    rows = ["| command | what it does |", "| --- | --- |"]
    for name, command in commands(cli, "factsite"):
        rows.append(f"| `{cell(synopsis(name, command))}` | {cell(described(command))} |")
    return "\n".join([START, "", *rows, "", END])


def with_table(readme: str) -> str:
    """README.md's text with its command table made anew."""
    start, end = readme.index(START), readme.index(END) + len(END)
    return readme[:start] + table() + readme[end:]


def main(argv: list[str]) -> int:
    readme = README.read_text(encoding="utf-8")
    made = with_table(readme)
    if "--check" in argv:
        if made != readme:
            print(f"README.md: the command table differs from the command line; run {FIX}", file=sys.stderr)
            return 1
        return 0
    if made != readme:
        README.write_text(made, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

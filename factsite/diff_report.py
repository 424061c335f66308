"""`factsite diff`'s two ways of saying what changed: plain text for a terminal, and Markdown for a
pull request's job summary (GitHub's `$GITHUB_STEP_SUMMARY`)."""

from __future__ import annotations

import html
import re

from factsite.diff import Change, Changes, Comparison
from factsite.escape import escape_markdown
from factsite.gitref import Base
from factsite.problems import Problem, count_line

STATUSES = ("changed", "added", "removed", "renamed")
# GitHub takes at most 1 MiB of summary from a step; past this, diffs are left out and named.
GITHUB_SUMMARY_BUDGET = 900_000
SHOWN_AS_DIFFS = ("entity pages", "other pages", "search entries")  # downloads are listed, not shown


def counts(changes: list[Change]) -> str:
    found = [f"{sum(c.status == status for c in changes)} {status}" for status in STATUSES
             if any(c.status == status for c in changes)]
    return ", ".join(found) or "no change"


# ---------------------------------------------------------------- text


def text(comparison: Comparison) -> str:
    changes = comparison.changes
    lines = [f"Comparing the site at {comparison.base.label} with the work tree.", *comparison.notes]
    if not changes:
        return "\n".join(lines + ["No page, download or search entry changes."]) + "\n"
    lines += [f"{name}: {counts(group)}" for name, group in changes.groups()]
    for name, group in changes.groups():
        if group:
            lines += ["", f"{name.capitalize()}:"]
            lines += [f"  {change.status:<8} {change.shown}" for change in group]
    for name, group in changes.groups():
        if name in SHOWN_AS_DIFFS:
            for change in group:
                lines += ["", *_search_heading(name, change), *change.unified()]
    return "\n".join(lines) + "\n"


def _search_heading(group: str, change: Change) -> list[str]:
    return [f"search entry of {change.shown}:"] if group == "search entries" else []


# ---------------------------------------------------------------- GitHub job summary


def github(comparison: Comparison, budget: int = GITHUB_SUMMARY_BUDGET) -> str:
    changes = comparison.changes
    parts = ["### What this pull request changes on the site", "",
             f"`factsite diff` compared the work tree with {_code(comparison.base.label)}.", ""]
    parts += [f"> {escape_markdown(note)}" for note in comparison.notes] + [""] * bool(comparison.notes)
    if not changes:
        return "\n".join(parts + ["No page, download or search entry changes.", ""])
    parts += ["| | " + " | ".join(STATUSES) + " |", "| --- |" + " ---: |" * len(STATUSES)]
    parts += [f"| {name} | " + " | ".join(str(sum(c.status == s for c in group)) for s in STATUSES) + " |"
              for name, group in changes.groups()]
    left = budget - _size(parts)
    for name, group in changes.groups():
        if group:
            section = _section(name, group, left)
            left -= _size(section)
            parts += section
    return "\n".join(parts) + "\n"


def _section(name: str, group: list[Change], left: int) -> list[str]:
    """A group's heading and an item per change (a diff, or a line for a download) while they fit in
    `left` bytes; past that, each diff is left out, and past that again, the rest is counted."""
    lines = ["", f"#### {name.capitalize()}", ""]
    left -= _size(lines) + 200  # kept for the line that counts what is left out
    for number, change in enumerate(group):
        if name in SHOWN_AS_DIFFS:
            item = _details(change, "\n".join(change.unified()))
            if _size([item]) > left:
                item = _details(change, None)
        else:
            item = f"- {change.status}: {_code(change.shown)}"
        if _size([item]) > left:
            lines.append(f"… and {len(group) - number} more, left out: a job summary holds at most 1 MiB. "
                         "Run `factsite diff` in a clone to see them all.")
            break
        lines.append(item)
        left -= _size([item])
    return lines


def _size(lines: list[str]) -> int:
    """The bytes the lines take in the summary: GitHub counts bytes, not characters."""
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def _details(change: Change, diff: str | None) -> str:
    summary = f"<summary>{change.status}: <code>{html.escape(change.shown)}</code></summary>"
    if diff is None:
        body = "The diff is left out: a job summary holds at most 1 MiB. Run `factsite diff` in a clone to see it."
    else:
        fence = _fence(diff)
        body = f"{fence}diff\n{diff}\n{fence}"
    return f"<details>\n{summary}\n\n{body}\n\n</details>\n"


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in the text, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _code(text: str) -> str:
    """Inline code that no backtick in the text can end early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}" if text.startswith("`") or text.endswith("`") else f"{ticks}{text}{ticks}"


# ---------------------------------------------------------------- when there is nothing to compare


def base_errors(base: Base, problems: list[Problem], output_format: str) -> str:
    """What to say when the data at the commit compared with has errors."""
    def headline(label: str) -> str:
        return (f"The data at {label} has errors, so there is no site to compare with: "
                + count_line(len(problems), outcome="nothing was compared"))
    if output_format != "github":
        return "\n".join([*map(str, problems), headline(base.label)]) + "\n"
    listing = "\n".join(map(str, problems))
    fence = _fence(listing)
    return f"### What this pull request changes on the site\n\n{headline(_code(base.label))}\n\n{fence}\n{listing}\n{fence}\n"


def work_tree_errors(problems: list[Problem]) -> str:
    listing = "\n".join(map(str, problems))
    fence = _fence(listing)
    return ("### What this pull request changes on the site\n\nThe data in this pull request has errors, so the site "
            "could not be compared: " + count_line(len(problems), outcome="see the check's annotations")
            + f"\n\n{fence}\n{listing}\n{fence}\n")

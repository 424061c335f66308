"""One error format for every stage: `path:line:col: field.path: what is wrong (hint)`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f" ({self.hint})"
        path = _escape_github(self.path).replace(":", "%3A").replace(",", "%2C")  # a property value
        return f"::error file={path},line={self.line},col={self.col}::{_escape_github(text)}"


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


class DataError(Exception):
    """Raised once, with every problem found, when the data cannot be built."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(count_line(len(self.problems)))
        return "\n".join(lines)


def count_line(count: int, *, outcome: str = "nothing was written") -> str:
    return f"{count} error{'s' if count != 1 else ''} found; {outcome}."


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` was most likely meant to be, or None when nothing is close."""
    candidates = list(candidates)
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    folded = {c.casefold(): c for c in candidates}
    return folded.get(word.casefold())


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A `did you mean 'x'?` hint, or '' when nothing is close."""
    return meant_hint(closest(word, candidates))


def meant_hint(match: str | None) -> str:
    return f"did you mean '{match}'?" if match else ""

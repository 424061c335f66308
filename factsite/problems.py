"""One error format for every stage: `path:line:col: field.path: what is wrong (hint)`.

A problem is always one line, and nothing in it reaches the terminal as a control sequence: every
character that does not print (controls such as ESC, line breaks, invisible format characters) is
shown as an escape (`\\x1b`, `\\n`, `\\u200b`). A problem about a whole file that cannot be read has
no position (line 0): `path: cannot read (reason)`.
"""

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
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return printable(f"{where}: {self._text()}")

    def _text(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        path = _escape_github(printable(self.path)).replace(":", "%3A").replace(",", "%2C")  # a property value
        where = f",line={self.line},col={self.col}" if self.line else ""
        return f"::error file={path}{where}::{_escape_github(printable(self._text()))}"


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with every character that does not print written as an escape, so that it stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    return f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


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
    """`1 error found; …`; in `outcome`, `{them}` reads `it` for one error."""
    return f"{count} error{'s' if count != 1 else ''} found; {outcome.format(them='them' if count != 1 else 'it')}."


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

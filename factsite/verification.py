"""What a source's quotes are verified against: its verification data, or its own text.

Beside each source's YAML in data/sources/:

- `<id>.verify`, for every source: one line per paragraph with its word count and a short keyed
  hash of each run of words (factsite/fingerprint.py), made by `factsite source add`. It lets a
  quote be checked without being the text; README.md ("Quote verification") says what it gives away.
- `<id>.txt`, for a public-domain source only: the text itself, one paragraph per line, which the
  site shows and quotes are checked against directly.

The .verify format, line by line (lines starting with # are comments):

    format factsite-verify 1
    source <id>
    hash blake2b-keyed/12 runs-of 4
    key <32 hex digits>
    ¶1 <word count> <3 hex digits per run, run after run>
    …
    seal <64 hex digits: a keyed hash of the lines above, so that an edit or a cut-off file shows>
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from factsite.fingerprint import HASH_NAME, HEX_DIGITS, RUN_WORDS, run_hashes, seal, words
from factsite.load import LoadError, decode, display_path
from factsite.problems import Problem

FORMAT = "factsite-verify 1"
VERIFY_SUFFIX = ".verify"
TEXT_SUFFIX = ".txt"
PUBLIC_DOMAIN = "public-domain"
REMAKE = "make it again with `factsite source add` from the source's text"
_KEY = re.compile(r"[0-9a-f]{32}")
_HEX = re.compile(r"[0-9a-f]*")


@dataclass
class Paragraph:
    words: int
    runs: list[str]
    line: int = 1  # where it stands in its file, for messages
    text: str = ""  # the paragraph itself, when the text is at hand
    _positions: dict[str, list[int]] | None = field(default=None, repr=False, compare=False)
    _joined: str | None = field(default=None, repr=False, compare=False)

    def holds_words(self, quote_words: list[str]) -> bool:
        """With the text at hand: whether the quote's words stand in it, one after another."""
        if self._joined is None:
            self._joined = "\x1f" + "\x1f".join(words(self.text)) + "\x1f"
        return "\x1f" + "\x1f".join(quote_words) + "\x1f" in self._joined

    def positions(self, run: str) -> list[int]:
        """Where the run stands in the paragraph (an index made on first use: quotes are many)."""
        if self._positions is None:
            self._positions = {}
            for position, each in enumerate(self.runs):
                self._positions.setdefault(each, []).append(position)
        return self._positions.get(run, [])


@dataclass
class Reference:
    """One source's paragraphs as quotes are checked against them."""

    source: str
    key: bytes | None  # None: the text itself is at hand, and runs are words, not hashes
    paragraphs: list[Paragraph]
    path: str  # the file, as shown in messages
    has_text: bool = False
    problems: list[Problem] = field(default_factory=list)


def verify_path(sources_dir: Path, source_id: str) -> Path:
    return sources_dir / f"{source_id}{VERIFY_SUFFIX}"


def text_path(sources_dir: Path, source_id: str) -> Path:
    return sources_dir / f"{source_id}{TEXT_SUFFIX}"


def new_key() -> str:
    return secrets.token_hex(16)


def paragraph_of(key: bytes | None, text: str, line: int = 1) -> Paragraph:
    text_words = words(text)
    return Paragraph(len(text_words), run_hashes(key, text_words), line, text)


def from_text(source_id: str, paragraphs: list[str], shown: str, key: bytes | None = None,
              lines: list[int] | None = None) -> Reference:
    """A reference made from the text itself (a public-domain source, or an archived text)."""
    lines = lines or list(range(1, len(paragraphs) + 1))
    return Reference(source_id, key, [paragraph_of(key, p, n) for p, n in zip(paragraphs, lines)], shown,
                     has_text=True)


def read_text_file(path: Path) -> Reference:
    """A public-domain source's own text: one paragraph per non-empty line."""
    shown = display_path(path)
    try:
        text = decode(path.read_bytes(), shown)
    except LoadError as error:
        return Reference(path.stem, None, [], shown, problems=[error.problem])
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    return from_text(path.stem, [line for _, line in numbered], shown, lines=[n for n, _ in numbered])


# ---------------------------------------------------------------- the .verify file


def verify_file_text(source_id: str, key: str, paragraphs: list[str]) -> str:
    """The whole .verify file for a text's paragraphs."""
    body = [f"format {FORMAT}", f"source {source_id}", f"hash {HASH_NAME} runs-of {RUN_WORDS}", f"key {key}"]
    for number, paragraph in enumerate(paragraphs, 1):
        made = paragraph_of(bytes.fromhex(key), paragraph)
        body.append(f"¶{number} {made.words} {''.join(made.runs)}".rstrip())
    header = [
        f"# Quote verification data for the source '{source_id}', written by `factsite source add`.",
        "# Not the text: per paragraph, its word count and a 12-bit keyed hash of each run of 4 words.",
        "# README.md (\"Quote verification\") says what can and cannot be recovered from it.",
        "# Never edit it by hand: the seal line fails on any change. Make it again instead.",
    ]
    return "\n".join(header + body + [f"seal {seal(bytes.fromhex(key), chr(10).join(body))}"]) + "\n"


def read_verify_file(path: Path, source_id: str) -> Reference:
    shown = display_path(path)
    reference = Reference(source_id, None, [], shown)
    try:
        text = decode(path.read_bytes(), shown)
    except LoadError as error:
        reference.problems.append(error.problem)
        return reference
    _VerifyParser(reference, source_id).parse(text.splitlines())
    return reference


class _VerifyParser:
    HEADER = ("format", "source", "hash", "key")

    def __init__(self, reference: Reference, source_id: str):
        self.reference, self.source_id = reference, source_id
        self.body: list[str] = []
        self.last_line = 0

    def problem(self, line: int, message: str, hint: str = REMAKE, col: int = 1) -> None:
        self.reference.problems.append(Problem(self.reference.path, line, col, "", message, hint))

    def parse(self, lines: list[str]) -> None:
        data = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
        self.last_line = data[-1][0] if data else max(1, len(lines))
        header, rest = data[:len(self.HEADER)], data[len(self.HEADER):]
        if not self._header(header):
            return
        sealed = False
        for number, line in rest:
            if sealed:
                self.problem(number, "a line after the seal", "the seal is the last line; " + REMAKE)
                return
            if line.startswith("seal "):
                self._seal(number, line)
                sealed = True
            elif not self._paragraph(number, line):
                return
        if not sealed:
            self.problem(self.last_line, "the file ends before its seal line: it was cut off")
        elif not self.reference.paragraphs:
            self.problem(self.last_line, "no paragraph lines (¶1 …)")

    def _header(self, header: list[tuple[int, str]]) -> bool:
        values = {}
        for (number, line), name in zip(header, self.HEADER):
            word, _, value = line.partition(" ")
            if word != name:
                self.problem(number, f"expected the '{name}' line here, found '{word[:20]}'")
                return False
            values[name] = (number, value)
            self.body.append(line)
        if len(values) < len(self.HEADER):
            self.problem(self.last_line, "the file ends before its header is complete: it was cut off")
            return False
        return self._header_values(values)

    def _header_values(self, values: dict[str, tuple[int, str]]) -> bool:
        line, value = values["format"]
        if value != FORMAT:
            self.problem(line, f"unknown format '{value[:40]}', expected '{FORMAT}'")
            return False
        line, value = values["source"]
        if value != self.source_id:
            self.problem(line, f"this is the verification data of '{value[:60]}', not of '{self.source_id}'")
            return False
        line, value = values["hash"]
        if value != f"{HASH_NAME} runs-of {RUN_WORDS}":
            self.problem(line, f"unknown hash '{value[:40]}', expected '{HASH_NAME} runs-of {RUN_WORDS}'")
            return False
        line, value = values["key"]
        if not _KEY.fullmatch(value):
            self.problem(line, "the key is not 32 lower-case hex digits")
            return False
        self.reference.key = bytes.fromhex(value)
        return True

    def _paragraph(self, number: int, line: str) -> bool:
        parts = line.split(" ")
        expected = f"¶{len(self.reference.paragraphs) + 1}"
        if parts[0] != expected:
            self.problem(number, f"expected the line of {expected}, found '{parts[0][:20]}'")
            return False
        if len(parts) not in (2, 3) or not parts[1].isdigit() or not _HEX.fullmatch(parts[-1] if len(parts) == 3 else ""):
            self.problem(number, f"the line of {expected} is not '{expected} <word count> <hex digits>'")
            return False
        count, runs = int(parts[1]), parts[2] if len(parts) == 3 else ""
        wanted = max(1, count - RUN_WORDS + 1) if count else 0
        if len(runs) != wanted * HEX_DIGITS:
            self.problem(number, f"{expected} has {len(runs) // HEX_DIGITS} run hashes, but {count} words make "
                                 f"{wanted}: the line was cut or edited", col=len(parts[0]) + len(parts[1]) + 3)
            return False
        self.reference.paragraphs.append(Paragraph(count, [runs[i:i + HEX_DIGITS] for i in range(0, len(runs), HEX_DIGITS)],
                                                   number))
        self.body.append(line)
        return True

    def _seal(self, number: int, line: str) -> None:
        if line.removeprefix("seal ") != seal(self.reference.key, "\n".join(self.body)):
            self.problem(number, "the seal does not match the lines above: the file was edited or damaged")


def archive_paragraphs(text: str, preamble_lines: int) -> list[str]:
    """An archived text's paragraphs: its non-empty lines after the preamble (headline, byline…)."""
    return [line for line in text.splitlines() if line.strip()][preamble_lines:]

"""Words and keyed run hashes: what quote verification compares, for a text or for a quote.

A text is folded as the quote rule always folded it (curly quotes to straight ones, every dash to a
hyphen, runs of white space to one space) and split into words: a word is a run of letters and
digits, with apostrophes inside it (al-Qa'ida's is `al`, `-`, `Qa'ida's`), and every other mark is
a word of its own. Case is kept: a quote is verbatim. Each run of RUN_WORDS consecutive words gets
a keyed hash cut to RUN_BITS bits; README.md ("Quote verification") says why so few.
"""

from __future__ import annotations

import hmac
import re
from hashlib import sha256

from factsite.escape import one_line

RUN_WORDS = 4
RUN_BITS = 12
HEX_DIGITS = RUN_BITS // 4
MIN_QUOTE_WORDS = RUN_WORDS + 1  # two runs at least: one wrong word then slips through 1 time in 2**24
HASH_NAME = f"hmac-sha256/{RUN_BITS}"

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "‒": "-", "―": "-"})
_WORD = re.compile(r"\w+(?:'\w+)*|[^\w\s]")


def fold(text: str) -> str:
    return one_line(text.translate(_FOLD))


def words(text: str) -> list[str]:
    return _WORD.findall(text.translate(_FOLD))


def run_hashes(key: bytes, text_words: list[str]) -> list[str]:
    """One hash per run of RUN_WORDS words; a paragraph shorter than a run gets one hash for all of it."""
    if not text_words:
        return []
    starts = range(max(1, len(text_words) - RUN_WORDS + 1))
    return [_hash(key, text_words[start:start + RUN_WORDS]) for start in starts]


def _hash(key: bytes, run: list[str]) -> str:
    message = "\x1f".join(run).encode("utf-8")  # the unit separator: no two runs join to the same bytes
    return hmac.digest(key, message, sha256).hex()[:HEX_DIGITS]


def seal(key: bytes, body: str) -> str:
    """A full-length keyed hash of the file's data lines: an edit by hand or a cut-off file shows."""
    return hmac.digest(key, body.encode("utf-8"), sha256).hex()


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of `text` starts and ends in it (folding changes no length)."""
    return [match.span() for match in _WORD.finditer(text.translate(_FOLD))]

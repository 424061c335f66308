"""Words and keyed run hashes: what quote verification compares, for a text or for a quote.

A text is folded as the quote rule always folded it (curly quotes to straight ones, every dash to a
hyphen, runs of white space to one space) and split into words: a word is a run of letters and
digits, with apostrophes inside it (al-Qa'ida's is `al`, `-`, `Qa'ida's`), and every other mark is
a word of its own. Case is kept: a quote is verbatim. Each run of RUN_WORDS consecutive words gets
a keyed hash cut to RUN_BITS bits; README.md ("Quote verification") says why so few. The hash is
BLAKE2b in its keyed mode, a MAC by design (RFC 7693), a third of HMAC-SHA256's time here.
Where the text itself is at hand (a public-domain source), a run is its words joined, not hashed.
"""

from __future__ import annotations

import functools
import re
from hashlib import blake2b


RUN_WORDS = 4
RUN_BITS = 12
HEX_DIGITS = RUN_BITS // 4
MIN_QUOTE_WORDS = RUN_WORDS + 1  # two runs at least: one wrong word then slips through 1 time in 2**24
HASH_NAME = f"blake2b-keyed/{RUN_BITS}"

_PLAIN_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "‒": "-", "―": "-"})
_WORD = re.compile(r"\w+(?:'\w+)*|[^\w\s]")


def words(text: str) -> list[str]:
    return _WORD.findall(text.translate(_PLAIN_PUNCTUATION))


def run_hashes(key: bytes | None, text_words: list[str]) -> list[str]:
    """One hash per run of RUN_WORDS words (a paragraph shorter than a run gets one for all of it);
    with no key, each run's words themselves."""
    if not text_words:
        return []
    runs = ["\x1f".join(text_words[start:start + RUN_WORDS])  # the unit separator: no two runs join alike
            for start in range(max(1, len(text_words) - RUN_WORDS + 1))]
    return runs if key is None else [_hash(key, run) for run in runs]


@functools.lru_cache(maxsize=1 << 16)  # quotes repeat: the same runs are hashed again and again
def _hash(key: bytes, run: str) -> str:
    return blake2b(run.encode("utf-8"), key=key, digest_size=2).hexdigest()[:HEX_DIGITS]


def seal(key: bytes, body: str) -> str:
    """A full-length keyed hash of the file's data lines: an edit by hand or a cut-off file shows."""
    return blake2b(body.encode("utf-8"), key=key, digest_size=32).hexdigest()

def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of `text` starts and ends in it (folding changes no length)."""
    return [match.span() for match in _WORD.finditer(text.translate(_PLAIN_PUNCTUATION))]

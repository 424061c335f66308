"""Tooltips for abbreviations: each page gets the `abbr` definitions of the terms it contains.

Appending the whole glossary to every page made each page's cost grow with the glossary (the
`abbr` extension compiles and runs every definition on every page), so the build grew faster
than the number of entities. Terms are indexed by their first word; a page's distinct words
select the candidates, and a term is kept when all its words are on the page. That can keep a
term whose words stand apart (a harmless definition abbr finds nothing for); a substring test
instead would scan the whole page once per candidate, which on the long pages (a source's
paragraph-by-paragraph walk) grows with the square of the data.
"""

from __future__ import annotations

import re
from collections import defaultdict

_WORD = re.compile(r"\w+")
# Every ASCII byte that cannot be in a word becomes a space; bytes of non-ASCII characters stay.
_SEPARATE_WORDS = bytes(byte if byte >= 0x80 or chr(byte).isalnum() or byte == 0x5F else 0x20 for byte in range(256))


def words(text: str) -> set[str]:
    """The distinct words of the text, as the regex `\\w+` finds them. Splitting the UTF-8 bytes is
    a quarter faster than that regex over the whole page; only the few pieces with non-ASCII
    characters go through it."""
    found = set()
    for piece in set(text.encode("utf-8").translate(_SEPARATE_WORDS).split()):
        if piece.isascii():
            found.add(piece.decode("ascii"))
        else:
            found.update(_WORD.findall(piece.decode("utf-8")))
    return found


class AbbreviationIndex:
    def __init__(self, definitions: list[tuple[str, str]]):
        """`definitions`: (term, the Markdown line that defines it), in the order they print."""
        self._order = {term: n for n, (term, _) in enumerate(definitions)}
        self._lines = dict(definitions)
        self._by_first_word: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for term, _ in definitions:
            term_words = _WORD.findall(term)
            if term_words:
                self._by_first_word[term_words[0]].append((term, term_words[1:]))
        self._first_words = set(self._by_first_word)

    def definitions_for(self, text: str) -> str:
        """The definition lines of every term that occurs in `text`, each followed by a blank line."""
        found = set()
        page_words = words(text)
        for word in page_words & self._first_words:
            for term, other_words in self._by_first_word[word]:
                if all(w in page_words for w in other_words):
                    found.add(term)
        # A blank line after each definition: abbr re-reads the rest of a block after each one.
        return "".join(self._lines[term] + "\n\n" for term in sorted(found, key=self._order.__getitem__))

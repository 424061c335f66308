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


class AbbreviationIndex:
    def __init__(self, definitions: list[tuple[str, str]]):
        """`definitions`: (term, the Markdown line that defines it), in the order they print."""
        self._order = {term: n for n, (term, _) in enumerate(definitions)}
        self._lines = dict(definitions)
        self._by_first_word: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for term, _ in definitions:
            words = _WORD.findall(term)
            if words:
                self._by_first_word[words[0]].append((term, words[1:]))
        self._first_words = set(self._by_first_word)

    def definitions_for(self, text: str) -> str:
        """The definition lines of every term that occurs in `text`, each followed by a blank line."""
        found = set()
        words = set(_WORD.findall(text))
        for word in words & self._first_words:
            for term, other_words in self._by_first_word[word]:
                if all(w in words for w in other_words):
                    found.add(term)
        # A blank line after each definition: abbr re-reads the rest of a block after each one.
        return "".join(self._lines[term] + "\n\n" for term in sorted(found, key=self._order.__getitem__))

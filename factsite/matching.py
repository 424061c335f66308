"""Where a quote's runs of words stand in a source's paragraphs: exactly, or nearly.

A quote stands at word `start` of a paragraph when each of its runs has the same hash as the
paragraph's run at the same place. Short hashes collide now and then (1 in 4,096 for one run), so a
near match needs at least two runs in place before it is shown.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from dataclasses import dataclass

from factsite.fingerprint import RUN_WORDS, run_hashes, word_spans, words
from factsite.verification import Paragraph, Reference

MIN_RUNS_NEAR = 2


@dataclass
class Near:
    paragraph: int  # 1-based
    start: int  # the paragraph's word where the quote's first word would stand (may be below 0)
    matched: list[bool]  # for each run of the quote, whether it is there


@dataclass
class Difference:
    """The first word of a quote that is not where a near match puts it, and the run that shows it."""

    word: int  # 1-based, in the quote
    same_from: int  # the quote's words same_from..same_to (1-based) are there
    same_to: int
    run_from: int  # the run of words run_from..run_from + RUN_WORDS - 1 that is not there

    @property
    def run_to(self) -> int:
        return self.run_from + RUN_WORDS - 1


def quote_runs(reference: Reference, quote_words: list[str]) -> list[str]:
    return run_hashes(reference.key, quote_words)


def stands_at(paragraph: Paragraph, runs: list[str], start: int, quote_length: int) -> bool:
    if quote_length < RUN_WORDS:  # only a whole paragraph shorter than a run can match a quote that short
        return paragraph.words == quote_length and paragraph.runs == runs
    return paragraph.runs[start:start + len(runs)] == runs


def stands_in(paragraph: Paragraph, runs: list[str], quote_length: int) -> bool:
    return any(stands_at(paragraph, runs, start, quote_length) for start in _starts(paragraph, runs))


def found_in(reference: Reference, runs: list[str], quote_length: int) -> list[int]:
    """The paragraphs (1-based) that hold the quote."""
    return [number for number, paragraph in enumerate(reference.paragraphs, 1)
            if stands_in(paragraph, runs, quote_length)]


def _starts(paragraph: Paragraph, runs: list[str]) -> list[int]:
    return paragraph.positions(runs[0]) if runs else []


def nearest(reference: Reference, runs: list[str], prefer: int) -> Near | None:
    """The alignment that puts most of the quote's runs in place; the cited paragraph wins ties."""
    best: Near | None = None
    best_key = (0, False)
    for number, paragraph in enumerate(reference.paragraphs, 1):
        votes: Counter = Counter()
        wanted = {run: [i for i, r in enumerate(runs) if r == run] for run in set(runs)}
        for position, run in enumerate(paragraph.runs):
            for index in wanted.get(run, ()):
                votes[position - index] += 1
        for start, count in votes.items():
            key = (count, number == prefer)
            if count >= MIN_RUNS_NEAR and key > best_key:
                matched = [0 <= start + i < len(paragraph.runs) and paragraph.runs[start + i] == run
                           for i, run in enumerate(runs)]
                best, best_key = Near(number, start, matched), key
    return best


def difference(near: Near) -> Difference:
    matched = near.matched
    first_miss = matched.index(False)
    if first_miss > 0:  # the runs before it are in place: the word it adds is the one that differs
        return Difference(first_miss + RUN_WORDS, 1, first_miss + RUN_WORDS - 1, first_miss + 1)
    first_hit = matched.index(True)
    last_hit = first_hit
    while last_hit + 1 < len(matched) and matched[last_hit + 1]:
        last_hit += 1
    return Difference(first_hit, first_hit + 1, last_hit + RUN_WORDS, first_hit)


def span_text(paragraph: Paragraph, start: int, length: int) -> str:
    """The paragraph's own words where a quote of `length` words starting at `start` would stand."""
    spans = word_spans(paragraph.text)
    first, last = max(start, 0), min(start + length, len(spans)) - 1
    if not paragraph.text or first > last:
        return ""
    return paragraph.text[spans[first][0]:spans[last][1]]


def nearest_in_text(paragraph: Paragraph, quote_words: list[str]) -> tuple[int, int] | None:
    """With the paragraph's text at hand: the stretch of it most like the quote, as (its first word,
    the quote's first word (1-based) that differs); None when not even half of the quote's words are in it."""
    text_words = words(paragraph.text)
    length = len(quote_words)
    best, best_start, best_blocks = 0, 0, []
    for start in range(max(1, len(text_words) - length + 1)):
        blocks = SequenceMatcher(None, quote_words, text_words[start:start + length], autojunk=False)
        matching = blocks.get_matching_blocks()
        same = sum(block.size for block in matching)
        if same > best:
            best, best_start, best_blocks = same, start, matching
    if best * 2 < length:
        return None
    covered = {block.a + i for block in best_blocks for i in range(block.size)}
    return best_start, next((i for i in range(length) if i not in covered), length - 1) + 1

"""Each page gets the definitions of exactly the abbreviations it contains."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from factsite.abbreviations import AbbreviationIndex, words

INDEX = AbbreviationIndex([
    ("US", "*[US]: United States"),
    ("ISIS-K", "*[ISIS-K]: Islamic State of Iraq and Syria Khorasan"),
    ("ISIS", "*[ISIS]: Islamic State of Iraq and Syria"),
    ("IEDs", "*[IEDs]: improvised explosive devices"),
])


def test_only_the_terms_on_the_page_are_defined_in_glossary_order():
    text = "Pakistan supported a US operation against ISIS-K."
    assert INDEX.definitions_for(text) == (
        "*[US]: United States\n\n*[ISIS-K]: Islamic State of Iraq and Syria Khorasan\n\n"
        "*[ISIS]: Islamic State of Iraq and Syria\n\n")


def test_a_term_inside_a_longer_word_is_not_defined():
    assert INDEX.definitions_for("USFOR-A countered IED threats") == ""


def test_a_term_of_several_words_needs_them_all():
    assert INDEX.definitions_for("ISIS fights K") == "*[ISIS-K]: Islamic State of Iraq and Syria Khorasan\n\n" \
        "*[ISIS]: Islamic State of Iraq and Syria\n\n"
    assert INDEX.definitions_for("ISIS alone") == "*[ISIS]: Islamic State of Iraq and Syria\n\n"


def test_a_page_without_terms_gets_nothing():
    assert INDEX.definitions_for("") == ""


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_the_fast_word_split_finds_what_the_regex_finds(text):
    assert words(text) == set(re.findall(r"\w+", text))


def test_words_next_to_non_ascii_letters_and_punctuation():
    assert words("al-Qa’ida’s “ISIS-K” Tehrik-e-Taliban ¶12 naïve_x Ωmega") == {
        "al", "Qa", "ida", "s", "ISIS", "K", "Tehrik", "e", "Taliban", "12", "naïve_x", "Ωmega"}

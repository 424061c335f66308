"""Each page gets the definitions of exactly the abbreviations it contains."""

from __future__ import annotations

from factsite.abbreviations import AbbreviationIndex

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

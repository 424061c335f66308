"""Tables that stack into cards on a phone: every body cell names its column."""

from __future__ import annotations

import markdown

from factsite.cards import label_cells


def test_each_body_cell_carries_its_column_heading_escaped():
    table = markdown.markdown("| Name | Facts & *notes* |\n| --- | ---: |\n| [A](a.md) | 3 |\n| B | |\n",
                              extensions=["tables"])
    labelled = label_cells("<p>before</p>" + table)
    assert labelled.count('<td data-label="Name">') == 2
    assert labelled.count('<td data-label="Facts &amp; notes" style="text-align: right;">') == 2
    assert labelled.startswith("<p>before</p>")


def test_a_table_without_a_header_row_is_left_alone():
    html = "<table><tbody><tr><td>x</td></tr></tbody></table>"
    assert label_cells(html) == html

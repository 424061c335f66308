"""Tables that read as cards on a phone: each data cell carries its column's heading.

Below the stylesheet's breakpoint every row of a table stacks into a card, and each cell shows
its heading (`data-label`) in front of it, so nothing depends on a header row off-screen.
"""

from __future__ import annotations

import html
import re

_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
_HEADING = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)
_ROW = re.compile(r"<tr>.*?</tr>", re.DOTALL)
_CELL = re.compile(r"<td(?=[\s>])")
_TAG = re.compile(r"<[^>]+>")


def label_cells(page_html: str) -> str:
    """Every table's body cells given `data-label="<column heading>"`."""
    return _TABLE.sub(_label_table, page_html)


def _label_table(match: re.Match) -> str:
    table = match.group(0)
    head, sep, body = table.partition("</thead>")
    if not sep:
        return table
    labels = [html.escape(html.unescape(_TAG.sub("", cell)).strip(), quote=True) for cell in _HEADING.findall(head)]
    return head + sep + _ROW.sub(lambda row: _label_row(row.group(0), labels), body)


def _label_row(row: str, labels: list[str]) -> str:
    column = iter(labels)
    return _CELL.sub(lambda _: f'<td data-label="{next(column, "")}"', row)

"""Tables that fit a phone: an MkDocs hook that lets a table become stacked rows on a narrow screen.

A table of several columns, or of two with long code in them, is wider than a phone's column (the cheat sheet's
parameters, the other libraries' spellings). :func:`stackable` gives such a table the attribute ``data-stack`` (not a class: the theme styles only
tables without one) and each of its cells a ``data-label``,
the text of its column's heading; on a narrow screen the stylesheet (``reading.css``) then sets each row as a
block, each cell on a line of its own after its column's name, so that nothing is wider than the column and no
reader scrolls sideways. On a wider screen the table is the same table. No script is needed.

>>> head = "<thead><tr><th>a</th><th><code>b</code></th><th>c</th></tr></thead>"
>>> stacked = stackable(f"<table>{head}<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>")
>>> stacked.startswith("<table data-stack><thead>")
True
>>> stacked[len(head) + 25 :]
'<tr><td data-label="a">1</td><td data-label="b">2</td><td data-label="c">3</td></tr></tbody></table>'
>>> one = "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
>>> stackable(one) == one
True
"""

from __future__ import annotations

import html
import re
from typing import Any

FEWEST_COLUMNS = 2  # a table of one column fits a phone as it is
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
_HEADING = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<td(\b[^>]*)>")
_TAG = re.compile(r"<[^>]+>")


def _stacked(table: re.Match[str]) -> str:
    inner = table.group(1)
    head = _HEAD.search(inner)
    headings = (
        [" ".join(html.unescape(_TAG.sub("", h)).split()) for h in _HEADING.findall(head.group(1))] if head else []
    )
    if len(headings) < FEWEST_COLUMNS:
        return table.group(0)

    def label_row(row: re.Match[str]) -> str:
        cells = iter(headings)

        def label(cell: re.Match[str]) -> str:
            return f'<td data-label="{html.escape(next(cells, ""), quote=True)}"{cell.group(1)}>'

        return "<tr>" + _CELL.sub(label, row.group(1)) + "</tr>"

    body = inner[head.end() :] if head else inner
    return "<table data-stack>" + inner[: head.end()] + _ROW.sub(label_row, body) + "</table>"


def stackable(page_html: str) -> str:
    """``page_html`` with every table of :data:`FEWEST_COLUMNS` columns or more marked to stack on a phone."""
    return _TABLE.sub(_stacked, page_html)


def on_page_content(page_html: str, page: Any, config: Any, files: Any) -> str:
    """MkDocs hook: the tables of every page's content."""
    return stackable(page_html)

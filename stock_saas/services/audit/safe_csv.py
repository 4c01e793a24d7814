"""CSV that a spreadsheet will not run: formula-looking text cells are neutralised.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a leading single quote, so Excel, LibreOffice and Google Sheets show it as
text instead of evaluating it (CSV/formula injection, OWASP). So is a cell whose first
character after leading blanks (spaces, line breaks, no-break and other Unicode spaces)
is one of those: spreadsheets skip such blanks, so ``" =HYPERLINK(…)"`` is a formula too.
Numbers are written as numbers: ``-5`` in a numeric column is a value, not a formula.

The rule exists twice, kept equal by a property test on both databases:
:func:`neutralise` in Python (and :class:`NeutralisingWriter` around ``csv.writer``), and
:func:`neutralised_sql`, the same rule as a SQL expression, so a large export can stream
rows the database already made safe straight into ``csv.writer`` (a Python pass over
every cell costs more than the query itself).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from sqlalchemy import String, case, func, literal
from sqlalchemy.sql.elements import ColumnElement

__all__ = [
    "FORMULA_TRIGGERS",
    "LEADING_BLANKS",
    "NeutralisingWriter",
    "neutralise",
    "neutralised_sql",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet may skip before it decides a cell is a formula: ASCII spaces and
# line breaks, and the Unicode spaces, separators and zero-width characters. Over-counting
# is harmless (one more quoted cell), missing one is not.
LEADING_BLANKS = (
    " \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u180e"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
    "\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
)


def _looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip(LEADING_BLANKS).startswith(
        FORMULA_TRIGGERS
    )


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet could read it as a formula."""
    return "'" + text if _looks_like_formula(text) else text


def neutralised_sql(text: Any) -> ColumnElement[str]:
    """SQL for :func:`neutralise` of the text column ``text`` (SQLite and PostgreSQL)."""
    first = func.substr(text, 1, 1)
    first_after_blanks = func.substr(func.ltrim(text, literal(LEADING_BLANKS, String)), 1, 1)
    return case(
        (
            first.in_(FORMULA_TRIGGERS) | first_after_blanks.in_(FORMULA_TRIGGERS),
            literal("'", String) + text,
        ),
        else_=text,
    )


def _safe_row(row: Sequence[Any]) -> list[Any]:
    return [neutralise(cell) if isinstance(cell, str) else cell for cell in row]


class NeutralisingWriter:
    """A ``csv.writer`` whose every ``str`` cell goes through :func:`neutralise`."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: Sequence[Any]) -> None:
        self._writer.writerow(_safe_row(row))

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        self._writer.writerows(map(_safe_row, rows))

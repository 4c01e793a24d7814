"""CSV that a spreadsheet will not run: formula-looking text cells are neutralised.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a leading single quote, so Excel, LibreOffice and Google Sheets show it as
text instead of evaluating it (CSV/formula injection, OWASP). Numbers are written as
numbers: ``-5`` in a numeric column is a value, not a formula.

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

__all__ = ["FORMULA_TRIGGERS", "NeutralisingWriter", "neutralise", "neutralised_sql"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet could read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def neutralised_sql(text: Any) -> ColumnElement[str]:
    """SQL for :func:`neutralise` of the text column ``text`` (SQLite and PostgreSQL)."""
    return case(
        (func.substr(text, 1, 1).in_(FORMULA_TRIGGERS), literal("'", String) + text),
        else_=text,
    )


def _safe_row(row: Sequence[Any]) -> list[Any]:
    return [
        "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS) else cell
        for cell in row
    ]


class NeutralisingWriter:
    """A ``csv.writer`` whose every ``str`` cell goes through :func:`neutralise`."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: Sequence[Any]) -> None:
        self._writer.writerow(_safe_row(row))

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        self._writer.writerows(map(_safe_row, rows))

"""Reading an import file as people really have it: UTF-8 with or without a BOM, comma or
semicolon (sniffed from the header), CRLF, quoted fields with line breaks, any column
order. Cells the stock export neutralised (``'=...``) come back as their original text.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2
(a quoted line break does not start a new row).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from stock_saas.errors import TooLarge, ValidationFailed
from stock_saas.models import BARCODE_MAX
from stock_saas.services import audit
from stock_saas.services.core import MAX_QUANTITY, View, clean_name, clean_optional
from stock_saas.services.imports.export import COLUMNS

__all__ = ["MAX_BYTES", "MAX_ROWS", "ImportRow", "RowError", "check_size", "read_rows", "restore"]

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
_WHOLE = re.compile(r"[+-]?[0-9]+")
_LINE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")


class RowError(View):
    """One problem of the file: its row (header = 1), the column and a plain message."""

    row: int
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One data row, cleaned: blank optional cells are None."""

    row: int
    name: str
    department: str | None
    category: str | None
    quantity: int | None
    threshold: int | None
    barcode: str | None


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise TooLarge(f"The file has {size} bytes; an import takes at most {MAX_BYTES} (20 MB).")


def read_rows(
    data: bytes, progress: Callable[[int], None] | None = None
) -> tuple[list[ImportRow], list[RowError]]:
    """The file's rows and every problem found in them (TooLarge beyond 20 MB or
    100,000 data rows)."""
    check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "The file is not UTF-8 text; save it as CSV UTF-8 and try again."
        return [], [RowError(row=line, column="", message=message)]
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(records, [])]
    errors = _header_errors(header)
    if errors:
        return [], errors
    rows: list[ImportRow] = []
    for number, cells in enumerate(_data_records(records), start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise TooLarge(f"The file has more than {MAX_ROWS} rows; split it into smaller files.")
        row, problems = _read_row(number, header, cells)
        if problems:
            errors.extend(problems)
        else:
            assert row is not None
            rows.append(row)
        if progress is not None and number % 5000 == 0:
            progress(number - 1)
    return rows, errors


def _data_records(records: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from records
    except csv.Error as exc:
        raise ValidationFailed(f"The file is not valid CSV: {exc}.") from None


def _header_errors(header: list[str]) -> list[RowError]:
    if not any(header):
        return [RowError(row=1, column="", message="The file is empty; it needs a header row.")]
    errors = [
        RowError(row=1, column=name, message=f"Unknown column {name!r}; allowed: "
                 + ", ".join(COLUMNS) + ".")
        for name in header
        if name not in COLUMNS
    ]  # fmt: skip
    for name in sorted({n for n in header if header.count(n) > 1}):
        errors.append(RowError(row=1, column=name, message=f"Column {name!r} appears twice."))
    if "name" not in header:
        errors.append(RowError(row=1, column="name", message="The header has no 'name' column."))
    return errors


def restore(cell: str) -> str:
    """A cell as it was before the export neutralised it (``'=SUM(1)`` → ``=SUM(1)``),
    with a line break inside it (Alt+Enter in a spreadsheet) read as one space."""
    cell = _LINE_BREAK.sub(" ", cell) if "\n" in cell or "\r" in cell else cell
    if cell.startswith("'") and audit.neutralise(cell[1:]) == cell:
        return cell[1:]
    return cell


def _read_row(
    number: int, header: list[str], cells: list[str]
) -> tuple[ImportRow | None, list[RowError]]:
    if len(cells) > len(header):
        message = f"This row has {len(cells)} cells; the header has {len(header)}."
        return None, [RowError(row=number, column="", message=message)]
    values = {column: restore(cell) for column, cell in zip(header, cells, strict=False)}
    errors: list[RowError] = []

    def field(column: str, parse: Callable[[str], Any]) -> Any:
        try:
            return parse(values.get(column, ""))
        except ValidationFailed as exc:
            errors.append(RowError(row=number, column=column, message=exc.detail))
            return None

    name = field("name", lambda v: clean_name(v, "name"))
    row = ImportRow(
        row=number,
        name=name or "",
        department=field("department", lambda v: clean_optional(v, "department")),
        category=field("category", lambda v: clean_optional(v, "category")),
        quantity=field("quantity", lambda v: _whole(v, "quantity")),
        threshold=field("threshold", lambda v: _whole(v, "threshold")),
        barcode=field("barcode", lambda v: clean_optional(v, "barcode", max_length=BARCODE_MAX)),
    )
    return (None, errors) if errors else (row, [])


def _whole(text: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not _WHOLE.fullmatch(text):
        raise ValidationFailed(f"{text[:40]!r} is not a whole number.")
    value = int(text)
    if value < 0:
        raise ValidationFailed(f"{what.capitalize()} must not be negative (got {value}).")
    if value > MAX_QUANTITY:
        raise ValidationFailed(f"{what.capitalize()} must be at most {MAX_QUANTITY}.")
    return value

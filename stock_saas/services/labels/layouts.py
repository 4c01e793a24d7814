"""Label stock: where each label sits on a sheet, or one label per page for label printers.

- ``a4-3x8``: A4, 3 x 8 labels of 63.5 x 33.9 mm (Avery L7159 and its equivalents). The
  issue asked for 63.5 x 38.1 mm, but 8 rows of 38.1 mm are 305 mm, more than an A4
  page holds: that label size comes 3 x 7 to a sheet (L7160). 3 x 8 is L7159's 33.9 mm.
- ``letter-3x10``: US Letter, 3 x 10 labels of 2.625 x 1 in (Avery 5160).
- ``62x29``: one 62 x 29 mm label per page (Brother DK-11209 and other label printers).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

__all__ = ["LabelLayout", "Sheet", "sheet_of"]


class LabelLayout(StrEnum):
    """The label stocks labels are printed on."""

    A4_3X8 = "a4-3x8"
    LETTER_3X10 = "letter-3x10"
    ROLL_62X29 = "62x29"


@dataclass(frozen=True, slots=True)
class Sheet:
    """A page of ``columns`` x ``rows`` labels, in PDF points (origin bottom left)."""

    page: tuple[float, float]
    label: tuple[float, float]
    columns: int
    rows: int
    left: float  # page edge to the first column
    top: float  # page edge to the first row
    pitch: tuple[float, float]  # label origin to the next one, across and down

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, position: int) -> tuple[float, float]:
        """Bottom-left corner of label ``position`` (0-based, row by row from the top left)."""
        column, row = position % self.columns, position // self.columns
        x = self.left + column * self.pitch[0]
        y = self.page[1] - self.top - row * self.pitch[1] - self.label[1]
        return x, y


_SHEETS = {
    LabelLayout.A4_3X8: Sheet(
        page=A4,
        label=(63.5 * mm, 33.9 * mm),
        columns=3,
        rows=8,
        left=7.25 * mm,
        top=12.9 * mm,
        pitch=(66.0 * mm, 33.9 * mm),
    ),
    LabelLayout.LETTER_3X10: Sheet(
        page=LETTER,
        label=(2.625 * inch, 1.0 * inch),
        columns=3,
        rows=10,
        left=0.1875 * inch,
        top=0.5 * inch,
        pitch=(2.75 * inch, 1.0 * inch),
    ),
    LabelLayout.ROLL_62X29: Sheet(
        page=(62 * mm, 29 * mm),
        label=(62 * mm, 29 * mm),
        columns=1,
        rows=1,
        left=0.0,
        top=0.0,
        pitch=(62 * mm, 29 * mm),
    ),
}


def sheet_of(layout: LabelLayout) -> Sheet:
    return _SHEETS[LabelLayout(layout)]

"""One label drawn as vectors: a QR code and a Code 128 of the same code, the title
(item or department name) shrunk or wrapped to fit, and a line under it (department and
category).

The QR symbol comes from zxing-cpp's encoder (level M, the standard's mask selection, in
C++: a quarter of a millisecond a code, where pure-Python encoders spend about 5 ms on
choosing the mask alone, and a fixed mask leaves some codes a scanner will not read);
the Code 128 symbol from reportlab's barcode module. Both are drawn as filled
rectangles in the page's content stream (no images), so 1,000 labels are a few hundred
kilobytes. Bar widths are whole multiples of a 300 dpi dot where the label has room, so
printed bars keep their proportions.
"""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from stock_saas.services.labels.typesetting import ellipsize, fit_lines

__all__ = ["Label", "draw_label"]

PAD = 1.5 * mm
GAP = 1.5 * mm
QR_BORDER = 2  # modules of quiet zone drawn inside the QR square (plus the label padding)
# 4, 3 and 2.25 dots at 300 dpi; below 0.19 mm a Code 128 is not reliably scanned.
BAR_WIDTHS = (0.3387 * mm, 0.254 * mm, 0.1905 * mm)
QUIET_MODULES = 10
NAME_SIZES = (10.0, 9.0, 8.0, 7.0, 6.0)
SMALL = 6.0


@dataclass(frozen=True, slots=True)
class Label:
    """What one label shows: ``code`` as both symbols, ``title`` big, ``detail`` small."""

    code: str
    title: str
    detail: str


def _qr_rows(code: str) -> list[bytes]:
    """The QR symbol of ``code`` as rows of modules (0 dark, 255 light), no quiet zone."""
    symbol = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[1]
    modules = memoryview(image).tobytes()  # type: ignore[arg-type]  # a buffer at run time
    return [modules[start : start + size] for start in range(0, len(modules), size)]


def _qr(canvas: Canvas, code: str, x: float, y: float, side: float) -> None:
    matrix = _qr_rows(code)
    count = len(matrix) + 2 * QR_BORDER
    canvas.saveState()
    # One module is one unit: the path is written with small integers (cheap to format).
    canvas.translate(x, y + side)
    canvas.scale(side / count, -side / count)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        start = -1
        for column, value in enumerate((*row, 255)):
            if value == 0 and start < 0:
                start = column
            elif value != 0 and start >= 0:
                path.rect(QR_BORDER + start, QR_BORDER + row_index, column - start, 1)
                start = -1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _code128(canvas: Canvas, code: str, x: float, y: float, width: float, height: float) -> bool:
    """A Code 128 of ``code`` centred in ``width``; False when it cannot be drawn wide
    enough to scan, or ``code`` is not ASCII (the QR code and the printed code still carry
    it)."""
    if not code.isascii():
        return False
    modules = Code128(code, barWidth=1, quiet=0).width + 2 * QUIET_MODULES
    bar = next((b for b in BAR_WIDTHS if modules * b <= width), None)
    if bar is None:
        return False
    quiet = QUIET_MODULES * bar
    symbol = Code128(code, barWidth=bar, barHeight=height, quiet=1, lquiet=quiet, rquiet=quiet)
    symbol.drawOn(canvas, x + (width - symbol.width) / 2, y)
    return True


def draw_label(
    canvas: Canvas,
    label: Label,
    origin: tuple[float, float],
    size: tuple[float, float],
    font: str,
) -> None:
    """Draw ``label`` in the ``size`` box whose bottom-left corner is ``origin``."""
    x, y = origin
    width, height = size
    inner_w, inner_h = width - 2 * PAD, height - 2 * PAD
    side = min(inner_h, inner_w * 0.38)
    _qr(canvas, label.code, x + PAD, y + PAD + (inner_h - side), side)
    column_x = x + PAD + side + GAP
    column_w = x + width - PAD - column_x
    code_y = y + PAD
    bars_y = code_y + SMALL * 1.1
    bars_h = min(8 * mm, inner_h * 0.28)
    canvas.setFont(font, SMALL)
    if _code128(canvas, label.code, column_x, bars_y, column_w, bars_h):
        canvas.drawCentredString(column_x + column_w / 2, code_y, label.code)
        text_bottom = bars_y + bars_h + 1 * mm
    else:
        canvas.drawString(column_x, code_y, ellipsize(label.code, font, SMALL, column_w))
        text_bottom = code_y + SMALL * 1.6
    detail_y = text_bottom
    if label.detail:
        canvas.drawString(column_x, detail_y, ellipsize(label.detail, font, SMALL, column_w))
        text_bottom = detail_y + SMALL * 1.5
    top = y + height - PAD
    size_pt, lines = fit_lines(label.title, font, column_w, top - text_bottom, NAME_SIZES)
    canvas.setFont(font, size_pt)
    for index, line in enumerate(lines):
        canvas.drawString(column_x, top - (index + 1) * size_pt * 1.1, line)

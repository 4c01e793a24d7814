"""Text on a label: the font, and names shrunk or wrapped to fit, never cut mid-glyph.

The font is a TrueType font embedded in the PDF (subset): ``LABEL_FONT_FILE`` when set
(e.g. a Noto CJK font for Chinese or Japanese names), else DejaVu Sans where the system
has it (Latin, Greek, Cyrillic and more), else reportlab's own Bitstream Vera (Latin).
Text is broken only between grapheme clusters (a letter and its combining marks stay
together); what still does not fit at the smallest size ends in an ellipsis.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from stock_saas.config import get_settings

__all__ = ["FONT", "font_name", "fit_lines", "ellipsize", "clusters"]

FONT = "StockSaasLabel"
ELLIPSIS = "\u2026"
_SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
_BUNDLED = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
_registered: dict[str, str] = {}
_lock = threading.Lock()


def _font_file() -> Path:
    configured = get_settings().label_font_file
    if configured is not None:
        return configured
    return next((p for p in _SYSTEM_FONTS if p.is_file()), _BUNDLED)


def font_name() -> str:
    """The registered name of the label font (registered once per file per process)."""
    path = str(_font_file())
    with _lock:
        name = _registered.get(path)
        if name is None:
            name = f"{FONT}{len(_registered)}"
            pdfmetrics.registerFont(TTFont(name, path))
            _registered[path] = name
    return name


def clusters(text: str) -> Iterator[str]:
    """``text`` in grapheme clusters (approximately: a base character with the combining
    marks, variation selectors and zero-width joins that follow it)."""
    cluster = ""
    joined = False
    for char in text:
        attached = (
            unicodedata.combining(char)
            or unicodedata.category(char) in ("Mn", "Me", "Mc")
            or 0xFE00 <= ord(char) <= 0xFE0F
            or char == "\u200d"
        )
        if cluster and not attached and not joined:
            yield cluster
            cluster = ""
        cluster += char
        joined = char == "\u200d"
    if cluster:
        yield cluster


def _width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """``text``, or its longest prefix of whole clusters plus an ellipsis, within ``width``."""
    if _width(text, font, size) <= width:
        return text
    kept = ""
    for cluster in clusters(text):
        if _width(kept + cluster + ELLIPSIS, font, size) > width:
            break
        kept += cluster
    return kept.rstrip() + ELLIPSIS


def _split_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than a line, broken between clusters."""
    pieces, piece = [], ""
    for cluster in clusters(word):
        if piece and _width(piece + cluster, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += cluster
    return [*pieces, piece] if piece else pieces


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _width(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = _split_word(word, font, size, width)
        lines.extend(pieces[:-1])
        line = pieces[-1] if pieces else ""
    if line:
        lines.append(line)
    return lines


def fit_lines(
    text: str, font: str, width: float, height: float, sizes: tuple[float, ...]
) -> tuple[float, list[str]]:
    """The largest of ``sizes`` at which ``text`` wraps into ``width`` x ``height`` (lines
    at 1.15 x the size), with its lines; at the smallest size the last line that fits is
    ellipsized."""
    for size in sizes:
        lines = _wrap(text, font, size, width)
        if len(lines) * size * 1.15 <= height:
            return size, lines
    size = sizes[-1]
    room = max(1, int(height // (size * 1.15)))
    lines = _wrap(text, font, size, width)
    if len(lines) > room:
        rest = " ".join(lines[room - 1 :])
        lines = [*lines[: room - 1], ellipsize(rest, font, size, width)]
    return size, lines

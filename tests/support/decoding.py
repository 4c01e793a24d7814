"""Reading printed labels back: render a PDF with poppler's ``pdftoppm`` and decode its
symbols with ``zbarimg`` (Debian poppler-utils and zbar-tools, installed by
``make browser``), as a scanner would."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

__all__ = ["DPI", "decode_image", "needs_decoders", "page_size_points", "render_pages"]

DPI = 300
needs_decoders = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg") and shutil.which("pdfinfo")),
    reason="poppler-utils and zbar-tools are not installed (make browser)",
)


def render_pages(pdf: bytes, folder: Path) -> list[Path]:
    """Every page of ``pdf`` as a PNG at DPI."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "labels.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(folder / "labels.pdf"), str(folder / "page")],
        check=True,
    )
    return sorted(folder.glob("page-*.png"))


def decode_image(image: Path, box: tuple[float, float, float, float] | None = None) -> list[str]:
    """The codes zbarimg reads in ``image`` (or in ``box``: left, top, right, bottom in
    points from the top-left corner of the page), sorted."""
    if box is not None:
        scale = DPI / 72
        with Image.open(image) as page:
            part = page.crop(tuple(round(v * scale) for v in box))
            image = image.with_name(f"{image.stem}-{'-'.join(str(int(v)) for v in box)}.png")
            part.save(image)
    found = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    return sorted(found.stdout.split())


def page_size_points(pdf: bytes, folder: Path) -> tuple[float, float]:
    (folder / "size.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(folder / "size.pdf")], capture_output=True, text=True)
    line = next(li for li in info.stdout.splitlines() if li.startswith("Page size:"))
    width, _, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)

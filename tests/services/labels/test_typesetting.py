"""Names on labels: shrunk or wrapped to fit, broken only between whole glyphs."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from stock_saas.services.labels.typesetting import clusters, ellipsize, fit_lines, font_name

SIZES = (10.0, 8.0, 6.0)


def test_a_short_name_keeps_the_largest_size_on_one_line():
    assert fit_lines("Gloves", font_name(), 100, 40, SIZES) == (10.0, ["Gloves"])


def test_a_long_name_wraps_and_shrinks_within_the_box():
    font = font_name()
    text = "Nitrile examination gloves, powder-free, size M (box of 100)"
    size, lines = fit_lines(text, font, 100, 30, SIZES)
    assert size < 10 and len(lines) * size * 1.15 <= 30
    assert " ".join(lines) == text
    assert all(stringWidth(line, font, size) <= 100 for line in lines)


def test_text_too_long_for_the_box_ends_in_an_ellipsis_on_a_glyph_boundary():
    font = font_name()
    text = "Cafe\u0301 " * 40  # é as e + combining acute accent
    size, lines = fit_lines(text, font, 60, 15, SIZES)
    assert (size, len(lines)) == (6.0, 2)
    assert lines[-1].endswith("\u2026")
    for line in lines:  # an accent never parted from its e
        assert not line.startswith("\u0301")
        assert not line.rstrip("\u2026 ").endswith("e")
    assert all(stringWidth(line, font, size) <= 60 for line in lines)


def test_clusters_keep_marks_and_joined_emoji_with_their_base():
    assert list(clusters("e\u0301x")) == ["e\u0301", "x"]
    family = "\U0001f469\u200d\U0001f467"
    assert list(clusters(f"a{family}b")) == ["a", family, "b"]
    assert ellipsize("Gloves", font_name(), 10, 200) == "Gloves"

"""The CSV neutraliser, in Python and in SQL, over arbitrary text (hypothesis)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, literal, select

from stock_saas.db import read_session
from stock_saas.services.audit import (
    FORMULA_TRIGGERS,
    LEADING_BLANKS,
    NeutralisingWriter,
    neutralise,
    neutralised_sql,
)

# Any Unicode text a file can hold: no lone surrogates (they cannot be encoded).
TEXT = st.text(st.characters(exclude_categories=("Cs",)))


@given(TEXT)
@example("=1+1")
@example("\r=cmd")
@example(' =HYPERLINK("http://x")')
@example("\u00a0\n+1")
@example("")
def test_neutralised_text_never_starts_like_a_formula(text: str):
    safe = neutralise(text)
    assert not safe.startswith(FORMULA_TRIGGERS)
    assert not safe.lstrip(LEADING_BLANKS).startswith(FORMULA_TRIGGERS)


@given(TEXT)
def test_neutralising_only_ever_prefixes_one_quote(text: str):
    looks = text[:1] in FORMULA_TRIGGERS or text.lstrip(LEADING_BLANKS)[:1] in FORMULA_TRIGGERS
    assert neutralise(text) == ("'" + text if looks else text)


@pytest.mark.parametrize("note", [" =1+1", "  @SUM(A1)", "\n-2+3", "\u3000+cmd", "\ufeff=x"])
def test_a_formula_behind_leading_blanks_is_neutralised(note: str):
    assert neutralise(note) == "'" + note


@pytest.mark.parametrize("note", [" 12 gloves", "a=b", "  plain text", " ", ""])
def test_text_that_is_no_formula_is_left_alone(note: str):
    assert neutralise(note) == note


@given(st.lists(TEXT, min_size=1, max_size=5), st.integers())
def test_every_text_cell_read_back_is_neutralised_and_numbers_are_untouched(
    cells: list[str], number: int
):
    buffer = io.StringIO(newline="")
    NeutralisingWriter(buffer).writerow([*cells, number])
    [row] = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert row == [*(neutralise(c) for c in cells), str(number)]


# PostgreSQL text cannot hold NUL; nothing stored can reach the export with one.
STORABLE = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(STORABLE)
@example("=1+1")
@example("\tx")
@example("é=")
@example(" =1+1")
@example("\u00a0\u2003@x")
@example("\u200b\ufeff-1")
def test_the_database_neutralises_exactly_like_python(database: str, text: str):
    with read_session() as session:
        in_sql = session.execute(select(neutralised_sql(literal(text, String)))).scalar_one()
    assert in_sql == neutralise(text)


# Text made of the characters the rule is about, so every blank/trigger mix is tried.
TRICKY = st.text(st.sampled_from([*LEADING_BLANKS, *FORMULA_TRIGGERS, "a", "é", "'", "1"]))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TRICKY)
def test_the_database_agrees_on_blanks_before_triggers(database: str, text: str):
    with read_session() as session:
        in_sql = session.execute(select(neutralised_sql(literal(text, String)))).scalar_one()
    assert in_sql == neutralise(text)

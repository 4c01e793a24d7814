"""The CSV neutraliser, in Python and in SQL, over arbitrary text (hypothesis)."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, literal, select

from stock_saas.db import read_session
from stock_saas.services.audit import (
    FORMULA_TRIGGERS,
    NeutralisingWriter,
    neutralise,
    neutralised_sql,
)

# Any Unicode text a file can hold: no lone surrogates (they cannot be encoded).
TEXT = st.text(st.characters(exclude_categories=("Cs",)))


@given(TEXT)
@example("=1+1")
@example("\r=cmd")
@example("")
def test_neutralised_text_never_starts_like_a_formula(text: str):
    assert not neutralise(text).startswith(FORMULA_TRIGGERS)


@given(TEXT)
def test_neutralising_only_ever_prefixes_one_quote(text: str):
    expected = "'" + text if text[:1] in FORMULA_TRIGGERS else text
    assert neutralise(text) == expected


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
def test_the_database_neutralises_exactly_like_python(database: str, text: str):
    with read_session() as session:
        in_sql = session.execute(select(neutralised_sql(literal(text, String)))).scalar_one()
    assert in_sql == neutralise(text)

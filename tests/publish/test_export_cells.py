"""Cells of the indicator workbook, written by xlsxwriter directly: missing values are empty cells (as pandas'
to_excel wrote them), NumPy scalars plain numbers, values xlsxwriter cannot write as numbers become text."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from publish.indicators.exports import _cell, _cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (pd.NA, None),
        (float("nan"), None),
        (np.float64("nan"), None),
        (np.float64(2.5), 2.5),
        (np.int64(3), 3),
        (np.bool_(True), True),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (datetime.date(2026, 1, 2), "2026-01-02"),
        (pd.Timestamp("2026-01-02 03:04"), "2026-01-02T03:04:00"),
        ("Nhóm a", "Nhóm a"),
    ],
)
def test_cell_values(value, expected):
    out = _cell(value)
    assert out == expected and type(out) is type(expected)


def test_cells_of_a_column_are_the_cells_of_its_values():
    """The workbook writes whole columns converted at once (no Python call per cell on the common dtypes): the
    result must be what ``_cell`` makes of each value, type included."""
    frame = pd.DataFrame(
        {
            "float": [1.5, float("nan"), float("inf"), float("-inf"), -2.0],
            "int": np.array([1, 2, 3, 4, 5], dtype="int64"),
            "int32": np.array([1, 2, 3, 4, 5], dtype="int32"),
            "bool": [True, False, True, False, True],
            "text": pd.Series(["a", None, "=1+1", "Nữ", ""], dtype="str"),
            "object_text": pd.Series(["a", None, float("nan"), "b", pd.NA], dtype=object),
            "mixed": pd.Series(
                [datetime.date(2026, 1, 2), pd.Timestamp("2026-01-02 03:04"), np.float64(2.5), None, pd.NaT],
                dtype=object,
            ),
            "empty": pd.Series([None] * 5, dtype=object),
            "nullable_int": pd.array([1, None, 3, 4, 5], dtype="Int64"),
            "nullable_float": pd.array([1.5, None, 3.0, 4.0, 5.0], dtype="Float64"),
        }
    )
    for name in frame.columns:
        got = list(_cells(frame[name]))
        expected = [_cell(value) for value in frame[name].astype(object)]
        assert got == expected, name
        assert [type(v) for v in got] == [type(v) for v in expected], name

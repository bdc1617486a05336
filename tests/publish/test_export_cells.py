"""Cells of the indicator workbook, written by xlsxwriter directly: missing values are empty cells (as pandas'
to_excel wrote them), NumPy scalars plain numbers, values xlsxwriter cannot write as numbers become text."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from orchestration.publish.indicators.exports import _cell


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

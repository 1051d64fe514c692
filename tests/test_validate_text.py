"""geo.validate's text normalisation: a categorical column (a reader's low-cardinality types) gives exactly what
the same values as plain text give, though only its distinct values are normalised."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo import validate

VALUES = ["Battles", " Battles ", "", "   ", "Riots\r\nand more", "old\rmac", "Explosions/Remote violence", None]


@pytest.mark.parametrize("values", [VALUES, [None, None], ["x"], [1, 2, None]], ids=["mixed", "all missing", "one", "ints"])
def test_categorical_text_equals_plain_text(values):
    rng = np.random.default_rng(3)
    picked = [values[i] for i in rng.integers(0, len(values), 500)]
    as_category = pd.DataFrame({"c": pd.Series(picked, dtype="category")})
    as_text = pd.DataFrame({"c": pd.Series(picked, dtype=object).astype("str").where(pd.notna(pd.Series(picked)))})
    got, want = validate.text_column(as_category, "c"), validate.text_column(as_text, "c")
    pd.testing.assert_series_equal(got, want)

"""Text columns as the check reads them: normalised once per distinct value, numbers parsed by polars."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc


def factorize(raw: pd.DataFrame, name: str) -> tuple[np.ndarray, pd.Index]:
    """Codes and distinct stripped values of a column: vocabularies have few values, so check those only."""
    if name not in raw:
        return np.full(len(raw), -1, dtype=np.intp), pd.Index([], dtype="str")
    codes, uniques = pd.factorize(raw[name], use_na_sentinel=True)
    texts = pd.Index(uniques).astype("str").str.strip()
    return codes, texts


def to_float(col: pd.Series) -> np.ndarray:
    """``pd.to_numeric(col, errors="coerce")`` as float64, ~10x faster on text columns.

    Text is parsed by polars; only the values it cannot read (padded with spaces, say) go through pandas, so the
    result is pandas' own. A categorical column is parsed once per category.
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        per_value = to_float(pd.Series(col.cat.categories))
        return np.append(per_value, np.nan)[col.cat.codes.to_numpy()]
    if isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
        parsed = pl.Series("n", pa.array(col.array), dtype=pl.String).cast(pl.Float64, strict=False)
        values = parsed.to_numpy()
        retry = np.flatnonzero(parsed.is_null().to_numpy() & col.notna().to_numpy())
        if len(retry):
            values[retry] = pd.to_numeric(col.iloc[retry], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        return values
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def chunked(col: pd.Series) -> pa.ChunkedArray:
    """A text column as arrow (no copy for arrow-backed text), always chunked so two compare alike."""
    arr = pa.array(col.array)
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def text_column(raw: pd.DataFrame, name: str, normalised: Collection[str] = (), coded: Collection[str] = ()
                ) -> pd.Series:
    """A text column as the check reads it: arrow text, normalised (``normalised_text``); an absent one all missing."""
    if name not in raw:
        return pd.Series(pd.NA, index=raw.index, dtype="str")
    col = raw[name]
    if name in normalised and isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
        return col  # (its reader made it so: see ``check``)
    if isinstance(col.dtype, pd.CategoricalDtype):
        # each distinct value is normalised once, then spread by the codes: not a million strings stripped
        values = normalised_text(pd.Series(col.cat.categories, dtype=object).astype("str"))
        if name in coded:  # (left categorical: see ``check``)
            return recoded(col, values)
        return pd.Series(values.array.take(col.cat.codes.to_numpy(), allow_fill=True), index=col.index, name=col.name)
    return normalised_text(col)


def recoded(col: pd.Series, values: pd.Series) -> pd.Series:
    """A categorical with its categories replaced by ``values`` (normalised: some may now be alike, or missing)."""
    if values.notna().all() and values.is_unique:
        if values.equals(pd.Series(col.cat.categories, dtype=values.dtype)):
            return col
        return col.cat.rename_categories(pd.Index(values, dtype="str"))
    position, distinct = pd.factorize(values, use_na_sentinel=True)
    codes = np.append(position, -1)[col.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(distinct, dtype="str")), index=col.index,
                     name=col.name)


def normalised_text(col: pd.Series) -> pd.Series:
    """Text stripped, with one kind of line break, and empty cells as missing."""
    text = col.astype("str")
    missing = col.isna().to_numpy()
    if not np.array_equal(text.isna().to_numpy(), missing):  # (a copy only when astype wrote text for a gap)
        text = text.where(~missing)
    if missing.all():
        return text  # (a column without any value: nothing to strip)
    # the raw bytes say whether any cell may need stripping or holds a CR: most columns need neither (no copy)
    checks = [needs_work(c) for c in chunked(text).chunks]
    trim, cr = any(t for t, _ in checks), any(c for _, c in checks)
    if trim:
        stripped = text.str.strip()
        if not chunked(stripped).equals(chunked(text)):
            text = stripped  # else keep the column itself: the events then share its memory, no second copy
        del stripped
    if cr:
        # Old Mac line ends (lone CR) split CSV rows in some readers: keep one kind of line break.
        text = text.str.replace("\r\n?", "\n", regex=True)
    if not trim:
        return text
    empty = (text == "").fillna(False).to_numpy(dtype=bool)
    return text.where(~empty) if empty.any() else text  # an empty cell means "not given", as in CSV files


_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_SPACE[128:] = True  # a multi-byte character may be Unicode white space (U+00A0...): look closer


def needs_work(chunk: pa.Array) -> tuple[bool, bool]:
    """(may have white space at either end or be empty, has a CR) of an arrow text array, from its raw buffers:
    no copy, no regex."""
    if len(chunk) == 0:
        return False, False
    _, offsets, data = chunk.buffers()
    if data is None:
        return False, False
    width = 8 if pa.types.is_large_string(chunk.type) else 4
    starts = np.frombuffer(offsets, dtype=np.int64 if width == 8 else np.int32, count=len(chunk) + 1,
                           offset=chunk.offset * width)
    body = np.frombuffer(data, dtype=np.uint8)
    lengths = np.diff(starts)
    valid = ~np.asarray(chunk.is_null(), dtype=bool) if chunk.null_count else np.ones(len(chunk), dtype=bool)
    filled = valid & (lengths > 0)
    ends = _SPACE[body[starts[:-1][filled]]].any() or _SPACE[body[starts[1:][filled] - 1]].any()
    empty = bool((valid & (lengths == 0)).any())
    return bool(ends or empty), bool((body[starts[0]:starts[-1]] == 13).any())


def is_blank(s: pd.Series) -> np.ndarray:
    return (s.isna() | (s == "")).to_numpy()


def distinct(text: pd.Series) -> tuple[np.ndarray, pl.Series]:
    """Row codes (-1 where missing) and the distinct values of a text column.

    JSON columns often repeat (an import gives every row of a day the same sources), so they are decoded once per
    distinct text. A column of mostly distinct values (counted on hashes, which is cheap) skips the grouping.
    """
    arr = pa.array(text.array, type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    series = pl.Series("s", arr, dtype=pl.String)
    if series.hash().n_unique() > len(series) // 2:
        codes = np.arange(len(series), dtype=np.intp)
        codes[series.is_null().to_numpy()] = -1
        return codes, series
    encoded = pc.dictionary_encode(arr)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
    return codes, pl.Series("s", encoded.dictionary, dtype=pl.String)


def spread(per_distinct: np.ndarray | pl.Series, codes: np.ndarray, *, missing: bool = False) -> np.ndarray:
    """A per-distinct-value boolean spread to the rows; rows without a value get ``missing``."""
    values = np.asarray(per_distinct, dtype=bool)
    return np.append(values, missing)[codes]


def as_rows(text: pd.Series, codes: np.ndarray, distinct: pl.Series, normal: pl.Series,
             missing: str | None = None) -> pd.Series:
    """Each row's normalised text (``missing`` where it has none): the column itself when nothing changes."""
    if (missing is None or codes.min(initial=0) >= 0) and bool(normal.eq_missing(distinct).all()):
        return text  # the common case (files our writers produced): no million-string copy
    values = normal.to_arrow()
    if missing is not None:
        values = pa.concat_arrays([values.cast(pa.large_string()), pa.array([missing], pa.large_string())])
        codes = np.where(codes < 0, len(normal), codes)
    taken = values.take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype="str"), index=text.index)

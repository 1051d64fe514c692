"""ACLED's columns as ours, each worked out once per distinct value: the dictionary columns of the parse stay codes.

Used by ``geo.ingest.acled``; the frame's categorical columns are its dictionary columns, cleaned in ``read``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.ingest import mapping
from geo.ingest.common import categorical, clean_text, coded_text, text_col


def category(frame: pd.DataFrame, name: str) -> pd.Series:
    """A low-cardinality text column (types, codes), cleaned and encoded by arrow as a categorical."""
    if name not in frame:
        return pd.Series(pd.Categorical.from_codes(np.full(len(frame), -1), categories=[]), index=frame.index)
    return pd.Series(categorical(clean_text(pa.array(frame[name].array))), index=frame.index)


def actors(frame: pd.DataFrame, disrupted: np.ndarray) -> tuple[pd.Categorical, pd.Categorical, np.ndarray]:
    """Each row's actor (who attacked: actor2 in disrupted rows, else actor1; "Unidentified" where none is named)
    and target, as codes into one list of names, and which actors are unnamed (each name tested once).

    The actor comes out as the check would type it (categories: the names it holds, sorted); the target leaves as
    text (``finish``'s ``as_text``)."""
    c1, v1 = codes_of(distinct(frame, "actor1"))
    c2, v2 = codes_of(distinct(frame, "actor2"))
    names = v1.append(v2).unique()
    n1, n2 = np.append(names.get_indexer(v1), -1)[c1], np.append(names.get_indexer(v2), -1)[c2]
    actor, target = (np.where(disrupted, n2, n1), np.where(disrupted, n1, n2)) if disrupted.any() else (n1, n2)
    unidentified = np.append(np.asarray(names.str.startswith("Unidentified"), dtype=bool), True)  # (-1: none named)
    unnamed = unidentified[actor]
    if (actor < 0).any():
        if "Unidentified" not in names:
            names = names.append(pd.Index(["Unidentified"], dtype="str"))
        actor = np.where(actor < 0, names.get_loc("Unidentified"), actor)
    held = names[np.flatnonzero(np.bincount(actor, minlength=len(names)))] if len(actor) else names[:0]
    categories = pd.Categorical(pd.array(held, dtype="str")).categories  # (sorted as pandas sorts them)
    actor_cat = pd.Categorical.from_codes(categories.get_indexer(names)[actor] if len(actor) else actor,
                                          categories=categories)
    return actor_cat, pd.Categorical.from_codes(target, categories=names), unnamed


def codes_of(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Row codes (-1: missing) and the distinct texts of a text column (a categorical's own)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy().astype(np.int64), pd.Index(col.cat.categories, dtype="str")
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(uniques, dtype="str")


def distinct(frame: pd.DataFrame, name: str) -> pd.Series:
    """``text_col``, but a column read dictionary-encoded stays as it is, a categorical (its categories were cleaned
    in ``read``): for steps that work per distinct value (numbers, country codes, sources), which would otherwise
    decode a million strings to encode them again. A category no row holds any more changes none of their results."""
    col = frame.get(name)
    if col is not None and isinstance(col.dtype, pd.CategoricalDtype):
        return col
    return text_col(frame, name)


def recode(codes: pd.Series, table: dict[str, str], default: str, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """A categorical of source codes as one of our vocabularies, translated once per distinct code."""
    cat = codes.cat
    target = pd.Index(dtype.categories)
    labels = np.append(target.get_indexer([table.get(c, default) for c in cat.categories]),
                       target.get_loc(default))
    return pd.Categorical.from_codes(labels[cat.codes.to_numpy()], dtype=dtype)


def stamps(stamp: pd.Series) -> pd.Series:
    """UNIX seconds as ISO 8601 UTC text, formatted once per distinct value (an export has few)."""
    codes, uniques = pd.factorize(stamp, use_na_sentinel=True)
    text = pd.to_datetime(pd.Series(uniques, dtype="float64"), unit="s", utc=True, errors="coerce")
    formatted = pa.array(text.dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(dtype=object), pa.large_string(),
                         from_pandas=True)
    return coded_text(codes, formatted, stamp.index)


def inter(col: pd.Series) -> pd.Series:
    """Numeric inter codes (1-8) as ACLED's text; text codes as they are (replaced once per distinct code)."""
    values = pa.array(col.array)
    encoded = pc.dictionary_encode(values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values)
    labels = pa.array([mapping.ACLED_INTER.get(c, c) for c in encoded.dictionary.to_pylist()], pa.large_string())
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return coded_text(codes, labels, col.index)

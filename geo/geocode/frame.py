"""Geocoding a table: the importers' entry point (events that come with a place text but no coordinates)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo.geocode.geocoder import Match, geocode
from geo.geocode.rank import DEFAULT_AOI


def geocode_frame(frame: pd.DataFrame, *, text_column: str = "location", country_column: str | None = "country",
                  admin1_column: str | None = "admin1", aoi: Sequence[str] = DEFAULT_AOI,
                  coarse: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` where every row whose ``lon``/``lat`` are missing (NaN or absent) and whose text geocodes
    gets ``lon, lat, precision_km, geo_precision, country`` (if empty), ``admin1`` (if empty) and
    ``geocoded = True``; other rows get ``geocoded = False``; ``geocode_note`` says what matched and why, or why
    nothing did. The row's country (ISO3) and admin1 constrain its place. Each distinct (text, country, admin1)
    is geocoded once. ``coarse``: a place the gazetteer lacks, named beside its district or province, gets that
    area (geo_precision 3, the area's radius as precision), as in ``geocode``."""
    out = frame.copy()
    for col in ("lon", "lat", "precision_km"):
        out[col] = pd.to_numeric(out[col], errors="coerce") if col in out else np.nan
    for col in ("country", "admin1"):
        if col not in out:
            out[col] = ""
    out["geo_precision"] = out["geo_precision"] if "geo_precision" in out else pd.NA
    need = (out["lon"].isna() | out["lat"].isna()) & out[text_column].notna()
    out["geocoded"] = False
    out["geocode_note"] = ""
    if not need.any():
        return out

    def column(name: str | None) -> pd.Series | str:
        return out.loc[need, name].fillna("").astype(str) if name and name in out else ""

    pairs = pd.DataFrame({"text": out.loc[need, text_column].astype(str), "country": column(country_column),
                          "admin1": column(admin1_column)})
    results = {(t, c, a): geocode(t, country=c or None, admin1=a or None, aoi=aoi, coarse=coarse)
               for t, c, a in pairs.drop_duplicates().itertuples(index=False)}
    got = [results[(t, c, a)] for t, c, a in pairs.itertuples(index=False)]
    ok = np.array([isinstance(m, Match) for m in got])
    rows = pairs.index[ok]
    hits = [m for m in got if isinstance(m, Match)]
    out.loc[rows, "lon"] = [m.lon for m in hits]
    out.loc[rows, "lat"] = [m.lat for m in hits]
    out.loc[rows, "precision_km"] = [m.precision_km for m in hits]
    out.loc[rows, "geo_precision"] = [m.geo_precision for m in hits]
    empty_c = out.loc[rows, "country"].fillna("").astype(str) == ""
    out.loc[rows[empty_c.to_numpy()], "country"] = [m.country for m, e in zip(hits, empty_c) if e]
    empty_a = out.loc[rows, "admin1"].fillna("").astype(str) == ""
    out.loc[rows[empty_a.to_numpy()], "admin1"] = [m.admin1 for m, e in zip(hits, empty_a) if e]
    out.loc[rows, "geocoded"] = True
    out.loc[pairs.index, "geocode_note"] = [f"{m.relation} {m.matched} ({m.kind}, score {m.score:.2f}; {m.why})"
                                            if isinstance(m, Match) else m.error for m in got]
    return out

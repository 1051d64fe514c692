"""The bridge to the offline geocoder (``geo.geocode``): place names to points, and points to place names.

* ``geocode_places``: rows with a place name but no coordinates; each distinct (place, country) pair once.
* ``name_points``: rows with coordinates but no place name: country and admin1 from ``geo.reverse_geocode``, the
  place from the nearest GeoNames town of the gazetteer when it is close enough to name the point honestly, else
  the admin1 or the country. The result is flagged as derived (``location_derived``).
* ``admin1_radius_km``: the extent of the first-level unit holding a point (GDELT's ADM1 centroids).

Each returns None (or NaN) when the geocoder is not installed, so readers report "not available" instead of failing.
"""

from __future__ import annotations

import functools
import importlib

import numpy as np
import pandas as pd

#: A point within a town's own radius is named by it (AT_KM for a village, up to 20 km for a city of millions:
#: 0.012 km per square root of its population); up to NEAR_KM beyond that "near" it; farther, only its admin1 or
#: country.
AT_KM, NEAR_KM = 2.0, 15.0


def geocoder():
    """``geo.geocode.geocode_frame`` (the importers' entry point), or None when the module is not there."""
    try:
        module = importlib.import_module("geo.geocode")
    except ImportError:
        return None
    return getattr(module, "geocode_frame", None)


def geocode_places(places: pd.Series, countries: pd.Series, *, coarse: bool = False
                   ) -> tuple[np.ndarray, ...] | None:
    """(lon, lat, precision_km, note) per row: where no place matched NaN and the reason, else what matched and why;
    None without geocoder.
    ``coarse``: a place the gazetteer lacks takes the district or province named beside it (see ``geocode``)."""
    fn = geocoder()
    if fn is None:
        return None
    frame = pd.DataFrame({"location": places.to_numpy(dtype=object), "country": countries.to_numpy(dtype=object),
                          "lon": np.nan, "lat": np.nan})
    out = fn(frame, text_column="location", country_column="country", coarse=coarse)
    found = out["geocoded"].to_numpy(dtype=bool)
    lon = np.where(found, out["lon"].to_numpy(dtype="float64"), np.nan)
    lat = np.where(found, out["lat"].to_numpy(dtype="float64"), np.nan)
    km = out["precision_km"].to_numpy(dtype="float64") if "precision_km" in out else np.full(len(out), 25.0)
    note = out["geocode_note"].astype("str").to_numpy(dtype=object) if "geocode_note" in out else ""
    reason = np.where(found, note, "no coordinates, and the place was not found by the geocoder: " + note
                      + "; add latitude/longitude columns or a place name the gazetteer knows")
    return lon, lat, km, reason.astype(object)


@functools.lru_cache(maxsize=1)
def _towns():
    """(KD-tree of the gazetteer's towns on the unit sphere, their names)."""
    from scipy.spatial import cKDTree

    from geo.geocode import gazetteer as gz

    gaz = gz.load()
    towns = np.flatnonzero(gaz.kind == "place")
    lo, la = np.radians(gaz.lon[towns]), np.radians(gaz.lat[towns])
    xyz = np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    radius = np.clip(0.012 * np.sqrt(np.nan_to_num(gaz.population[towns].astype("float64"))), AT_KM, 20.0)
    return cKDTree(xyz), np.array([gaz.name[i] for i in towns], dtype=object), radius


def name_points(lon: np.ndarray, lat: np.ndarray) -> pd.DataFrame | None:
    """country, admin1, location and the distance (km) to the town that names it, for each point; None without
    the geocoder. Points off any country get '' for country and admin1."""
    try:
        from geo.geocode.reverse import reverse
    except ImportError:
        return None
    where = reverse(lon, lat)
    tree, names, radius = _towns()
    lo, la = np.radians(np.nan_to_num(lon)), np.radians(np.nan_to_num(lat))
    chord, nearest = tree.query(np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)]))
    km = 2 * 6371.0088 * np.arcsin(np.minimum(chord / 2, 1.0))
    town = pd.Series(names[nearest], dtype="str")
    from geo.schema import country_name

    codes = pd.Series(where["country"].to_numpy(dtype=object), dtype="str")
    country = codes.map({c: country_name(c) for c in codes.dropna().unique() if c})
    admin1 = pd.Series(where["admin1"].to_numpy(dtype=object), dtype="str").replace("", np.nan)
    region = admin1.where(admin1.isna() | country.isna(), admin1 + ", " + country).fillna(country)
    own = radius[nearest]
    location = town.where(km <= own, ("near " + town).where(km <= own + NEAR_KM, region))
    return pd.DataFrame({"country": codes.replace("", np.nan), "admin1": admin1, "location": location, "km": km})


@functools.lru_cache(maxsize=1)
def _admin1_sizes() -> dict[str, float]:
    from geo.geocode import gazetteer as gz

    gaz = gz.load()
    units = np.flatnonzero(gaz.kind == "admin1")
    return {gaz.ref[i]: float(gaz.precision_km[i]) for i in units}


def admin1_radius_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Extent (km) of the first-level unit holding each point, from the gazetteer; NaN when unknown."""
    try:
        from geo.geocode.reverse import reverse
    except ImportError:
        return np.full(len(lon), np.nan)
    where = reverse(lon, lat)
    keys = "admin1:" + where["country"].astype("str") + "|" + where["admin1"].astype("str")
    return keys.map(_admin1_sizes()).to_numpy(dtype="float64", na_value=np.nan)

"""The bridge to the offline geocoder (``geo.geocode``), which may not be installed in this tree yet.

``geocode_places`` returns None when there is no geocoder, so readers can report "geocoding not available"
instead of failing; otherwise it geocodes each distinct (place, country) pair once.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd


def geocoder():
    """``geo.geocode.geocode_frame`` (the importers' entry point), or None when the module is not there."""
    try:
        module = importlib.import_module("geo.geocode")
    except ImportError:
        return None
    return getattr(module, "geocode_frame", None)


def geocode_places(places: pd.Series, countries: pd.Series) -> tuple[np.ndarray, ...] | None:
    """(lon, lat, precision_km, reason) per row, NaN and a reason where no place matched; None without geocoder.

    ``geocode_frame`` geocodes each distinct (text, country) pair once.
    """
    fn = geocoder()
    if fn is None:
        return None
    frame = pd.DataFrame({"location": places.to_numpy(dtype=object), "country": countries.to_numpy(dtype=object),
                          "lon": np.nan, "lat": np.nan})
    out = fn(frame, text_column="location", country_column="country")
    found = out["geocoded"].to_numpy(dtype=bool)
    lon = np.where(found, out["lon"].to_numpy(dtype="float64"), np.nan)
    lat = np.where(found, out["lat"].to_numpy(dtype="float64"), np.nan)
    km = out["precision_km"].to_numpy(dtype="float64") if "precision_km" in out else np.full(len(out), 25.0)
    note = out["geocode_note"].astype("str").to_numpy(dtype=object) if "geocode_note" in out else ""
    reason = np.where(found, "", "no coordinates, and the place was not found by the geocoder: " + note)
    return lon, lat, km, reason.astype(object)

"""The user's own gazetteer: the places of their imported ACLED / UCDP records, searchable by name.

``learn_places(events)`` turns a collection's records (``location``, ``country``, ``admin1``, coordinates,
``precision_km``) into a small index in ``geo.paths.data_dir()/gazetteer/user_places.pickle`` (written atomically,
replaced whole: call it after every import or merge with the whole collection). ``geocode`` answers a name found
there first (relation "learnt"), in the countries its context allows, so the places of the user's own data resolve
to the coordinates their publisher gave. The index is re-read when its file changes.
"""

from __future__ import annotations

import functools
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from geo.geocode.gazetteer import normalize
from geo.geocode.rank import Context
from geo.store import atomic

if TYPE_CHECKING:  # pandas loads only to learn places: a lookup never needs it
    import pandas as pd

FILE = "user_places.pickle"
#: Coordinates of one name that scatter more than this (km, the records' own spread) are several places, kept apart
#: by admin1; within one admin1 they still answer, with the spread as precision.
_MIN_KM = 1.0


@dataclass(frozen=True)
class Place:
    """One learnt place: its name as the records give it and where they put it."""

    name: str
    country: str
    admin1: str
    lon: float
    lat: float
    precision_km: float
    records: int


def index_path() -> Path:
    """Where the user's gazetteer is kept ($CEM_DATA_DIR/gazetteer/user_places.pickle by default)."""
    env = os.environ
    if own := env.get("CEM_DATA_DIR"):  # the other variables only count without it (one read per lookup, not 3)
        return _path(own, None, None)
    return _path(None, env.get("XDG_DATA_HOME"), env.get("HOME"))


@functools.lru_cache(maxsize=4)
def _path(*_env: str | None) -> Path:
    from geo.paths import data_dir

    return data_dir() / "gazetteer" / FILE


def version() -> float:
    """The modification time of the user's gazetteer (-1 when there is none): results cached before a change of it
    are stale."""
    return current()[0]


def current() -> tuple[float, dict[str, list[Place]]]:
    """The user's gazetteer as now on disk: (its version, see ``version``; its places, for ``lookup``)."""
    path = index_path()
    places = _index(path)
    return _cache[path][1], places


def learn_places(events: pd.DataFrame, *, path: str | os.PathLike[str] | None = None) -> int:
    """Rebuild the user's gazetteer from a collection's records; returns the number of distinct places learnt.

    Records need ``location`` and coordinates (``lon``/``lat`` columns, or a point ``geometry``); ``country``,
    ``admin1`` and ``precision_km`` are used when present. Records without a place name or a point are skipped.
    """
    frame = _points(events)
    out = Path(path) if path else index_path()
    places: dict[str, list[Place]] = {}
    if len(frame):
        frame["key"] = [normalize(str(t)) for t in frame["location"]]
        frame = frame[frame["key"] != ""]
        for (key, country, admin1), g in frame.groupby(["key", "country", "admin1"], sort=False):
            lon, lat = float(g["lon"].median()), float(g["lat"].median())
            spread = float(np.hypot((g["lon"] - lon) * 111 * np.cos(np.radians(lat)), (g["lat"] - lat) * 111).max())
            prec = max(float(g["precision_km"].min()) if g["precision_km"].notna().any() else 2.0, spread, _MIN_KM)
            places.setdefault(key, []).append(Place(str(g["location"].iloc[0]), country, admin1, lon, lat,
                                                    round(prec, 1), len(g)))
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(out, pickle.dumps(places, protocol=5))
    _cache.clear()
    return sum(len(v) for v in places.values())


def _points(events: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    if "location" not in events or not len(events):
        return pd.DataFrame(columns=["location", "country", "admin1", "lon", "lat", "precision_km"])
    if "lon" in events and "lat" in events:
        lon, lat = pd.to_numeric(events["lon"], errors="coerce"), pd.to_numeric(events["lat"], errors="coerce")
    elif "geometry" in events:
        geom = events["geometry"]
        lon = pd.Series([getattr(p, "x", np.nan) if p is not None and not p.is_empty else np.nan for p in geom],
                        index=events.index)
        lat = pd.Series([getattr(p, "y", np.nan) if p is not None and not p.is_empty else np.nan for p in geom],
                        index=events.index)
    else:
        return _points(events.iloc[0:0])
    frame = pd.DataFrame({
        "location": events["location"].astype("string").fillna("").str.strip(),
        "country": events["country"].astype("string").fillna("").str.upper() if "country" in events else "",
        "admin1": events["admin1"].astype("string").fillna("") if "admin1" in events else "",
        "lon": lon, "lat": lat,
        "precision_km": pd.to_numeric(events["precision_km"], errors="coerce") if "precision_km" in events
        else np.nan,
    })
    ok = (frame["location"] != "") & frame["lon"].between(-180, 180) & frame["lat"].between(-90, 90)
    return frame[ok].astype({"location": str, "country": str, "admin1": str})


_cache: dict[Path, tuple[float, float, dict[str, list[Place]]]] = {}
_NONE: dict[str, list[Place]] = {}


def _index(path: Path | None = None) -> dict[str, list[Place]]:
    """The user's places, re-read when the file changes (checked at most once a second)."""
    path = path or index_path()
    now = time.monotonic()
    hit = _cache.get(path)
    if hit is not None and now - hit[0] < 1.0:
        return hit[2]
    try:
        mtime = path.stat().st_mtime
    except OSError:  # no user gazetteer: always the same empty one, so the geocoder's result cache stays valid
        _cache[path] = (now, -1.0, _NONE)
        return _NONE
    if hit is not None and hit[1] == mtime:
        _cache[path] = (now, mtime, hit[2])
        return hit[2]
    try:
        places = pickle.loads(path.read_bytes())
    except Exception:  # a damaged user index is ignored, never trusted
        places = {}
    _cache[path] = (now, mtime, places)
    return places


def lookup(name: str, ctx: Context, places: dict[str, list[Place]] | None = None) -> Place | None:
    """The learnt place called ``name`` in the countries ``ctx`` allows (its admin1 units first), if one only.
    ``places``: the user's places as ``current`` gave them (read again when not given)."""
    places = _index() if places is None else places
    if not places:
        return None
    found = places.get(normalize(name))
    if not found:
        return None
    if ctx.countries:
        found = [p for p in found if p.country in ctx.countries]
    if ctx.units:
        inside = [p for p in found if f"{p.country}|{p.admin1}" in ctx.units]
        found = inside or found
    if ctx.admin1:
        same = [p for p in found if p.admin1.casefold() == ctx.admin1.casefold()]
        found = same or found
    if len({(p.country, p.admin1) for p in found}) != 1:
        return None  # unknown, or the same name in several places: the gazetteer decides
    return max(found, key=lambda p: p.records)

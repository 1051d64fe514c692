"""Do the coordinates fit what the record says? The country it names, and the CRS the file declares.

Wrong places pass every per-field check: swapped lat/lon put an Iraqi event in Crimea, degrees labelled EPSG:3857
put it off Africa near 0,0. Both checks are vectorised: one ``contains_xy`` per named country (a loop over the few
countries, never over events) against the Natural Earth outline buffered by a tolerance for border sites and
simplified coasts; only the points outside it are looked at further.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import shapely

from geo.countries import COUNTRIES_PATH, NE_ISO3
from geo.errors import ReadError

#: A point this close to its country's outline passes: border sites, rivers, and the 1:50m outline's coasts.
BORDER_KM = 40.0
#: At sea, a point passes within an exclusive economic zone (200 nautical miles) of the country it names.
SEA_KM = 370.0
_KM_PER_DEGREE = 111.2
#: Pairs with a disputed or de facto border: a point on the other side passes when it is within SEA_KM.
_DISPUTED: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "ISR": {"PSE", "SYR", "LBN"}, "PSE": {"ISR"}, "SYR": {"ISR"}, "LBN": {"ISR"}, "UKR": {"RUS"},
    "RUS": {"UKR", "GEO"}, "GEO": {"RUS"}, "SRB": {"XKX"}, "XKX": {"SRB"}, "MAR": {"ESH"}, "ESH": {"MAR"},
    "IND": {"PAK", "CHN"}, "PAK": {"IND"}, "CHN": {"IND", "TWN"}, "TWN": {"CHN"}, "ARM": {"AZE"}, "AZE": {"ARM"},
    "SDN": {"SSD"}, "SSD": {"SDN"}, "CYP": {"TUR"}, "SOM": {"ETH"}, "ETH": {"SOM"},
}.items()}


@functools.lru_cache(maxsize=1)
def outlines() -> tuple[pd.Index, np.ndarray, shapely.STRtree]:
    """ISO3 codes, one (multi)polygon per code, and an STRtree over them (read once per process).

    The merged outlines are kept as WKB in the cache folder, keyed by the outline file's content: building them
    from the GeoJSON costs ~0.4 s of every validating process, reading the WKB a few ms.
    """
    import hashlib
    import zipfile

    from geo.paths import cache_dir

    key = hashlib.sha1(COUNTRIES_PATH.read_bytes()).hexdigest()[:16]
    kept = cache_dir() / f"country-outlines-{_OUTLINES_VERSION}-{key}.npz"
    try:
        with np.load(kept, allow_pickle=False) as saved:  # (never pickle: a cache file is not trusted code)
            ends = saved["ends"]
            blob = saved["wkb"].tobytes()
            geoms = shapely.from_wkb([blob[a:b] for a, b in zip(np.concatenate([[0], ends[:-1]]), ends)])
            codes = pd.Index(saved["codes"].tolist(), dtype="str")
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile, shapely.errors.GEOSException):
        codes, geoms = _build_outlines()
        _keep_outlines(kept, codes, geoms)
    return codes, geoms, shapely.STRtree(geoms)


#: Bump when the merged outlines change for the same file (their cache is then rebuilt).
_OUTLINES_VERSION = "1"


def _keep_outlines(path, codes: pd.Index, geoms: np.ndarray) -> None:
    """Write the merged outlines as WKB, atomically; a cache folder that cannot be written only costs speed."""
    from geo.store import atomic

    wkb = shapely.to_wkb(geoms)

    def write(tmp) -> None:
        with open(tmp, "wb") as out:
            np.savez(out, codes=np.array(list(codes), dtype=str), ends=np.cumsum([len(w) for w in wkb]),
                     wkb=np.frombuffer(b"".join(wkb), dtype=np.uint8))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_with(path, write)
    except OSError:
        pass


def _build_outlines() -> tuple[pd.Index, np.ndarray]:
    """ISO3 codes and one merged (multi)polygon per code, from the bundled Natural Earth outlines."""
    import orjson
    import pycountry

    features = orjson.loads(COUNTRIES_PATH.read_bytes())["features"]
    by_code: dict[str, list] = {}
    for f in features:
        name = f["properties"]["name"]
        code = NE_ISO3.get(name)
        if code is None:
            try:
                code = pycountry.countries.lookup(name).alpha_3
            except LookupError:
                continue  # (a few islands and Antarctic lands: no event names them)
        by_code.setdefault(code, []).append(shapely.geometry.shape(f["geometry"]))
    codes = pd.Index(sorted(by_code), dtype="str")
    return codes, np.array([shapely.union_all(by_code[c]) for c in codes], dtype=object)


def country_at(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """ISO3 code of the country nearest each point (the one it lies in, or the closest coast at sea)."""
    codes, _, tree = outlines()
    pts = shapely.points(np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"))
    which, near = tree.query_nearest(pts, all_matches=False)
    out = np.full(len(pts), None, dtype=object)
    out[which] = codes.to_numpy()[near]
    return out


@functools.lru_cache(maxsize=512)
def _zone(code: str, km: float) -> shapely.Geometry | None:
    """The country's outline grown by ``km`` (in degrees of latitude: a little less east-west), simplified."""
    codes, geoms, _ = outlines()
    at = codes.get_indexer([code])[0]
    if at < 0:
        return None
    degrees = km / _KM_PER_DEGREE
    if not degrees:  # the outline itself, prepared for fast point tests
        zone = shapely.simplify(geoms[at], 0.005)
        shapely.prepare(zone)
        return zone
    zone = shapely.simplify(shapely.buffer(shapely.simplify(geoms[at], degrees / 4), degrees, quad_segs=4),
                            degrees / 4)
    shapely.prepare(zone)
    return zone


def country_problems(x: np.ndarray, y: np.ndarray, country: pd.Categorical) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose point lies outside the country they name (beyond the tolerances), and a reason for each.

    ``x``/``y`` are lon/lat (NaN where there is no valid point); ``country`` holds ISO3 codes. Countries without
    an outline in the basemap are not checked. Returns a boolean mask and an object array of reasons.
    """
    n = len(x)
    bad = np.zeros(n, dtype=bool)
    reasons = np.full(n, None, dtype=object)
    codes = np.asarray(country.codes)
    ok = np.isfinite(x) & np.isfinite(y) & (codes >= 0)
    if not ok.any():
        return bad, reasons
    outside: list[np.ndarray] = []
    for i, code in enumerate(country.categories):
        rows = np.flatnonzero(ok & (codes == i))
        zone = _zone(str(code), BORDER_KM) if len(rows) else None
        if zone is not None:
            outside.append(rows[~shapely.contains_xy(zone, x[rows], y[rows])])
    rows = np.concatenate(outside) if outside else np.array([], dtype=np.intp)
    if len(rows):
        named = np.asarray(country.categories.astype("str"))[codes[rows]]
        flagged, why = _explain(x[rows], y[rows], named)
        bad[rows[flagged]] = True
        reasons[rows[flagged]] = why[flagged]
    return bad, reasons


def _explain(x: np.ndarray, y: np.ndarray, named: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For points outside their country's border zone: which to report, and why (whole columns at once)."""
    import polars as pl

    from geo.schema import country_name

    codes, geoms, _ = outlines()
    holder = np.full(len(x), "", dtype=object)
    boxes = shapely.bounds(geoms)
    for j in np.flatnonzero((boxes[:, 0] <= x.max()) & (boxes[:, 2] >= x.min())
                            & (boxes[:, 1] <= y.max()) & (boxes[:, 3] >= y.min())):
        rows = np.flatnonzero((x >= boxes[j, 0]) & (x <= boxes[j, 2]) & (y >= boxes[j, 1]) & (y <= boxes[j, 3]))
        if len(rows):
            holder[rows[shapely.contains_xy(_zone(str(codes[j]), 0.0), x[rows], y[rows])]] = codes[j]
    near = np.zeros(len(x), dtype=bool)
    swapped = np.zeros(len(x), dtype=bool)
    for code in np.unique(named):
        rows = np.flatnonzero(named == code)
        near[rows] = shapely.contains_xy(_zone(code, SEA_KM), x[rows], y[rows])
        swapped[rows] = shapely.contains_xy(_zone(code, BORDER_KM), y[rows], x[rows])
    pairs = {f"{h}|{c}" for c, others in _DISPUTED.items() for h in others}
    disputed = pd.Series(holder + "|" + named).isin(pairs).to_numpy()
    flagged = ~(((holder == "") | disputed) & near)
    names = {c: f"{country_name(c)} ({c})" for c in {*holder, *named} if c}
    frame = pl.DataFrame({"x": x, "y": y, "holder": pd.Series(holder).map(names), "named": pd.Series(named).map(names),
                          "swapped": swapped, "null": (np.abs(x) < 1) & (np.abs(y) < 1)})
    where = (pl.when(pl.col("holder").is_not_null())
             .then(pl.lit("lies in ") + pl.col("holder") + pl.lit(f", more than {BORDER_KM:g} km outside "))
             .otherwise(pl.lit(f"lies at sea, more than {SEA_KM:g} km off ")))
    hint = (pl.when(pl.col("swapped")).then(pl.lit("; swapped lat/lon? (GeoJSON order is [lon, lat])"))
            .when(pl.col("null")).then(pl.lit("; near 0,0: degrees read as metres (a wrong EPSG:3857 label?)"))
            .otherwise(pl.lit("")))
    text = frame.select(pl.concat_str([
        pl.lit("point "), pl.col("x").round(4).cast(pl.String), pl.lit(", "), pl.col("y").round(4).cast(pl.String),
        pl.lit(" "), where, pl.col("named"), pl.lit(", the country of the record"), hint]))
    return flagged, text.to_series().to_numpy().astype(object)


def check_crs_fits(crs: object, geometry: np.ndarray, name: str) -> None:
    """Refuse a declared CRS that the coordinates cannot be in: degrees labelled as a projected CRS (metres).

    ``crs`` is what the file declares (text or a pyproj CRS; nothing declared passes); ``geometry`` its points.
    """
    if not crs:
        return
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        declared = CRS.from_user_input(crs)
    except CRSError:
        raise ReadError(f"{name}: the file declares a coordinate system that is not understood ({crs})") from None
    if not declared.is_projected:
        return
    values = np.asarray(geometry, dtype=object)
    points = values[~(shapely.is_missing(values) | shapely.is_empty(values))]
    if not len(points):
        return
    bounds = shapely.bounds(points)
    bounds = bounds[np.isfinite(bounds).all(axis=1)]
    if not len(bounds):
        return
    lo, hi = bounds[:, :2].min(axis=0), bounds[:, 2:].max(axis=0)
    reach = max(np.abs(lo).max(), np.abs(hi).max())
    if 0 < reach <= 180:  # metres of a real projected layer do not all lie within 180 m of its origin
        label = declared.to_string()
        raise ReadError(f"{name}: the file declares {label} (metres), but every coordinate lies within "
                        f"{lo[0]:g}..{hi[0]:g}, {lo[1]:g}..{hi[1]:g}: these look like degrees (lon, lat). "
                        "Remove the wrong crs member (GeoJSON is WGS84 lon/lat) or convert the data")

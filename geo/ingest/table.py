"""Any CSV or XLSX of events -> events + row report, with a column mapping guessed from the headers.

The guess (``guess_mapping``) is shown to the user and can be overridden field by field
(``mapping={"date": "Date", "lat": "Y"}``, or ``--map date=Date,lat=Y`` on the command line). Rows with a place
name but no coordinates are geocoded, and rows with coordinates but no place name are named by reverse geocoding
(the nearest town, else the admin1 or country; flagged ``location_derived``), when the offline geocoder
(``geo.geocode``) is installed. Dates are read per file (``geo.ingest.dates``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo.ingest import mapping as kw
from geo.ingest.common import (
    SCOPE,
    IngestError,
    Ingested,
    Source,
    bad_number_report,
    name_of,
    numbers,
    read_bytes,
    report_frame,
    to_pl,
)
from geo.ingest.country import country_codes
from geo.ingest.dates import parse_dates
from geo.ingest.excel import read_excel
from geo.ingest.finish import finish
from geo.ingest.limits import LIMITS, Limits
from geo.ingest.sources import sources_json
from geo.ingest.text import read_delimited

#: Our field -> header names that mean it (compared lower-case, without spaces, dots, dashes or underscores).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("eventid", "id", "incident", "incidentno", "eventidcnty", "uid", "fid", "incidentid"),
    "date": ("date", "eventdate", "day", "datetime", "when", "datestart", "startdate", "incidentdate"),
    "date_end": ("dateend", "enddate"),
    "lat": ("lat", "latitude", "y", "ycoord", "lat_dd"),
    "lon": ("lon", "lng", "long", "longitude", "x", "xcoord", "lon_dd"),
    "weapon": ("weapon", "weapontype", "weapons", "munition", "attacktype", "type"),
    "outcome": ("outcome", "result"),
    "actor": ("actor", "actor1", "perpetrator", "group", "attacker", "responsible", "claimedby"),
    "attribution": ("attribution",),
    "target": ("target", "actor2", "victim"),
    "country": ("country", "iso3", "countrycode", "iso"),
    "admin1": ("admin1", "province", "governorate", "region", "state"),
    "admin2": ("admin2", "district"),
    "event_type": ("eventtype",),
    "sub_event_type": ("subeventtype",),
    "location": ("location", "place", "placename", "town", "city", "site", "name", "locality"),
    "precision_km": ("precisionkm", "precision", "accuracykm", "radiuskm"),
    "fatalities": ("fatalities", "killed", "deaths", "dead", "casualties"),
    "description": ("description", "notes", "summary", "details", "desc", "text", "comment"),
    "url": ("url", "link", "sourceurl", "href"),
    "publisher": ("source", "publisher", "sources", "outlet"),
}
FIELDS = tuple(SYNONYMS)
#: Words people write for our weapon types.
WEAPON_WORDS = {"uav": "drone", "uas": "drone", "suicide drone": "drone", "katyusha": "rocket", "rockets": "rocket",
                "mortars": "mortar", "missile": "unknown", "air strike": "airstrike", "air raid": "airstrike",
                "bomb": "ied", "roadside bomb": "ied", "gunfire": "small_arms", "shelling": "artillery"}
PRECISION_LEVELS = ((5.0, 1), (30.0, 2))  # radius up to 5 km -> site/town; up to 30 km -> near a town; else region


def _key(text: str) -> str:
    return re.sub(r"[\s._\-]+", "", str(text).lower())


def guess_mapping(columns: list[str] | pd.Index) -> dict[str, str]:
    """Our field -> the file's column, guessed from header names (each column used once)."""
    by_key = {_key(c): c for c in columns}
    found: dict[str, str] = {}
    for field_, names in SYNONYMS.items():
        for name in names:
            col = by_key.get(name)
            if col is not None and col not in found.values():
                found[field_] = col
                break
    return found


def parse_map(text: str | None) -> dict[str, str]:
    """``"date=Date,lat=Y"`` -> {"date": "Date", "lat": "Y"}; IngestError naming the bad part."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        field_, sep, column = part.partition("=")
        if not sep or field_.strip() not in SYNONYMS:
            raise IngestError(f"--map: '{part}' should be FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}")
        out[field_.strip()] = column.strip()
    return out


def read(source: Source, *, mapping: dict[str, str] | str | None = None, dayfirst: bool | None = None,
         all_types: bool = False, name: str | None = None, limits: Limits = LIMITS) -> Ingested:
    """Read any CSV or XLSX of events; ``mapping`` overrides the guessed columns (dict or "field=Column,...").

    A table cut from an ACLED export (its own event_type and sub_event_type columns) keeps to ACLED's attacks as
    the ACLED reader does (``all_types`` takes every type) and takes its weapons from ACLED's types."""
    name = name or name_of(source)
    data = read_bytes(source)
    table = read_excel(data, name, limits) if data[:2] == b"PK" else read_delimited(data, name, limits=limits)
    return from_frame(table.frame, table.rows, [table.report], list(table.notes), name=name,
                      mapping=mapping, dayfirst=dayfirst, excel_epoch=table.excel_epoch, all_types=all_types)


def resolve_mapping(columns: pd.Index, mapping: dict[str, str] | str | None, name: str) -> dict[str, str]:
    chosen = guess_mapping(columns)
    override = parse_map(mapping) if isinstance(mapping, str) else dict(mapping or {})
    unknown = [c for c in override.values() if c and c not in columns]
    if unknown:
        raise IngestError(f"{name}: mapped column(s) not in the file: {', '.join(unknown)}; "
                          f"columns are: {', '.join(map(str, columns))}")
    chosen.update({k: v for k, v in override.items() if v})
    for k in [k for k, v in override.items() if not v]:
        chosen.pop(k, None)
    return chosen


def from_frame(frame: pd.DataFrame, rows: np.ndarray, reports: list, notes: list[str], *, name: str,
               mapping: dict[str, str] | str | None = None, dayfirst: bool | None = None,
               geometry: np.ndarray | None = None, precision: np.ndarray | None = None, fmt: str = "csv",
               excel_epoch: str | None = None, all_types: bool = False) -> Ingested:
    """Events from a table of text columns (also used by the GIS reader, which passes its own points)."""
    m = resolve_mapping(frame.columns, mapping, name)
    notes.append("columns used: " + ", ".join(f"{k}={v}" for k, v in m.items()))
    columns = ", ".join(map(str, frame.columns[:12])) + (", ..." if frame.shape[1] > 12 else "")
    if "date" not in m:
        hint = " (only one column was found: is the delimiter right?)" if frame.shape[1] == 1 else ""
        raise IngestError(f"{name}: no date column found{hint} among: {columns}; name a column Date, or map one "
                          f"with --map date=COLUMN")
    if geometry is None and not ({"lat", "lon"} <= set(m) or "location" in m):
        raise IngestError(f"{name}: no coordinates (latitude/longitude) or place-name column found among: "
                          f"{columns}; name them Latitude and Longitude (or Location), or map them with "
                          f"--map lat=COLUMN,lon=COLUMN")
    n = len(frame)

    def col(field_: str) -> pd.Series:
        c = m.get(field_)
        if c is None:
            return pd.Series(np.nan, index=frame.index, dtype="str")
        s = frame[c].astype("str").str.strip().where(frame[c].notna())
        return s.where(s != "")

    acled = "event_type" in m and kw.acled_types_given(col("event_type"))
    if acled:
        notes.append("ACLED event types found: weapons taken from event_type / sub_event_type"
                     + ("" if all_types else "; rows that are not attacks are out of scope (all types: --all-types)"))
    if acled and not all_types:  # (before any other work, as the ACLED reader does)
        keep = kw.acled_in_scope(col("event_type"), col("sub_event_type"))
        shown = (col("event_type").fillna("") + " / " + col("sub_event_type").fillna("")).str.rstrip(" /")
        reports.append(report_frame(rows[~keep], SCOPE, ("event type '" + shown[~keep] + "' is not an attack (use "
                                                         "all_types / --all-types to import it)").to_numpy()))
        frame, rows, n = frame[keep].reset_index(drop=True), rows[keep], int(keep.sum())
        geometry = geometry[keep] if geometry is not None else None
        precision = precision[keep] if precision is not None else None
    parsed = parse_dates(col("date"), dayfirst=dayfirst, excel_epoch=excel_epoch)
    notes += parsed.notes
    reports.append(parsed.report(rows, m["date"]))
    parsed_end = parse_dates(col("date_end"), dayfirst=dayfirst, excel_epoch=excel_epoch)
    reports.append(parsed_end.report(rows, m.get("date_end", "date_end")))
    dates, date_end = parsed.iso, parsed_end.values
    if geometry is None:
        lon, lat = numbers(col("lon") if "lon" in m else None, n), numbers(col("lat") if "lat" in m else None, n)
        for f in ("lon", "lat"):
            if f in m:
                reports.append(bad_number_report(col(f), lon if f == "lon" else lat, rows, m[f]))
        precision = pd.to_numeric(col("precision_km"), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        lon, lat, precision, geocoded = _geocode_missing(col("location"), col("country"), lon, lat, precision,
                                                         rows, reports, admin=(col("admin2"), col("admin1")),
                                                         notes=notes)
    else:
        lon = lat = np.full(n, np.nan)
        geocoded = np.full(n, None, dtype=object)
        given = pd.to_numeric(col("precision_km"), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        precision = np.where(np.isnan(given), precision, given)
    precision = np.where(np.isnan(precision), 1.0, precision)
    description = col("description")
    weapon = _weapons(col("weapon"), description)
    outcome = col("outcome").str.lower().fillna("unknown")
    if acled:  # ACLED's own types say what each row is, as in the ACLED reader
        acled_weapon, acled_outcome = kw.acled_weapons(col("event_type"), col("sub_event_type"), description)
        weapon = np.where(col("weapon").notna().to_numpy(), weapon, np.asarray(acled_weapon, dtype=object))
        outcome = outcome.where(col("outcome").notna(), pd.Series(np.asarray(acled_outcome, dtype=object),
                                                                  index=frame.index))
    ids = col("id")
    stem = re.sub(r"\W+", "-", name.rsplit("/", 1)[-1]).strip("-").lower() or "table"
    source_id = ids.where(ids.notna(), pd.Series(rows.astype(str), index=frame.index))
    dup = ids.notna() & ids.duplicated()
    reports.append(report_frame(rows[dup.to_numpy(dtype=bool)], m.get("id", "id"),
                                "duplicate id: the first row with this id was kept; give each row its own id"))
    publisher = col("publisher").fillna(name.rsplit("/", 1)[-1])
    country = country_codes(col("country"))
    location, admin1, derived = _name_missing(col("location"), col("admin1"), country, lon, lat, geometry, notes)
    raw = pd.DataFrame({
        "event_id": stem + ":" + source_id,
        "date": parsed.values.to_numpy(), "date_end": date_end.to_numpy(), "date_precision": "day",
        "weapon_type": weapon, "outcome": outcome.where(outcome.isin(list(kw_outcomes())), "unknown"),
        "actor": col("actor").fillna("Unidentified"),
        "attribution": col("attribution").str.lower().fillna("unknown"),
        "target": col("target"), "country": country.to_numpy(), "admin1": admin1,
        "location": location.fillna(""),
        "geo_precision": np.select([precision <= t for t, _ in PRECISION_LEVELS], [g for _, g in PRECISION_LEVELS], 3),
        "precision_km": precision,
        "fatalities": col("fatalities").mask(col("fatalities").str.upper().isin(["NA", "N/A", "UNKNOWN", "?"])),
        "description": description,
        "sources": sources_json(to_pl(publisher, n), sep="\x00", date=to_pl(dates, n),
                                url=to_pl(col("url"), n)),
        "source_id": source_id, "updated": None, "dataset": name.rsplit("/", 1)[-1],
        "event_type": col("event_type"), "sub_event_type": col("sub_event_type"), "coord_source": geocoded,
        **({"location_derived": derived} if derived.any() else {}),
    })
    raw.loc[raw["location"] == "", "location"] = np.nan
    return finish(raw, lon, lat, rows, reports, fmt=fmt, notes=notes, keep=~dup.to_numpy(dtype=bool),
                  geometry=geometry)


def kw_outcomes() -> tuple[str, ...]:
    from geo.schema import OUTCOMES

    return tuple(OUTCOMES)


def _weapons(given: pd.Series, description: pd.Series) -> np.ndarray:
    """The weapon column normalised ("UAV" -> drone), else the weapon named in the description, else unknown."""
    from geo.schema import WEAPON_TYPES

    text = given.str.lower().str.strip()
    normal = text.str.replace(r"[\s\-]+", "_", regex=True)
    out = normal.where(normal.isin(list(WEAPON_TYPES)), text.map(WEAPON_WORDS))
    from_text = pd.Series(kw.weapon_from_text(given.fillna("") + " " + description.fillna("")), index=given.index)
    return out.where(out.notna(), from_text).to_numpy(dtype=object)


def _name_missing(location: pd.Series, admin1: pd.Series, country: pd.Series, lon: np.ndarray, lat: np.ndarray,
                  geometry: np.ndarray | None, notes: list[str]) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Rows with a point but no place name get one by reverse geocoding (and their country and admin1 if blank)."""
    if geometry is not None:
        import shapely

        ok = ~shapely.is_missing(geometry) & (shapely.get_type_id(geometry) == 0)
        lon, lat = np.full(len(geometry), np.nan), np.full(len(geometry), np.nan)
        lon[ok], lat[ok] = shapely.get_x(geometry[ok]), shapely.get_y(geometry[ok])
    need = (location.isna().to_numpy() & np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180)
            & (np.abs(lat) <= 90))
    derived = np.zeros(len(location), dtype=bool)
    if not need.any():
        return location, admin1, derived
    from geo.ingest.places import NEAR_KM, name_points

    named = name_points(lon[need], lat[need])
    if named is None:
        notes.append(f"{int(need.sum()):,} rows have no place name and the geocoder is not installed to name them")
        return location, admin1, derived
    idx = np.flatnonzero(need)
    location, admin1 = location.copy(), admin1.copy()
    location.iloc[idx] = named["location"].to_numpy(dtype=object)
    fill = admin1.iloc[idx].isna().to_numpy()
    admin1.iloc[idx[fill]] = named["admin1"].to_numpy(dtype=object)[fill]
    blank = country.iloc[idx].isna().to_numpy()
    country.iloc[idx[blank]] = named["country"].to_numpy(dtype=object)[blank]
    derived[idx] = location.iloc[idx].notna().to_numpy()
    notes.append(f"{int(derived.sum()):,} rows without a place name were named by reverse geocoding (the nearest "
                 f"town within {NEAR_KM:g} km, else the admin1 or country): location_derived is true for them")
    return location, admin1, derived


def _geocode_missing(place: pd.Series, country: pd.Series, lon: np.ndarray, lat: np.ndarray, precision: np.ndarray,
                     rows: np.ndarray, reports: list, admin: tuple[pd.Series, ...] = (),
                     notes: list[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows with a place name but no coordinates: geocoded if the offline geocoder exists, else reported.

    The row's admin names (district, then province) are written after the place, as ACLED and UCDP records
    are ("Kouka, Banwa, Boucle du Mouhoun"): the geocoder then keeps to that province, and where it does not
    know the place it answers the district or province it does know, with that unit's size as the precision."""
    from geo.ingest.places import geocode_places

    geocoded = np.full(len(place), None, dtype=object)  # the coord_source of each geocoded row
    need = (np.isnan(lon) | np.isnan(lat)) & place.notna().to_numpy()
    if not need.any():
        return lon, lat, precision, geocoded
    iso3 = country_codes(country).to_numpy(dtype=object)  # the geocoder wants ISO3, files hold names too
    text = place
    for unit in admin:  # (a unit that repeats the place, "Baghdad, Baghdad", adds nothing)
        given = unit.notna() & (unit.str.lower() != text.str.lower().str.rsplit(", ", n=1).str[-1])
        text = text.where(~given, text + ", " + unit)
    found = geocode_places(text[need], pd.Series(iso3[need], dtype=object), coarse=bool(admin))
    if found is None:
        reports.append(report_frame(rows[need], "location", "no coordinates (geocoding not available)"))
        return lon, lat, precision, geocoded
    glon, glat, gkm, reason = found
    lon, lat, precision = lon.copy(), lat.copy(), precision.copy()
    idx = np.flatnonzero(need)
    lon[idx], lat[idx], precision[idx] = glon, glat, np.where(np.isnan(precision[idx]), gkm, precision[idx])
    missed = np.isnan(glon)
    reports.append(report_frame(rows[idx[missed]], "location", reason[missed]))
    import orjson

    # one coord_source per distinct (text, match) pair, spread by code: many rows share a place
    codes, pairs = pd.MultiIndex.from_arrays([text[need].to_numpy(dtype=object)[~missed], reason[~missed]]).factorize()
    made = np.array([orjson.dumps({"publisher": "Conflict Event Map offline geocoder",
                                   "note": f"geocoded from '{t}': {why}"}).decode() for t, why in pairs], dtype=object)
    geocoded[idx[~missed]] = made[codes]
    if notes is not None and (~missed).any():
        notes.append(f"{int((~missed).sum()):,} rows without coordinates were geocoded from their place names "
                     f"({int((~missed & (gkm > 30)).sum()):,} of them only to a district, province or larger area: "
                     f"geo_precision 3, precision_km that area's radius); coord_source says what each matched")
    return lon, lat, precision, geocoded

"""The event schema: columns, vocabularies, precision codes and dtypes, declared once.

One event is one GeoJSON Feature with a WGS84 Point (lon, lat) and the properties in ``FIELDS``.
In memory the events are a GeoDataFrame with these columns; ``sources`` is kept as JSON text so that a
million events stay compact and export without re-encoding. Validation lives in ``geo.validate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pandas loads on first use of VOCAB_DTYPES or empty_events: the CLI parses flags without it
    import geopandas as gpd
    import pandas as pd

CRS = "EPSG:4326"

#: Closed weapon vocabulary: value -> what it covers.
WEAPON_TYPES: dict[str, str] = {
    "drone": "Armed uncrewed aircraft: a one-way attack drone, or a strike from a drone (e.g. an MQ-9).",
    "rocket": "Unguided rockets (e.g. 107 mm, 122 mm Katyusha).",
    "mortar": "Mortar rounds.",
    "ballistic_missile": "Ballistic missiles (e.g. Fateh-313, Qiam-1).",
    "cruise_missile": "Cruise missiles.",
    "airstrike": "Bombs or missiles from crewed aircraft.",
    "artillery": "Tube artillery and tank fire.",
    "ied": "Improvised explosive devices, roadside bombs, landmines.",
    "small_arms": "Rifles, machine guns, RPGs at close range.",
    "other": "A known weapon outside the list above (grenade, arson, ...).",
    "unknown": "The reports do not say which weapon.",
}

#: Map colour of each weapon type (colour-blind-safe where possible; dashboard, snapshots and legend share it).
WEAPON_COLORS: dict[str, str] = {
    "drone": "#d62728",
    "rocket": "#ff7f0e",
    "mortar": "#8c564b",
    "ballistic_missile": "#9467bd",
    "cruise_missile": "#e377c2",
    "airstrike": "#1f77b4",
    "artillery": "#bcbd22",
    "ied": "#2ca02c",
    "small_arms": "#17becf",
    "other": "#7f7f7f",
    "unknown": "#3b3b3b",
}

#: Display name of each weapon type (legends, filters, popups).
WEAPON_NAMES: dict[str, str] = {
    "drone": "Drone",
    "rocket": "Rocket",
    "mortar": "Mortar",
    "ballistic_missile": "Ballistic missile",
    "cruise_missile": "Cruise missile",
    "airstrike": "Airstrike",
    "artillery": "Artillery",
    "ied": "IED",
    "small_arms": "Small arms",
    "other": "Other",
    "unknown": "Unknown",
}

#: Human label of each weapon type, as it reads before "attacks" in a caption ("Drone and rocket attacks").
WEAPON_LABELS: dict[str, str] = {
    "drone": "drone",
    "rocket": "rocket",
    "mortar": "mortar",
    "ballistic_missile": "ballistic missile",
    "cruise_missile": "cruise missile",
    "airstrike": "air",
    "artillery": "artillery",
    "ied": "IED",
    "small_arms": "small-arms",
    "other": "other",
    "unknown": "unknown-weapon",
}

OUTCOMES: dict[str, str] = {
    "impact": "The weapon reached its target area (hit or landed).",
    "intercepted": "Shot down or intercepted (e.g. by C-RAM or air defence).",
    "failed": "Malfunctioned, fell short or was found before launch.",
    "unknown": "The reports do not say.",
}

ATTRIBUTIONS: dict[str, str] = {
    "claimed": "The actor claimed the attack itself (or, for a state, announced it).",
    "attributed": "Others (a government, officials, analysts) blamed the actor; no claim.",
    "unknown": "Nobody is named, or the actor is only suspected.",
}

DATE_PRECISIONS: dict[str, str] = {
    "day": "The exact day is known.",
    "week": "Known to within a week (the date is the start of the span).",
    "month": "Known to within a month.",
}

#: ACLED's time_precision code for each of our date precisions.
ACLED_TIME_PRECISION: dict[str, int] = {"day": 1, "week": 2, "month": 3}

#: ACLED's geo_precision codes, which ours share.
GEO_PRECISIONS: dict[int, str] = {
    1: "The named town or site itself (or a district of a city).",
    2: "Near a named town, or a part of a region.",
    3: "Only a larger region is known (coded to a representative place).",
}

#: ACLED's event taxonomy (event_type -> sub_event_types), so that exports line up with ACLED data.
ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

Kind = Literal["id", "text", "date", "vocab", "int", "float", "iso3", "sources", "json"]


@dataclass(frozen=True)
class Field:
    """One event property: its name, kind, whether it must be present, and what it means."""

    name: str
    kind: Kind
    required: bool
    doc: str
    vocab: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("event_id", "id", True, "Unique identifier of the event."),
    Field("date", "date", True, "Local date of the event (ISO 8601, YYYY-MM-DD); the start of a span."),
    Field("date_end", "date", False, "Last day of a multi-day span, or null."),
    Field("date_precision", "vocab", True, "How well the date is known.", tuple(DATE_PRECISIONS)),
    Field("weapon_type", "vocab", True, "Weapon, from a closed vocabulary.", tuple(WEAPON_TYPES)),
    Field("outcome", "vocab", True, "What became of the weapon.", tuple(OUTCOMES)),
    Field("actor", "text", True, "Perpetrator as reported ('Unidentified' when nobody is named)."),
    Field("attribution", "vocab", True, "Claimed by the actor, attributed by others, or unknown.", tuple(ATTRIBUTIONS)),
    Field("target", "text", False, "What or who was attacked, as reported."),
    Field("country", "iso3", True, "Country, ISO 3166-1 alpha-3 (IRQ, SYR, ...)."),
    Field("admin1", "text", False, "First-level administrative unit (governorate, province)."),
    Field("location", "text", True, "The place as reported."),
    Field("geo_precision", "int", True, "ACLED geo precision: 1 site or town, 2 near a town, 3 region.", ("1", "2", "3")),
    Field("precision_km", "float", True, "Radius (km) within which the true point lies."),
    Field("fatalities", "int", False, "Lowest reported number of people killed; null when unknown."),
    Field("description", "text", False, "What happened, in the editors' own words."),
    Field("sources", "sources", True, "Reports: a list of {publisher, url, date, title}, at least one."),
    Field("coord_source", "json", False, "Where the coordinates come from: {publisher, url, title, note}."),
    Field("event_type", "text", False, "ACLED event_type.", tuple(ACLED_EVENT_TYPES)),
    Field("sub_event_type", "text", False, "ACLED sub_event_type (must belong to event_type)."),
    Field("source_id", "text", False, "Identifier of the record in its source dataset (imported records)."),
    Field("updated", "text", False, "When the source last revised the record (imported records)."),
)

COLUMNS: tuple[str, ...] = tuple(f.name for f in FIELDS)
FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

#: Keys of one entry of ``sources``.
SOURCE_KEYS: tuple[str, ...] = ("publisher", "url", "date", "title")

#: Keys of ``coord_source``.
COORD_SOURCE_KEYS: tuple[str, ...] = ("publisher", "url", "title", "note")

#: Fields held as JSON text in memory and written as JSON values (not strings) to GeoJSON.
JSON_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind in ("sources", "json"))

#: Columns stored as pandas categoricals with a fixed vocabulary (fast filters, small memory): their values.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "date_precision": tuple(DATE_PRECISIONS),
    "weapon_type": tuple(WEAPON_TYPES),
    "outcome": tuple(OUTCOMES),
    "attribution": tuple(ATTRIBUTIONS),
}


@lru_cache(maxsize=1)
def _vocab_dtypes() -> dict[str, pd.CategoricalDtype]:
    import pandas as pd

    return {name: pd.CategoricalDtype(list(values)) for name, values in VOCABULARIES.items()}


def __getattr__(name: str) -> Any:
    if name == "VOCAB_DTYPES":  # ``VOCAB_DTYPES``: the pandas dtype of each of VOCABULARIES, made on first use
        return _vocab_dtypes()
    raise AttributeError(f"module 'geo.schema' has no attribute {name!r}")

#: Open-ended columns also kept as categoricals: few distinct values, filtered often.
CATEGORY_COLUMNS: tuple[str, ...] = ("actor", "country")


def empty_events() -> gpd.GeoDataFrame:
    """An empty event collection with every schema column and its dtype."""
    import geopandas as gpd
    import pandas as pd

    vocab_dtypes = _vocab_dtypes()
    data: dict[str, pd.Series] = {}
    for f in FIELDS:
        if f.name in vocab_dtypes:
            data[f.name] = pd.Series([], dtype=vocab_dtypes[f.name])
        elif f.name in CATEGORY_COLUMNS:
            data[f.name] = pd.Series([], dtype="category")
        elif f.kind == "date":
            data[f.name] = pd.Series([], dtype="datetime64[ms]")
        elif f.kind == "int":
            data[f.name] = pd.Series([], dtype="Int64")
        elif f.kind == "float":
            data[f.name] = pd.Series([], dtype="float64")
        else:
            data[f.name] = pd.Series([], dtype="str")
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)


#: Short names where ISO's official one reads badly in a caption.
_NAME_OVERRIDES: dict[str, str] = {"SYR": "Syria", "IRN": "Iran", "PSE": "Palestine", "RUS": "Russia"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    import pycountry  # imported lazily: only captions and CSV export need it

    return {c.alpha_3: (getattr(c, "common_name", None) or c.name, c.numeric) for c in pycountry.countries}


def country_name(iso3: str) -> str:
    """English short name of an ISO3 code ('IRQ' -> 'Iraq'); the code itself when unknown."""
    return _NAME_OVERRIDES.get(iso3) or _countries().get(iso3, (iso3, ""))[0]


def country_numeric(iso3: str) -> str:
    """ISO 3166-1 numeric code as ACLED's ``iso`` column holds it ('IRQ' -> '368'); '' when unknown."""
    return _countries().get(iso3, ("", ""))[1].lstrip("0")


def known_countries() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code."""
    return frozenset(_countries())


#: CSV export: our fields renamed to ACLED's column names where ACLED has the same thing.
CSV_RENAMES: dict[str, str] = {
    "event_id": "event_id_cnty",
    "date": "event_date",
    "actor": "actor1",
    "description": "notes",
    "updated": "timestamp",
    "country": "country_iso3",
}

#: CSV columns derived from others on export (ACLED's layout) and ignored when a CSV is read back.
CSV_DERIVED: tuple[str, ...] = ("year", "time_precision", "iso", "country", "latitude", "longitude", "source")

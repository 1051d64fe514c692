"""One filter vocabulary: ``FilterSpec`` serves the sidebar, the command line, URL parameters and exports.

Values within one field are OR-ed, fields are AND-ed. ``apply`` builds one boolean mask from whole columns (categorical codes, datetime comparisons), so filtering a
million events takes milliseconds. ``describe`` gives the caption that maps, exports and reports carry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from geo.errors import FilterError
from geo.schema import ATTRIBUTIONS, OUTCOMES, WEAPON_LABELS, WEAPON_TYPES, country_name

if TYPE_CHECKING:  # the spec, its parser and captions need none of these: `python -m geo stats` starts fast
    import geopandas as gpd
    import numpy as np
    import pandas as pd

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class FilterSpec:
    """What to keep. Empty tuples and ``None`` mean "no constraint"; values within one field are OR-ed."""

    since: date | None = None
    until: date | None = None
    weapons: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    attributions: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    min_fatalities: int | None = None
    bbox: BBox | None = None
    max_precision_km: float | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        _check_vocab("weapon", self.weapons, WEAPON_TYPES)
        _check_vocab("attribution", self.attributions, ATTRIBUTIONS)
        _check_vocab("outcome", self.outcomes, OUTCOMES)
        if self.since and self.until and self.since > self.until:
            raise FilterError(f"since ({self.since}) is after until ({self.until})")
        if self.min_fatalities is not None and self.min_fatalities < 0:
            raise FilterError("min fatalities must be 0 or more")
        if self.max_precision_km is not None and not self.max_precision_km >= 0:
            raise FilterError("max precision_km must be 0 or more")
        if self.bbox is not None:
            _check_bbox(self.bbox)

    def is_empty(self) -> bool:
        """True when the spec keeps every event."""
        return self == FilterSpec()


def _check_vocab(what: str, values: tuple[str, ...], vocab: Mapping[str, str]) -> None:
    unknown = [v for v in values if v not in vocab]
    if unknown:
        raise FilterError(f"unknown {what} '{unknown[0]}'; expected one of: {', '.join(vocab)}")


def _check_bbox(bbox: BBox) -> None:
    if len(bbox) != 4 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in bbox):
        raise FilterError("bbox needs four numbers W,S,E,N")
    w, s, e, n = bbox
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise FilterError(f"bbox {w},{s},{e},{n} is not W,S,E,N in degrees (S must not exceed N)")


def _category_mask(col: pd.Series, wanted: Iterable[str], *, casefold: bool = False) -> np.ndarray:
    """Rows whose value is one of ``wanted``, compared on the (few) categories rather than every row."""
    import numpy as np
    import pandas as pd

    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("category")
    cats = pd.Index(col.cat.categories.astype("str"))
    keys = cats.str.casefold() if casefold else cats
    targets = {w.casefold() for w in wanted} if casefold else set(wanted)
    # A lookup table indexed by code (the extra last slot answers code -1, a missing value): one gather per row,
    # several times faster than np.isin.
    table = np.zeros(len(cats) + 1, dtype=bool)
    table[:-1] = keys.isin(targets)
    return table[col.cat.codes.to_numpy()]


def mask(events: gpd.GeoDataFrame, spec: FilterSpec) -> np.ndarray:
    """Boolean mask of the events that ``spec`` keeps."""
    import numpy as np
    import shapely

    keep = np.ones(len(events), dtype=bool)
    if spec.since:  # an event lasting into the window counts: compare its end (its date when it has none)
        end = events["date_end"].to_numpy()
        end = np.where(np.isnat(end), events["date"].to_numpy(), end)
        keep &= end >= np.datetime64(spec.since)
    if spec.until:
        keep &= events["date"].to_numpy() <= np.datetime64(spec.until)
    for column, values, fold in (("weapon_type", spec.weapons, False), ("actor", spec.actors, True),
                                 ("attribution", spec.attributions, False), ("outcome", spec.outcomes, False),
                                 ("country", spec.countries, True)):
        if values:
            keep &= _category_mask(events[column], values, casefold=fold)
    if spec.min_fatalities is not None:
        keep &= (events["fatalities"] >= spec.min_fatalities).fillna(False).to_numpy(dtype=bool)
    if spec.max_precision_km is not None:
        keep &= (events["precision_km"] <= spec.max_precision_km).fillna(False).to_numpy(dtype=bool)
    if spec.bbox is not None:
        w, s, e, n = spec.bbox
        geoms = events.geometry.to_numpy()
        x, y = shapely.get_x(geoms), shapely.get_y(geoms)
        in_x = (x >= w) & (x <= e) if w <= e else (x >= w) | (x <= e)  # a bbox may cross the antimeridian
        keep &= in_x & (y >= s) & (y <= n)
    if spec.text:
        needle = spec.text.strip()
        hit = np.zeros(len(events), dtype=bool)
        for column in ("description", "location", "actor", "target"):
            col = events[column].astype("str")
            hit |= col.str.contains(needle, case=False, regex=False).fillna(False).to_numpy(dtype=bool)
        keep &= hit
    return keep


def events_at(events: gpd.GeoDataFrame, lon: float, lat: float, *, tolerance_deg: float = 1e-4) -> gpd.GeoDataFrame:
    """Events drawn at a point (a clicked marker): several events often share one site."""
    import numpy as np
    import shapely

    geoms = events.geometry.to_numpy()
    near = (np.abs(shapely.get_x(geoms) - lon) <= tolerance_deg) & (np.abs(shapely.get_y(geoms) - lat) <= tolerance_deg)
    return events[near]


def apply(events: gpd.GeoDataFrame, spec: FilterSpec) -> gpd.GeoDataFrame:
    """The events that ``spec`` keeps, in their original order."""
    if spec.is_empty():
        return events
    return events[mask(events, spec)]


def _fmt_day(d: date, *, year: bool = True) -> str:
    return f"{d.day} {d:%b}" + (f" {d.year}" if year else "")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe(spec: FilterSpec, n: int | None = None) -> str:
    """An English caption, e.g. "Drone and rocket attacks, 1 Jan - 31 Jul 2021, Iraq: 23 events"."""
    what = "Attacks"
    if spec.weapons:
        labels = [WEAPON_LABELS[w] for w in spec.weapons]
        what = _join(labels) + " attacks"
        what = what[0].upper() + what[1:]
    parts = [what + (f" by {_join(list(spec.actors))}" if spec.actors else "")]
    if spec.since and spec.until and spec.since == spec.until:
        parts.append(_fmt_day(spec.since))
    elif spec.since and spec.until:
        same_year = spec.since.year == spec.until.year
        parts.append(f"{_fmt_day(spec.since, year=not same_year)} - {_fmt_day(spec.until)}")
    elif spec.since:
        parts.append(f"since {_fmt_day(spec.since)}")
    elif spec.until:
        parts.append(f"until {_fmt_day(spec.until)}")
    if spec.countries:
        parts.append(_join([country_name(c.upper()) for c in spec.countries]))
    if spec.attributions:
        parts.append(f"attribution {' or '.join(spec.attributions)}")
    if spec.outcomes:
        parts.append(f"outcome {' or '.join(spec.outcomes)}")
    if spec.min_fatalities:
        parts.append(f"at least {spec.min_fatalities} killed")
    if spec.max_precision_km is not None:
        parts.append(f"located within {spec.max_precision_km:g} km")
    if spec.text:
        parts.append(f"matching \u201c{spec.text.strip()}\u201d")
    if spec.bbox is not None:
        parts.append("in " + ",".join(f"{v:g}" for v in spec.bbox))
    caption = ", ".join(parts)
    if n is not None:
        caption += f": {n:,} event{'s' if n != 1 else ''}"
    return caption


#: URL parameter name of each FilterSpec field (repeatable ones take several values).
PARAM_NAMES: dict[str, str] = {
    "since": "since",
    "until": "until",
    "weapons": "weapon",
    "actors": "actor",
    "attributions": "attribution",
    "outcomes": "outcome",
    "countries": "country",
    "min_fatalities": "min_fatalities",
    "bbox": "bbox",
    "max_precision_km": "max_precision_km",
    "text": "text",
}


def to_params(spec: FilterSpec) -> dict[str, list[str]]:
    """URL query parameters of a spec (only the constraints that are set); inverse of ``from_params``."""
    params: dict[str, list[str]] = {}
    for f in fields(spec):
        value = getattr(spec, f.name)
        if value in (None, ()):
            continue
        key = PARAM_NAMES[f.name]
        if f.name == "bbox":
            params[key] = [",".join(f"{v:g}" for v in value)]
        elif isinstance(value, tuple):
            params[key] = list(value)
        elif isinstance(value, date):
            params[key] = [value.isoformat()]
        else:
            params[key] = [f"{value:g}" if isinstance(value, float) else str(value)]
    return params


def _date(key: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FilterError(f"{key}: '{text}' is not a date (YYYY-MM-DD)") from None


def _number(key: str, text: str, kind: type) -> float | int:
    try:
        value = kind(text.strip())
    except ValueError:
        raise FilterError(f"{key}: '{text}' is not a {'whole ' if kind is int else ''}number") from None
    return value


def _bbox(text: str) -> BBox:
    parts = [p for p in text.replace(" ", "").split(",") if p]
    if len(parts) != 4:
        raise FilterError(f"bbox: '{text}' needs four numbers W,S,E,N")
    w, s, e, n = (float(_number("bbox", p, float)) for p in parts)
    return (w, s, e, n)


def from_params(params: Mapping[str, str | Iterable[str]]) -> FilterSpec:
    """A spec from URL query parameters (a value may be a string or a list; commas also separate values).

    Unknown parameters are ignored, so a link can carry other state; bad values raise ``FilterError``.
    """
    def values(key: str, *, split: bool = True) -> list[str]:
        raw = params.get(key)
        if raw is None:
            return []
        items = [raw] if isinstance(raw, str) else list(raw)
        parts = [v for item in items for v in (str(item).split(",") if split else [str(item)])]
        return [v.strip() for v in parts if v.strip()]

    def one(key: str) -> str | None:
        raw = params.get(key)
        if raw is None:
            return None
        text = raw if isinstance(raw, str) else next(iter(raw), None)
        return text.strip() if text and text.strip() else None

    since, until = one("since"), one("until")
    fat, prec, box = one("min_fatalities"), one("max_precision_km"), one("bbox")
    return FilterSpec(
        since=_date("since", since) if since else None,
        until=_date("until", until) if until else None,
        weapons=tuple(v.lower() for v in values("weapon")),
        actors=tuple(values("actor", split=False)),  # actor names may contain commas
        attributions=tuple(v.lower() for v in values("attribution")),
        outcomes=tuple(v.lower() for v in values("outcome")),
        countries=tuple(v.upper() for v in values("country")),
        min_fatalities=int(_number("min_fatalities", fat, int)) if fat else None,
        max_precision_km=float(_number("max_precision_km", prec, float)) if prec else None,
        bbox=_bbox(box) if box else None,
        text=one("text"),
    )


def file_stem(spec: FilterSpec) -> str:
    """A file name stem that carries the filter, e.g. ``events_drone_2021-01-01_2021-12-31``."""
    import re

    parts = ["events", *spec.weapons, *(c.upper() for c in spec.countries)]
    parts += [re.sub(r"[^A-Za-z0-9]+", "-", a).strip("-").lower() for a in spec.actors[:2]]
    if spec.since or spec.until:
        parts += [str(spec.since or "start"), str(spec.until or "end")]
    return "_".join(p for p in parts if p)[:120]

"""The offline geocoder: place descriptions -> points with an honest precision, and points -> country/admin1.

The flow: ``gazetteer`` loads the index (built once by ``build`` from curated sites, GeoNames and Natural Earth),
``rank`` looks names up and ranks candidates, ``geocoder`` reads a description (relations, context, mentions) and
answers a ``Match`` or a ``NoMatch`` (``doubt``: when a found place is not answered; ``precision``: its radius);
``reverse`` places points in countries and admin1 units.

The names below load their modules at first use: a lookup needs neither pandas (``frame``, ``user.learn_places``)
nor scipy (``reverse``), whose imports took seconds of a first geocode.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {"haversine_km": "gazetteer", "load": "gazetteer", "geocode_frame": "frame", "Match": "geocoder",
          "NoMatch": "geocoder", "geocode": "geocoder", "geocode_many": "geocoder", "DEFAULT_AOI": "rank",
          "Candidate": "rank", "reverse": "reverse", "learn_places": "user"}

__all__ = ["DEFAULT_AOI", "Candidate", "Match", "NoMatch", "geocode", "geocode_frame", "geocode_many",
           "haversine_km", "learn_places", "load", "reverse"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"geo.geocode.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'geo.geocode' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

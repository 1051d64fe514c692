"""The offline geocoder: place descriptions -> points with an honest precision, and points -> country/admin1.

The flow: ``gazetteer`` loads the index (built once by ``build`` from curated sites, GeoNames and Natural Earth),
``rank`` looks names up and ranks candidates, ``geocoder`` reads a description (relations, context, mentions) and
answers a ``Match`` or a ``NoMatch``; ``reverse`` places points in countries and admin1 units.
"""

from __future__ import annotations

from geo.geocode.gazetteer import haversine_km, load
from geo.geocode.frame import geocode_frame
from geo.geocode.geocoder import Match, NoMatch, geocode, geocode_many
from geo.geocode.rank import DEFAULT_AOI, Candidate
from geo.geocode.reverse import reverse
from geo.geocode.user import learn_places

__all__ = ["DEFAULT_AOI", "Candidate", "Match", "NoMatch", "geocode", "geocode_frame", "geocode_many",
           "haversine_km", "learn_places", "load", "reverse"]

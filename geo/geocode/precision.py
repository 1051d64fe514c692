"""Honest radii: how far the true point may lie from an answer, by kind of answer.

Calibrated on the development split of bench/data/geocode_real (real ACLED/UCDP strings with their files' own
coordinates), so that the truth lies within the radius for about 9 answers in 10 of each kind where a radius can
say so: a town's radius grows with its population (gazetteer build), a village not in the gazetteer answered by its
district's seat reaches 50 km, "the countryside of X" 50 km, a place only mentioned in a sentence 35 km more than
its own radius. Names that are ambiguous within the allowed countries (another place of the name far away, ranked
almost as high) are not answered at all: no radius makes a wrong homonym honest.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from geo.geocode.gazetteer import haversine_km

if TYPE_CHECKING:
    from geo.geocode.gazetteer import Gazetteer
    from geo.geocode.geocoder import Match

#: A district answered by its seat town: dev errors reached 51 km at the 90th percentile.
DISTRICT_KM = 50.0
#: ... where the province's places are sparse around the seat (desert districts), the district is wider: its radius
#: is at least this many times the distance from the seat to its ``DISTRICT_NEIGHBOUR``-th nearest GeoNames place of
#: the same province. Dev: Tadmur district (5th neighbour 118 km) had errors of 71-138 km against a claimed 50 km,
#: Hpa-an, Kyaukpyu, Mohnyin 51-90 km (5th neighbour 84-135 km); Idlib's seats (5th neighbour 15-25 km) stay at 50.
DISTRICT_SPREAD = 1.25
DISTRICT_NEIGHBOUR = 5
#: How far the neighbours are looked for (the widest district radius is then 1.25 x 150 km).
DISTRICT_REACH_KM = 150.0
#: A place named beside a district farther than this from the district's seat is a homonym, not the place meant.
HOMONYM_KM = 75.0
#: "the (western) countryside of X", "the desert of X": added to X's radius (dev p90 51 km from the town).
COUNTRYSIDE_KM = 45.0
#: "near X": X's radius times this (at least 5 km more).
NEAR_FACTOR = 2.0
#: Two entries of one name closer in rank than this and farther apart than RIVAL_KM: the name is ambiguous.
RIVAL_GAP = 0.05
RIVAL_KM = 50.0
#: Two entries of one name in two countries closer in rank than this (Rafah in Gaza and in Egypt): the country is
#: ambiguous, however near they are (a border town split in two), since a point in the wrong country is the worst
#: answer. 0.07 is a population ratio of about 100 (rank.static_rank): a homonym abroad a hundredth as big is still
#: a rival (tuned on the dev split: Sousse / As Susah).
COUNTRY_RIVAL_GAP = 0.07
#: ... unless the first is a city of this many people: a bare "Tripoli" is the Libyan capital, "Homs" the Syrian city.
MAJOR_CITY = 500_000
#: ... and a hamlet abroad (fewer people than this, when GeoNames gives a number) is no rival of a town.
HAMLET = 2_000
#: "off the coast of X", "off Hodeidah": added to X's radius. Attacks on ships are reported "off" a port from a few to
#: about 80 nautical miles out (dev: "60 nautical miles outside Yemen's Hodeidah port"): 150 km covers that.
OFFSHORE_KM = 150.0
#: A place only mentioned inside a sentence: the event is somewhere around it. Dev (both splits, both modes): of
#: the mentions in the right country, those off by more than their own radius + 25 km were 10 of 99, 25-33 km off
#: most of them ("X villages of Nad Ali district", "Nothal area of Sibi district", "Monywa to Myinmu road"); the
#: rest lie 60 km and more off (another place of the name, which no radius makes honest).
MENTIONED_KM = 35.0


def calibrated(m: Match, gaz: Gazetteer | None = None) -> Match:
    """``m`` with its radius raised to what its kind of answer needs."""
    if m.relation == "mentioned" and m.kind == "place":  # a site named in a sentence is where it happened
        return replace(m, precision_km=m.precision_km + MENTIONED_KM, geo_precision=max(m.geo_precision, 2))
    if m.relation == "district":
        wide = district_km(gaz, m.entry) if gaz is not None and m.entry >= 0 else DISTRICT_KM
        return replace(m, precision_km=max(m.precision_km, wide))
    return m


def district_km(gaz: Gazetteer, seat: int) -> float:
    """The radius of the district whose seat is entry ``seat``: ``DISTRICT_KM``, or wider where the seat's
    province has few places near it (memoised per seat)."""
    return gaz.remember("district_km", seat, lambda: _district_km(gaz, seat))


def _district_km(gaz: Gazetteer, seat: int) -> float:
    if gaz.kind[seat] != "place" or not gaz.admin1[seat]:
        return DISTRICT_KM
    for reach in (DISTRICT_KM, DISTRICT_REACH_KM):  # most seats have their neighbours close: a small box first
        ids, d = gaz.places_near(float(gaz.lon[seat]), float(gaz.lat[seat]), reach)
        # the seat itself and its duplicates are no neighbours; a place across the province's border is no evidence
        ids, d = ids[d > 0.5], d[d > 0.5]
        d = np.sort(d[(gaz.admin1[ids] == gaz.admin1[seat]) & (gaz.country[ids] == gaz.country[seat])])
        if len(d) > DISTRICT_NEIGHBOUR:
            break
    if not len(d):
        return DISTRICT_KM
    # fewer neighbours within reach: the farthest of them (a province that GeoNames lists few places of)
    return max(DISTRICT_KM, round(DISTRICT_SPREAD * float(d[min(DISTRICT_NEIGHBOUR, len(d) - 1)]), 1))

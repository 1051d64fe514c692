"""Honest radii (geo.geocode.precision) on real place strings: the truth the file gives lies within the radius the
answer claims. Every string and truth point is a real UCDP GED row of bench/data/geocode_real (dev split)."""

from __future__ import annotations

import pytest

from geo.geocode import load, precision
from geo.geocode.gazetteer import haversine_km
from geo.geocode.geocoder import Match, geocode

# text, country hint, the file's own point (lon, lat)
DESERT_DISTRICTS = [
    ("At Tanf village, Tadmur district, Homs Governorate, Syria", "SYR", (38.656978, 33.489518)),
    ("Bir Humaymah village, Tadmur district, Homs Governorate, Syria", "SYR", (39.785823, 34.457212)),
]


@pytest.mark.parametrize(("text", "country", "truth"), DESERT_DISTRICTS,
                         ids=[d[0].split(",")[0] for d in DESERT_DISTRICTS])
def test_a_village_of_a_desert_district_claims_the_districts_width(text: str, country: str,
                                                                   truth: tuple[float, float]) -> None:
    # the villages are not in the gazetteer: the answer is the seat, Tadmur; its district reaches the Iraqi border,
    # 124-138 km away, while a district of Idlib is some 20 km across
    for hint in (country, None):
        m = geocode(text, country=hint)
        assert isinstance(m, Match) and m.relation == "district" and m.matched.endswith("Tadmur")
        assert float(haversine_km(m.lon, m.lat, *truth)) <= m.precision_km


def test_a_village_of_a_dense_district_keeps_the_district_radius() -> None:
    m = geocode("Sarjah village, Maarat al-Numaan district, Idlib Governorate, Syria", country="SYR")
    assert isinstance(m, Match) and m.relation == "district"
    assert m.precision_km == precision.DISTRICT_KM
    assert float(haversine_km(m.lon, m.lat, 36.925520, 35.581440)) <= m.precision_km


def test_the_district_radius_grows_with_the_seats_empty_surroundings() -> None:
    gaz = load()
    tadmur = geocode("Tadmur district, Homs Governorate, Syria", country="SYR")
    idlib = geocode("Maarat al-Numaan district, Idlib Governorate, Syria", country="SYR")
    assert isinstance(tadmur, Match) and isinstance(idlib, Match)
    assert precision.district_km(gaz, tadmur.entry) > 2 * precision.district_km(gaz, idlib.entry)


@pytest.mark.parametrize(("text", "country", "truth"), [
    ("Nothal area of Sibi district", "PAK", (68.015519, 29.840645)),
    ("Hazaragano and Mohammad Khan villages of Nad Ali district, Hilmand", "AFG", (63.861445, 31.625941)),
])
def test_a_place_mentioned_in_a_phrase_claims_the_reach_of_a_mention(text: str, country: str,
                                                                      truth: tuple[float, float]) -> None:
    # the area and the villages are not in the gazetteer; the district seat named in the phrase is answered,
    # 36 km from the truth
    m = geocode(text, country=country)
    assert isinstance(m, Match) and m.relation == "mentioned"
    assert float(haversine_km(m.lon, m.lat, *truth)) <= m.precision_km

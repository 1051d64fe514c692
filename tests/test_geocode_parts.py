"""Parts of areas ("southern Israel", "eastern Deir ez-Zor"), seas and straits, and "off the coast of X": real phrases
of news reports (bench/data/news_real dev articles and common wire wording)."""

from __future__ import annotations

import pytest

from geo.geocode import Match, geocode, haversine_km


def _km(m: Match, lon: float, lat: float) -> float:
    return float(haversine_km(m.lon, m.lat, lon, lat))


@pytest.mark.parametrize(("text", "inside", "outside"), [
    # (text, a town of that part within the radius, the far end of the country outside it), GeoNames points
    ("southern Israel", (34.94821, 29.55805), (35.5, 33.0)),       # Eilat in, the Galilee out
    ("northern Israel", (35.57677, 33.02272), (34.94821, 29.55805)),  # Ayelet HaShahar in, Eilat out
    ("southern Lebanon", (35.19389, 33.27333), (36.35, 34.55)),    # Tyre in, Hermel out
    ("south Lebanon", (35.19389, 33.27333), (36.35, 34.55)),
])
def test_part_of_a_country_lies_in_that_part(text: str, inside: tuple, outside: tuple) -> None:
    m = geocode(text)
    assert isinstance(m, Match) and m.relation == "part" and m.geo_precision == 3
    assert _km(m, *inside) <= m.precision_km
    assert _km(m, *outside) > m.precision_km


def test_southern_syria_is_south_of_the_whole() -> None:
    whole, south, north = geocode("Syria", country="SYR"), geocode("southern Syria"), geocode("northern Syria")
    assert isinstance(whole, Match) and isinstance(south, Match) and isinstance(north, Match)
    assert south.lat < whole.lat < north.lat and south.country == north.country == "SYR"


def test_part_of_a_province_moves_toward_its_side() -> None:
    m = geocode("eastern Deir ez-Zor")
    whole = geocode("Deir ez-Zor province")
    assert isinstance(m, Match) and isinstance(whole, Match)
    assert m.kind == "admin1" and m.relation == "part" and m.lon > whole.lon
    assert m.precision_km <= whole.precision_km
    assert _km(m, 40.91854, 34.45226) <= m.precision_km + 20  # Abu Kamal, on the province's eastern edge


def test_a_major_city_keeps_its_own_part() -> None:
    m = geocode("eastern Aleppo")
    assert isinstance(m, Match) and m.kind == "place" and m.relation == "part"


@pytest.mark.parametrize(("text", "ref"), [
    ("the Red Sea", "red_sea"), ("a commercial ship in the Red Sea", "red_sea"), ("the Gulf of Aden", "gulf_of_aden"),
    ("Bab el-Mandeb", "bab_el_mandeb"), ("the Bab al-Mandab strait", "bab_el_mandeb"),
    ("the Arabian Sea", "arabian_sea"), ("the Gulf of Oman", "gulf_of_oman"),
    ("the Strait of Hormuz", "strait_of_hormuz"), ("the Persian Gulf", "persian_gulf"),
    ("the Arabian Gulf", "persian_gulf"),
    ("the eastern Mediterranean", "levantine_sea"), ("a vessel in the eastern Mediterranean", "levantine_sea"),
])
def test_seas_and_straits(text: str, ref: str) -> None:
    m = geocode(text)
    assert isinstance(m, Match) and m.kind == "sea" and m.ref == ref and m.country == ""
    assert m.geo_precision == 3 and m.precision_km >= 40


def test_the_southern_red_sea_is_the_half_toward_bab_el_mandeb() -> None:
    whole, south = geocode("the Red Sea"), geocode("the southern Red Sea")
    assert isinstance(whole, Match) and isinstance(south, Match)
    assert south.kind == "sea" and south.relation == "part" and south.matched == "southern Red Sea"
    assert south.lat < whole.lat and south.precision_km < whole.precision_km
    for lon, lat in ((43.333, 12.583), (42.95452, 14.79781)):  # Bab el-Mandeb, Hodeidah's coast
        assert _km(south, lon, lat) <= south.precision_km
    assert _km(south, 32.52627, 29.97371) > south.precision_km  # Suez, at the northern end


def test_a_sea_across_its_length_keeps_the_whole_sea() -> None:
    m, whole = geocode("the eastern Red Sea"), geocode("the Red Sea")
    assert isinstance(m, Match) and isinstance(whole, Match) and m.relation == "part"
    assert (m.lon, m.lat, m.precision_km) == (whole.lon, whole.lat, whole.precision_km)


@pytest.mark.parametrize("text", ["Red Sea state, Sudan", "Red Sea, Sudan"])
def test_a_sea_does_not_swallow_a_state_named_after_it(text: str) -> None:
    m = geocode(text)
    assert isinstance(m, Match) and m.kind == "admin1" and m.country == "SDN"


@pytest.mark.parametrize(("hint", "kind"), [("EGY", "admin1"), ("SDN", "admin1"), ("YEM", "sea")])
def test_a_country_hint_decides_between_the_sea_and_a_state(hint: str, kind: str) -> None:
    m = geocode("Red Sea", country=hint)  # Egypt and Sudan have a Red Sea governorate/state; Yemen only the coast
    assert isinstance(m, Match) and m.kind == kind and m.country in (hint, "")


def test_a_town_of_red_sea_governorate_stays_the_town() -> None:
    m = geocode("Hurghada, Red Sea, Egypt")
    assert isinstance(m, Match) and m.matched == "Hurghada" and m.country == "EGY"


@pytest.mark.parametrize(("text", "truth"), [
    ("off the coast of Hodeidah", (42.95452, 14.79781)),
    ("off Hodeidah", (42.95452, 14.79781)),
])
def test_off_the_coast_of_a_town_is_its_point_widened(text: str, truth: tuple) -> None:
    m = geocode(text)
    assert isinstance(m, Match) and m.relation == "offshore" and m.country == "YEM"
    assert _km(m, *truth) < 1 and m.precision_km >= 111  # "60 nautical miles outside Yemen's Hodeidah port"


def test_off_the_coast_of_a_country_is_wider_than_the_country() -> None:
    m, yemen = geocode("off the coast of Yemen"), geocode("Yemen", country="YEM")
    assert isinstance(m, Match) and isinstance(yemen, Match)
    assert m.relation == "offshore" and m.precision_km > yemen.precision_km


@pytest.mark.parametrize(("hint", "end"), [("YEM", (43.333, 12.583)), ("ISR", (34.32995, 27.91582))])
def test_a_country_puts_the_sea_in_its_half(hint: str, end: tuple) -> None:
    whole, near = geocode("the Red Sea"), geocode("the Red Sea", country=hint)
    assert isinstance(whole, Match) and isinstance(near, Match) and near.kind == "sea"
    assert near.precision_km < whole.precision_km and _km(near, *end) <= near.precision_km
    assert _km(near, *end) < _km(whole, *end)


def test_a_country_along_the_whole_sea_keeps_the_whole_sea() -> None:
    whole, saudi = geocode("the Red Sea"), geocode("the Red Sea", country="SAU")
    assert isinstance(whole, Match) and isinstance(saudi, Match)
    assert (saudi.lon, saudi.lat, saudi.precision_km) == (whole.lon, whole.lat, whole.precision_km)

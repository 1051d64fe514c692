"""Bare names that a real file means one place by and the gazetteer knows another place by: the geocoder answers
NoMatch rather than a far country. Every string is a real ACLED ``location`` of bench/data/geocode_real (dev split
or geocode_dev2.csv), with the country the file gives it."""

from __future__ import annotations

import pytest

from geo.geocode.geocoder import Match, NoMatch, geocode

# text (bare), what must be said, the country the file gives, and what the country hint then answers
ALIASES = [
    # the name is the own name of a village in the area of interest and only another name of a bigger town
    ("Ad Dimnah", "ambiguous", "YEM", "Ad Dimnah"),   # As Salimiyah, Kuwait, bears it as an alternate name
    ("Dura", "ambiguous", "PSE", "Dūrā"),             # our own alias of Dora, a district of Baghdad
    # the own name of a city abroad as big as one answered bare abroad, and a former name of a town in Iran / of
    # Jerusalem
    ("Salem", "ambiguous", "IND", "Salem"),
    ("Shahpur", "ambiguous", "IND", None),  # hinted: India has several towns of the name, far apart
]


@pytest.mark.parametrize(("text", "fragment", "country", "hinted"), ALIASES, ids=[a[0] for a in ALIASES])
def test_another_name_of_a_bigger_place_is_ambiguous(text: str, fragment: str, country: str,
                                                     hinted: str | None) -> None:
    bare = geocode(text)
    assert isinstance(bare, NoMatch) and fragment in bare.error
    assert country in {c.country for c in bare.candidates}  # the place meant is among the candidates
    m = geocode(text, country=country)
    if hinted is None:
        assert isinstance(m, NoMatch) and "far apart" in m.error
    else:
        assert isinstance(m, Match) and m.country == country and m.matched == hinted


def test_a_town_abroad_that_bears_the_name_as_its_own_rivals_a_city_that_bears_it_as_a_spelling() -> None:
    # dev2 "Daman" (a village of Kandahar in the file): Dammam bears it among its spellings, Daman in India (44,000
    # people) as its own name, and nothing but the area's bonus and Dammam's size ranked Dammam first
    bare = geocode("Daman")
    assert isinstance(bare, NoMatch) and "ambiguous" in bare.error
    assert {"SAU", "IND"} <= {c.country for c in bare.candidates}


def test_a_province_named_beside_a_town_tells_it_from_a_namesake_abroad() -> None:
    # dev2: the state ranks Silao de la Victoria up, over Silao in India
    m = geocode("Silao, Guanajuato State")
    assert isinstance(m, Match) and m.country == "MEX"


@pytest.mark.parametrize("text", ["Bagcilar", "Bagcilar, Bagcilar, Istanbul, Turkey"])
def test_a_turkish_towns_own_name_with_a_dotless_i_matches_its_ascii_spelling(text: str) -> None:
    # dev2 (ACLED): GeoNames names the district Bağcılar; with the dotless i kept the spelling matched no key
    m = geocode(text)
    assert isinstance(m, Match) and m.country == "TUR" and m.matched == "Bağcılar"


@pytest.mark.parametrize(("text", "matched", "country"), [
    ("Human", "Uman", "UKR"),        # a village of Ad Dali, Yemen, in the file
    ("Marabo", "Malabo", "GNQ"),     # of Ituri, DR Congo
    ("Banh", "Bāneh", "IRN"),        # of Nord, Burkina Faso
    ("Aziziyeh", "Al ‘Azīzīyah", "IRQ"),  # of Al-Hasakeh, Syria
])
def test_a_bare_name_that_only_another_name_of_a_town_matches_is_not_answered(text: str, matched: str,
                                                                              country: str) -> None:
    # dev2: GeoNames lists the spelling among the town's other names; the village the file means is not in the
    # gazetteer. The town stays a candidate.
    m = geocode(text)
    assert isinstance(m, NoMatch) and "only another name" in m.error
    assert (matched, country) in {(c.name, c.country) for c in m.candidates}


@pytest.mark.parametrize(("text", "country", "matched"), [
    ("Palmyra", "SYR", "Tadmur"), ("Jarablus", "SYR", "Jarābulus"), ("Tyr", "LBN", "Tyre"),
])
def test_another_name_of_a_town_answers_with_its_country(text: str, country: str, matched: str) -> None:
    # dev/dev2: with the file's country the other name is the town's; bare, the town is only a candidate (small
    # towns abroad share "Palmyra" too)
    m = geocode(text, country=country)
    assert isinstance(m, Match) and (m.matched, m.country) == (matched, country)
    bare = geocode(text)
    assert isinstance(bare, NoMatch) and matched in {c.name for c in bare.candidates}


def test_a_major_citys_other_name_still_answers_bare() -> None:
    m = geocode("Allahabad")  # dev2: Prayagraj's former name, a city of a million
    assert isinstance(m, Match) and (m.matched, m.country) == ("Prayagraj", "IND")


@pytest.mark.parametrize("text", [
    "Mafraq ar Ruwayk", "Dur al Waqf", "Al Hudaydah-Madinat al Salah", "Madinat as Saleh",
    "dirt road that runs from the Loma de Rodriguera neighborhood to the Mojolo community",
])
def test_a_name_is_not_matched_on_a_word_joined_to_it_by_an_article(text: str) -> None:
    # "Mafraq" (a town of Jordan), "Waqf" (Al Waqf, Egypt), "Salah" (a village of Turkey), "Madinat" (Medina),
    # "Loma" (a name of Rome)
    # are only words of the name of a village of Yemen / Iraq / Mexico that the gazetteer lacks
    m = geocode(text)
    assert isinstance(m, NoMatch), m


def test_an_english_word_between_two_names_does_not_join_them() -> None:
    m = geocode("Houthis at Marib")
    assert isinstance(m, Match) and m.country == "YEM"


@pytest.mark.parametrize("text", ["Colinas del Sol neighbourhood", "18 de Marzo neighborhood",
                                  "in the Revolución Mexicana subdivision", "El Salvador colony"])
def test_a_neighbourhood_of_an_unnamed_city_is_not_a_namesake_town(text: str) -> None:
    # neighbourhoods of Mexican cities (dev2), with or without the country: the villages (and the country) of those
    # names lie hundreds of km away
    bare = geocode(text)
    assert isinstance(bare, NoMatch) and "neighbourhood" in bare.error, bare
    assert isinstance(geocode(text, country="MEX"), NoMatch)  # (Mexico's namesakes are also ambiguous among them)


@pytest.mark.parametrize(("text", "matched"), [("Karrada neighbourhood", "Karrada"),
                                               ("Quintero neighborhood of San Pedro Tlaquepaque", "Tlaquepaque")])
def test_a_known_district_or_the_city_named_beside_it_answers(text: str, matched: str) -> None:
    m = geocode(text)
    assert isinstance(m, Match) and m.matched == matched


def test_a_homonym_far_from_the_municipality_the_text_places_it_in_is_not_taken() -> None:
    # dev2 (UCDP, Mexico): the only Laguneta of the gazetteer lies 800 km from Tocumbo
    text = "La Laguneta, in the municipality of Tocumbo."
    assert isinstance(geocode(text, country="MEX"), NoMatch)
    m = geocode("Tocumbo", country="MEX")  # the municipality's seat itself is known: the rule is about distance
    assert isinstance(m, Match) and m.matched == "Tocumbo"


@pytest.mark.parametrize("text, not_in", [
    ("Sahar district in Sa’ada governorate", "OMN"),  # dev3: not Sohar in Oman
    ("districts of Al-Soma'a and Maswara and parts of Mukayras district in Bayda", "TUN"),
    ("surrounding areas of Arak oil field in east Homs desert", "IRN"),
])
def test_a_place_abroad_is_no_answer_when_the_text_names_a_province_elsewhere(text, not_in):
    got = geocode(text)
    assert not (isinstance(got, Match) and got.country == not_in), got


@pytest.mark.parametrize("text, country", [
    ("town of al-Dumayr east of the capital Damascus", "SYR"),  # "Capital" is a unit of Venezuela: no evidence
    ("near the Shavei Shomron settlement, in the northern West Bank near the city of Nablus", "PSE"),
    ("Khodai Dadkhel, Larkhabi, Alauddin and Khalzai villages, Baghlan-e-Markazi district of northern Baghlan "
     "province", "AFG"),  # not Iran's Markazi
])
def test_generic_words_and_hyphenated_names_are_not_provinces_against_the_answer(text, country):
    got = geocode(text)
    assert isinstance(got, Match) and got.country == country, got

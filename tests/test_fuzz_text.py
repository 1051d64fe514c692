"""Property tests of the text readers: the geocoder and the news extractor take any text. They answer (a Match
or a NoMatch; a list of candidates, maybe empty) and raise nothing but a GeoError."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import geo
from tests.fuzz_strategies import report_dates, text

pytestmark = pytest.mark.fuzz

PLACES = ["Baghdad", "Erbil", "Ayn al-Asad", "Albu Kamal, Syria", "the US embassy in Baghdad", "western Iraq", ""]
RELATIONS = ["near", "north of", "km north of", "miles east of", "outskirts of", "between", "in", "a base in"]
numbers = st.one_of(st.integers(-10**25, 10**25).map(str), st.sampled_from(["0", "1.5", "1e309", "NaN", "½", "٣"]))
place_text = st.one_of(
    text,
    st.builds(lambda n, r, p: f"{n} {r} {p}", numbers, st.sampled_from(RELATIONS), st.sampled_from(PLACES)),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(PLACES), text),
)
WORDS = ["drone", "rocket", "missile", "airstrike", "IED", "killed", "wounded", "two", "yesterday", "on Monday",
         "last week", "on 3 January", "in 2019", "near", "Baghdad", "Erbil", "claimed", "Kata'ib Hezbollah", ".", ","]
report_text = st.one_of(text, st.lists(st.one_of(st.sampled_from(WORDS), text, numbers), max_size=40).map(" ".join))


@given(description=place_text, country=st.one_of(st.none(), st.sampled_from(["IRQ", "SYR", "XXX", "", "irq"])))
def test_geocode_answers_or_raises_a_geo_error(description, country):
    try:
        result = geo.geocode_place(description, country=country)
    except geo.GeoError:
        return
    assert isinstance(result, (geo.Match, geo.NoMatch))


@given(report=report_text, published=report_dates())
def test_extract_answers_or_raises_a_geo_error(report, published):
    try:
        candidates = geo.extract_news(report, published=published)
    except geo.GeoError:
        return
    assert isinstance(candidates, list)

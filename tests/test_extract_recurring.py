"""Failure classes that recur across batches of bench/data/news_real (each rule on real dev excerpts): an attack named
by its own day in passing, ships attacked at sea, earlier attacks dated in a subordinate clause."""

from __future__ import annotations

from datetime import date

from geo.geocode.gazetteer import haversine_km
from geo.news.extract import extract

ISRAEL = (34.85, 31.05)  # the centroid the annotation uses for "the October 7 attacks"


def km(c, lon: float, lat: float) -> float:
    return float(haversine_km(c.lon, c.lat, lon, lat))


def _on(found, day: date):
    return [c for c in found if c.date == day]


# --- An attack named by its own day ("Hamas' Oct. 7 assault") is one background attack, dated and placed by its name --


def test_a_possessive_dated_assault_in_a_general_sentence_is_one_background_attack():
    """nr-136: "have traded fire regularly since Hamas' Oct. 7 assault on southern Israel ignited ... in Gaza": the
    fighting since is general, the assault is one attack of 7 October, in southern Israel (not in Gaza)."""
    text = ("Israel and Hezbollah have traded fire regularly since Hamas’ Oct. 7 assault on southern Israel ignited "
            "the Israeli military’s devastating offensive in Gaza.")
    found = _on(extract(text, published=date(2024, 9, 21)), date(2023, 10, 7))
    assert len(found) == 1 and found[0].background, [c.to_dict() for c in found]
    assert km(found[0], *ISRAEL) < 250 and "Gaza" not in found[0].location


def test_the_dated_attacks_of_a_group_are_placed_by_their_name_not_the_sentence():
    """nr-096: "the deadliest strikes in southern Lebanon since Israel launched its military campaign against Gaza
    following the October 7 Hamas attacks": 7 October in Israel, not in southern Lebanon."""
    text = ("This incident marks one of the deadliest strikes in southern Lebanon since Israel launched its military "
            "campaign against Gaza following the October 7 Hamas attacks that killed around 1,200 people.")
    found = _on(extract(text, published=date(2024, 8, 17)), date(2023, 10, 7))
    assert len(found) == 1 and found[0].background and km(found[0], *ISRAEL) < 250 and "Lebanon" not in found[0].location, [c.to_dict() for c in found]


def test_a_dated_name_keeps_the_place_its_own_words_give():
    """nr-104: "in retaliation for the April 1 attack on the Iranian consulate in Damascus": in Damascus."""
    text = ("Iran's first direct military assault on Israel, launched in retaliation for the April 1 attack on the "
            "Iranian consulate in Damascus, has been described as unprecedented.")
    found = _on(extract(text, published=date(2024, 4, 14)), date(2024, 4, 1))
    assert len(found) == 1 and found[0].country == "SYR" and km(found[0], 36.29, 33.51) < 30, \
        [c.to_dict() for c in found]

"""FilterSpec: the one filter vocabulary of sidebar, command line, URL and exports."""

from __future__ import annotations

from datetime import date

import pytest

import geo
from geo.query import FilterSpec, apply, describe, from_params, to_params
from tests.conftest import feature

EVENTS = [
    feature(event_id="a", date="2021-07-05", weapon_type="drone", actor="Kata'ib Hezbollah", attribution="attributed",
            country="IRQ", fatalities=0, precision_km=1.0, lon=44.4, lat=33.3, description="Drone near the embassy"),
    feature(event_id="b", date="2021-06-27", date_end="2021-06-28", weapon_type="airstrike", actor="United States",
            attribution="claimed", outcome="impact", country="SYR", fatalities=4, precision_km=15.0, lon=40.9, lat=34.4,
            description="Strikes on depots", sub_event_type="Air/drone strike", event_type="Explosions/Remote violence"),
    feature(event_id="c", date="2020-01-08", weapon_type="ballistic_missile", actor="IRGC", attribution="claimed",
            outcome="impact", country="IRQ", fatalities=None, precision_km=5.0, lon=42.44, lat=33.79,
            description="Missiles on the base", sub_event_type="Shelling/artillery/missile attack",
            event_type="Explosions/Remote violence"),
]

CASES = [
    ("everything", FilterSpec(), ["a", "b", "c"]),
    ("since", FilterSpec(since=date(2021, 1, 1)), ["a", "b"]),
    ("until", FilterSpec(until=date(2020, 12, 31)), ["c"]),
    ("span overlaps start", FilterSpec(since=date(2021, 6, 28), until=date(2021, 6, 30)), ["b"]),
    ("span outside", FilterSpec(since=date(2021, 6, 29), until=date(2021, 7, 1)), []),
    ("weapon", FilterSpec(weapons=("drone",)), ["a"]),
    ("weapons or-ed", FilterSpec(weapons=("drone", "airstrike")), ["a", "b"]),
    ("actor case-insensitive", FilterSpec(actors=("kata'ib hezbollah",)), ["a"]),
    ("attribution", FilterSpec(attributions=("claimed",)), ["b", "c"]),
    ("outcome", FilterSpec(outcomes=("intercepted",)), ["a"]),
    ("country", FilterSpec(countries=("SYR",)), ["b"]),
    ("country lower-case", FilterSpec(countries=("syr",)), ["b"]),
    ("min fatalities skips unknown", FilterSpec(min_fatalities=1), ["b"]),
    ("max precision", FilterSpec(max_precision_km=5), ["a", "c"]),
    ("bbox", FilterSpec(bbox=(42.0, 33.0, 45.0, 34.0)), ["a", "c"]),
    ("text", FilterSpec(text="EMBASSY"), ["a"]),
    ("text in actor", FilterSpec(text="irgc"), ["c"]),
    ("and across fields", FilterSpec(weapons=("drone", "ballistic_missile"), since=date(2021, 1, 1)), ["a"]),
    ("no match", FilterSpec(actors=("Nobody",)), []),
]


@pytest.mark.parametrize(("spec", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_apply(make_events, spec, expected):
    events = make_events(*EVENTS)
    assert apply(events, spec)["event_id"].tolist() == expected


CAPTIONS = [
    (FilterSpec(weapons=("drone", "rocket"), since=date(2021, 1, 1), until=date(2021, 7, 31), countries=("IRQ",)), 23,
     "Drone and rocket attacks, 1 Jan - 31 Jul 2021, Iraq: 23 events"),
    (FilterSpec(actors=("Kata'ib Hezbollah",), since=date(2020, 12, 1), until=date(2021, 1, 31)), 1,
     "Attacks by Kata'ib Hezbollah, 1 Dec 2020 - 31 Jan 2021: 1 event"),
    (FilterSpec(), 1234, "Attacks: 1,234 events"),
    (FilterSpec(since=date(2021, 7, 5), until=date(2021, 7, 5)), 2, "Attacks, 5 Jul 2021: 2 events"),
    (FilterSpec(weapons=("ballistic_missile",), countries=("SYR", "IRQ")), None, "Ballistic missile attacks, Syria and Iraq"),
    (FilterSpec(outcomes=("intercepted",), min_fatalities=2, text="embassy"), 0,
     "Attacks, outcome intercepted, at least 2 killed, matching \u201cembassy\u201d: 0 events"),
]


@pytest.mark.parametrize(("spec", "n", "caption"), CAPTIONS, ids=[c[2][:30] for c in CAPTIONS])
def test_describe(spec, n, caption):
    assert describe(spec, n) == caption


ROUND_TRIPS = [
    FilterSpec(),
    FilterSpec(since=date(2021, 1, 1), weapons=("drone", "rocket"), actors=("Kata'ib Hezbollah, and allies",)),
    FilterSpec(countries=("IRQ",), attributions=("claimed",), outcomes=("impact", "failed"), min_fatalities=1,
               bbox=(40.5, 32.0, 46.25, 37.0), max_precision_km=2.5, text="Ain al-Asad", until=date(2021, 12, 31)),
]


@pytest.mark.parametrize("spec", ROUND_TRIPS, ids=["empty", "actors-with-comma", "all-fields"])
def test_params_round_trip(spec):
    assert from_params(to_params(spec)) == spec


def test_link_parameters():
    spec = from_params({"weapon": "drone,rocket", "since": "2021-01-01", "country": ["irq"], "other": "ignored"})
    assert spec == FilterSpec(weapons=("drone", "rocket"), since=date(2021, 1, 1), countries=("IRQ",))


BAD_PARAMS = [
    ({"weapon": "laser"}, "unknown weapon 'laser'"),
    ({"since": "05/07/2021"}, "not a date"),
    ({"since": "2021-08-01", "until": "2021-07-01"}, "is after until"),
    ({"bbox": "1,2,3"}, "four numbers"),
    ({"bbox": "40,38,45,30"}, "S must not exceed N"),
    ({"min_fatalities": "many"}, "not a whole number"),
]


@pytest.mark.parametrize(("params", "message"), BAD_PARAMS, ids=[m for _, m in BAD_PARAMS])
def test_bad_parameters_raise_a_clear_error(params, message):
    with pytest.raises(geo.FilterError, match=message.replace("(", r"\(")):
        from_params(params)


def test_spec_is_frozen():
    with pytest.raises(AttributeError):
        FilterSpec().since = date(2021, 1, 1)  # type: ignore[misc]


STEMS = [
    (FilterSpec(), "events"),
    (FilterSpec(weapons=("drone",), since=date(2021, 1, 1), until=date(2021, 12, 31)), "events_drone_2021-01-01_2021-12-31"),
    (FilterSpec(actors=("Kata'ib Hezbollah",), countries=("irq",), since=date(2021, 1, 1)),
     "events_IRQ_kata-ib-hezbollah_2021-01-01_end"),
]


@pytest.mark.parametrize(("spec", "stem"), STEMS, ids=[s for _, s in STEMS])
def test_file_stem_carries_the_filter(spec, stem):
    assert geo.file_stem(spec) == stem

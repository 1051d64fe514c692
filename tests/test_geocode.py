"""The geocoder: each match kind, relative phrases, disambiguation, bad input, reverse geocoding, the CLI."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import orjson

from geo.geocode.frame import geocode_frame
from geo.geocode.geocoder import Match, NoMatch, geocode
from geo.geocode.gazetteer import haversine_km
from geo.geocode.reverse import reverse
from tests.conftest import ROOT

# query, expected matched name, country, kind, relation, geo_precision
CASES = [
    ("Ain al-Asad", "Ain al-Asad Air Base", "IRQ", "airbase", "at", 1),
    ("Ayn al-Asad air base", "Ain al-Asad Air Base", "IRQ", "airbase", "at", 1),
    ("Al Asad Airbase", "Ain al-Asad Air Base", "IRQ", "airbase", "at", 1),
    ("Albu Kamal", "Abu Kamal", "SYR", "town", "at", 1),
    ("Al-Bukamal", "Abu Kamal", "SYR", "town", "at", 1),
    ("al-Qa'im", "al-Qa'im", "IRQ", "town", "at", 1),
    ("Bashur", "Harir Air Base", "IRQ", "airbase", "at", 1),
    ("Koniko gas field", "Conoco gas field", "SYR", "gasfield", "at", 1),
    ("the US embassy in Baghdad", "US Embassy Baghdad", "IRQ", "embassy", "at", 1),
    ("Mosul", "Mosul", "IRQ", "place", "at", 1),
    ("Damascus, Syria", "Damascus", "SYR", "place", "at", 1),
    ("Anbar", "Al Anbar", "IRQ", "admin1", "at", 3),
    ("in western Iraq", "western Iraq", "IRQ", "region", "at", 3),
    ("northeast Syria", "northeast Syria", "SYR", "region", "at", 3),
    ("the Green Zone", "the Green Zone", "IRQ", "region", "at", 3),
    ("عين الأسد", "Ain al-Asad Air Base", "IRQ", "airbase", "at", 1),
    ("البوكمال", "Abu Kamal", "SYR", "town", "at", 1),
    ("Ain al Asaad", "Ain al-Asad Air Base", "IRQ", "airbase", "at", 1),
    ("near Albu Kamal", "Abu Kamal", "SYR", "town", "near", 2),
    ("outskirts of Erbil", "Erbil", "IRQ", "place", "outskirts", 2),
    ("the al-Mayadin area", "al-Mayadin", "SYR", "town", "near", 2),
    ("15 km north of Baghdad", "Baghdad", "IRQ", "place", "offset", 2),
    ("between Karbala and Najaf", "between Karbala and Najaf", "IRQ", "place", "between", 2),
    ("a base hosting US troops in western Iraq", "Ain al-Asad Air Base", "IRQ", "airbase", "inferred", 2),
    ("northern Anbar", "northern Al Anbar", "IRQ", "admin1", "part", 3),
    ("in Hit", "Hit", "IRQ", "town", "at", 1),
    ("Hit, Anbar", "Hit", "IRQ", "town", "at", 1),
    ("the town of Hit", "Hit", "IRQ", "town", "at", 1),
    ("a drone hit the al-Omar oil field", "al-Omar oil field", "SYR", "oilfield", "mentioned", 1),
]


@pytest.mark.parametrize(("query", "matched", "country", "kind", "relation", "geo_precision"), CASES,
                         ids=[c[0] for c in CASES])
def test_match_kinds(query: str, matched: str, country: str, kind: str, relation: str, geo_precision: int) -> None:
    m = geocode(query)
    assert isinstance(m, Match), m
    assert (m.matched, m.country, m.kind, m.relation, m.geo_precision) == (matched, country, kind, relation,
                                                                           geo_precision)
    assert m.precision_km > 0 and 0 < m.score <= 1


def test_relative_phrases_move_and_widen() -> None:
    base, near = geocode("Baghdad"), geocode("near Baghdad")
    assert near.precision_km > base.precision_km and (near.lon, near.lat) == (base.lon, base.lat)
    north = geocode("15 km north of Baghdad")
    assert north.lat > base.lat and abs(float(haversine_km(base.lon, base.lat, north.lon, north.lat)) - 15) < 0.1
    between = geocode("between Karbala and Najaf")
    k, n = geocode("Karbala"), geocode("Najaf")
    assert min(k.lat, n.lat) < between.lat < max(k.lat, n.lat)
    assert between.precision_km >= float(haversine_km(k.lon, k.lat, n.lon, n.lat)) / 2


@pytest.mark.parametrize("query", ["Hit", "hit", "Balad", "rockets hit the base", "the strike hit hard"])
def test_common_words_need_a_place_context(query: str) -> None:
    m = geocode(query)
    assert isinstance(m, NoMatch) or m.matched != "Hit"


def test_common_word_no_match_lists_the_town() -> None:
    m = geocode("Hit")
    assert isinstance(m, NoMatch) and "common word" in m.error and m.candidates[0].name == "Hit"
    assert isinstance(geocode("Hit", country="IRQ"), Match)


def test_abu_kamal_and_al_qaim_are_either_side_of_the_border() -> None:
    a, q = geocode("Abu Kamal"), geocode("al-Qaim")
    assert (a.country, q.country) == ("SYR", "IRQ")
    assert 15 < float(haversine_km(a.lon, a.lat, q.lon, q.lat)) < 30
    assert geocode("Qaim", country="IRQ").matched == "al-Qa'im"


def test_country_hint_outranks_population() -> None:
    assert geocode("Tripoli").country == "LBY"
    assert geocode("Tripoli", country="LBN").country == "LBN"
    assert geocode("Tripoli, Lebanon").country == "LBN"


def test_alternatives_are_reported() -> None:
    m = geocode("Qaim")
    assert any(c.name == "Al Qā’im" for c in m.alternatives)


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "empty"), ("   ", "empty"), ("!!! ...", "punctuation"), ("\x00\x01\x02", "control"), (None, "not text"),
    (42, "not text"), ("x" * 100_000, "too long"), ("Zzyzxqwv", "no place"), ("東京 Ömürlü ЖЖЖ", "no place"),
], ids=["empty", "spaces", "punctuation", "control", "none", "number", "100kB", "unknown", "mixed-scripts"])
def test_bad_input_gives_a_clear_no_match(text: object, fragment: str) -> None:
    m = geocode(text)
    assert isinstance(m, NoMatch) and fragment in m.error


def test_control_characters_inside_a_name_are_ignored() -> None:
    assert geocode("Ain\x00 al-Asad\u200b").matched == "Ain al-Asad Air Base"


def test_unknown_country_hint() -> None:
    m = geocode("Mosul", country="XXX")
    assert isinstance(m, NoMatch) and "ISO 3166" in m.error


def test_low_fuzzy_score_says_so() -> None:
    m = geocode("Abu Kamall")
    assert m.matched == "Abu Kamal" and m.score < 0.95


@pytest.mark.parametrize(("lon", "lat", "country", "admin1"), [
    (42.44111, 33.78556, "IRQ", "Al Anbar"), (40.91667, 34.45, "SYR", "Deir ez-Zor"), (41.13889, 34.36694, "IRQ", "Al Anbar"),
    (44.39611, 33.29889, "IRQ", "Baghdad"), (43.96306, 36.2375, "IRQ", "Erbil"), (2.35, 48.85, "FRA", "Ile-de-France"),
    (-30.0, 0.0, "", ""), (float("nan"), 10.0, "", ""), (200.0, 10.0, "", ""),
], ids=["ain-al-asad", "abu-kamal", "al-qaim", "embassy", "erbil-airport", "paris", "atlantic", "nan", "out-of-range"])
def test_reverse(lon: float, lat: float, country: str, admin1: str) -> None:
    got = reverse([lon], [lat]).iloc[0]
    assert (got["country"], got["admin1"]) == (country, admin1)


def test_reverse_is_vectorised_and_fast() -> None:
    import time

    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(38, 48, 100_000), rng.uniform(29, 37, 100_000)
    reverse(lon[:10], lat[:10])
    t = time.perf_counter()
    out = reverse(lon, lat)
    assert len(out) == 100_000 and (out["country"] == "IRQ").sum() > 30_000
    # ~1 s on an idle machine; the bound only catches a per-point loop (speed is measured by the benchmarks)
    assert time.perf_counter() - t < 20.0


def test_geocode_frame_fills_only_missing_points() -> None:
    frame = pd.DataFrame({"location": ["near Albu Kamal", "Ain al-Asad", "Zzyzxqwv", "Mosul"],
                          "country": ["", "IRQ", "", ""], "lon": [np.nan, np.nan, np.nan, 1.0],
                          "lat": [np.nan, np.nan, np.nan, 2.0], "admin1": ["", "", "", ""]})
    out = geocode_frame(frame)
    assert out["geocoded"].tolist() == [True, True, False, False]
    assert out.loc[0, "country"] == "SYR" and out.loc[0, "geo_precision"] == 2 and out.loc[0, "precision_km"] > 4
    assert out.loc[1, "admin1"] == "Al Anbar" and out.loc[3, "lon"] == 1.0
    assert np.isnan(out.loc[2, "lon"]) and "no place" in out.loc[2, "geocode_note"]


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "geocode", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_single() -> None:
    r = _cli("Ayn al-Asad", "--json")
    assert r.returncode == 0
    d = orjson.loads(r.stdout)
    assert set(d) == {"query", "lon", "lat", "precision_km", "geo_precision", "country", "admin1", "matched", "kind",
                      "score", "relation", "why"}
    assert "exact" in d["why"]
    assert d["matched"] == "Ain al-Asad Air Base"
    r = _cli("Hit")
    assert r.returncode == 1 and "common word" in r.stderr and r.stdout == ""


def test_cli_batch() -> None:
    r = _cli("--json", "-", stdin="Albu Kamal\nnear the US embassy\n\n!!!\nQaim\n")
    assert r.returncode == 0
    lines = [orjson.loads(x) for x in r.stdout.splitlines()]
    assert [x["query"] for x in lines] == ["Albu Kamal", "near the US embassy", "!!!", "Qaim"]
    assert lines[0]["country"] == "SYR" and lines[1]["geo_precision"] == 2
    assert set(lines[2]) == {"query", "error", "candidates"}


def test_near_misses_are_searched_when_read_and_kept() -> None:
    import pickle

    m = geocode("Abu Kamalzz Qwertyville")
    assert isinstance(m, NoMatch) and "no place of that name" in m.error
    first = m.candidates
    assert isinstance(first, tuple) and all(c.name for c in first)
    assert m.candidates is first  # searched once, then kept
    copy = pickle.loads(pickle.dumps(m))
    assert copy == m and copy.candidates == first and copy.to_dict() == m.to_dict()
    assert NoMatch("x", "why") == NoMatch("x", "why", lambda: ()) and NoMatch("x", "why") != NoMatch("x", "other")
    with pytest.raises(AttributeError):
        m.error = "changed"  # type: ignore[misc]


def test_cleared_caches_give_the_same_answers() -> None:
    from geo.geocode import geocoder

    texts = ["Sarjah village, Maarat al-Numaan district, Idlib Governorate, Syria", "near Albu Kamal",
             "Hit, Iraq", "5 km north of Mosul", "Abu Kamall", "Qwertyville"]
    before = [geocode(t).to_dict() for t in texts] + [geocode(t, country="SYR").to_dict() for t in texts]
    geocoder.clear_caches()
    after = [geocode(t).to_dict() for t in texts] + [geocode(t, country="SYR").to_dict() for t in texts]
    assert after == before


def test_a_lookup_loads_neither_pandas_nor_scipy() -> None:
    code = ("import sys, geo; m = geo.geocode_place('Albu Kamal'); assert m.country == 'SYR', m; "
            "print(sorted(x for x in ('pandas', 'scipy') if x in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"

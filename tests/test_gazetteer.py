"""The gazetteer: normalisation, the built index, curated sites with sources, and the seed data's agreement."""

from __future__ import annotations

import json

import numpy as np
import pytest

from geo.geocode import gazetteer
from tests.conftest import ROOT


@pytest.fixture
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


@pytest.mark.parametrize(("text", "key"), [
    ("Al-Qa'im", "qaim"), ("Ayn al-Asad", "ain asad"), ("Ain al Asad", "ain asad"), ("AIN AL-ASAD", "ain asad"),
    ("Albu Kamal", "abu kamal"), ("Dayr az-Zawr", "deir zawr"), ("Tell Baydar", "tal baydar"),
    ("Hīt", "hit"), ("Qāʿim", "qaim"), ("ash-Shaddadi", "shaddadi"), ("القائم", "قايم"), ("عين الأسد", "عين اسد"),
    ("U.S. Embassy", "us embassy"), ("  Ramadi  ", "ramadi"), ("al", "al"),
    # letters NFKD leaves whole: GeoNames' own names of Turkish and Polish towns ("Bağcılar", "Łódź")
    ("Bağcılar", "bagcilar"), ("Doğubayazıt", "dogubayazit"), ("Łódź", "lodz"),
], ids=lambda v: str(v))
def test_normalize(text: str, key: str) -> None:
    assert gazetteer.normalize(text) == key


@pytest.mark.parametrize("spelling", ["Abu Kamal", "Albu Kamal", "Al-Bukamal", "Al Bukamal", "Albukamal"])
def test_abu_kamal_spellings_share_a_key(spelling: str) -> None:
    assert gazetteer.compact(gazetteer.normalize(spelling)) == "bukamal"


def test_curated_sites_are_complete_and_cited() -> None:
    sites, regions = gazetteer.read_assets()
    ids = [s["id"] for s in sites]
    assert len(ids) == len(set(ids))
    for s in sites:
        assert s["kind"] in gazetteer.SITE_KINDS, s["id"]
        assert -180 <= s["lon"] <= 180 and -90 <= s["lat"] <= 90, s["id"]
        assert 0 < s["precision_km"] <= 50, s["id"]
        assert s["source"]["url"].startswith("http") and s["source"]["note"], s["id"]
        assert s["aliases"], s["id"]
    for w in regions["seas"]:  # open water: a cited point, half the body's length as radius, no country
        assert w["kind"] == "sea" and w["id"] not in ids, w["id"]
        assert -180 <= w["lon"] <= 180 and -90 <= w["lat"] <= 90 and 0 < w["precision_km"] <= 1500, w["id"]
        assert w["source"]["url"].startswith("http") and w["source"]["note"] and w["source"]["retrieved"], w["id"]
        assert w["aliases"], w["id"]
    for r in regions["regions"]:
        assert sum(k in r for k in ("admin1", "sites", "point")) == 1, r["id"]
        assert set(r.get("sites", [])) <= set(ids), r["id"]


def test_index_layers(gaz: gazetteer.Gazetteer) -> None:
    kinds = set(gaz.kind.tolist())
    assert {"place", "admin1", "region", "country", "airbase", "embassy"} <= kinds
    assert (gaz.kind == "place").sum() > 200_000
    curated = {s["id"] for s in gazetteer.read_assets()[0]}
    refs = {gaz.ref[i] for i in gaz.site_ids}
    assert curated <= refs and len(refs) > len(curated) + 1000  # curated sites, then OurAirports
    assert np.all(np.diff(gaz.keys) >= 0)


@pytest.mark.parametrize(("name", "expected"), [
    ("bashur", "Harir Air Base"), ("koniko", "Conoco gas field"), ("western iraq", "western Iraq"),
    ("green zone", "the Green Zone"), ("anbar", "Al Anbar"), ("damascus", "Damascus"),
])
def test_ids_for(gaz: gazetteer.Gazetteer, name: str, expected: str) -> None:
    assert expected in [gaz.name[i] for i in gaz.ids_for(name)]


def test_index_is_cached_and_loads_fast(gaz: gazetteer.Gazetteer) -> None:
    import time

    path = gazetteer.index_path()
    assert path.is_file()
    gazetteer.forget()
    t = time.perf_counter()
    again = gazetteer.load()
    assert time.perf_counter() - t < 1.0
    assert len(again) == len(gaz)


def test_seed_coordinates_agree_with_curated_sites(gaz: gazetteer.Gazetteer) -> None:
    feats = json.loads((ROOT / "data" / "events.geojson").read_text(encoding="utf-8"))["features"]
    lon = np.array([f["geometry"]["coordinates"][0] for f in feats])
    lat = np.array([f["geometry"]["coordinates"][1] for f in feats])
    sites = gaz.site_ids
    d = gazetteer.haversine_km(lon[:, None], lat[:, None], gaz.lon[sites][None, :], gaz.lat[sites][None, :])
    nearest = d.argmin(axis=1)
    for f, j, km in zip(feats, nearest, d.min(axis=1)):
        allowed = max(f["properties"]["precision_km"], gaz.precision_km[sites[j]])
        assert km <= allowed, f"{f['properties']['event_id']}: {km:.1f} km from {gaz.name[sites[j]]}"
        assert gaz.country[sites[j]] == f["properties"]["country"], f["properties"]["event_id"]


def test_memos_are_never_stored_with_the_index(gaz: gazetteer.Gazetteer) -> None:
    from geo.geocode.geocoder import geocode

    geocode("Mosul, Iraq")
    assert any(k.startswith("_memo_") for k in gaz.__dict__)
    assert not [k for k in gaz.__getstate__() if k.startswith("_")]


def test_length_span_is_the_slice_of_those_lengths(gaz: gazetteer.Gazetteer) -> None:
    lens = gaz.fuzzy_lens
    for lo, hi in ((4, 6), (10, 12), (0, 3), (200, 400)):
        a, b = gaz.length_span(lo, hi)
        assert ((lens[a:b] >= lo) & (lens[a:b] <= hi)).all()
        assert a == int(np.searchsorted(lens, lo)) and b == int(np.searchsorted(lens, hi + 1))


def test_sorted_hashes_sort_by_hash_then_entry() -> None:
    from geo.geocode.build import _sorted_hashes

    groups = {"mosul": {5, 2}, "abu kamal": {7}, "qaim": {3, 1, 9}, "x y": set()}
    keys, ids = _sorted_hashes(groups)
    expect = sorted((int(gazetteer.key_hash(k)), i) for k, v in groups.items() for i in v)
    assert keys.dtype == np.int64 and ids.dtype == np.int32
    assert list(zip(keys.tolist(), ids.tolist())) == expect

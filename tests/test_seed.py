"""The bundled seed data: valid, unique, sourced, inside Iraq or Syria, and holding the events the story names."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import orjson
import pytest

import geo
from geo.countries import COUNTRIES_PATH as BASEMAP_PATH


def test_seed_is_valid_and_large_enough(seed):
    assert len(seed) >= 40
    assert seed["event_id"].is_unique
    assert seed["date"].min().date() >= date(2019, 12, 1)
    assert seed["date"].max().date() <= date(2021, 12, 31)


def test_every_event_is_sourced_with_links(seed):
    for text in seed["sources"]:
        sources = orjson.loads(text)
        assert sources and all(s["publisher"] and s["url"].startswith(("http://", "https://")) for s in sources)


def test_every_coordinate_is_cited(seed):
    cites = seed["coord_source"].map(orjson.loads)
    assert cites.map(lambda c: c["url"].startswith("http")).all()


def test_every_event_lies_in_its_country(seed):
    countries = gpd.read_file(BASEMAP_PATH)
    shapes = {"IRQ": countries[countries["name"] == "Iraq"].union_all(),
              "SYR": countries[countries["name"] == "Syria"].union_all()}
    assert set(seed["country"].astype(str)) <= set(shapes)
    for iso, shape in shapes.items():
        mine = seed[seed["country"] == iso]
        # Natural Earth's 1:50m borders are coarse: allow a few km at the frontier (al-Tanf, al-Qaim)
        inside = mine.geometry.within(shape.buffer(0.05))
        assert inside.all(), mine.loc[~inside, "event_id"].tolist()


STORY = [
    ("embassy drone shot down", dict(since=date(2021, 7, 5), until=date(2021, 7, 5), weapons=("drone",),
                                     outcomes=("intercepted",), text="embassy")),
    ("three rockets at Ain al-Asad", dict(since=date(2021, 7, 5), until=date(2021, 7, 5), weapons=("rocket",),
                                          text="Asad")),
    ("Soleimani killed at Baghdad airport", dict(since=date(2020, 1, 3), until=date(2020, 1, 3), text="Soleimani")),
    ("Iran's missiles on Ain al-Asad and Erbil", dict(since=date(2020, 1, 8), until=date(2020, 1, 8),
                                                      weapons=("ballistic_missile",))),
    ("K-1", dict(since=date(2019, 12, 27), until=date(2019, 12, 27), text="K-1")),
    ("Camp Taji", dict(since=date(2020, 3, 11), until=date(2020, 3, 11), text="Taji")),
    ("Erbil Feb 2021", dict(since=date(2021, 2, 15), until=date(2021, 2, 15), text="Erbil")),
    ("al-Tanf", dict(since=date(2021, 10, 20), until=date(2021, 10, 20), text="Tanf")),
]


@pytest.mark.parametrize("spec", [s for _, s in STORY], ids=[n for n, _ in STORY])
def test_story_events_are_present(seed, spec):
    assert len(geo.apply(seed, geo.FilterSpec(**spec))) >= 1


def test_late_june_2021_strikes_hit_three_sites_two_in_syria(seed):
    strikes = geo.apply(seed, geo.FilterSpec(since=date(2021, 6, 27), until=date(2021, 6, 28),
                                             weapons=("airstrike",), actors=("United States",)))
    assert sorted(strikes["country"].astype(str)) == ["IRQ", "SYR", "SYR"]


def test_precision_is_honest(seed):
    assert (seed["precision_km"] > 0).all()
    vague = seed[seed["geo_precision"] >= 2]
    assert (vague["precision_km"] >= 1).all()

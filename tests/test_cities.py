"""Main-city labels: one label per place, the common name, only big places."""

from __future__ import annotations

import numpy as np

from geo.webmap import mapview
from geo.webmap.cities import main_cities


def test_one_city_per_place_with_its_common_name():
    cities = main_cities()
    iraq = set(cities.loc[cities["country"] == "IQ", "name"])
    assert {"Baghdad", "Mosul", "Basrah", "Erbil", "Kirkuk"} <= iraq
    assert "Sadr City" not in iraq  # a district inside Baghdad
    assert cities["population"].min() >= 300_000


def test_no_two_labels_within_25_km():
    cities = main_cities()
    x = np.radians(cities["lon"].to_numpy()) * np.cos(np.radians(cities["lat"].to_numpy()))
    y = np.radians(cities["lat"].to_numpy())
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) * 6371
    np.fill_diagonal(d, np.inf)
    assert d.min() >= 25


def test_map_labels_the_cities_around_the_events(seed):
    html = mapview.build_map(seed).get_root().render()
    assert '"Baghdad"' in html and '"Erbil"' in html
    assert '"Shanghai"' not in html  # only the region's cities travel with the map
    assert "GeoNames (CC BY 4.0)" in html

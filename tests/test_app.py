"""The real Streamlit app, run headless by AppTest: every page, the shared filter, and links that keep it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import geo
from tests.conftest import open_app

PAGES = ["pages/map.py", "pages/events.py", "pages/trends.py", "pages/report.py", "pages/about.py"]


@pytest.fixture(autouse=True)
def _navigation_like_the_server(monkeypatch):
    # AppTest re-detects our pages/ folder before every run and then executes a page script alone on
    # reruns (Streamlit's old multipage mode). The real server drops that mode once app.py calls
    # st.navigation; this makes AppTest do the same, so every run starts with app.py as in production.
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def caption(at: AppTest) -> str:
    return at.text[0].value


def test_opens_on_all_seed_events(seed):
    assert caption(open_app()) == f"Attacks: {len(seed)} events"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_carries_the_caption(page, seed):
    at = open_app()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert caption(at) == f"Attacks: {len(seed)} events"


def test_weapon_filter_changes_caption_count_and_table(seed):
    at = open_app()
    at.switch_page("pages/events.py").run()
    assert len(at.dataframe[0].value) == len(seed)
    at.multiselect(key="f_weapons").select("drone").run()
    drones = geo.apply(seed, geo.FilterSpec(weapons=("drone",)))
    assert 0 < len(drones) < len(seed)
    assert caption(at) == f"Drone attacks: {len(drones)} events"
    assert sorted(at.dataframe[0].value["event_id"]) == sorted(drones["event_id"])
    assert at.query_params["weapon"] in ("drone", ["drone"])  # the URL now carries the filter



def test_events_table_marks_missing_values_instead_of_none(seed):
    # Streamlit's own mark for a missing cell is "None", which under Fatalities reads as "no deaths".
    assert seed["fatalities"].isna().any()
    at = open_app()
    at.switch_page("pages/events.py").run()
    table = at.dataframe[0]
    assert table.proto.placeholder == geo.MISSING_MARK
    assert table.value["fatalities"].isna().sum() == seed["fatalities"].isna().sum()  # the data stays missing


SIDEBAR = [
    ("actors", "f_actors", ["United States"], geo.FilterSpec(actors=("United States",))),
    ("attribution", "f_attr", ["claimed"], geo.FilterSpec(attributions=("claimed",))),
    ("outcome", "f_outcome", ["intercepted"], geo.FilterSpec(outcomes=("intercepted",))),
    ("country", "f_country", ["SYR"], geo.FilterSpec(countries=("SYR",))),
]


@pytest.mark.parametrize(("key", "value", "spec"), [s[1:] for s in SIDEBAR], ids=[s[0] for s in SIDEBAR])
def test_sidebar_multiselects(seed, key, value, spec):
    at = open_app()
    at.multiselect(key=key).set_value(value).run()
    assert caption(at).endswith(f": {len(geo.apply(seed, spec))} events")


@pytest.mark.parametrize("page", PAGES)
def test_a_filter_that_matches_nothing_shows_every_page_without_an_error(page, seed):
    at = open_app()
    at.text_input(key="f_text").input("no event says this").run()  # (the sidebar's weapon key has nothing to show)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert caption(at).endswith(": 0 events")


def test_text_fatalities_precision_and_dates(seed):
    at = open_app()
    at.text_input(key="f_text").input("embassy").run()
    n = len(geo.apply(seed, geo.FilterSpec(text="embassy")))
    assert caption(at) == f"Attacks, matching \u201cembassy\u201d: {n} events"
    at.text_input(key="f_text").input("").run()
    at.number_input(key="f_fat").set_value(3).run()
    assert caption(at).endswith(f": {len(geo.apply(seed, geo.FilterSpec(min_fatalities=3)))} events")
    at.number_input(key="f_fat").set_value(0).run()
    at.number_input(key="f_prec").set_value(3.0).run()
    assert caption(at).endswith(f": {len(geo.apply(seed, geo.FilterSpec(max_precision_km=3.0)))} events")
    at.date_input(key="f_since").set_value(date(2021, 7, 5)).run()
    at.date_input(key="f_until").set_value(date(2021, 7, 5)).run()
    spec = geo.FilterSpec(max_precision_km=3.0, since=date(2021, 7, 5), until=date(2021, 7, 5))
    assert caption(at) == geo.describe(spec, len(geo.apply(seed, spec)))


def test_link_restores_the_filter(seed):
    at = open_app(weapon="drone", since="2021-01-01")
    spec = geo.FilterSpec(weapons=("drone",), since=date(2021, 1, 1))
    assert caption(at) == geo.describe(spec, len(geo.apply(seed, spec)))
    assert at.multiselect(key="f_weapons").value == ["drone"]


def test_bad_link_warns_and_shows_everything(seed):
    at = open_app(weapon="laser")
    assert "not understood" in at.warning[0].value
    assert caption(at) == f"Attacks: {len(seed)} events"


def test_reset_clears_every_filter(seed):
    at = open_app(weapon="drone", country="IRQ")
    assert caption(at) != f"Attacks: {len(seed)} events"
    at.sidebar.button[0].click().run()
    assert caption(at) == f"Attacks: {len(seed)} events"
    assert at.multiselect(key="f_weapons").value == []


def test_map_loads_nothing_from_the_internet():
    maps = open_app().get("component_instance")
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/") for link in links)
    assert "https://cdn" not in args["script"] and "unpkg.com" not in args["script"]


def test_map_returns_only_its_view_and_clicks():
    args = json.loads(open_app().get("component_instance")[0].proto.json_args)
    assert args["returned_objects"] == ["bounds", "zoom", "last_object_clicked"]


def test_downloads_are_named_after_the_filter():
    at = open_app(weapon="drone")
    at.switch_page("pages/events.py").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["GeoJSON", "CSV", "GeoPackage"]


def test_events_are_shared_across_reruns_and_never_mutated_by_a_page():
    import numpy as np

    at = open_app()
    first = at.session_state["events"]
    at.run()
    second = at.session_state["events"]
    assert first is not second  # each run gets its own frame object...
    assert np.shares_memory(first["precision_km"].to_numpy(), second["precision_km"].to_numpy())  # ...no copy
    before = second["fatalities"].copy()
    second.loc[second.index[0], "fatalities"] = 999_999  # what a careless page might do to its frame
    second["scratch"] = 1
    at.switch_page("pages/events.py").run()
    third = at.session_state["events"]
    assert "scratch" not in third.columns
    assert third["fatalities"].equals(before)

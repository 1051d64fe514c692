"""The real Streamlit app, run headless by AppTest: filters change what the map page shows."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import geo
from tests.conftest import ROOT


def rerun(at: AppTest) -> AppTest:
    # AppTest resets Streamlit's "uses a pages/ folder" flag before each run, and with our pages/ folder a
    # rerun would then execute only the page script. Asking for the main script again runs the app as
    # Streamlit itself does (app.py first, then the page it navigates to).
    at._finished_page_script_hash = ""
    return at.run()


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def caption(at: AppTest) -> str:
    return at.text[0].value


def test_opens_on_all_seed_events(app, seed):
    assert caption(app).endswith(f": {len(seed)} events")


def test_weapon_filter_changes_the_count(app, seed):
    app.multiselect(key="weapons").select("drone")
    rerun(app)
    assert not app.exception
    drones = len(geo.apply(seed, geo.FilterSpec(weapons=("drone",))))
    assert caption(app).startswith("Drone attacks")
    assert caption(app).endswith(f": {drones} events")
    assert 0 < drones < len(seed)


def test_actor_and_date_filters(app, seed):
    app.multiselect(key="actors").select("United States")
    rerun(app)
    us = geo.apply(seed, geo.FilterSpec(actors=("United States",)))
    assert caption(app).endswith(f": {len(us)} events")
    first = us["date"].min().date()
    app.date_input(key="dates").set_value((first, first))
    rerun(app)
    same_day = geo.apply(us, geo.FilterSpec(since=first, until=first))
    assert caption(app).endswith(f": {len(same_day)} event" + ("s" if len(same_day) != 1 else ""))


def test_map_loads_nothing_from_the_internet(app):
    maps = app.get("component_instance")
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/") for link in links)
    assert "https://cdn" not in args["script"] and "unpkg.com" not in args["script"]


def test_download_button_is_offered(app):
    assert [b.proto.label for b in app.get("download_button")] == ["Download GeoJSON"]

"""The Map page in AppTest: drill-down feature group, playback controls, record panel, feed and links."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import geo
from tests.conftest import open_app as open_map


@pytest.fixture(autouse=True)
def _navigation_like_the_server(monkeypatch):  # as in test_app.py: every run starts with app.py
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def config(group: str, name: str) -> dict:
    match = re.search(r"var cfg = (\{.*?\})[;,]\s*(?:data|var group)", group, re.DOTALL)
    assert match, "no config in the feature group"
    return json.loads(match.group(1).replace("<\\/", "</"))


def test_first_view_fits_the_events_with_every_seed_event(seed):
    args = map_args(open_map())
    group = args["feature_group"]
    assert '"fit":' in group
    assert sum(f'"{e}"' in group for e in seed["event_id"]) == len(seed)  # few events: all singles
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])


def test_playback_controls_follow_the_filter(seed):
    at = open_map()
    assert not at.get("segmented_control")
    at.toggle(key="map_playback").set_value(True).run()
    assert not at.exception
    group = map_args(at)["feature_group"]
    cfg = config(group, "playback")
    first, last = seed["date"].min(), seed["date"].max()
    weeks = geo.playback_frames(first, last, step="week")
    assert cfg["labels"] == weeks.labels() and cfg["mode"] == "window" and cfg["fps"] == 5
    assert sum(cfg["triplets"][2::3]) == len(seed)
    at.selectbox(key="play_step").set_value("month").run()
    at.get("segmented_control")[0].set_value("cumulative").run()
    at.select_slider(key="play_fps").set_value(10).run()
    cfg = config(map_args(at)["feature_group"], "playback")
    assert len(cfg["labels"]) == len(geo.playback_frames(first, last, step="month"))
    assert cfg["mode"] == "cumulative" and cfg["fps"] == 10
    at.multiselect(key="f_weapons").select("drone").run()  # the sidebar filter: only drones play
    cfg = config(map_args(at)["feature_group"], "playback")
    assert sum(cfg["triplets"][2::3]) == len(geo.apply(seed, geo.FilterSpec(weapons=("drone",))))


def test_permalink_opens_the_event_and_keeps_the_view(seed):
    event = seed.iloc[5]
    at = open_map(event=event["event_id"], weapon=event["weapon_type"])
    group = map_args(at)["feature_group"]
    assert f'"selected":"{event["event_id"]}"' in group and '"view":[' in group
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Selected event" in [m.value for m in at.markdown][0] or "Selected event" in str(at.markdown)
    assert geo.escape_text(event["location"]) in html
    assert at.query_params["event"] in (event["event_id"], [event["event_id"]])
    assert at.query_params["weapon"] in (event["weapon_type"], [event["weapon_type"]])  # beside the filter


def test_view_link_opens_there():
    at = open_map(view="33.31,44.36,13")
    assert '"view":[33.31,44.36,13]' in map_args(at)["feature_group"]
    assert at.query_params["view"] in ("33.31000,44.36000,13", ["33.31000,44.36000,13"])


def test_bad_view_link_warns():
    at = open_map(view="nowhere")
    assert any("map view was not understood" in w.value for w in at.warning)


def test_feed_lists_the_newest_first(seed):
    at = open_map()
    feed = [d for d in at.dataframe if d.proto.id and "feed" in str(d.proto.id)] or at.dataframe
    newest = seed.sort_values(["date", "event_id"], ascending=[False, True]).iloc[0]
    assert str(feed[0].value.iloc[0]["date"]) == newest["date"].strftime("%Y-%m-%d")


def test_download_is_ready_before_the_click(seed):
    at = open_map()
    (button,) = at.get("download_button")
    assert button.proto.label == "Download GeoJSON"
    assert not at.button  or all(b.label != "Prepare GeoJSON download" for b in at.button)

"""The Trends page's linked charts (AppTest): a brushed week range or a clicked bar becomes the sidebar filter.

The browser sends a chart's selection to the server as the widget's JSON state; these tests send the same message
through AppTest (its WidgetStates, as a click on any widget does) and read the filter back from the sidebar,
the caption and the URL.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from test_app import _navigation_like_the_server, open_app  # noqa: F401  (AppTest runs app.py first, as the server)

import geo


def charts(at) -> dict[str, object]:
    """The page's selectable charts by key (trends_weekly, trends_weapon, trends_actor)."""
    return {node.proto.id.rsplit("-", 1)[-1].rsplit("_", 1)[0]: node for node in at._tree  # key: name_round
            if getattr(node, "type", None) == "vega_lite_chart" and node.proto.selection_mode}


def select(at, key: str, selection: dict):
    """Rerun the app as the browser does after a selection on chart *key*."""
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = charts(at)[key].proto.id
    state.string_value = json.dumps({"selection": selection})
    at._run(states)
    assert not at.exception, at.exception
    return at


def on_trends(**params):
    at = open_app(**params)
    at.switch_page("pages/trends.py").run()
    assert not at.exception, at.exception
    return at


def ms(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp() * 1000


def test_trends_charts_offer_their_selections():
    assert set(charts(on_trends())) == {"trends_weekly", "trends_weapon", "trends_actor"}


def test_brushing_weeks_sets_the_date_filter(seed):
    at = select(on_trends(), "trends_weekly", {"brush": {"week": [ms("2021-01-04"), ms("2021-03-28")]}})
    assert (at.session_state["f_since"], at.session_state["f_until"]) == (date(2021, 1, 4), date(2021, 3, 28))
    inside = seed[(seed["date"] >= "2021-01-04") & (seed["date"] <= "2021-03-28")]
    assert at.text[0].value.endswith(f": {len(inside)} events")  # the caption counts the brushed weeks
    assert at.query_params["since"] == "2021-01-04" and at.query_params["until"] == "2021-03-28"


@pytest.mark.parametrize("key,param,field,value,widget,expected", [
    ("trends_weapon", "pick_weapon", "weapon", "Drone", "f_weapons", ["drone"]),
    ("trends_actor", "pick_actor", "actor", "Kata'ib Hezbollah", "f_actors", ["Kata'ib Hezbollah"]),
], ids=["weapon", "actor"])
def test_clicking_a_bar_filters_by_it(seed, key, param, field, value, widget, expected):
    at = select(on_trends(), key, {param: [{field: value}]})
    assert at.session_state[widget] == expected
    column = "weapon_type" if field == "weapon" else "actor"
    assert at.text[0].value.endswith(f": {int((seed[column] == expected[0]).sum())} events")


def test_a_followed_selection_does_not_undo_a_reset():
    at = select(on_trends(), "trends_weapon", {"pick_weapon": [{"weapon": "Drone"}]})
    assert at.session_state["f_weapons"] == ["drone"]
    assert all(node.proto.id.endswith("_1") for node in charts(at).values())  # fresh charts, no old selection
    at.button[0].click()  # "Reset filters" in the sidebar; the chart still shows its old selection
    at.run()
    assert at.session_state["f_weapons"] == []
    at.run()
    assert at.session_state["f_weapons"] == []


def test_an_empty_selection_changes_nothing():
    at = select(on_trends(weapon="rocket"), "trends_weekly", {"brush": {}})
    assert at.session_state["f_weapons"] == ["rocket"] and geo.WEAPON_NAMES["rocket"] in at.text[0].value

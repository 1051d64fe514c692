"""Trends page: events per week by weapon, fatalities per month, top actors and targets, countries, attribution.

The charts filter the map: brushing weeks on the weekly chart sets the date range, a click on a weapon or actor
bar keeps only that weapon or actor.  A chart's selection goes to the sidebar through
``st.session_state["pending_filter"]``, which the frame (app.py) puts into the widgets before it draws them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone

import altair as alt
import streamlit as st

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "trends"})

filtered = st.session_state["filtered"]
spec: geo.FilterSpec = st.session_state["spec"]
if filtered.empty:
    st.info("No events match the filter.")
    st.stop()

trends = geo.trends(filtered)
weapons = [w for w in geo.WEAPON_TYPES if w in set(trends["weekly"]["weapon_type"])]
colour = alt.Color("weapon:N", title="Weapon", sort=[geo.WEAPON_NAMES[w] for w in weapons],
                   scale=alt.Scale(domain=[geo.WEAPON_NAMES[w] for w in weapons],
                                   range=[geo.WEAPON_COLORS[w] for w in weapons]))
CODES = {name: code for code, name in geo.WEAPON_NAMES.items()}


def _day(value: object):
    """A brushed end (Vega gives epoch milliseconds) as a date."""
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc).date()
    return datetime.fromisoformat(str(value)[:10]).date()


def _follow(key: str, event, changes) -> None:
    """Turn a new selection of chart *key* into a filter change; a selection already followed is not re-applied
    (so "Reset filters" in the sidebar is not undone by a chart that still shows its old selection)."""
    selection = dict(event.selection) if event else {}
    seen = json.dumps(selection, sort_keys=True, default=str)
    followed = st.session_state.setdefault("trends_followed", {})
    if followed.get(key) == seen:
        return
    followed[key] = seen
    update = changes(selection)
    if update:
        new = replace(spec, **update)
        if geo.to_params(new) != geo.to_params(spec):
            st.session_state["pending_filter"] = geo.to_params(new)
            st.rerun()


def _brushed(selection: dict) -> dict | None:
    span = (selection.get("brush") or {}).get("week")
    if not span or len(span) != 2:
        return None
    since, until = sorted(_day(v) for v in span)
    return {"since": since, "until": until}


def _picked(param: str, field: str, to_value) -> callable:
    def changes(selection: dict) -> dict | None:
        points = selection.get(param) or []
        values = tuple(dict.fromkeys(to_value(p[field]) for p in points if p.get(field) is not None))
        return {field + "s": values} if values else None
    return changes


st.subheader("Events per week, by weapon")
st.caption("Drag across the weeks to set the date filter; click a weapon or an actor bar to keep only it.")
brush = alt.selection_interval(name="brush", encodings=["x"])
weekly = st.altair_chart(alt.Chart(trends["weekly"]).mark_bar().encode(
    x=alt.X("week:T", title="Week"), y=alt.Y("events:Q", title="Events", stack=True,
                                             axis=alt.Axis(tickMinStep=1, format="d")), color=colour,
    tooltip=["week:T", "weapon:N", "events:Q"]).add_params(brush), width="stretch", key="trends_weekly",
    on_select="rerun", selection_mode="brush")
_follow("trends_weekly", weekly, _brushed)

left, right = st.columns(2)
with left:
    st.subheader("By weapon")
    by_weapon = (trends["weekly"].groupby("weapon", as_index=False)["events"].sum()
                 .sort_values("events", ascending=False))
    pick_weapon = alt.selection_point(name="pick_weapon", fields=["weapon"])
    chosen = st.altair_chart(alt.Chart(by_weapon).mark_bar(cursor="pointer").encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("weapon:N", sort="-x", title=None), color=colour.legend(None),
        tooltip=["weapon:N", "events:Q"]).add_params(pick_weapon), width="stretch", key="trends_weapon",
        on_select="rerun", selection_mode="pick_weapon")
    _follow("trends_weapon", chosen, _picked("pick_weapon", "weapon", lambda name: CODES.get(name, name)))
    st.subheader("Top actors")
    pick_actor = alt.selection_point(name="pick_actor", fields=["actor"])
    chosen = st.altair_chart(alt.Chart(trends["actors"]).mark_bar(cursor="pointer").encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("actor:N", sort="-x", title=None), tooltip=["actor:N", "events:Q"]).add_params(pick_actor),
        width="stretch", key="trends_actor", on_select="rerun", selection_mode="pick_actor")
    _follow("trends_actor", chosen, _picked("pick_actor", "actor", str))
with right:
    st.subheader("Fatalities per month")
    st.caption("Lowest reported figures; events with unknown fatalities count as 0.")
    st.altair_chart(alt.Chart(trends["monthly"]).mark_bar(color="#555").encode(
        x=alt.X("month:T", title="Month", timeUnit="yearmonth"), y=alt.Y("fatalities:Q", title="Fatalities"),
        tooltip=[alt.Tooltip("month:T", timeUnit="yearmonth"), "fatalities:Q", "events:Q"]), width="stretch")
    st.subheader("By country and attribution")
    st.altair_chart(alt.Chart(trends["country_attribution"]).mark_bar().encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")), y=alt.Y("country:N", title=None),
        color=alt.Color("attribution:N", title="Attribution"),
        tooltip=["country:N", "attribution:N", "events:Q"]), width="stretch")
    st.subheader("Top targets")
    st.altair_chart(alt.Chart(trends["targets"]).mark_bar(color="#777").encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")), y=alt.Y("target:N", sort="-x", title=None),
        tooltip=["target:N", "events:Q"]), width="stretch")

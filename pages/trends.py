"""Trends page: events per week by weapon, fatalities per month, top actors and targets, countries, attribution.

The charts filter the map: brushing weeks on the weekly chart sets the date range, a click on a weapon or actor
bar keeps only that weapon or actor.  A chart's selection goes to the sidebar through
``st.session_state["pending_filter"]``, which the frame (app.py) puts into the widgets before it draws them.
"""

from __future__ import annotations

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
ROUND = st.session_state.get("trends_round", 0)


def _day(value: object):
    """A brushed end (Vega gives epoch milliseconds) as a date."""
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc).date()
    return datetime.fromisoformat(str(value)[:10]).date()


def _follow(event, changes) -> None:
    """Turn a chart's selection into a filter change.  The charts then get new keys (a new round), so they come
    back without the selection: no stale brush over the new range, and "Reset filters" is never undone."""
    update = changes(dict(event.selection)) if event else None
    if update:
        new = replace(spec, **update)
        if geo.to_params(new) != geo.to_params(spec):
            st.session_state["pending_filter"] = geo.to_params(new)
            st.session_state["trends_round"] = ROUND + 1
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
span = st.session_state.get("data_range")
first, last = (spec.since or (span[0] if span else None)), (spec.until or (span[1] if span else None))
axis = alt.Scale(domain=[str(first), str(last)]) if first and last else alt.Undefined  # the filter's span
weekly = st.altair_chart(alt.Chart(trends["weekly"]).mark_bar().encode(
    x=alt.X("week:T", title="Week", scale=axis), y=alt.Y("events:Q", title="Events", stack=True,
                                             axis=alt.Axis(tickMinStep=1, format="d")), color=colour,
    tooltip=["week:T", "weapon:N", "events:Q"]).add_params(brush), width="stretch", key=f"trends_weekly_{ROUND}",
    on_select="rerun", selection_mode="brush")
_follow(weekly, _brushed)

left, right = st.columns(2)
with left:
    st.subheader("By weapon")
    by_weapon = (trends["weekly"].groupby("weapon", as_index=False)["events"].sum()
                 .sort_values("events", ascending=False))
    pick_weapon = alt.selection_point(name="pick_weapon", fields=["weapon"])
    chosen = st.altair_chart(alt.Chart(by_weapon).mark_bar(cursor="pointer").encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("weapon:N", sort="-x", title=None), color=colour.legend(None),
        tooltip=["weapon:N", "events:Q"]).add_params(pick_weapon), width="stretch", key=f"trends_weapon_{ROUND}",
        on_select="rerun", selection_mode="pick_weapon")
    _follow(chosen, _picked("pick_weapon", "weapon", lambda name: CODES.get(name, name)))
    st.subheader("Top actors")
    pick_actor = alt.selection_point(name="pick_actor", fields=["actor"])
    chosen = st.altair_chart(alt.Chart(trends["actors"]).mark_bar(cursor="pointer").encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("actor:N", sort="-x", title=None), tooltip=["actor:N", "events:Q"]).add_params(pick_actor),
        width="stretch", key=f"trends_actor_{ROUND}", on_select="rerun", selection_mode="pick_actor")
    _follow(chosen, _picked("pick_actor", "actor", str))
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

"""Trends page: events per week by weapon, fatalities per month, top actors and targets, countries, attribution."""

from __future__ import annotations

import altair as alt
import streamlit as st

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "trends"})

filtered = st.session_state["filtered"]
if filtered.empty:
    st.info("No events match the filter.")
    st.stop()

trends = geo.trends(filtered)
weapons = [w for w in geo.WEAPON_TYPES if w in set(trends["weekly"]["weapon_type"])]
colour = alt.Color("weapon:N", title="Weapon", sort=[geo.WEAPON_NAMES[w] for w in weapons],
                   scale=alt.Scale(domain=[geo.WEAPON_NAMES[w] for w in weapons],
                                   range=[geo.WEAPON_COLORS[w] for w in weapons]))

st.subheader("Events per week, by weapon")
st.altair_chart(alt.Chart(trends["weekly"]).mark_bar().encode(
    x=alt.X("week:T", title="Week"), y=alt.Y("events:Q", title="Events", stack=True, axis=alt.Axis(tickMinStep=1, format="d")), color=colour,
    tooltip=["week:T", "weapon:N", "events:Q"]), width="stretch")

left, right = st.columns(2)
with left:
    st.subheader("Fatalities per month")
    st.caption("Lowest reported figures; events with unknown fatalities count as 0.")
    st.altair_chart(alt.Chart(trends["monthly"]).mark_bar(color="#555").encode(
        x=alt.X("month:T", title="Month", timeUnit="yearmonth"), y=alt.Y("fatalities:Q", title="Fatalities"),
        tooltip=[alt.Tooltip("month:T", timeUnit="yearmonth"), "fatalities:Q", "events:Q"]), width="stretch")
    st.subheader("Top actors")
    st.altair_chart(alt.Chart(trends["actors"]).mark_bar().encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")), y=alt.Y("actor:N", sort="-x", title=None),
        tooltip=["actor:N", "events:Q"]), width="stretch")
with right:
    st.subheader("By country and attribution")
    st.altair_chart(alt.Chart(trends["country_attribution"]).mark_bar().encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")), y=alt.Y("country:N", title=None),
        color=alt.Color("attribution:N", title="Attribution"),
        tooltip=["country:N", "attribution:N", "events:Q"]), width="stretch")
    st.subheader("Top targets")
    st.altair_chart(alt.Chart(trends["targets"]).mark_bar(color="#777").encode(
        x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1, format="d")), y=alt.Y("target:N", sort="-x", title=None),
        tooltip=["target:N", "events:Q"]), width="stretch")

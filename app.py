"""Conflict Event Map dashboard: the frame (navigation and the shared sidebar of filters).

Run with `make run` (or `streamlit run app.py`). All logic lives in the `geo` library; this file only holds
widgets. The filter is kept in `st.session_state["spec"]` as a `geo.FilterSpec` for every page to use.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

import geo

st.set_page_config(page_title="Conflict Event Map", page_icon="🗺️", layout="wide")

EVENTS_PATH = Path(os.environ.get("CEM_EVENTS", geo.DEFAULT_EVENTS))


@st.cache_data(show_spinner="Loading events…")
def load(path: str, mtime_ns: int):  # mtime_ns is part of the cache key: an edited file reloads
    return geo.load_events(path)


try:
    events = load(str(EVENTS_PATH), EVENTS_PATH.stat().st_mtime_ns)
except (geo.GeoError, OSError) as exc:
    st.error(f"Cannot load the events: {exc}")
    st.stop()

st.session_state["events"] = events

with st.sidebar:
    st.header("Filters")
    first, last = events["date"].min().date(), events["date"].max().date()
    span = st.date_input("Date range", value=(first, last), min_value=first, max_value=last, key="dates")
    weapons_present = [w for w in geo.WEAPON_TYPES if (events["weapon_type"] == w).any()]
    weapons = st.multiselect("Weapon types", weapons_present, key="weapons",
                             format_func=geo.WEAPON_NAMES.get,
                             placeholder="All weapon types")
    actors = st.multiselect("Actors", sorted(events["actor"].astype("str").unique()), key="actors",
                            placeholder="All actors")

since, until = (span if isinstance(span, tuple) and len(span) == 2 else (first, last))
st.session_state["spec"] = geo.FilterSpec(since=since, until=until, weapons=tuple(weapons), actors=tuple(actors))

page = st.navigation([st.Page("pages/map.py", title="Map", icon=":material/map:", default=True)])
page.run()

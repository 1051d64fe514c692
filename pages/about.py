"""About page: what the data is, the schema, the vocabularies, precision codes, and how to cite the sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "about"})

events = st.session_state["events"]
first, last = st.session_state["data_range"]

st.header("About the data")
st.markdown(geo.ABOUT_TEXT)  # our own text, not event data
c1, c2, c3, c4 = st.columns(4)
c1.metric("Events", f"{len(events):,}")
c2.metric("From", first.isoformat())
c3.metric("To", last.isoformat())
c4.metric("Countries", events["country"].nunique())

st.subheader("Fields")
st.dataframe(pd.DataFrame([(f.name, "yes" if f.required else "", f.doc) for f in geo.FIELDS],
                          columns=["field", "required", "meaning"]), hide_index=True, width="stretch")

st.subheader("Weapon types")
st.dataframe(pd.DataFrame([(geo.WEAPON_NAMES[k], k, v) for k, v in geo.WEAPON_TYPES.items()],
                          columns=["weapon", "value", "covers"]), hide_index=True, width="stretch")

left, right = st.columns(2)
left.subheader("Outcome")
left.dataframe(pd.DataFrame(geo.OUTCOMES.items(), columns=["value", "meaning"]), hide_index=True)
right.subheader("Attribution")
right.dataframe(pd.DataFrame(geo.ATTRIBUTIONS.items(), columns=["value", "meaning"]), hide_index=True)

st.subheader("Precision")
st.dataframe(pd.DataFrame(
    [(str(k), v) for k, v in geo.GEO_PRECISIONS.items()] + [(k, v) for k, v in geo.DATE_PRECISIONS.items()],
    columns=["code", "meaning"]), hide_index=True, width="stretch")
st.markdown(geo.CITATION_TEXT)

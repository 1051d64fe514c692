"""Map page: the filtered events on the offline Folium map, the caption, and a GeoJSON download."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import geo

events = st.session_state["events"]
spec: geo.FilterSpec = st.session_state["spec"]
chosen = geo.apply(events, spec)
caption = geo.describe(spec, len(chosen))

st.title("Conflict Event Map")
st.text(caption)  # st.text, not markdown: actor names and search text come from outside

st_folium(geo.build_map(chosen, asset_base_url="/app/static"), key="map", height=620,
          use_container_width=True, returned_objects=[])

st.download_button("Download GeoJSON", geo.geojson_bytes(chosen, caption=caption),
                   file_name=f"{geo.file_stem(spec)}.geojson",
                   mime="application/geo+json", icon=":material/download:")

"""Map page: the filtered events on the offline Folium map; a click shows the full record beside it."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "map"})

filtered = st.session_state["filtered"]
spec: geo.FilterSpec = st.session_state["spec"]

c1, c2, c3, c4 = st.columns(4)
cluster = c1.toggle("Clusters", value=True, help="Group nearby events; a cluster opens (spiderfies) when clicked.")
halos = c2.toggle("Precision halos", value=False, help="A circle of each event's location uncertainty.")
heat = c3.toggle("Heat map", value=False)
refit = c4.button("Fit view to events", icon=":material/fit_screen:")

many = len(filtered) > geo.MAX_MARKERS
if many:
    st.info(f"{len(filtered):,} events are drawn as a density grid: click a cell to list its events, or filter "
            f"to {geo.MAX_MARKERS:,} or fewer to see single events.", icon=":material/grid_on:")



@st.cache_data(max_entries=32, show_spinner=False)
def shared_map(data_key: tuple, params: dict, options: tuple, _events):
    """One map per (collection, filter, options), built once for all sessions. cache_data hands each session its
    own unpickled copy (a few ms): st_folium's rendering changes the folium object, so none may be shared."""
    cluster, halos, heat, refit = options
    # The view is kept in the browser across filter changes; the button fits it to the events again.
    return geo.build_map(_events, asset_base_url="/app/static", cluster=cluster, halos=halos, heat=heat,
                         keep_view="cem-map-view", refit=refit)


left, right = st.columns([5, 2])
with left:
    fmap = shared_map(st.session_state["data_key"], geo.to_params(spec), (cluster, halos, heat, refit), filtered)
    # Only a click comes back to Python: panning and zooming stay in the browser and rerun nothing.
    state = st_folium(fmap, key="map", height=620, use_container_width=True, returned_objects=["last_object_clicked"])

with right:
    clicked = (state or {}).get("last_object_clicked")
    if clicked and many:  # a grid cell: list its events
        cell = geo.cell_events(filtered, clicked["lng"], clicked["lat"])
        st.subheader(f"{len(cell):,} events in this cell")
        st.dataframe(geo.display_table(cell.iloc[:500])[["date", "weapon", "actor", "location", "fatalities"]],
                     hide_index=True, width="stretch",
                     column_config={"date": st.column_config.DateColumn("Date", format="YYYY-MM-DD")})
        if len(cell) > 500:
            st.caption("The first 500 are listed; filter further to see the rest.")
    elif clicked and len(here := geo.events_at(filtered, clicked["lng"], clicked["lat"])):
        st.subheader(f"{len(here)} event{'s' if len(here) != 1 else ''} at this spot")
        for _, record in geo.records(here).iterrows():
            st.dataframe(record.rename("value").to_frame(), width="stretch",
                         column_config={"value": st.column_config.TextColumn(width="large")})
    else:
        st.caption("Click a circle on the map to read its full record.")

caption = st.session_state["caption"]
left, right = st.columns(2)
# Made only when clicked (on another thread, so it must not read st.session_state itself).
left.download_button("Download GeoJSON", lambda: geo.geojson_bytes(filtered, caption=caption),
                     file_name=f"{geo.file_stem(spec)}.geojson", mime="application/geo+json",
                     icon=":material/download:")
right.page_link("pages/report.py", label="Make a report map (PNG, PDF, HTML) of this filter",
                icon=":material/picture_as_pdf:")

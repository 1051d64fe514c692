"""Events page: the filtered events as a sortable, searchable table; selected rows on a small map; downloads."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "events"})

filtered = st.session_state["filtered"]
spec: geo.FilterSpec = st.session_state["spec"]
stem = geo.file_stem(spec)
caption = st.session_state["caption"]

table = geo.display_table(filtered)
selection = st.dataframe(
    table, key="events_table", width="stretch", hide_index=True, height=min(520, 40 + 35 * max(len(table), 1)),
    on_select="rerun", selection_mode="multi-row",
    column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "weapon": "Weapon", "outcome": "Outcome", "actor": "Actor", "attribution": "Attribution",
        "target": "Target", "location": "Location", "admin1": "Province", "country": "Country",
        "lon": "Lon", "lat": "Lat", "event_id": "Event id",
        "date_end": st.column_config.DateColumn("Until", format="YYYY-MM-DD"),
        "source": st.column_config.LinkColumn("Source", display_text="open"),
        "fatalities": st.column_config.NumberColumn("Fatalities", format="%d"),
        "precision_km": st.column_config.NumberColumn("± km", format="%.1f"),
        "description": st.column_config.TextColumn("Description", width="large"),
        "sources": st.column_config.TextColumn("All sources", width="medium"),
    },
)

rows = selection.selection.rows if selection else []
if rows:
    chosen = filtered.iloc[rows]
    st.subheader(f"{len(chosen)} selected")
    st_folium(geo.build_map(chosen, asset_base_url="/app/static"), key="events_map", height=360,
              use_container_width=True, returned_objects=[])
else:
    st.caption("Select rows (tick the boxes on the left) to see them on a map.")

st.subheader("Download the filtered events")
cols = st.columns(3)
for col, (fmt, label, ext) in zip(cols, [("geojson", "GeoJSON", "geojson"), ("csv", "CSV", "csv"),
                                         ("gpkg", "GeoPackage", "gpkg")]):
    # the file is made only when asked for, on another thread: it must not touch st.session_state
    col.download_button(label, data=lambda fmt=fmt: geo.to_bytes(filtered, fmt, caption=caption),
                        file_name=f"{stem}.{ext}", mime=geo.MEDIA_TYPES[fmt], icon=":material/download:",
                        key=f"dl_{fmt}", width="stretch")

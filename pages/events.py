"""Events page: the filtered events as a sortable, searchable table; selected rows on a small map; downloads."""

from __future__ import annotations

import pandas as pd
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
    on_select="rerun", selection_mode="multi-row", placeholder=geo.MISSING_MARK,  # ("None" read as "no deaths")
    column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width=100),
        "weapon": "Weapon", "outcome": "Outcome", "actor": "Actor", "attribution": "Attribution",
        "target": "Target", "location": "Location", "admin1": "Province", "country": "Country",
        "lon": "Lon", "lat": "Lat", "event_id": "Event id",
        "date_end": st.column_config.DateColumn("Until", format="YYYY-MM-DD", width=100,  # (sized: mostly empty)
                                                help="Last day of an event that lasted several days"),
        "source": st.column_config.LinkColumn("Source", display_text="open"),
        "fatalities": st.column_config.NumberColumn("Fatalities", format="%d",
                                                    help="Lowest reported figure; — when none was reported"),
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
    st.caption("Select rows (tick the boxes on the left) to see them on a map. — marks a value the record "
               "does not give (no fatality figure reported, no end date).")

st.subheader("Download the filtered events")
# Bytes are made before each button is drawn (a callable runs later, on another request, and can fail with
# "Deferred file not found"); above EAGER events a file is made when asked for, then kept by the cache.
EAGER = 50_000
key = (geo.to_params(spec), int(pd.util.hash_pandas_object(filtered["event_id"], index=False).sum()))


@st.cache_data(show_spinner="Preparing the file…", max_entries=8)
def export_bytes(fmt: str, params: dict, ids_hash: int, caption: str, _events) -> bytes:
    return geo.to_bytes(_events, fmt, caption=caption)  # params and ids_hash are the cache key


asked = st.session_state.setdefault("events_downloads", {})
cols = st.columns(3)
for col, (fmt, label, ext) in zip(cols, [("geojson", "GeoJSON", "geojson"), ("csv", "CSV", "csv"),
                                         ("gpkg", "GeoPackage", "gpkg")]):
    if len(filtered) > EAGER and asked.get(fmt) != repr(key):
        if col.button(f"Prepare {label} ({len(filtered):,} events)", key=f"prep_{fmt}", width="stretch"):
            asked[fmt] = repr(key)
            st.rerun()
        continue
    try:
        data = export_bytes(fmt, *key, caption, filtered)
    except geo.GeoError as exc:
        col.error(geo.error_text(exc))
        continue
    col.download_button(label, data=data, file_name=f"{stem}.{ext}", mime=geo.MEDIA_TYPES[fmt],
                        icon=":material/download:", key=f"dl_{fmt}", width="stretch")

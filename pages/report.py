"""Report page: the current filter as a report map (PNG preview) and downloads of PNG, PDF, SVG, HTML and zip."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "report"})

spec: geo.FilterSpec = st.session_state["spec"]
chosen = st.session_state["filtered"]


@st.cache_data(show_spinner="Drawing the map…", max_entries=16)
def make(fmt: str, params: dict, ids_hash: int, options: dict, _chosen) -> bytes:
    # params, ids_hash and options are the cache key (the filtered events are hashed by their ids, cheaply)
    return geo.report_bytes(_chosen, geo.from_params(params), fmt, options=geo.SnapshotOptions(**options))


with st.form("report_options"):
    left, right = st.columns(2)
    title = left.text_input("Title", value="Conflict events", max_chars=120)
    size = right.selectbox("Page size", list(geo.SIZES), index=0)
    dpi = right.select_slider("Resolution (PNG, dpi)", options=[100, 150, 200, 300], value=150)
    halos = left.checkbox("Precision halos (circle of each event's precision_km)")
    labels = left.checkbox("Name the key sites")
    locator = left.checkbox("Locator inset", value=True)
    region = right.text_input("Frame on countries (optional: ISO3 codes or names joined by '+', e.g. IRQ+SYR)")
    st.form_submit_button("Update preview", icon=":material/refresh:")

options = {"title": title or None, "size": size, "dpi": int(dpi), "halos": halos, "labels": labels,
           "locator": locator, "region": region.strip() or None}
key = (geo.to_params(spec), int(pd.util.hash_pandas_object(chosen["event_id"], index=False).sum()))
stem = geo.file_stem(spec)

try:
    png = make("png", *key, options, chosen)
except geo.GeoError as exc:
    st.error(str(exc))
    st.stop()

st.image(png, caption=f"{title} — {size}, {dpi} dpi", width="stretch")

kinds = [("png", "PNG image", "image/png"), ("pdf", "PDF", "application/pdf"), ("svg", "SVG", "image/svg+xml"),
         ("html", "HTML map (offline)", "text/html"), ("zip", "Report pack (zip)", "application/zip")]
for column, (fmt, label, mime) in zip(st.columns(len(kinds)), kinds):
    # A callable: the file is made when the button is clicked, not on every run of the page.
    column.download_button(label, lambda fmt=fmt: make(fmt, *key, options, chosen), file_name=f"{stem}.{fmt}",
                           mime=mime,
                           icon=":material/download:", key=f"download_{fmt}")
st.caption("The report pack holds the filtered GeoJSON and CSV, the PNG, the HTML map and a README listing "
           "the filter, the counts and every source.")

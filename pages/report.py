"""Report page: the current filter as a report map (PNG preview), its files, and the time playback as GIF or MP4.

Every download button holds bytes made before it is drawn (a callable would be run later, on another request, and
can fail with "Deferred file not found"); files other than the preview are made on request and kept in the session.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "report"})

spec: geo.FilterSpec = st.session_state["spec"]
chosen = st.session_state["filtered"]
KINDS = {"png": ("PNG image", "image/png"), "pdf": ("PDF", "application/pdf"), "svg": ("SVG", "image/svg+xml"),
         "html": ("HTML map (offline)", "text/html"), "zip": ("Report pack (zip)", "application/zip")}
STEPS = {"week": "Week", "day": "Day", "month": "Month"}
MODES = {"window": "Each period's events", "cumulative": "All events so far"}


@st.cache_data(show_spinner="Drawing the map…", max_entries=16)
def make(fmt: str, params: dict, ids_hash: int, options: dict, _chosen) -> bytes:
    # params, ids_hash and options are the cache key (the filtered events are hashed by their ids, cheaply)
    return geo.report_bytes(_chosen, geo.from_params(params), fmt, options=geo.SnapshotOptions(**options))


with st.form("report_options"):
    left, right = st.columns(2)
    title = left.text_input("Title", value="Conflict events", max_chars=120)
    size = right.selectbox("Page size", list(geo.SIZES), index=0)
    dpi = right.select_slider("Resolution (PNG, dpi)", options=[100, 150, 200, 300], value=150)
    style = right.selectbox("Basemap", list(geo.MAP_STYLES), format_func=str.capitalize)
    labels = left.checkbox("Name the key sites", value=True)
    halos = left.checkbox("Precision halos (circle of each event's precision_km)")
    locator = left.checkbox("Locator inset", value=True)
    region = right.text_input("Frame on countries (optional: ISO3 codes or names joined by '+', e.g. IRQ+SYR)")
    st.form_submit_button("Update preview", icon=":material/refresh:")

options = {"title": title or None, "size": size, "dpi": int(dpi), "halos": halos, "labels": labels,
           "locator": locator, "region": region.strip() or None, "style": style}
key = (geo.to_params(spec), int(pd.util.hash_pandas_object(chosen["event_id"], index=False).sum()))
stem = geo.file_stem(spec)

try:
    png = make("png", *key, options, chosen)
except geo.GeoError as exc:
    st.error(geo.error_text(exc))
    st.stop()

st.image(png, caption=f"{geo.escape_markdown(title)} — {size}, {dpi} dpi", width="stretch")

files = st.session_state.setdefault("report_files", {})
ident = repr((key, options))
if files.get("for") != ident:  # another filter or other options: the files made before no longer fit
    files.clear()
    files["for"] = ident
first, second = st.columns([1, 3])
first.download_button(KINDS["png"][0], png, file_name=f"{stem}.png", mime=KINDS["png"][1], icon=":material/download:",
                      key="download_png", width="stretch")
with second:
    other = st.segmented_control("Other files", [f for f in KINDS if f != "png"], default="pdf",
                                 format_func=lambda f: KINDS[f][0], key="report_format")
    if other and other not in files and st.button(f"Prepare the {KINDS[other][0]}", icon=":material/build:"):
        try:
            files[other] = make(other, *key, options, chosen)
        except geo.GeoError as exc:
            st.error(geo.error_text(exc))
    for fmt in (f for f in KINDS if f in files):
        st.download_button(KINDS[fmt][0], files[fmt], file_name=f"{stem}.{fmt}", mime=KINDS[fmt][1],
                           icon=":material/download:", key=f"download_{fmt}")
st.caption("The report pack holds the filtered GeoJSON and CSV, the PNG, the HTML map and a README listing "
           "the filter, the counts and every source.")

st.subheader("Time playback")
with st.form("playback_options"):
    a, b, c, d = st.columns(4)
    step = a.selectbox("One frame per", list(STEPS), format_func=STEPS.get)
    mode = b.radio("Show", list(MODES), format_func=MODES.get)
    fps = c.select_slider("Frames per second", options=[1, 2, 4, 8, 12], value=4)
    fmt = d.radio("File", list(geo.ANIMATION_FORMATS), format_func=str.upper, horizontal=True)
    go = st.form_submit_button("Make the animation", icon=":material/movie:")
wanted = repr((key, options["title"], style, step, mode, fps, fmt))
if go:
    bar = st.progress(0.0, text="Drawing the frames…")
    try:
        data = geo.animation_bytes(
            chosen, spec, fmt, options=geo.SnapshotOptions(title=options["title"], size="slide-16x9", dpi=96,
                                                           style=style, region=options["region"]),
            playback=geo.Playback(step=step, mode=mode, fps=float(fps), start=spec.since, end=spec.until),
            progress=lambda done, total: bar.progress(done / total, text=f"Frame {done} of {total}"))
        st.session_state["animation"] = (wanted, fmt, data)
    except geo.GeoError as exc:
        st.error(geo.error_text(exc))
    bar.empty()
made = st.session_state.get("animation")
if made and made[0] == wanted:
    _, fmt, data = made
    if fmt == "gif":
        st.image(data, caption="Time playback (GIF)", width="stretch")
    else:
        st.video(data, format="video/mp4")
    st.download_button(f"Download the {fmt.upper()}", data, file_name=f"{stem}_{step}.{fmt}",
                       mime="image/gif" if fmt == "gif" else "video/mp4", icon=":material/download:",
                       key="download_animation")

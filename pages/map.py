"""Map page: a drill-down map of the filtered events at any N, time playback, an event feed and the record panel.

The map and its side panel run in one ``st.fragment``: panning, zooming, clicks and the feed rerun only it. The
base map never changes, so the browser keeps it and the view; each rerun swaps one feature group that holds
only what is in view (cells, then single events with popups). The view and the selected event live in the URL
(``?view=lat,lon,zoom&event=<id>``) beside the filter.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "map"})

STATIC = "/app/static"
FEED_PAGE = 50
filtered = st.session_state["filtered"]
spec: geo.FilterSpec = st.session_state["spec"]
first_day, last_day = st.session_state["data_range"]

# Map-first: the map frame takes the rest of the window's height. The page title is hidden here (the menu names
# the page) and the filter's caption moves into the row of map controls.
MAP_TOP = 112  # px above the map: the page's top padding and the row of controls
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2.4rem;padding-bottom:0}"
        "[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']:has(> [data-testid='stHeading']),"
        "[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']:has(> [data-testid='stText'])"
        ":not(.st-key-map_caption [data-testid='stElementContainer']){display:none}"
        f"iframe[title='streamlit_folium.st_folium']{{height:calc(100vh - {MAP_TOP}px)!important;min-height:380px}}"
        f".st-key-map_panel{{height:calc(100vh - {MAP_TOP}px);min-height:380px;overflow-y:auto}}"
        f"{geo.RECORD_CSS}</style>")


@st.cache_resource(max_entries=2, show_spinner="Indexing the events for the map…")
def _collection(key: tuple, _events) -> tuple:
    """The whole collection's map arrays and feed order (they sort), shared by every session and filter."""
    return geo.dataset_points(_events)


@st.cache_resource(max_entries=16, show_spinner=False)
def _filtered_points(key: tuple, _events, _filtered) -> tuple:
    """One filter's map arrays and feed order, shared by the sessions on that filter (with the views they drew)."""
    return geo.filtered_points(_collection(key[0], _events), _events, _filtered)


def _points() -> tuple:
    """The filtered events as map arrays, and newest-first order for the feed, once per filter."""
    key = (st.session_state["data_key"], repr(spec), len(filtered))
    if st.session_state.get("map_points") != key:
        st.session_state["map_points"] = key
        st.session_state.pop("map_stack", None)
    return _filtered_points(key, st.session_state["events"], filtered)


def _first_view(pts) -> tuple[geo.View, dict]:
    """The view to open on: the link's view or event, the one kept for this session, or the events' bounds."""
    try:
        center, event = geo.read_view_params(st.query_params.to_dict())
    except geo.FilterError as exc:
        st.warning(f"The link's map view was not understood ({geo.error_text(exc)}).")
        center, event = None, None
    hit = filtered[filtered["event_id"] == event] if event else filtered.iloc[:0]
    if event and len(hit):
        st.session_state["map_selected"] = event
        if center is None:
            point = hit.geometry.iloc[0]
            center = (point.y, point.x, 15)
    elif event:
        st.warning("The linked event is not among the filtered events.")
    if center is not None:
        return geo.View.around(center[1], center[0], center[2]), {"view": center}
    return geo.View.fitting(pts.bounds()), {"fit": pts.bounds()} if len(pts) else {}


def _share(view: geo.View, selected: str | None) -> None:
    lon, lat = view.center
    params = geo.to_params(spec) | geo.view_params(lat, lon, view.zoom, selected)
    for k in ("view", "event"):
        if k in params:
            st.query_params[k] = params[k][0]
        elif k in st.query_params:
            del st.query_params[k]


def _fly_to(event_id: str) -> None:
    hit = filtered[filtered["event_id"] == event_id]
    if len(hit):
        point = hit.geometry.iloc[0]
        view = st.session_state.get("map_view") or geo.View.fitting(None)
        zoom = max(15, int(view.zoom))
        st.session_state.update(map_selected=event_id, map_view=geo.View.around(point.x, point.y, zoom),
                                map_instruction={"fly": (point.y, point.x, zoom)})


def _record_panel(pts) -> None:
    selected = st.session_state.get("map_selected")
    stack = st.session_state.get("map_stack")
    if selected:
        hit = filtered[filtered["event_id"] == selected]
        if len(hit):
            event = hit.iloc[0]
            st.markdown("**Selected event**")
            st.html(geo.record_html(event))
            lon, lat = hit.geometry.iloc[0].x, hit.geometry.iloc[0].y
            link = geo.link(geo.to_params(spec) | geo.view_params(lat, lon, 15, selected))
            st.link_button("Permalink to this event", link, icon=":material/link:", width="stretch")
            return
    if stack is not None:
        members = geo.stack_members(filtered, pts, stack)
        st.markdown(f"**{len(members):,} events at this place**")
        _feed(members, geo.feed_order(members), key="stack_feed")
        return
    st.caption("Click an event on the map, or pick one in the feed, to read its full record here.")


def _feed(events, order, *, key: str) -> None:
    pages = max(1, -(-len(order) // FEED_PAGE))
    page = 0
    if pages > 1:
        page = st.number_input(f"Page (of {pages:,}, newest first)", min_value=1, max_value=pages, value=1,
                               key=f"{key}_page") - 1
    rows = geo.feed_page(events, order, page, FEED_PAGE)
    styled = rows.drop(columns=["colour"]).style.apply(
        lambda _: [f"border-left:6px solid {c}" for c in rows["colour"]], subset=["weapon"])
    picked = st.dataframe(styled, hide_index=True, key=key, on_select="rerun", selection_mode="single-row",
                          column_order=["date", "weapon", "place", "summary"], height=min(38 + 35 * len(rows), 420),
                          column_config={"date": st.column_config.TextColumn("Date", width="small"),
                                         "weapon": st.column_config.TextColumn("Weapon", width="small"),
                                         "place": "Place", "summary": "Actor \u2192 target"})
    chosen = picked.selection.rows if picked else []
    token = (key, page, tuple(chosen))
    if chosen and st.session_state.get(f"{key}_done") != token:
        st.session_state[f"{key}_done"] = token
        _fly_to(rows["event_id"].iloc[chosen[0]])
        st.rerun(scope="fragment")


def _playback_options() -> dict:
    c1, c2, c3, c4 = st.columns(4)
    mode = c1.segmented_control("Show", ["window", "cumulative"], default="window", key="play_mode",
                                format_func={"window": "Window", "cumulative": "Cumulative"}.get) or "window"
    step = c2.selectbox("Step", list(geo.PLAYBACK_STEPS), index=1, key="play_step", format_func=str.capitalize)
    window = c3.number_input("Window (frames)", min_value=1, max_value=52, value=4, key="play_window",
                             disabled=mode == "cumulative")
    fps = c4.select_slider("Speed (frames/s)", [1, 2, 5, 10, 20], value=5, key="play_fps")
    return {"mode": mode, "step": step, "window": int(window), "fps": float(fps)}


@st.fragment
def map_and_panel() -> None:
    pts, order = _points()
    reported = geo.View.from_report(st.session_state.get("map"))
    if "map_view" not in st.session_state:
        st.session_state["map_view"], st.session_state["map_instruction"] = _first_view(pts)
    elif reported is not None and st.session_state.get("map_reported") != reported:
        st.session_state["map_reported"] = reported  # the browser moved: draw what is now in view
        st.session_state["map_view"] = reported
    clicked = (st.session_state.get("map") or {}).get("last_object_clicked") or {}
    if clicked and clicked != st.session_state.get("map_clicked"):
        st.session_state["map_clicked"] = clicked
        if clicked.get("event_id"):
            st.session_state.update(map_selected=str(clicked["event_id"]), map_stack=None)
        elif clicked.get("cell"):
            st.session_state.update(map_selected=None, map_stack=clicked["cell"])

    top = st.columns([2.2, 1.4, 0.9, 1.2], vertical_alignment="center")  # "Time playback" whole at 1280 px
    top[0].container(key="map_caption").text(st.session_state["caption"])  # st.text: text from outside stays text
    with top[1]:
        playing = st.toggle("Time playback", key="map_playback", help="Play the filtered events back in time.")
    panel_open = top[2].toggle("Panel", value=True, key="map_panel_open",
                               help="The event feed and the selected event's record beside the map.")
    if top[3].button("Fit to events", icon=":material/fit_screen:", disabled=not len(pts)):
        st.session_state["map_instruction"] = {"fit": pts.bounds()}
        st.session_state["map_view"] = geo.View.fitting(pts.bounds())
    options = st.container()  # always here (empty when not playing): the map below keeps its place and its view
    playback = None
    if playing:
        with options:
            playback = _playback_options()

    view: geo.View = st.session_state["map_view"]
    instruction = st.session_state.pop("map_instruction", None)
    layout = st.session_state.get("map_layout")
    st.session_state["map_layout"] = panel_open
    if (st.session_state.pop("map_full_run", False) or layout not in (None, panel_open)) and not instruction:
        # A full rerun, or the panel shown or hidden, may have remounted the map: put it back where it was.
        lon, lat = view.center
        instruction = {"view": (lat, lon, int(view.zoom))}
    selected = st.session_state.get("map_selected")
    if playback:
        group = geo.playback_group(pts, view, first=spec.since or first_day, last=spec.until or last_day,
                                   asset_base_url=STATIC, **playback)
    else:
        cells, singles = geo.view_features(filtered, pts, view)
        group = geo.view_group(cells, singles, weapons=geo.weapons_present(filtered), asset_base_url=STATIC,
                               selected=selected, instruction=instruction, memo=pts.memo)
    columns = st.columns([2.6, 1]) if panel_open else [st.container()]
    with columns[0]:
        st_folium(geo.base_map(asset_base_url=STATIC), key="map", height=600, use_container_width=True,
                  feature_group_to_add=group, returned_objects=["bounds", "zoom", "last_object_clicked"])
    _share(view, selected)
    if panel_open:
        with columns[1].container(key="map_panel"):
            record, feed = st.tabs(["Record", f"Feed ({len(order):,})"])
            with record:
                _record_panel(pts)
            with feed:
                _feed(filtered, order, key="feed")


@st.cache_resource(max_entries=8, show_spinner=False)
def _geojson(key: tuple, _filtered) -> bytes:
    """One filter's GeoJSON, written once for every session on that filter (``key`` ends with the caption)."""
    return geo.geojson_bytes(_filtered, caption=key[-1])


st.session_state["map_full_run"] = True
map_and_panel()

caption = st.session_state["caption"]
left, right = st.columns(2)
# Bytes made before the button and kept for the session: a lazy callable can miss its deferred file and the
# click then does nothing. Big filters are prepared on request (a million events take a while to encode).
stem, key = geo.file_stem(spec), ("geojson", st.session_state["data_key"], repr(spec), len(filtered), caption)
ready = st.session_state.get("map_download")
if not ready or ready[0] != key:
    ready = None
    if len(filtered) <= 20_000 or left.button("Prepare GeoJSON download", icon=":material/build:"):
        with st.spinner("Writing GeoJSON…"):
            ready = (key, _geojson(key, filtered))
        st.session_state["map_download"] = ready
if ready:
    left.download_button("Download GeoJSON", ready[1], file_name=f"{stem}.geojson", mime="application/geo+json",
                         icon=":material/download:")
right.page_link("pages/report.py", label="Make a report map (PNG, PDF, HTML) of this filter",
                icon=":material/picture_as_pdf:")

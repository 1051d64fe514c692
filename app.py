"""Conflict Event Map dashboard: the frame (navigation and the shared sidebar of filters).

Run with `make run` (or `streamlit run app.py`). All logic lives in the `geo` library; this file only holds
widgets. The filter lives in `st.session_state["spec"]` as a `geo.FilterSpec` and in the URL's query
parameters, so a copied link opens the same view (`?weapon=drone&since=2021-01-01`).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import geo

if PagesManager.uses_pages_directory:
    # The first session after the server starts sees a pages/ folder and runs this script as a page of Streamlit's
    # old folder-based navigation, until the st.navigation below turns that mode off. Widget ids differ between
    # the two modes, so that session's first filter change would be lost: start it in the mode every later run uses.
    PagesManager.uses_pages_directory = False
    st.rerun()

st.set_page_config(page_title="Conflict Event Map", page_icon="🗺️", layout="wide")

EVENTS_PATH = Path(os.environ.get("CEM_EVENTS", geo.DEFAULT_EVENTS))
LOG = logging.getLogger("conflict_event_map")
#: Widget keys of the sidebar, one per FilterSpec field.
KEYS = {"since": "f_since", "until": "f_until", "weapons": "f_weapons", "actors": "f_actors", "attributions": "f_attr",
        "outcomes": "f_outcome", "countries": "f_country", "text": "f_text", "min_fatalities": "f_fat",
        "max_precision_km": "f_prec"}


@st.cache_resource(show_spinner="Loading events…", max_entries=4)
def _shared_sources(key: str, stamp: str):  # key: the chosen (label, location) pairs; stamp changes with their data
    """The chosen collections: one as it is, several side by side with a ``collection`` column.

    One frame per state for every session and rerun (st.cache_data would unpickle a full copy each rerun)."""
    frames = {label: geo.load_events(where) if label == "bundled seed" else geo.open_store(where).read()
              for label, where in json.loads(key)}
    return next(iter(frames.values())) if len(frames) == 1 else geo.combine_collections(frames)


def load_sources(key: str, stamp: str):
    """The shared events behind a shallow copy: with pandas' copy-on-write a page that changes its frame copies
    what it changes, so the shared frame is never mutated (tests/test_app.py checks it)."""
    return _shared_sources(key, stamp).copy(deep=False)


def secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return {}


@st.cache_data(max_entries=4)
def choices(key: str, stamp: str) -> dict:
    """Values offered by the sidebar, computed once per data choice (categories, not a scan per rerun)."""
    events = load_sources(key, stamp)
    # The distinct values first, then text: turning a million cells into strings took seconds at 1M events.
    present = lambda col: set(pd.Series(events[col].unique()).astype("str"))  # noqa: E731
    weapons = present("weapon_type")
    return {
        "first": events["date"].min().date(), "last": events["date"].fillna(events["date"]).max().date(),
        "weapons": [w for w in geo.WEAPON_TYPES if w in weapons],
        "actors": sorted(present("actor")),
        "countries": sorted(present("country")),
        "max_precision": float(events["precision_km"].max() or 0),
    }


def spec_to_widgets(spec: geo.FilterSpec, opts: dict) -> None:
    """Put a spec (from the URL) into the widgets' state, before they are drawn."""
    first, last = opts["first"], opts["last"]
    since = min(max(spec.since or first, first), last)
    until = max(min(spec.until or last, last), since)
    st.session_state[KEYS["since"]], st.session_state[KEYS["until"]] = since, until
    st.session_state[KEYS["weapons"]] = [w for w in spec.weapons if w in opts["weapons"]]
    folded = {a.casefold(): a for a in opts["actors"]}
    st.session_state[KEYS["actors"]] = [folded[a.casefold()] for a in spec.actors if a.casefold() in folded]
    st.session_state[KEYS["attributions"]] = list(spec.attributions)
    st.session_state[KEYS["outcomes"]] = list(spec.outcomes)
    st.session_state[KEYS["countries"]] = [c for c in spec.countries if c in opts["countries"]]
    st.session_state[KEYS["text"]] = spec.text or ""
    st.session_state[KEYS["min_fatalities"]] = spec.min_fatalities or 0
    st.session_state[KEYS["max_precision_km"]] = spec.max_precision_km


def reset() -> None:
    spec_to_widgets(geo.FilterSpec(), choices(data_key, stamp))
    st.query_params.clear()


goto = st.query_params.get("page")  # set by a page that a cold server ran before this frame
# "my collection": the team store ($CEM_STORE / the app's secrets, read-only) or the user's own GeoParquet file, written
# by the Import page. The bundled seed is never written; any of them can be shown alone or together.
OWN_STORE = geo.store_urls(secrets())[0] or str(geo.default_store())
SOURCES = {"bundled seed": str(EVENTS_PATH), "my collection": OWN_STORE}
revisions = {"bundled seed": str(EVENTS_PATH.stat().st_mtime_ns if EVENTS_PATH.is_file() else 0)}
try:
    own = geo.open_store(OWN_STORE)
    if own.count() > 0:
        revisions["my collection"] = own.revision()
except geo.GeoError as exc:
    st.sidebar.text(f"Your collection cannot be read: {exc}")  # plain text: the message quotes paths and servers
if len(revisions) > 1:
    st.session_state.setdefault("data_source", ["bundled seed"])
    st.sidebar.multiselect("Data", list(revisions), key="data_source", placeholder="bundled seed",
                           help="Show one collection or several together (the Events table's 'collection' column "
                                "tells them apart).")
picked = [label for label in revisions if label in st.session_state.get("data_source", ())] or ["bundled seed"]
data_key = json.dumps([[label, SOURCES[label]] for label in picked])
stamp = "|".join(revisions[label] for label in picked)
try:
    events = load_sources(data_key, stamp)
    opts = choices(data_key, stamp)
except geo.GeoError as exc:
    st.error(f"Cannot load the events: {geo.error_text(exc)}")
    st.stop()
except Exception:  # a defect, not the user's: the traceback stays in the server's log
    LOG.exception("loading %s failed", data_key)
    st.error("The events cannot be loaded because of an internal error; it has been logged on the server.")
    st.stop()

if "url_read" not in st.session_state:  # first run of this browser session: the link decides the filter
    st.session_state["url_read"] = True
    try:
        spec_to_widgets(geo.from_params(st.query_params.to_dict() | {
            k: st.query_params.get_all(k) for k in ("weapon", "actor", "attribution", "outcome", "country")
            if k in st.query_params}), opts)
    except geo.FilterError as exc:
        st.warning(f"The link's filter was not understood ({geo.error_text(exc)}); showing all events.")
        spec_to_widgets(geo.FilterSpec(), opts)
if st.session_state.setdefault("data_path", data_key) != data_key:
    st.session_state["data_path"] = data_key  # another collection: other dates and values, so start afresh
    spec_to_widgets(geo.FilterSpec(), opts)

if "pending_filter" in st.session_state:  # a page's chart asked for a filter: into the widgets before they are drawn
    spec_to_widgets(geo.from_params(st.session_state.pop("pending_filter")), opts)

with st.sidebar:
    st.header("Filters")
    # Two single dates, not a range picker: each commits on Enter or when the field loses focus. One per row:
    # side by side the sidebar cuts them to "2021-05-0".
    since = st.date_input("From", min_value=opts["first"], max_value=opts["last"], key=KEYS["since"],
                          format="YYYY-MM-DD")
    until = st.date_input("To", min_value=opts["first"], max_value=opts["last"], key=KEYS["until"],
                          format="YYYY-MM-DD")
    weapons = st.multiselect("Weapon types", opts["weapons"], key=KEYS["weapons"], format_func=geo.WEAPON_NAMES.get,
                             placeholder="All weapon types")
    weapon_key = st.empty()  # filled below with the weapons of the filtered events, as the map's legend
    actors = st.multiselect("Actors", opts["actors"], key=KEYS["actors"], placeholder="All actors (type to search)")
    attributions = st.multiselect("Attribution", list(geo.ATTRIBUTIONS), key=KEYS["attributions"],
                                  placeholder="Claimed, attributed or unknown")
    outcomes = st.multiselect("Outcome", list(geo.OUTCOMES), key=KEYS["outcomes"], placeholder="All outcomes")
    countries = st.multiselect("Countries", opts["countries"], key=KEYS["countries"], format_func=geo.country_name,
                               placeholder="All countries")
    text = st.text_input("Text search", key=KEYS["text"], placeholder="description, place, actor, target",
                         max_chars=200)
    min_fatalities = st.number_input("Minimum fatalities", min_value=0, step=1, key=KEYS["min_fatalities"])
    max_precision = st.number_input("Located to within (km)", min_value=0.0, step=1.0,
                                    key=KEYS["max_precision_km"], placeholder="any precision",
                                    help="Keep events whose location is known to within this radius.")
    st.button("Reset filters", on_click=reset, icon=":material/restart_alt:", width="stretch")

since, until = since or opts["first"], until or opts["last"]
if until < since:
    st.sidebar.warning("The end date is before the start date: the two are swapped.")
    since, until = until, since
spec = geo.FilterSpec(
    since=since if since != opts["first"] else None, until=until if until != opts["last"] else None,
    weapons=tuple(weapons), actors=tuple(actors), attributions=tuple(attributions), outcomes=tuple(outcomes),
    countries=tuple(countries), text=text.strip() or None, min_fatalities=int(min_fatalities) or None,
    max_precision_km=max_precision,
)
kept = {k: st.query_params[k] for k in ("view", "event") if k in st.query_params}  # the map's own link state
st.query_params.from_dict(geo.to_params(spec) | kept)
filtered = geo.apply(events, spec)
legend = "".join(  # our own constants only: the colour of each weapon shown, as in the map's legend
    f'<span style="display:inline-block;margin:0 8px 2px 0;font-size:12px;white-space:nowrap" data-weapon="{w}">'
    f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:{geo.WEAPON_COLORS[w]};'
    f'margin-right:4px"></span>{geo.WEAPON_NAMES[w]}</span>' for w in geo.weapons_present(filtered))
if legend:  # (st.html refuses an empty body: a filter that matches nothing has no weapons to show)
    weapon_key.html(legend)
st.session_state.update(events=events, spec=spec, filtered=filtered, caption=geo.describe(spec, len(filtered)),
                        data_key=(data_key, stamp),
                        data_range=(opts["first"], opts["last"]), today=date.today())

#: The dashboard's pages, in menu order (one file each in pages/).
PAGES = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("pages/events.py", title="Events", icon=":material/table_rows:"),
    st.Page("pages/trends.py", title="Trends", icon=":material/bar_chart:"),
    st.Page("pages/report.py", title="Report", icon=":material/picture_as_pdf:"),
    st.Page("pages/import.py", title="Import", icon=":material/upload_file:", url_path="import"),
    st.Page("pages/about.py", title="About", icon=":material/info:"),
]

page = st.navigation(PAGES)
if goto:
    st.switch_page(next((p for p in PAGES if p.url_path == goto), PAGES[0]), query_params=geo.to_params(spec) | kept)
st.header(geo.escape_markdown(page.title), divider="gray")
st.text(st.session_state["caption"])  # st.text, not markdown: actor names and search text come from outside
try:
    page.run()
except Exception:  # (Streamlit's stop and rerun are not Exceptions: they pass) a defect: logged, not shown
    LOG.exception("page %s failed", page.title)
    st.error("This page hit an internal error; it has been logged on the server. Try another filter or page.")

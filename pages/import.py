"""Import page: upload a file of events, check the format, mapping, preview and row report, then merge it."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import geo

if "filtered" not in st.session_state:  # a cold server ran this page before app.py: let the frame run first
    st.switch_page("app.py", query_params={**{k: st.query_params.get_all(k) for k in st.query_params}, "page": "import"})

CAP_MB = float(st.get_option("server.maxUploadSize"))  # the server's own limit (.streamlit/config.toml)
PREVIEW_ROWS = 1000


def secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file at all
        return {}


# Where imports go: the team store's writer URL (from the app's secrets or the environment only, never from the page
# or a link), else the user's own collection. A team store configured without writer credentials is read-only here.
READER, WRITER = geo.store_urls(secrets())
TEAM = geo.is_store_url(READER)
CAN_WRITE = WRITER is not None or not TEAM
STORE = geo.open_store(WRITER or str(geo.default_store()), write=True) if CAN_WRITE else geo.open_store(READER)


def show_view_button() -> None:
    # The sidebar's "Data" choice decides what the dashboard shows; set it before the frame draws it.
    if st.button("View my collection on the map", icon=":material/map:", key="view_own",
                 on_click=lambda: st.session_state.update(data_source=["my collection"])):
        st.switch_page("pages/map.py")


def wait_note(message: str) -> None:
    st.text(message)  # plain text: it names the store's path or server


if not CAN_WRITE:
    st.info("This dashboard reads the team store with a read-only role, so importing, editing and undoing are off "
            "here. They need the writer role, whose credentials (CEM_STORE_WRITER) come from the app's secrets or "
            "the server's environment. You can still check a file below.", icon=":material/lock:")
    st.text(f"Team store: {STORE.location}")
else:
    st.text(f"Imported events are merged into {'the team store' if TEAM else 'your collection'} ({STORE.location}); "
            "the bundled seed is never changed.")
upload = st.file_uploader(
    f"Event file (up to {CAP_MB:g} MB)", type=list(geo.UPLOAD_TYPES), key="import_file",
    help="ACLED or UCDP GED exports, GDELT 2.0 event files, any CSV/XLSX with a date and coordinates or place "
         "names, GeoJSON, GeoPackage, KML or a zipped Shapefile.")

result = None
if upload is not None:
    data = upload.getvalue()
    try:
        geo.check_upload_size(len(data), cap_mb=CAP_MB, name=upload.name)
        detected = geo.detect_upload(data, upload.name)
    except geo.GeoError as exc:
        st.error(geo.error_text(exc))
        data = None
    if data is not None:
        formats = list(geo.INGEST_FORMATS)
        fmt = st.selectbox("Format", formats, index=formats.index(detected), format_func=geo.INGEST_FORMATS.get,
                           key=f"fmt_{upload.file_id}", help=f"Detected from the file: {geo.INGEST_FORMATS[detected]}")
        mapping: dict[str, str] = {}
        if fmt in geo.MAPPABLE_FORMATS:
            try:
                columns = geo.upload_columns(data, upload.name, fmt)
                st.caption("Column mapping: which column of the file fills each field (guessed from the headers).")
                edited = st.data_editor(
                    geo.mapping_table(columns), key=f"import_map_{fmt}_{upload.name}", hide_index=True, num_rows="fixed",
                    column_config={"field": st.column_config.TextColumn("Field", disabled=True),
                                   "column": st.column_config.SelectboxColumn("Column in the file",
                                                                              options=["", *columns])})
                mapping = geo.mapping_from_table(edited)
            except geo.GeoError as exc:
                st.error(geo.error_text(exc))
        key = (upload.file_id, fmt, tuple(sorted(mapping.items())))
        if st.session_state.get("import_key") != key:
            with st.status(f"Reading {geo.escape_markdown(upload.name)} ({len(data) / 2**20:,.1f} MB)…", expanded=False) as status:
                try:
                    st.session_state["import_result"] = geo.read_upload(data, upload.name, fmt=fmt, mapping=mapping,
                                                                        cap_mb=CAP_MB)
                    status.update(label=f"Read {geo.escape_markdown(upload.name)}: "
                                        f"{geo.escape_markdown(st.session_state['import_result'].summary())}",
                                  state="complete")
                except geo.GeoError as exc:
                    st.session_state["import_result"] = exc
                    status.update(label=f"{geo.escape_markdown(upload.name)} cannot be imported", state="error")
            st.session_state["import_key"] = key
        result = st.session_state["import_result"]
        if isinstance(result, geo.GeoError):
            st.error(geo.error_text(result))
            result = None

if result is not None:
    taken, rejected, scope = st.columns(3)
    taken.metric("Events to take", f"{result.taken:,}")
    rejected.metric("Rows rejected", f"{result.rejected:,}")
    scope.metric("Rows out of scope", f"{result.out_of_scope:,}")
    if result.notes:
        st.text("\n".join(f"Note: {note}" for note in result.notes))  # plain text: notes quote the file's headers
    if result.taken:
        st_folium(geo.build_map(result.events, asset_base_url="/app/static"), key="import_map", height=360,
                  use_container_width=True, returned_objects=[])
        shown = result.events.head(PREVIEW_ROWS)
        st.caption(f"The events that would be taken ({len(shown):,} of {result.taken:,} shown).")
        st.dataframe(geo.display_table(shown), key="import_preview", hide_index=True, width="stretch",
                     height=min(320, 40 + 35 * len(shown)), placeholder=geo.MISSING_MARK,
                     column_config={"date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
                                    "date_end": st.column_config.DateColumn("date_end", format="YYYY-MM-DD"),
                                    "source": st.column_config.LinkColumn("source", display_text="open")})
    st.subheader("Row report")
    if len(result.report):
        st.dataframe(result.report, key="import_report", hide_index=True, width="stretch",
                     height=min(400, 40 + 35 * len(result.report)))
        st.download_button("Row report (CSV)", geo.report_csv_bytes(result.report), key="import_report_csv",
                           file_name=f"{upload.name.rsplit('.', 1)[0]}-report.csv", mime="text/csv",
                           icon=":material/download:")
    else:
        st.caption("Every row was taken.")
    if CAN_WRITE and st.button("Merge into my collection", type="primary", icon=":material/merge:",
                               key="import_merge", disabled=not result.taken and result.deletions is None):
        try:
            merged = STORE.merge(result, file=upload.name, on_wait=wait_note)
            st.session_state["import_merged"] = (merged, geo.linked_duplicates(merged.events, result.events))
        except geo.GeoError as exc:
            st.error(geo.error_text(exc))
        else:
            st.rerun()  # the frame reloads: the sidebar now offers the collection

if "import_merged" in st.session_state:
    merged, linked = st.session_state["import_merged"]
    st.success(f"Merged into your collection: {geo.escape_markdown(merged.summary())}.")
    for column, (label, value) in zip(st.columns(4), [("Added", merged.added), ("Updated", merged.updated),
                                                       ("Deleted", merged.deleted), ("Linked duplicates", merged.linked)]):
        column.metric(label, f"{value:,}")
    if len(linked):
        st.caption("Records linked to a record of another source (kept, marked as possible duplicates):")
        st.dataframe(linked, key="import_linked", hide_index=True, width="stretch")

try:
    history = STORE.imports()
except geo.GeoError as exc:
    history = []
    st.error(geo.error_text(exc))
if history:
    st.subheader("My collection")
    left, right = st.columns(2)
    with left:
        show_view_button()
    with right:
        if CAN_WRITE and any(not r.undone for r in history) and st.button("Undo last import", icon=":material/undo:",
                                                                          key="import_undo"):
            st.session_state.pop("import_merged", None)
            try:
                st.session_state["import_undone"] = STORE.undo(on_wait=wait_note)
            except geo.GeoError as exc:
                st.error(geo.error_text(exc))
            else:
                st.rerun()
    if "import_undone" in st.session_state:
        st.success(f"Last import undone: your collection holds {st.session_state.pop('import_undone'):,} events.")
    st.caption("Imports, newest first (who, when, which file, what changed):")
    st.dataframe(geo.imports_table(history[:50]), key="import_history", hide_index=True, width="stretch")

st.subheader("Paste a news report")
with st.form("news_form"):
    report_text = st.text_area("Report text", key="news_text", height=160, max_chars=200_000,
                               placeholder="An explosive-laden drone was shot down near the US embassy in Baghdad "
                                           "on Monday night...")
    day, publisher, link = st.columns([1, 1, 2])
    published = day.date_input("Published", key="news_published", value=st.session_state["today"],
                               format="YYYY-MM-DD")
    source = {"publisher": publisher.text_input("Publisher", key="news_publisher", max_chars=120) or None,
              "url": link.text_input("Link (http/https)", key="news_url", max_chars=500) or None}
    if st.form_submit_button("Find attacks", icon=":material/search:"):
        try:
            st.session_state["news"] = (geo.news_candidates(report_text, published=published), published, source)
        except geo.GeoError as exc:
            st.error(geo.error_text(exc))

if "news" in st.session_state:
    found, published, source = st.session_state["news"]
    if not len(found):
        st.info("No attack found in this report.")
    else:
        st.caption("Candidates: untick to reject, edit any cell, then merge the accepted ones.")
        edited = st.data_editor(
            found, key="news_editor", num_rows="fixed", disabled=["evidence", "confidence"],
            column_config={"date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
                           "weapon_type": st.column_config.SelectboxColumn("weapon", options=list(geo.WEAPON_TYPES)),
                           "outcome": st.column_config.SelectboxColumn("outcome", options=list(geo.OUTCOMES)),
                           "attribution": st.column_config.SelectboxColumn("attribution", options=list(geo.ATTRIBUTIONS)),
                           "evidence": st.column_config.TextColumn("evidence", width="large")})
        if CAN_WRITE and st.button("Merge accepted candidates", type="primary", icon=":material/merge:",
                                   key="news_merge"):
            news = geo.accepted_news_import(edited, published=published, source=source)
            if len(news.report):
                st.dataframe(news.report, key="news_report", hide_index=True, width="stretch")
            if news.taken:
                try:
                    merged = STORE.merge(news, file="news report", on_wait=wait_note)
                except geo.GeoError as exc:
                    st.error(geo.error_text(exc))
                else:
                    st.session_state["import_merged"] = (merged, geo.linked_duplicates(merged.events, news.events))
                    st.session_state.pop("news")
                    st.rerun()
            else:
                st.warning("No accepted candidate could be merged (see the reasons above).")

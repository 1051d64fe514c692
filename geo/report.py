"""Report outputs of a filtered event set: standalone HTML, a report pack (zip), and one ``write`` for all.

The HTML is :func:`geo.webmap.mapview.build_map` inlined by :func:`geo.webmap.mapview.standalone_html`, with a title,
caption and credit box added (escaped text only).  The pack holds the filtered GeoJSON and CSV, the PNG,
the HTML and a README; its entries carry a fixed timestamp so the same input gives the same zip.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import escape, export, query
from geo.store import atomic
from geo.staticmap.basemap import CREDIT
from geo.citations import credit_line, sources_markdown, sources_table
from geo.errors import ExportError
from geo.staticmap.furniture import data_date_line
from geo.webmap.popups import escape_text, weapon_label
from geo.query import FilterSpec, describe
from geo.schema import country_name
from geo.staticmap.snapshot import FORMATS, SnapshotOptions, snapshot_bytes

#: Output formats by file extension.
REPORT_FORMATS = (*FORMATS, "html", "zip")
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed entry time: the same input gives the same zip


def report_html(events: gpd.GeoDataFrame, spec: FilterSpec | None = None, *, title: str | None = None,
                caption: str | None = None) -> str:
    """One self-contained HTML page: the offline map with its legend, a title, the caption and credits."""
    from geo.webmap import mapview

    spec = spec or FilterSpec()
    caption = caption or describe(spec, len(events))
    page = mapview.standalone_html(mapview.build_map(events))
    box = (
        '<div class="cem-caption" style="position:absolute;top:10px;left:54px;z-index:1000;max-width:60%;'
        "background:rgba(255,255,255,0.93);padding:8px 12px;border-radius:4px;"
        "box-shadow:0 1px 4px rgba(0,0,0,0.3);font:13px/1.4 'Helvetica Neue',Arial,sans-serif\">"
        f'<div style="font-weight:bold;font-size:16px">{escape_text(title or "Conflict events")}</div>'
        f'<div class="cem-caption-text">{escape_text(caption)}</div>'
        f'<div style="color:#555;font-size:11px;margin-top:3px">{escape_text(data_date_line(events))} '
        f"{escape_text(credit_line(events, CREDIT))}</div></div>"
    )
    head, sep, tail = _stable_ids(page).partition("<body>")
    if not sep:
        raise ExportError("report_html: the map page has no <body>; folium's page layout changed")
    return f"{head}<body>\n{box}{tail}"


_DECLARED = re.compile(r'(?:\bvar\s+|\bid=")([A-Za-z_]+?_[0-9a-f]{32})(?![0-9a-f])')


def _stable_ids(page: str) -> str:
    """folium names its elements with random uuids: renumber the declared ones in order of appearance."""
    names = list(dict.fromkeys(_DECLARED.findall(page)))
    if not names:
        return page
    stable = {name: f"{name[:-32]}{i:032x}" for i, name in enumerate(names)}
    return re.compile("|".join(map(re.escape, names))).sub(lambda m: stable[m.group(0)], page)


def report_readme(events: gpd.GeoDataFrame, spec: FilterSpec | None = None, *, title: str | None = None,
                  files: tuple[str, ...] = ()) -> str:
    """The pack's README.md: filter, counts (by weapon, country, actor), dates and the full list of sources."""
    spec = spec or FilterSpec()
    n = len(events)
    fat = pd.to_numeric(events["fatalities"], errors="coerce") if n else pd.Series(dtype=float)
    params = query.to_params(spec)
    md = escape.markdown  # the title, the filter's actors and text, and the events' names come from outside
    lines = [f"# {md(title or 'Conflict events')}", "", md(describe(spec, n)), "", "## Filter", ""]
    lines += [f"- {escape.code_span(k)}: {md(', '.join(v))}" for k, v in sorted(params.items())] or ["- none (all events)"]
    command = f"python -m geo snapshot {_flags(params)}-o report.zip".replace("  ", " ")
    lines += ["", f"Command line: {escape.code_span(command)}", "",
              "## Counts", "", f"- events: {n:,}", f"- fatalities (sum of the lowest reported figures): "
              f"{int(fat.sum()):,}; events with no figure: {int(fat.isna().sum()):,}", f"- {md(data_date_line(events))}"]
    for column, label in (("weapon_type", "weapon"), ("country", "country"), ("actor", "actor")):
        if n:
            counts = events[column].astype("str").value_counts().sort_index().sort_values(ascending=False,
                                                                                          kind="stable")
            names = {"weapon_type": counts.index.map(weapon_label),
                     "country": counts.index.map(lambda c: f"{country_name(c)} ({c})")}.get(column, counts.index)
            lines += ["", f"### By {label}", "", *[f"- {md(k)}: {v:,}" for k, v in zip(names, counts.to_numpy())]]
    table = sources_table(events)
    lines += ["", f"## Sources ({len(table):,} reports)", "", sources_markdown(events) or "None.", "",
              "## Files", "", *[f"- {escape.code_span(f)}" for f in files], "", "## Credits", "",
              f"- {CREDIT}; map scripts: Leaflet (BSD-2-Clause), bundled.",
              "- Event descriptions are the editors' own words; each event cites its reports above.", ""]
    return "\n".join(lines)


def _flags(params: dict[str, list[str]]) -> str:
    import shlex

    flag = {"weapon": "--weapon", "actor": "--actor", "country": "--country", "attribution": "--attribution",
            "outcome": "--outcome"}
    out = []
    for key, values in sorted(params.items()):
        name = flag.get(key, "--" + key.replace("_", "-"))
        out += [f"{name} {shlex.quote(v)}" for v in values]
    return " ".join(out) + " "


def report_pack(events: gpd.GeoDataFrame, spec: FilterSpec | None = None, *,
                options: SnapshotOptions = SnapshotOptions()) -> bytes:
    """A zip of the filtered GeoJSON and CSV, the PNG map, the HTML map and a README.md."""
    spec = spec or FilterSpec()
    stem = query.file_stem(spec)
    caption = options.caption or describe(spec, len(events))
    # No clock time in the pack ("exported" is null): the same input gives the same zip.
    meta = {"filter": query.to_params(spec), "exported": None}
    members = {
        f"{stem}.geojson": export.geojson_bytes(events, caption=caption, meta=meta),
        f"{stem}.csv": export.csv_bytes(events),
        f"{stem}_map.png": snapshot_bytes(events, spec, "png", options=options),
        f"{stem}_map.html": report_html(events, spec, title=options.title, caption=caption).encode("utf-8"),
    }
    members = {"README.md": report_readme(events, spec, title=options.title, files=tuple(members)).encode(),
               **members}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(f"{stem}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def format_of(path: str | os.PathLike[str]) -> str:
    """Report format from the file extension; ExportError naming the accepted ones."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in REPORT_FORMATS:
        raise ExportError(f"{path}: cannot tell the output format from '.{suffix}'; use one of: "
                          + ", ".join("." + f for f in REPORT_FORMATS))
    return suffix


def report_bytes(events: gpd.GeoDataFrame, spec: FilterSpec | None, fmt: str, *,
                 options: SnapshotOptions = SnapshotOptions()) -> bytes:
    """The bytes of one report output: ``png``, ``svg``, ``pdf``, ``html`` or ``zip``."""
    if fmt in FORMATS:
        return snapshot_bytes(events, spec, fmt, options=options)
    if fmt == "html":
        return report_html(events, spec, title=options.title, caption=options.caption).encode("utf-8")
    if fmt == "zip":
        return report_pack(events, spec, options=options)
    raise ExportError(f"unknown report format '{fmt}'; expected one of: {', '.join(REPORT_FORMATS)}")


def write_report(events: gpd.GeoDataFrame, spec: FilterSpec | None, path: str | os.PathLike[str], *,
                 options: SnapshotOptions = SnapshotOptions()) -> Path:
    """Write the output that *path*'s extension names, atomically (no partial file on failure)."""
    data = report_bytes(events, spec, format_of(path), options=options)
    try:
        return atomic.write_bytes(path, data)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write the file ({exc.strerror}); check the folder and its "
                          "permissions") from None

"""GeoJSON, GeoPackage, KML and Shapefile (plain or zipped) -> events + row report, through pyogrio.

Coordinates are brought to WGS84 whatever the layer's CRS (a GeoJSON with a ``crs`` of EPSG:3857 is in metres),
3D points lose their height, and a polygon or line becomes a representative point inside it with ``precision_km``
half the diagonal of its extent. Attributes are mapped like any table (``geo.ingest.table``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.ingest import table
from geo.ingest.common import IngestError, Ingested, Source, name_of, read_bytes, report_frame
from geo.ingest.limits import LIMITS, Limits, check_layer_archive, check_rows, check_size

KM_PER_DEGREE = 111.32


def read(source: Source, *, mapping: dict[str, str] | str | None = None, layer: str | int | None = None,
         name: str | None = None, limits: Limits = LIMITS) -> Ingested:
    """Read a GIS layer; ``mapping`` overrides the guessed attribute columns; ``layer`` picks one of several."""
    name = name or name_of(source)
    data = read_bytes(source)
    check_size(len(data), name, limits)
    notes: list[str] = []
    if data[:2] == b"PK":  # a zipped shapefile (or KMZ): checked before GDAL unpacks it
        check_layer_archive(data, name, limits)
    elif data.lstrip()[:1] in (b"{", b"["):
        data = _utf8_json(data, name, notes)
    meta, arrow = _read_arrow(data, name, layer)
    check_rows(arrow.num_rows, name, limits)
    geom_name = meta.get("geometry_name") or "wkb_geometry"
    columns = [c for c in arrow.column_names if c not in (geom_name, "wkb_geometry", "geometry")]
    frame = arrow.select(columns).to_pandas() if columns else pd.DataFrame(index=range(arrow.num_rows))
    frame = frame.astype("str").where(frame.notna()).astype("str")
    wkb = arrow.column(geom_name).to_numpy(zero_copy_only=False) if geom_name in arrow.column_names else None
    geometry = shapely.from_wkb(wkb) if wkb is not None else np.full(arrow.num_rows, None, dtype=object)
    rows = np.arange(1, arrow.num_rows + 1, dtype="int64")  # features are numbered from 1 in the report
    if shapely.has_z(geometry).any():
        notes.append("3D coordinates: the height was dropped")
        geometry = shapely.force_2d(geometry)
    crs = meta.get("crs")
    if crs and crs not in ("EPSG:4326", "OGC:CRS84", "EPSG:4979"):
        import geopandas as gpd

        try:
            geometry = gpd.GeoSeries(geometry, crs=crs).to_crs("EPSG:4326").to_numpy()
        except Exception as exc:  # pyproj raises several types; the user only needs to know it failed
            raise IngestError(f"{name}: cannot convert coordinates from {crs} to WGS84 ({exc})") from None
        notes.append(f"coordinates converted from {crs} to WGS84")
    points, precision, reports = _points(geometry, rows)
    return table.from_frame(frame, rows, reports, notes, name=name, mapping=mapping, geometry=points,
                            precision=precision, fmt="gis")


def _utf8_json(data: bytes, name: str, notes: list[str]) -> bytes:
    """GeoJSON must be UTF-8 (RFC 8259); a file saved as cp1252/latin-1 is recoded with a note."""
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        notes.append(f"the file is not UTF-8 (GeoJSON must be): read as {encoding}")
        return text.encode("utf-8")
    raise IngestError(f"{name}: not UTF-8 text: save the GeoJSON as UTF-8")  # (latin-1 decodes every byte)


def _read_arrow(data: bytes, name: str, layer: str | int | None):  # noqa: ANN202 - pyogrio's (meta, table)
    try:
        return pyogrio.read_arrow(data, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.CRSError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        text = text.split("/vsimem/")[0].rstrip(" '") or text  # GDAL names its in-memory copy: not the user's file
        raise IngestError(f"{name}: cannot be read as a GIS layer ({text}): export it again as GeoJSON, GeoPackage "
                          f"or a zipped Shapefile") from None
    except Exception as exc:  # pyarrow and GDAL raise other types on damaged data; the user needs one line
        raise IngestError(f"{name}: cannot be read as a GIS layer ({type(exc).__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else ''}): export it again") from None


def _points(geometry: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[pd.DataFrame]]:
    """A point per feature: points as they are, other shapes -> a point inside them with a precision from extent."""
    missing = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    kind = shapely.get_type_id(geometry)
    multi_point = kind == 4
    shaped = ~missing & (kind != 0)
    points = geometry.copy()
    precision = np.full(len(geometry), np.nan)
    if shaped.any():
        points[shaped] = shapely.point_on_surface(geometry[shaped])
        bounds = shapely.bounds(geometry[shaped])
        width = (bounds[:, 2] - bounds[:, 0]) * np.cos(np.radians((bounds[:, 1] + bounds[:, 3]) / 2))
        height = bounds[:, 3] - bounds[:, 1]
        precision[shaped] = np.maximum(np.hypot(width, height) * KM_PER_DEGREE / 2, 1.0)
    reports = [report_frame(rows[missing], "geometry", "no geometry: a feature needs a point or a shape")]
    if multi_point.any():
        reports.append(report_frame([], "", ""))  # multipoints are taken as their representative point
    return points, precision, reports

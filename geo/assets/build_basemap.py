"""Build the offline basemap ``geo/assets/web/basemap/countries.geojson``.

Run once by hand when the basemap source changes; the output is committed.

The source is Natural Earth 1:50m admin-0 countries as redistributed by the npm
package ``world-atlas@2.0.2`` (TopoJSON, layer ``countries``)::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python geo/assets/build_basemap.py package/countries-50m.json

GDAL/pyogrio reads TopoJSON directly.  The layer has no CRS, so it is set to
EPSG:4326; shapes simplified by 0.01 degree, coordinates rounded to 3 decimals (~100 m), invalid
rings repaired, and the output written with sorted
features so a rebuild diffs cleanly.

Natural Earth data is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import shapely.affinity

OUT = Path(__file__).parent / "web" / "basemap" / "countries.geojson"
PRECISION = 3
MAX_BYTES = 1_500_000
TOLERANCE = 0.01  # degrees (~1 km): keeps the 50m file under MAX_BYTES, invisible at zoom <= 8


def build(source: Path, out: Path = OUT, *, tolerance: float = TOLERANCE) -> int:
    """Convert the TopoJSON ``countries`` layer of *source* to GeoJSON at *out*.

    Returns the number of bytes written.
    """
    gdf = gpd.read_file(source, layer="countries").set_crs(4326, allow_override=True)
    geoms = shapely.make_valid(np.array([_cut_antimeridian(g) for g in gdf.geometry]))
    if tolerance:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 10.0**-PRECISION)
    gdf = gdf.set_geometry(geoms)
    gdf = gdf[~gdf.geometry.is_empty & gdf.geometry.notna()]
    gdf = gdf.sort_values(["name", "id"], na_position="last").reset_index(drop=True)

    features = []
    for name, geom in zip(gdf["name"], gdf.geometry):
        # Keep only the polygonal part (make_valid may return collections).
        polys = shapely.get_parts(geom)
        polys = [p for p in polys if p.geom_type in ("Polygon", "MultiPolygon")]
        if not polys:
            continue
        geom = shapely.union_all(polys) if len(polys) > 1 else polys[0]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": str(name)},
                "geometry": json.loads(shapely.to_geojson(geom)),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": "countries",
        "attribution": "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2",
        "features": features,
    }
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    text = _round_numbers(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return len(text.encode("utf-8")) + 1


WORLD = shapely.box(-180, -90, 180, 90)
EAST = shapely.box(180, -90, 540, 90)


def _cut_antimeridian(geom):
    """Planar polygons for rings that cross the antimeridian (world-atlas stitches them).

    A ring with an even number of +-360 jumps (Russia, Fiji) is unwrapped east of 180 and cut
    there.  A ring with one jump goes round a pole (Antarctica's coast, which GDAL reads as the
    hole of a degenerate ring along the pole): it is closed along the pole instead.
    """
    parts = []
    for poly in shapely.get_parts(geom):
        rings = [np.asarray(r.coords, dtype=float) for r in (poly.exterior, *poly.interiors)]
        jumps = [np.flatnonzero(np.abs(np.diff(xy[:, 0])) > 180) for xy in rings]
        if not any(len(j) for j in jumps):
            parts.append(poly)
            continue
        shells, holes = [], []
        for k, (xy, jump) in enumerate(zip(rings, jumps)):
            if (np.abs(xy[:, 1]) > 89.9).all():
                continue  # the pole itself, not a coast
            if len(jump) == 0:
                (holes if k else shells).append(shapely.make_valid(shapely.Polygon(xy)))
            elif len(jump) % 2 == 0:
                xy[:, 0] = np.where(xy[:, 0] < 0, xy[:, 0] + 360, xy[:, 0])
                ring = shapely.make_valid(shapely.Polygon(xy))
                cut = [ring.intersection(WORLD), shapely.affinity.translate(ring.intersection(EAST), xoff=-360)]
                (holes if k else shells).extend(cut)
            else:
                i = jump[0]
                seq = np.vstack([xy[i + 1 : -1], xy[: i + 1]])  # start just after the jump
                pole = -90.0 if seq[:, 1].mean() < 0 else 90.0
                seq = np.vstack([seq, [[seq[-1, 0], pole], [seq[0, 0], pole]]])
                shells.append(shapely.make_valid(shapely.Polygon(seq)).intersection(WORLD))
        parts.append(shapely.difference(shapely.union_all(shells), shapely.union_all(holes)))
    return shapely.union_all(parts)


def _round_numbers(text: str) -> str:
    """Re-serialise with every coordinate rounded to PRECISION decimals."""

    def fix(obj):
        if isinstance(obj, float):
            r = round(obj, PRECISION)
            return int(r) if r == int(r) else r
        if isinstance(obj, list):
            return [fix(v) for v in obj]
        if isinstance(obj, dict):
            return {k: fix(v) for k, v in obj.items()}
        return obj

    return json.dumps(fix(json.loads(text)), separators=(",", ":"), ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--tolerance", type=float, default=TOLERANCE, help="simplify tolerance in degrees (0 = none)"
    )
    args = parser.parse_args(argv)
    size = build(args.source, args.out, tolerance=args.tolerance)
    print(f"wrote {args.out} ({size:,} bytes)")
    if size > MAX_BYTES:
        print(f"warning: larger than {MAX_BYTES:,} bytes; try --tolerance 0.01", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

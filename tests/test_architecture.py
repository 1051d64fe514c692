"""Import rules that keep the code easy to change (see ../shared/ARCHITECTURE.md, mirrored in the README)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import geo
from tests.conftest import ROOT

GEO_MODULES = sorted((ROOT / "geo").rglob("*.py"))
SHELLS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", GEO_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_never_imports_streamlit(path):
    assert not any(name.split(".")[0] in {"streamlit", "streamlit_folium"} for name in imports(path))


@pytest.mark.parametrize("path", GEO_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_folium_only_in_mapview(path):
    if path.parent.name == "webmap" and path.name in {"mapview.py", "assets.py", "layers.py", "playback_layer.py",
                                                       "basemap_layers.py"}:
        return
    assert not any(name.split(".")[0] in {"folium", "branca"} for name in imports(path))


@pytest.mark.parametrize("path", SHELLS, ids=lambda p: str(p.relative_to(ROOT)))
def test_app_and_pages_use_only_the_public_api(path):
    for name in imports(path):
        if name == "geo" or not name.startswith("geo"):
            continue
        module, _, attr = name.rpartition(".")
        assert module == "geo" and attr in geo.__all__, f"{path.name} imports {name}: use the public geo API"


def test_pure_modules_do_no_io_at_import():
    # schema, query and validate are imported by everything: they must not read files when imported
    for path in [ROOT / "geo" / "schema.py", ROOT / "geo" / "query.py", *(ROOT / "geo" / "validate").glob("*.py")]:
        tree = ast.parse(path.read_text())
        top_calls = [n for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
        assert not top_calls, path.name


def test_public_api_names_exist():
    for name in geo.__all__:
        assert getattr(geo, name) is not None

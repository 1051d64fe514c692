"""The vendored web assets (Leaflet, Leaflet.markercluster) and the offline basemap.

No folium here: this module only knows files and URLs.  ``geo.webmap.mapview`` points folium at these
files; :func:`inline_assets` turns a rendered page into one self-contained HTML file.

Files live in ``geo/assets/web/`` (see its README for versions and licences).  The Streamlit app
serves that folder at ``/app/static`` (``static`` at the repo root is a symlink to it and
``server.enableStaticServing = true``), so in the app the base URL is :data:`APP_STATIC_URL`.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from geo.countries import COUNTRIES_PATH as BASEMAP_PATH

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
WEB_DIR = ASSETS_DIR / "web"

#: Where the Streamlit app serves WEB_DIR (``server.enableStaticServing``).
APP_STATIC_URL = "/app/static"

#: (folium resource name, path under WEB_DIR) for ``folium.Map``.  Only Leaflet: folium's other
#: defaults (jQuery, Bootstrap, awesome-markers, Font Awesome, glyphicons) are not used by our maps.
MAP_JS: tuple[tuple[str, str], ...] = (("leaflet", "leaflet/leaflet.js"),)
MAP_CSS: tuple[tuple[str, str], ...] = (("leaflet_css", "leaflet/leaflet.css"),)

#: The same for ``folium.plugins.MarkerCluster`` (names as folium declares them).
CLUSTER_JS: tuple[tuple[str, str], ...] = (("markerclusterjs", "markercluster/leaflet.markercluster.js"),)
CLUSTER_CSS: tuple[tuple[str, str], ...] = (
    ("markerclustercss", "markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", "markercluster/MarkerCluster.Default.css"),
)

#: Leaflet.heat (npm ``leaflet.heat``) for the heat-map layer.
HEAT_JS: tuple[tuple[str, str], ...] = (("leaflet-heat.js", "heat/leaflet-heat.js"),)

_ALL_FILES = tuple(rel for _, rel in MAP_JS + MAP_CSS + CLUSTER_JS + CLUSTER_CSS + HEAT_JS)


def default_base_url() -> str:
    """``file://`` URL of the vendored assets: right for a map saved next to nothing else."""
    return WEB_DIR.resolve().as_uri()


def resolve(table: tuple[tuple[str, str], ...], base_url: str) -> list[tuple[str, str]]:
    """A fresh ``[(name, url), ...]`` list for *table* under *base_url* (never prefixes twice)."""
    base = base_url.rstrip("/")
    return [(name, f"{base}/{rel}") for name, rel in table]


@lru_cache(maxsize=1)
def basemap_json() -> str:
    """The basemap FeatureCollection as JSON text that is safe inside a ``<script>`` block."""
    data = json.loads(BASEMAP_PATH.read_text(encoding="utf-8"))
    return script_safe_json(data)


def script_safe_json(value: object) -> str:
    """``json.dumps`` that cannot end a ``<script>`` block nor open an HTML comment.

    Inside a script element only "</" (a closing tag) and "<!" (a comment, which changes how "<script" is
    read) matter to the HTML parser; escaping just those keeps popups' HTML compact ("<b>" stays 3 bytes).
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("</", "<\\/")
        .replace("<!", "\\u003c!")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# ---------------------------------------------------------------------------------------------
# Standalone HTML: inline every vendored script and stylesheet.

_LINKED = re.compile(
    r'<script\s+src="([^"]+)"\s*>\s*</script>|<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>',
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:|#)([^'\")]+)['\"]?\s*\)")
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")


def _local_file(url: str) -> Path:
    """The vendored file that *url* names (any base URL), or ValueError for anything else."""
    for rel in _ALL_FILES:
        if url == rel or url.endswith("/" + rel):
            return WEB_DIR / rel
    raise ValueError(
        f"standalone_html: {url!r} is not a vendored asset; add it to geo/assets/web and to the "
        "tables in geo/webmap/assets.py, or drop the folium feature that needs it"
    )


@lru_cache(maxsize=None)
def _inline_script(rel_path: str) -> str:
    code = _SOURCE_MAP.sub("\n", (WEB_DIR / rel_path).read_text(encoding="utf-8"))
    # "</script" inside a script block would end it; in JS source it can only sit in a string.
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


@lru_cache(maxsize=None)
def _inline_style(rel_path: str) -> str:
    css_file = WEB_DIR / rel_path

    def data_uri(match: re.Match[str]) -> str:
        target = (css_file.parent / match.group(1)).resolve()
        if WEB_DIR.resolve() not in target.parents or not target.is_file():
            return match.group(0)  # e.g. IE's url(#default#VML) behaviour: leave it alone
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        payload = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{payload}")'

    css = _CSS_URL.sub(data_uri, css_file.read_text(encoding="utf-8"))
    return "<style>" + css.replace("</style", "<\\/style") + "</style>"


def inline_assets(html: str) -> str:
    """Replace each ``<script src>`` / stylesheet ``<link>`` of a vendored asset by its content.

    Raises ValueError if the page links anything that is not vendored.
    """

    def replace(match: re.Match[str]) -> str:
        url = match.group(1) or match.group(2)
        rel = _local_file(url).relative_to(WEB_DIR).as_posix()
        return _inline_script(rel) if match.group(1) else _inline_style(rel)

    # One pass over the page as rendered, so inlined code is never searched again; a function
    # replacement, so the inlined code is never read as a regex template.
    return _LINKED.sub(replace, html)

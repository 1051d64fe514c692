"""The argument parser of ``python -m geo``: one subcommand per operation, each with an example."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.cli.common import location
from geo.cli.events import run_animate, run_export, run_snapshot, run_stats, run_validate
from geo.cli.imports import run_imports, run_ingest
from geo.cli.text import run_extract, run_geocode
from geo.paths import DEFAULT_EVENTS
from geo.schema import ATTRIBUTIONS, OUTCOMES, WEAPON_TYPES


def add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", type=location, default=DEFAULT_EVENTS,
                        help="events file (.geojson, .gpkg, .csv, .parquet) or a postgresql:// store URL; "
                             "default: the bundled seed data")


def add_filters(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("filters (values of one flag are OR-ed, flags are AND-ed)")
    g.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this day")
    g.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this day")
    g.add_argument("--weapon", action="append", choices=list(WEAPON_TYPES), help="weapon type (repeatable)")
    g.add_argument("--actor", action="append", help="actor, case-insensitive exact name (repeatable)")
    g.add_argument("--country", action="append", metavar="ISO3", help="country code such as IRQ (repeatable)")
    g.add_argument("--attribution", action="append", choices=list(ATTRIBUTIONS), help="repeatable")
    g.add_argument("--outcome", action="append", choices=list(OUTCOMES), help="repeatable")
    g.add_argument("--text", help="words found in description, location, actor or target")
    g.add_argument("--min-fatalities", metavar="N", help="at least N people killed")
    g.add_argument("--max-precision-km", metavar="KM", help="located to within KM kilometres")
    g.add_argument("--bbox", metavar="W,S,E,N", help="bounding box in degrees")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m geo``."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="python -m geo", formatter_class=fmt,
                                     description="Conflict Event Map: validate, filter, export and count events.",
                                     epilog="Example:\n  python -m geo export --weapon drone --since 2021-01-01 -o drones.geojson")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check an events file against the schema", formatter_class=fmt,
                       description="Check every event of a file; list each problem with its feature and field.",
                       epilog="Example:\n  python -m geo validate data/events.geojson")
    p.add_argument("path", type=Path, help="events file (.geojson, .gpkg, .csv, .parquet)")
    p.set_defaults(run=run_validate)

    p = sub.add_parser("export", help="write filtered events as GeoJSON, CSV, GeoPackage or GeoParquet",
                       formatter_class=fmt,
                       description="Filter events and write them; the format follows the output's extension "
                                   "(.geojson .csv .gpkg .parquet). Files are written atomically.",
                       epilog="Example:\n  python -m geo export --weapon drone --weapon rocket --country IRQ "
                              "--since 2021-01-01 -o events.csv")
    add_input(p)
    add_filters(p)
    p.add_argument("-o", "--output", required=True, help="output file, or - for GeoJSON on stdout")
    p.add_argument("--caption", help="caption stored in the GeoJSON (default: a description of the filter)")
    p.set_defaults(run=run_export)

    p = sub.add_parser("stats", help="count events by weapon, actor, country and month", formatter_class=fmt,
                       description="Count the filtered events by weapon, actor, country and month.",
                       epilog="Example:\n  python -m geo stats --since 2021-01-01 --until 2021-12-31 --json")
    add_input(p)
    add_filters(p)
    p.add_argument("--top", type=int, default=20, help="how many actors to list (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=run_stats)

    p = sub.add_parser("snapshot", help="draw a report map: PNG, SVG, PDF, standalone HTML or a report pack (zip)",
                       formatter_class=fmt,
                       description="Filter events and draw them for a report; the output follows the extension "
                                   "(.png .svg .pdf .html .zip). --bbox both filters and frames the map.",
                       epilog="Example:\n  python -m geo snapshot --weapon drone --since 2021-01-01 "
                              "--title 'Drone attacks' --size a4-landscape --dpi 200 -o drones.pdf")
    add_input(p)
    add_filters(p)
    p.add_argument("-o", "--output", required=True, type=Path, help="output file (.png .svg .pdf .html .zip)")
    p.add_argument("--title", help="title above the map (default: 'Conflict events')")
    p.add_argument("--caption", help="caption under the title (default: a description of the filter)")
    p.add_argument("--size", default="a4-landscape",
                   choices=["a4-landscape", "a4-portrait", "slide-16x9", "square"],
                   help="page size (default a4-landscape)")
    p.add_argument("--dpi", type=int, default=150, help="dots per inch of PNG output (default 150; 300 for print)")
    p.add_argument("--region", help="frame the map on countries: ISO3 codes or names joined by '+' (IRQ+SYR)")
    p.add_argument("--halos", action="store_true", help="draw each event's precision_km as a circle")
    p.add_argument("--labels", action="store_true", help=argparse.SUPPRESS)  # the default now; kept for old scripts
    p.add_argument("--no-labels", action="store_true", help="leave out the names of the key sites")
    p.add_argument("--style", default="light", choices=["light", "dark", "terrain"], help="basemap style")
    p.add_argument("--no-locator", action="store_true", help="leave out the locator inset")
    p.set_defaults(run=run_snapshot)

    p = sub.add_parser("animate", help="play the events back in time as an animated GIF or an MP4",
                       formatter_class=fmt,
                       description="Filter events and draw one frame per day, week or month in the report-map style "
                                   "(legend, caption, date stamp, scale bar). --mode window shows each period's "
                                   "events, cumulative all events so far.",
                       epilog="Example:\n  python -m geo animate --country IRQ --since 2021-01-01 --until 2021-12-31 "
                              "--step week -o campaign.gif")
    add_input(p)
    add_filters(p)
    p.add_argument("-o", "--output", required=True, type=Path, help="output file (.gif or .mp4)")
    p.add_argument("--step", default="week", choices=["day", "week", "month"], help="time per frame (default week)")
    p.add_argument("--mode", default="window", choices=["window", "cumulative"], help="default window")
    p.add_argument("--fps", type=float, default=4.0, help="frames per second (default 4)")
    p.add_argument("--title", help="title above the map (default: 'Conflict events')")
    p.add_argument("--caption", help="caption under the title (default: a description of the filter)")
    p.add_argument("--size", default="slide-16x9", choices=["a4-landscape", "a4-portrait", "slide-16x9", "square"],
                   help="page size (default slide-16x9)")
    p.add_argument("--dpi", type=int, default=96, help="dots per inch (default 96: 1280 x 720 for slide-16x9)")
    p.add_argument("--region", help="frame the map on countries: ISO3 codes or names joined by '+' (IRQ+SYR)")
    p.add_argument("--style", default="light", choices=["light", "dark", "terrain"], help="basemap style")
    p.add_argument("--no-locator", action="store_true", help="leave out the locator inset")
    p.set_defaults(run=run_animate)

    p = sub.add_parser("ingest", aliases=["import"], formatter_class=fmt,
                       help="import ACLED, UCDP GED, GDELT, any CSV/XLSX or a GIS layer",
                       description="Read a file of events from the field into our schema. Every row not taken is "
                                   "listed (row, field, reason). Exit 1 when the file cannot be read at all.",
                       epilog="Example:\n  python -m geo ingest acled.csv --into ~/.local/share/conflict-event-map/"
                              "events.parquet --report rows.csv\n  python -m geo ingest sites.csv --format csv "
                              "--map date=Date,lat=Y,lon=X -o sites.geojson")
    p.add_argument("file", nargs="?", type=Path, help="file to import (.csv .xlsx .CSV .geojson .gpkg .kml .shp .zip)")
    p.add_argument("--format", choices=["acled", "ucdp", "gdelt", "csv", "gis"], help="reader (default: detected)")
    p.add_argument("--map", help="column mapping for csv/gis: FIELD=COLUMN,... (fields: date, lat, lon, weapon, "
                                 "actor, location, country, ...)")
    p.add_argument("--all-types", action="store_true", help="ACLED: import every event type, not only attacks")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
                       help="numeric dates are day first (05/07/2021 = 5 July), when the file cannot tell")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="numeric dates are month first (05/07/2021 = 7 May)")
    g = p.add_argument_group("GDELT quality gate (rows failing it are reported as out of scope)")
    g.add_argument("--gdelt-cameo", metavar="CODES", help="CAMEO event codes or roots to take (default 18,19,20)")
    g.add_argument("--gdelt-min-sources", type=int, metavar="N", help="at least N sources (NumSources; default 1)")
    g.add_argument("--gdelt-min-articles", type=int, metavar="N", help="at least N articles (NumArticles; default 2)")
    g.add_argument("--gdelt-geo-types", metavar="TYPES",
                   help="ActionGeo_Type values to take: 1 country, 2 US state, 3 US city, 4 world city, "
                        "5 world ADM1 (default 1,2,3,4,5)")
    p.add_argument("-o", "--output", type=Path, help="write the imported events (.geojson .csv .gpkg .parquet)")
    p.add_argument("--into", metavar="STORE", help="merge into this collection: a .parquet file or a "
                                                   "postgresql:// URL (default with --merge: $CEM_STORE_WRITER, "
                                                   "$CEM_STORE, else the user's collection)")
    p.add_argument("--merge", action="store_true", help="merge into the configured store (see --into)")
    p.add_argument("--report", type=Path, help="write the row report (row, field, reason) as CSV")
    p.add_argument("--show", type=int, default=20, help="how many row problems to print (default 20)")
    p.add_argument("--undo", nargs="?", const="last", metavar="ID",
                   help="undo the last import into the store (or import ID; see `python -m geo imports`)")
    p.set_defaults(run=run_ingest)

    p = sub.add_parser("imports", help="list the imports of a store: who, when, which file, what changed",
                       formatter_class=fmt,
                       description="List every import of a collection, newest first; undone ones are marked.",
                       epilog="Example:\n  python -m geo imports postgresql://cem_reader@localhost:5432/cem --json")
    p.add_argument("store", nargs="?", help="a .parquet collection or a postgresql:// URL (default: as ingest --merge)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_imports)

    p = sub.add_parser("geocode", help="place description -> point, precision, country and admin1 (offline)",
                       formatter_class=fmt,
                       description="Geocode a place as reports name it ('near Albu Kamal', '15 km north of Baghdad', "
                                   "'a base hosting US troops in western Iraq'). With - read one description per "
                                   "line from stdin and write one JSON object per line (with --json).",
                       epilog="Examples:\n  python -m geo geocode \"Ayn al-Asad\" --json\n"
                              "  printf 'Albu Kamal\\nnear the US embassy\\n' | python -m geo geocode --json -")
    p.add_argument("text", nargs="?", help="the place description, or - for one per line on stdin")
    p.add_argument("--country", metavar="ISO3", help="country hint, such as IRQ or SYR")
    p.add_argument("--json", action="store_true", help="print JSON (one object per line in batch mode)")
    p.add_argument("--alternatives", action="store_true", help="with --json: add the candidates it rejected")
    p.set_defaults(run=run_geocode)

    p = sub.add_parser("extract", help="news report -> candidate events (weapon, date, place, actor, outcome)",
                       formatter_class=fmt,
                       description="Find each attack a plain-text news report mentions and propose an event, with "
                                   "its date resolved against the publication date, the place geocoded offline, and "
                                   "a confidence. Candidates are for review, not for publication as they are.",
                       epilog="Example:\n  python -m geo extract report.txt --published 2021-07-06 --json\n"
                              "  python -m geo extract report.txt --published 2021-07-06 --publisher AFP -o cand.geojson")
    p.add_argument("report", type=Path, help="the report as a plain-text file")
    p.add_argument("--published", required=True, metavar="YYYY-MM-DD", help="publication date of the report")
    p.add_argument("--json", action="store_true", help="print the candidates as JSON")
    p.add_argument("-o", "--output", type=Path, help="write the candidates as events (.geojson .csv .gpkg .parquet)")
    p.add_argument("--publisher", help="the report's publisher (its source entry)")
    p.add_argument("--url", help="the report's http(s) address")
    p.add_argument("--title", help="the report's headline")
    p.set_defaults(run=run_extract)

    from geo.store import dbcli  # the team store's admin commands (psycopg loads only when one runs)

    dbcli.add_parser(sub, fmt)
    return parser

"""``python -m geo``: validate, export and count events from the command line.

Exit codes: 0 success; 1 a user error (one clear line per problem on stderr); 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from geo import query
from geo.errors import GeoError, SchemaError
from geo.paths import DEFAULT_EVENTS
from geo.schema import ATTRIBUTIONS, OUTCOMES, WEAPON_TYPES

# Only what parsing needs is imported here: the commands import their own (pandas, GDAL, matplotlib) when they
# run, and stats/export answer from the trusted cache through DuckDB, so a repeated command starts in a blink.


def _location(text: str) -> Path | str:
    """An events file, or a ``postgresql://`` URL naming a team store."""
    from geo.store.open import is_url

    return text if is_url(text) else Path(text)


def _add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", type=_location, default=DEFAULT_EVENTS,
                        help="events file (.geojson, .gpkg, .csv, .parquet) or a postgresql:// store URL; "
                             "default: the bundled seed data")


def _read(location: Path | str, spec: query.FilterSpec):
    """The events of a file or a store that ``spec`` keeps (a store filters in its own engine)."""
    if isinstance(location, str):
        from geo.store.open import open_store

        return open_store(location).read(spec)
    from geo.store import cache, engine

    return engine.events(cache.ensure(location).path, spec)  # only the kept events come into memory


def _plain(text: str) -> str:
    """Text from outside (file names, user names) with control characters shown as escapes, not sent to the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _say(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


def _add_filters(parser: argparse.ArgumentParser) -> None:
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


def spec_from_args(args: argparse.Namespace) -> query.FilterSpec:
    """The FilterSpec of the filter flags, through the same parser as URL parameters."""
    params = {key: getattr(args, attr) for key, attr in (
        ("since", "since"), ("until", "until"), ("weapon", "weapon"), ("actor", "actor"),
        ("country", "country"), ("attribution", "attribution"), ("outcome", "outcome"), ("text", "text"),
        ("min_fatalities", "min_fatalities"), ("max_precision_km", "max_precision_km"), ("bbox", "bbox"),
    ) if getattr(args, attr) is not None}
    return query.from_params(params)


def _cmd_validate(args: argparse.Namespace) -> int:
    from geo.store import cache

    found = cache.ensure(args.path)  # a file already validated as it is now needs no second pass
    print(f"{args.path}: {found.rows:,} events, all valid")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from geo import export_slices, formats
    from geo.store import cache, engine

    to_stdout = str(args.output) == "-"
    fmt = "geojson" if to_stdout else formats.format_for(args.output)
    spec = spec_from_args(args)
    if isinstance(args.input, str):  # a team store filters in its own engine
        from geo import export

        events = _read(args.input, spec)
        caption = args.caption or query.describe(spec, len(events))
        meta = {"filter": query.to_params(spec)}
        if to_stdout:
            sys.stdout.buffer.write(export.geojson_bytes(events, caption=caption, meta=meta))
        else:
            export.write(events, args.output, fmt=fmt, caption=caption, meta=meta)
            print(f"{args.output}: {caption}", file=sys.stderr)
        return 0
    found = cache.ensure(args.input)
    caption = args.caption or query.describe(spec, engine.count(found.path, spec))
    meta = {"filter": query.to_params(spec)}
    export_slices.export_file(found.path, spec, sys.stdout.buffer if to_stdout else args.output, fmt=fmt,
                              caption=caption, meta=meta)
    if to_stdout:
        sys.stdout.buffer.flush()
    else:
        print(f"{args.output}: {caption}", file=sys.stderr)
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from geo.store import cache, engine

    spec = spec_from_args(args)
    if isinstance(args.input, str):
        from geo import stats

        summary = stats.summarize(_read(args.input, spec), top=args.top)
    else:
        summary = engine.summarize(cache.ensure(args.input).path, spec, top=args.top)
    if args.json:
        import orjson  # (only for --json: a few ms of every start otherwise)
        sys.stdout.buffer.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    print(query.describe(spec, summary["total"]["events"]))
    print(f"fatalities (lowest reported): {summary['total']['fatalities']:,}")
    for section in ("weapon", "actor", "country", "month"):
        print(f"\nby {section}:")
        width = max((len(k) for k in summary[section]), default=0)
        for key, value in summary[section].items():
            print(f"  {key:<{width}}  {value:>7,}")
    return 0


def _cmd_snapshot(args: argparse.Namespace) -> int:
    from geo import report
    from geo.staticmap import snapshot  # matplotlib loads only for this command
    from geo.store import cache, engine

    spec = spec_from_args(args)
    fmt = report.format_of(args.output)  # before any work: a bad extension fails fast
    options = snapshot.SnapshotOptions(title=args.title, size=args.size, dpi=args.dpi, bbox=spec.bbox,
                                       region=args.region, halos=args.halos, labels=not args.no_labels,
                                       locator=not args.no_locator, caption=args.caption, style=args.style)
    events = _read(args.input, spec)
    report.write_report(events, spec, args.output, options=options)
    print(f"{args.output}: {fmt}, {options.caption or query.describe(spec, len(events))}", file=sys.stderr)
    return 0


def _cmd_animate(args: argparse.Namespace) -> int:
    from geo.staticmap import animate, snapshot  # matplotlib and PyAV load only for this command

    spec = spec_from_args(args)
    fmt = args.output.suffix.lower().lstrip(".")
    if fmt not in animate.FORMATS:
        raise GeoError(f"{args.output}: cannot tell the output format; use .gif or .mp4")
    options = snapshot.SnapshotOptions(title=args.title, size=args.size, dpi=args.dpi, bbox=spec.bbox,
                                       region=args.region, caption=args.caption, style=args.style,
                                       locator=not args.no_locator)
    playback = animate.Playback(step=args.step, mode=args.mode, fps=args.fps, start=spec.since, end=spec.until)
    events = _read(args.input, spec)

    live = sys.stderr.isatty() and hasattr(sys.stderr, "rewrite_line")

    def progress(done: int, total: int) -> None:
        if live:
            sys.stderr.rewrite_line(f"{args.output}: frame {done}/{total}")

    data = animate.animation_bytes(events, spec, fmt, options=options, playback=playback, progress=progress)
    from geo.store import atomic

    atomic.write_bytes(args.output, data)
    message = f"{args.output}: {fmt}, {query.describe(spec, len(events))}"
    if live:
        sys.stderr.rewrite_line(message, last=True)
    else:
        print(message, file=sys.stderr)
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from geo import ingest  # the readers load only for this command
    from geo.store.open import open_store

    if args.undo is not None:
        target = open_store(args.into, write=True)
        which = "last import" if args.undo == "last" else f"import {args.undo}"
        total = target.undo(None if args.undo == "last" else int(args.undo), on_wait=_say)
        print(f"{target.location}: {which} undone, {total:,} events", file=sys.stderr)
        return 0
    if args.file is None:
        raise GeoError("ingest: name a FILE to import (or --undo)")
    options: dict = {}
    if args.map:
        options["mapping"] = args.map
    if args.all_types:
        options["all_types"] = True
    if args.dayfirst is not None:
        options["dayfirst"] = args.dayfirst
    gate = _gdelt_gate(args)
    if gate is not None:
        options["gate"] = gate
    result = ingest.read(args.file, args.format, **options)  # IngestError (exit 1, nothing written) if no event
    for note in result.notes:
        print(f"note: {args.file}: {note}", file=sys.stderr)
    shown = result.report[result.report["field"] != ingest.SCOPE]
    for row in shown.head(args.show).itertuples(index=False):
        print(f"{args.file}: row {row.row}: {row.field}: {row.reason}", file=sys.stderr)
    if len(shown) > args.show:
        print(f"{args.file}: ... and {len(shown) - args.show:,} more problems (see --report)", file=sys.stderr)
    if args.report:
        from geo.store import atomic
        from geo.ingest.upload import report_csv_bytes  # formula-safe: report cells quote the input

        atomic.write_bytes(args.report, report_csv_bytes(result.report))
    if args.output:
        from geo import export

        export.write(result.events, args.output)
    if args.into is not None or args.merge:
        target = open_store(args.into, write=True)  # before the work: a store it cannot keep fails fast
        merged = target.merge(result, file=args.file.name, on_wait=_say)
        print(f"{target.location}: import {merged.import_id}: {merged.summary()}", file=sys.stderr)
    print(f"{args.file}: {result.fmt}: {result.summary()}")
    return 0


def _cmd_imports(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from geo.store.open import open_store

    target = open_store(args.store)
    records = target.imports()
    if args.json:
        import orjson  # (only for --json: a few ms of every start otherwise)
        sys.stdout.buffer.write(orjson.dumps([asdict(r) for r in records], option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    print(f"{target.location}: {len(records)} import(s)")
    for r in records:
        state = f"  [undone {r.undone_at:%Y-%m-%d %H:%M}]" if r.undone else ""
        print(f"  {r.id:>5}  {r.at:%Y-%m-%d %H:%M}  {_plain(r.who)}  {_plain(r.file or '-')}  "
              f"{_plain(r.datasets or '-')}  +{r.added:,} "
              f"~{r.updated:,} -{r.deleted:,} linked {r.linked:,}  ({r.total:,} in all){state}")
    return 0


def _gdelt_gate(args: argparse.Namespace):  # noqa: ANN202 - geo.ingest.gdelt.Gate, loaded only for ingest
    """The GDELT quality gate of the --gdelt-* flags (None when none is given: the reader's defaults)."""
    given = {"cameo": args.gdelt_cameo, "min_sources": args.gdelt_min_sources,
             "min_articles": args.gdelt_min_articles, "geo_types": args.gdelt_geo_types}
    if all(v is None for v in given.values()):
        return None
    from geo.ingest.gdelt import Gate

    def items(text: str, flag: str, kind=str) -> tuple:  # noqa: ANN001
        try:
            values = tuple(kind(v.strip()) for v in text.split(",") if v.strip())
        except ValueError:
            raise GeoError(f"{flag}: {text!r} should be a comma-separated list (e.g. 18,19,20)") from None
        if not values:
            raise GeoError(f"{flag}: give at least one value")
        return values

    out = {}
    if args.gdelt_cameo is not None:
        out["cameo"] = items(args.gdelt_cameo, "--gdelt-cameo")
    if args.gdelt_geo_types is not None:
        out["geo_types"] = items(args.gdelt_geo_types, "--gdelt-geo-types", int)
    for key in ("min_sources", "min_articles"):
        if given[key] is not None:
            out[key] = given[key]
    return Gate(**out)


def _cmd_geocode(args: argparse.Namespace) -> int:
    from geo.geocode import gazetteer
    from geo.geocode.geocoder import Match, geocode  # the gazetteer loads only for this command

    # a first run builds the index (15-40 s): say so, step by step, instead of hanging silently
    gazetteer.load(progress=lambda step: print(step, file=sys.stderr, flush=True))

    def line(m: object) -> str:
        if args.json:
            d = m.to_dict()
            if args.alternatives and isinstance(m, Match):
                d["alternatives"] = [c.to_dict() for c in m.alternatives]
            import orjson  # (only for --json: a few ms of every start otherwise)
            return orjson.dumps(d).decode()
        if isinstance(m, Match):
            return (f"{m.lat:.5f}, {m.lon:.5f}  ±{m.precision_km:g} km (geo_precision {m.geo_precision})  {m.country} "
                    f"{m.admin1}  <- {m.relation} {m.matched} [{m.kind}, score {m.score:.2f}]")
        shown = "; ".join(f"{c.name} ({c.country})" for c in m.candidates) or "none"
        return f"no match for {m.query[:80]!r}: {m.error}; candidates: {shown}"

    if args.text == "-":
        for raw in sys.stdin.buffer:
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if text.strip():
                print(line(geocode(text, country=args.country)), flush=False)
        return 0
    if args.text is None:
        raise GeoError("geocode: give a place description, or - to read one per line from stdin")
    result = geocode(args.text, country=args.country)
    if isinstance(result, Match) or args.json:
        print(line(result))
        return 0 if isinstance(result, Match) else 1
    print(f"error: {line(result)}", file=sys.stderr)
    return 1


def _cmd_extract(args: argparse.Namespace) -> int:
    from datetime import date

    from geo.news.extract import ExtractError, extract  # the rules and the gazetteer load only for this command
    from geo.news.events import read_report, to_events

    try:
        published = date.fromisoformat(args.published)
    except ValueError:
        raise ExtractError(f"--published {args.published!r} is not a date: give it as YYYY-MM-DD") from None
    if not date(1900, 1, 1) <= published <= date.today().replace(year=date.today().year + 1):
        raise ExtractError(f"--published {args.published} is out of range: a news report's date lies between 1900 "
                           "and now")
    candidates = extract(read_report(args.report), published=published)
    if args.json:
        import orjson  # (only for --json: a few ms of every start otherwise)
        sys.stdout.buffer.write(orjson.dumps([c.to_dict() for c in candidates], option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for c in candidates:
            where = f"{c.location} ±{c.precision_km:g} km" if c.precision_km is not None else "no place"
            print(f"{c.date} ({c.date_precision})  {c.count or ''} {c.weapon_type}  {c.outcome}  {where}  "
                  f"{c.actor} ({c.attribution})  fatalities {c.fatalities if c.fatalities is not None else '?'}  "
                  f"confidence {c.confidence:.2f}{'  [background]' if c.background else ''}")
    if args.output:
        source = {"publisher": args.publisher, "url": args.url, "title": args.title}
        checked = to_events(candidates, published=published, source=source)
        for problem in checked.problems:
            print(f"note: {args.report}: {problem}", file=sys.stderr)
        from geo import export

        export.write(checked.valid, args.output)
    print(f"{args.report}: {len(candidates)} candidate event(s)", file=sys.stderr)
    return 0


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
    p.set_defaults(run=_cmd_validate)

    p = sub.add_parser("export", help="write filtered events as GeoJSON, CSV, GeoPackage or GeoParquet",
                       formatter_class=fmt,
                       description="Filter events and write them; the format follows the output's extension "
                                   "(.geojson .csv .gpkg .parquet). Files are written atomically.",
                       epilog="Example:\n  python -m geo export --weapon drone --weapon rocket --country IRQ "
                              "--since 2021-01-01 -o events.csv")
    _add_input(p)
    _add_filters(p)
    p.add_argument("-o", "--output", required=True, help="output file, or - for GeoJSON on stdout")
    p.add_argument("--caption", help="caption stored in the GeoJSON (default: a description of the filter)")
    p.set_defaults(run=_cmd_export)

    p = sub.add_parser("stats", help="count events by weapon, actor, country and month", formatter_class=fmt,
                       description="Count the filtered events by weapon, actor, country and month.",
                       epilog="Example:\n  python -m geo stats --since 2021-01-01 --until 2021-12-31 --json")
    _add_input(p)
    _add_filters(p)
    p.add_argument("--top", type=int, default=20, help="how many actors to list (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=_cmd_stats)

    p = sub.add_parser("snapshot", help="draw a report map: PNG, SVG, PDF, standalone HTML or a report pack (zip)",
                       formatter_class=fmt,
                       description="Filter events and draw them for a report; the output follows the extension "
                                   "(.png .svg .pdf .html .zip). --bbox both filters and frames the map.",
                       epilog="Example:\n  python -m geo snapshot --weapon drone --since 2021-01-01 "
                              "--title 'Drone attacks' --size a4-landscape --dpi 200 -o drones.pdf")
    _add_input(p)
    _add_filters(p)
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
    p.set_defaults(run=_cmd_snapshot)

    p = sub.add_parser("animate", help="play the events back in time as an animated GIF or an MP4",
                       formatter_class=fmt,
                       description="Filter events and draw one frame per day, week or month in the report-map style "
                                   "(legend, caption, date stamp, scale bar). --mode window shows each period's "
                                   "events, cumulative all events so far.",
                       epilog="Example:\n  python -m geo animate --country IRQ --since 2021-01-01 --until 2021-12-31 "
                              "--step week -o campaign.gif")
    _add_input(p)
    _add_filters(p)
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
    p.set_defaults(run=_cmd_animate)

    p = sub.add_parser("ingest", help="import ACLED, UCDP GED, GDELT, any CSV/XLSX or a GIS layer", formatter_class=fmt,
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
    p.set_defaults(run=_cmd_ingest)

    p = sub.add_parser("imports", help="list the imports of a store: who, when, which file, what changed",
                       formatter_class=fmt,
                       description="List every import of a collection, newest first; undone ones are marked.",
                       epilog="Example:\n  python -m geo imports postgresql://cem_reader@localhost:5432/cem --json")
    p.add_argument("store", nargs="?", help="a .parquet collection or a postgresql:// URL (default: as ingest --merge)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_cmd_imports)

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
    p.set_defaults(run=_cmd_geocode)

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
    p.set_defaults(run=_cmd_extract)

    from geo.store import dbcli  # the team store's admin commands (psycopg loads only when one runs)

    dbcli.add_parser(sub, fmt)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code. Nothing a user can cause ends in a traceback."""
    from geo.escape import TerminalStream

    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(out), TerminalStream(err)  # outside text cannot drive the terminal
    previous = _exit_on_sigterm()
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    finally:
        sys.stdout, sys.stderr = out, err
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm():
    """A terminated command unwinds like an interrupted one (atomic writes remove their temporary files)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, stop)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.run(args)
    except SchemaError as exc:
        for problem in exc.problems:
            print(f"error: {exc.source}: {problem}", file=sys.stderr)
        print(f"error: {exc.source}: {len(exc.problems)} problem(s); nothing was written", file=sys.stderr)
        return 1
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("error: interrupted; nothing was written", file=sys.stderr)
        return 130
    except OSError as exc:  # a file the user named: missing, a folder, no permission, disk full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except MemoryError:
        print(f"error: {args.command}: out of memory; filter the input or split the file", file=sys.stderr)
        return 1
    except Exception as exc:  # a defect of ours: one line here, the traceback in a log file
        if os.environ.get("CEM_DEBUG"):
            raise
        print(f"error: {args.command}: internal error ({type(exc).__name__}: {str(exc)[:200]}); "
              f"details in {_log_traceback(args.command)}; please report it", file=sys.stderr)
        return 1


def _log_traceback(command: str) -> Path:
    import tempfile
    import traceback

    from geo.paths import cache_dir

    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    log = folder / "errors.log"
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"--- python -m geo {command}\n{traceback.format_exc()}\n")
    return log

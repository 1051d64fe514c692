"""``python -m geo``: validate, export and count events from the command line.

Exit codes: 0 success; 1 a user error (one clear line per problem on stderr); 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import orjson

from geo import export, query, stats, store
from geo.errors import GeoError, SchemaError
from geo.schema import ATTRIBUTIONS, OUTCOMES, WEAPON_TYPES


def _add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", type=Path, default=store.DEFAULT_EVENTS,
                        help="events file (.geojson, .gpkg, .csv, .parquet); default: the bundled seed data")


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
    checked = store.check_file(args.path)
    if checked.problems:
        raise SchemaError(str(args.path), checked.problems)
    print(f"{args.path}: {len(checked.events):,} events, all valid")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    fmt = "geojson" if str(args.output) == "-" else export.format_for(args.output)
    spec = spec_from_args(args)
    events = query.apply(store.read_events(args.input), spec)
    caption = args.caption or query.describe(spec, len(events))
    meta = {"filter": query.to_params(spec)}
    if str(args.output) == "-":
        sys.stdout.buffer.write(export.geojson_bytes(events, caption=caption, meta=meta))
        sys.stdout.buffer.flush()
        return 0
    export.write(events, args.output, fmt=fmt, caption=caption, meta=meta)
    print(f"{args.output}: {caption}", file=sys.stderr)
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    spec = spec_from_args(args)
    events = query.apply(store.read_events(args.input), spec)
    summary = stats.summarize(events, top=args.top)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    print(query.describe(spec, len(events)))
    print(f"fatalities (lowest reported): {summary['total']['fatalities']:,}")
    for section in ("weapon", "actor", "country", "month"):
        print(f"\nby {section}:")
        width = max((len(k) for k in summary[section]), default=0)
        for key, value in summary[section].items():
            print(f"  {key:<{width}}  {value:>7,}")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code."""
    args = build_parser().parse_args(argv)
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

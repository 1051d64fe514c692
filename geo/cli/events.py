"""The commands on a collection of events: validate, export, stats, snapshot and animate.

Each imports what it needs (pandas, GDAL, matplotlib) when it runs; stats and export answer from the trusted cache
through DuckDB, so a repeated command starts in a blink.
"""

from __future__ import annotations

import argparse
import sys

from geo import query
from geo.cli.common import read_events, spec_from_args
from geo.errors import GeoError


def run_validate(args: argparse.Namespace) -> int:
    from geo.store import cache

    found = cache.ensure(args.path)  # a file already validated as it is now needs no second pass
    print(f"{args.path}: {found.rows:,} events, all valid")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from geo import export_slices, formats
    from geo.store import cache, engine

    to_stdout = str(args.output) == "-"
    fmt = "geojson" if to_stdout else formats.format_for(args.output)
    spec = spec_from_args(args)
    if isinstance(args.input, str):  # a team store filters in its own engine
        from geo import export

        events = read_events(args.input, spec)
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


def run_stats(args: argparse.Namespace) -> int:
    from geo.store import cache, engine

    spec = spec_from_args(args)
    if isinstance(args.input, str):
        from geo import stats

        summary = stats.summarize(read_events(args.input, spec), top=args.top)
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


def run_snapshot(args: argparse.Namespace) -> int:
    from geo import report
    from geo.staticmap import snapshot  # matplotlib loads only for this command

    spec = spec_from_args(args)
    fmt = report.format_of(args.output)  # before any work: a bad extension fails fast
    options = snapshot.SnapshotOptions(title=args.title, size=args.size, dpi=args.dpi, bbox=spec.bbox,
                                       region=args.region, halos=args.halos, labels=not args.no_labels,
                                       locator=not args.no_locator, caption=args.caption, style=args.style)
    events = read_events(args.input, spec)
    report.write_report(events, spec, args.output, options=options)
    print(f"{args.output}: {fmt}, {options.caption or query.describe(spec, len(events))}", file=sys.stderr)
    return 0


def run_animate(args: argparse.Namespace) -> int:
    from geo.staticmap import animate, snapshot  # matplotlib and PyAV load only for this command

    spec = spec_from_args(args)
    fmt = args.output.suffix.lower().lstrip(".")
    if fmt not in animate.FORMATS:
        raise GeoError(f"{args.output}: cannot tell the output format; use .gif or .mp4")
    options = snapshot.SnapshotOptions(title=args.title, size=args.size, dpi=args.dpi, bbox=spec.bbox,
                                       region=args.region, caption=args.caption, style=args.style,
                                       locator=not args.no_locator)
    playback = animate.Playback(step=args.step, mode=args.mode, fps=args.fps, start=spec.since, end=spec.until)
    events = read_events(args.input, spec)

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

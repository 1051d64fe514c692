"""The commands that bring events in: ingest (with --undo and the GDELT gate) and imports (a store's log)."""

from __future__ import annotations

import argparse
import sys

from geo.cli.common import plain, say
from geo.errors import GeoError


def run_ingest(args: argparse.Namespace) -> int:
    from geo import ingest  # the readers load only for this command
    from geo.store.open import open_store

    if args.undo is not None:
        target = open_store(args.into, write=True)
        which = "last import" if args.undo == "last" else f"import {args.undo}"
        total = target.undo(None if args.undo == "last" else int(args.undo), on_wait=say)
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
    gate = gdelt_gate(args)
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
        merged = target.merge(result, file=args.file.name, on_wait=say)
        print(f"{target.location}: import {merged.import_id}: {merged.summary()}", file=sys.stderr)
    print(f"{args.file}: {result.fmt}: {result.summary()}")
    return 0


def run_imports(args: argparse.Namespace) -> int:
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
        print(f"  {r.id:>5}  {r.at:%Y-%m-%d %H:%M}  {plain(r.who)}  {plain(r.file or '-')}  "
              f"{plain(r.datasets or '-')}  +{r.added:,} "
              f"~{r.updated:,} -{r.deleted:,} linked {r.linked:,}  ({r.total:,} in all){state}")
    return 0


def gdelt_gate(args: argparse.Namespace):  # noqa: ANN202 - geo.ingest.gdelt.Gate, loaded only for ingest
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

"""The commands on text: geocode (place descriptions) and extract (news reports)."""

from __future__ import annotations

import argparse
import sys

from geo.errors import GeoError


def run_geocode(args: argparse.Namespace) -> int:
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


def run_extract(args: argparse.Namespace) -> int:
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

"""What the commands share: the input (a file or a store URL), the filter flags as a FilterSpec, safe output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo import query


def location(text: str) -> Path | str:
    """An events file, or a ``postgresql://`` URL naming a team store."""
    from geo.store.open import is_url

    return text if is_url(text) else Path(text)


def read_events(location: Path | str, spec: query.FilterSpec):
    """The events of a file or a store that ``spec`` keeps (a store filters in its own engine)."""
    if isinstance(location, str):
        from geo.store.open import open_store

        return open_store(location).read(spec)
    from geo.store import cache, engine

    return engine.events(cache.ensure(location).path, spec)  # only the kept events come into memory


def plain(text: str) -> str:
    """Text from outside (file names, user names) with control characters shown as escapes, not sent to the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def say(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


def spec_from_args(args: argparse.Namespace) -> query.FilterSpec:
    """The FilterSpec of the filter flags, through the same parser as URL parameters."""
    params = {key: getattr(args, attr) for key, attr in (
        ("since", "since"), ("until", "until"), ("weapon", "weapon"), ("actor", "actor"),
        ("country", "country"), ("attribution", "attribution"), ("outcome", "outcome"), ("text", "text"),
        ("min_fatalities", "min_fatalities"), ("max_precision_km", "max_precision_km"), ("bbox", "bbox"),
    ) if getattr(args, attr) is not None}
    return query.from_params(params)

"""``python -m geo``: validate, export and count events from the command line.

Exit codes: 0 success; 1 a user error (one clear line per problem on stderr); 2 a usage error.

The commands live by what they work on (events.py, imports.py, text.py); parser.py declares them. Only what
parsing needs is imported at start: each command imports its own libraries when it runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from geo.cli.common import spec_from_args
from geo.cli.parser import build_parser
from geo.errors import GeoError, SchemaError

__all__ = ["build_parser", "main", "spec_from_args"]


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

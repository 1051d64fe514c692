"""`make fuzz`: run the property tests (@pytest.mark.fuzz) again and again with fresh seeds for FUZZ_MINUTES.

Each pass is one pytest run of the long profile (CEM_FUZZ=1, CEM_FUZZ_EXAMPLES examples per test) with its own
seed; passes go on until the time is up. Hypothesis keeps every failing example in .hypothesis/ and replays it
first in later runs. At the end: passes, examples run, and each failure with its seed and falsifying example.
Usage: python -m tests.fuzz_session [--minutes N] [--examples N]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_pass(seed: int, examples: int, cache: Path, log: Path, timeout: float) -> tuple[int, list[str], str]:
    env = {**os.environ, "CEM_FUZZ": "1", "CEM_FUZZ_EXAMPLES": str(examples), "CEM_FUZZ_CACHE": str(cache)}
    cmd = [sys.executable, "-m", "pytest", "-m", "fuzz", "-q", "-p", "no:cacheprovider", "-p", "no:warnings",
           "--hypothesis-show-statistics", f"--hypothesis-seed={seed}", "tests"]
    try:
        out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    log.write_text(out)
    examples_run = sum(int(n) for n in re.findall(r"(\d+) passing", out))
    examples_run += sum(int(n) for n in re.findall(r"(\d+) failing", out))
    failed = re.findall(r"^FAILED (\S+)", out, flags=re.M)
    return examples_run, failed, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("FUZZ_MINUTES", "10")))
    parser.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", "300")))
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.minutes * 60
    total, passes, failures = 0, 0, {}
    work = Path(tempfile.mkdtemp(prefix="cem-fuzz-"))
    seed = int(os.environ.get("FUZZ_SEED", str(int(time.time()))))
    while time.monotonic() < deadline or passes == 0:
        log = work / f"pass-{passes + 1}-seed-{seed}.log"
        # a pass that has begun may finish (the first one also builds the gazetteer); a stuck one is stopped
        examples, failed, out = one_pass(seed, args.examples, work / "cache", log,
                                         max(deadline - time.monotonic(), 0) + 1800)
        total += examples
        passes += 1
        for test in failed:
            failures.setdefault(test, (seed, log))
        print(f"pass {passes} (seed {seed}): {examples:,} examples, {len(failed)} failing test(s)", flush=True)
        seed += 1
    print(f"\nfuzz: {passes} pass(es), {total:,} examples in {args.minutes:g} min; logs in {work}")
    for test, (seed, log) in sorted(failures.items()):
        print(f"CRASH {test}: seed {seed}; falsifying example in {log} "
              f"(replay: CEM_FUZZ=1 pytest '{test}' --hypothesis-seed={seed})")
    print(f"{len(failures)} failing test(s)" if failures else "no crash found")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

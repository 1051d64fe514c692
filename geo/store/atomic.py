"""Atomic file writes: write beside the target, then rename, so a reader never sees half a file.

A temporary file is named ``.<stem>.<random>.tmp<suffix>`` in the target's folder. A writer that fails removes
it (and the side files GDAL makes beside it); a writer killed outright (``kill -9``, a power cut) cannot, so the
next write of the same target removes the temporary files of that target older than ``STALE_SECONDS``.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

#: A temporary file untouched this long belongs to a writer that died: a live writer keeps writing to it.
STALE_SECONDS = 3600
#: Files SQLite/GDAL write beside a GeoPackage while it is open.
_SIDE_FILES = ("-journal", "-wal", "-shm")


def _temp_pattern(target: Path) -> re.Pattern[str]:
    # mkstemp's random part: 8 characters of [a-z0-9_]; exactly this target's stem and suffix
    return re.compile(rf"^\.{re.escape(target.stem)}\.[a-z0-9_]{{8}}\.tmp{re.escape(target.suffix)}"
                      rf"(?:{'|'.join(_SIDE_FILES)})?$")


def remove_stale(path: str | os.PathLike[str], *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the temporary files that killed writers left beside ``path``; return what was removed."""
    target = Path(path)
    pattern = _temp_pattern(target)
    cutoff = time.time() - older_than
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.match(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already (another writer cleaned it), or not ours to remove
    return removed


def _remove(tmp: Path) -> None:
    for name in (tmp, *(tmp.with_name(tmp.name + side) for side in _SIDE_FILES)):
        name.unlink(missing_ok=True)


def write_with(path: str | os.PathLike[str], writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp)`` on a temporary path in the target's folder, then rename it to ``path``.

    The temporary name keeps the target's suffix because GDAL picks its driver from it. When ``writer``
    fails, the temporary file is removed and the target is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # GDAL refuses to create over an existing (empty) file
    try:
        writer(tmp)
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    return target


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return write_with(path, lambda tmp: tmp.write_bytes(data))

"""A PostgreSQL server of one's own on this machine: a throwaway one for the tests, a persistent one for `make db`.

Uses Debian's server binaries (``/usr/lib/postgresql/<version>/bin``). PostgreSQL refuses to run as root, so as
root the cluster belongs to the ``postgres`` user and every server command runs through ``runuser``. The server
listens on 127.0.0.1 only, on the port given (or a free one), with its socket inside its own folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from geo.errors import StoreError

SYSTEM_USER = "postgres"


def server_bin() -> Path:
    """The folder of ``pg_ctl`` and ``initdb`` (the newest installed version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    raise StoreError("PostgreSQL's server is not installed: `make test` and `make db` install it "
                     "(apt-get install postgresql postgresql-postgis)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Cluster:
    """A running server: its folder, port and superuser."""

    folder: Path
    port: int
    user: str = SYSTEM_USER

    def url(self, dbname: str = "postgres", user: str | None = None, password: str | None = None) -> str:
        auth = f"{user or self.user}{':' + password if password else ''}@"
        return f"postgresql://{auth}127.0.0.1:{self.port}/{dbname}"

    @property
    def data(self) -> Path:
        return self.folder / "data"


def _as_owner(args: list[str], **kw) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", SYSTEM_USER, "--", *args]
    return subprocess.run(args, capture_output=True, text=True, **kw)


def _run(args: list[str], what: str) -> None:
    done = _as_owner(args, timeout=120)
    if done.returncode:
        raise StoreError(f"{what} failed: {(done.stderr or done.stdout).strip()[-800:]}")


def start(folder: str | os.PathLike[str], *, port: int | None = None, password_file: Path | None = None,
          throwaway: bool = False, fsync: bool | None = None, settings: dict[str, str] | None = None) -> Cluster:
    """Start (creating it first if needed) the cluster in ``folder``; returns it once it accepts connections.

    A new cluster with ``password_file`` gives the superuser that password and TCP connections need passwords
    (scram); the socket stays in ``folder`` (mode 0700). A ``throwaway`` cluster (tests) trusts every local
    connection and skips fsync (unless ``fsync``). ``settings`` are extra server settings (name -> value).
    """
    folder = Path(folder).resolve()
    binary = server_bin()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    if os.geteuid() == 0:
        shutil.chown(folder, SYSTEM_USER, SYSTEM_USER)
        if password_file:
            shutil.chown(password_file, SYSTEM_USER, SYSTEM_USER)
        if _as_owner(["test", "-w", str(folder)]).returncode:
            raise StoreError(f"the {SYSTEM_USER} user cannot reach {folder} (a parent folder is private, such as "
                             "/root): choose a folder it can reach, such as /var/lib/conflict-event-map/postgres")
    cluster = Cluster(folder, port or free_port())
    if not (cluster.data / "PG_VERSION").is_file():
        if not throwaway and password_file is None:
            raise StoreError(f"{folder}: a new server needs a superuser password file")
        auth = ["-A", "trust"] if throwaway else ["--auth-local=trust", "--auth-host=scram-sha-256",
                                                  f"--pwfile={password_file}"]
        _run([str(binary / "initdb"), "-D", str(cluster.data), "-U", SYSTEM_USER, "--encoding=UTF8",
              "--locale=C.UTF-8", *auth], "initdb")
    options = f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {folder}" + (" -c fsync=off" if not (fsync if fsync is not None else not throwaway) else "") \
        + "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
    _run([str(binary / "pg_ctl"), "-D", str(cluster.data), "-l", str(folder / "server.log"), "-o", options,
          "-w", "-t", "60", "start"], f"starting PostgreSQL (log: {folder / 'server.log'})")
    return cluster


def stop(cluster: Cluster) -> None:
    """Stop the server (fast shutdown: open sessions are rolled back)."""
    _as_owner([str(server_bin() / "pg_ctl"), "-D", str(cluster.data), "-m", "fast", "-w", "stop"], timeout=120)


def status(folder: str | os.PathLike[str]) -> bool:
    """True when a server of ``folder`` is running."""
    data = Path(folder).resolve() / "data"
    return data.is_dir() and _as_owner([str(server_bin() / "pg_ctl"), "-D", str(data), "status"]).returncode == 0

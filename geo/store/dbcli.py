"""``python -m geo db``: create and migrate a team store, add its users, run a local server (`make db`)."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from geo.errors import StoreError

DB_NAME = "cem"
APP_USERS = {"reader": "cem_app_reader", "writer": "cem_app_writer"}


def add_parser(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    """The ``db`` command and its subcommands."""
    p = sub.add_parser("db", help="team store on PostgreSQL: migrate, add users, start a local server",
                       formatter_class=fmt, description="Manage a PostgreSQL + PostGIS team store.",
                       epilog="Examples:\n  python -m geo db migrate postgresql://owner@db.example:5432/cem\n"
                              "  CEM_DB_PASSWORD=... python -m geo db user postgresql://owner@db:5432/cem alice "
                              "--role writer\n  python -m geo db start ~/cem-db --port 5433   (what `make db` runs)")
    verbs = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    m = verbs.add_parser("migrate", help="create or upgrade the schema (as the database owner)")
    m.add_argument("url", help="postgresql:// URL of the database, as its owner")
    m.set_defaults(run=_migrate)
    u = verbs.add_parser("user", help="create a login role that may read, or read and write")
    u.add_argument("url", help="postgresql:// URL, as a role that may create roles")
    u.add_argument("name", help="the login role to create or update")
    u.add_argument("--role", choices=["reader", "writer"], required=True)
    u.add_argument("--password-env", default="CEM_DB_PASSWORD", metavar="VAR",
                   help="environment variable holding the password (never on the command line; default "
                        "CEM_DB_PASSWORD; unset: no password)")
    u.set_defaults(run=_user)
    s = verbs.add_parser("start", help="start a persistent local server (created on first use)")
    s.add_argument("folder", type=Path, help="folder of its data and credentials")
    s.add_argument("--port", type=int, default=5433, help="port on 127.0.0.1 (default 5433)")
    s.set_defaults(run=_start)
    t = verbs.add_parser("stop", help="stop the local server")
    t.add_argument("folder", type=Path)
    t.set_defaults(run=_stop)


def _migrate(args: argparse.Namespace) -> int:
    from geo.store import pgschema
    from geo.store.postgis import safe_url

    applied = pgschema.migrate(args.url)
    print(f"{safe_url(args.url)}: schema version {pgschema.LATEST}"
          f"{' (applied ' + ', '.join(applied) + ')' if applied else ', already up to date'}", file=sys.stderr)
    return 0


def _user(args: argparse.Namespace) -> int:
    from geo.store import pgschema

    pgschema.add_user(args.url, args.name, role=args.role, password=os.environ.get(args.password_env) or None)
    print(f"{args.name}: may {'read' if args.role == 'reader' else 'read and write'} the team store", file=sys.stderr)
    return 0


def _start(args: argparse.Namespace) -> int:
    from geo.store import localdb, pgschema

    folder = args.folder.expanduser().resolve()
    creds = folder / "credentials.env"
    if localdb.status(folder):
        print(f"{folder}: the server is already running; credentials in {creds}", file=sys.stderr)
        return 0
    first = not (folder / "data" / "PG_VERSION").is_file()
    folder.mkdir(parents=True, exist_ok=True)
    pwfile = folder / "superuser.pw"
    import secrets  # (lazily: 8 ms of every command's start otherwise)

    owner_pw = secrets.token_urlsafe(18)
    if first:
        pwfile.write_text(owner_pw + "\n")
        pwfile.chmod(stat.S_IRUSR | stat.S_IWUSR)
    try:
        cluster = localdb.start(folder, port=args.port, password_file=pwfile if first else None)
    finally:
        pwfile.unlink(missing_ok=True)
    if first:
        import psycopg

        owner = cluster.url(DB_NAME, password=owner_pw)
        with psycopg.connect(cluster.url(password=owner_pw), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {DB_NAME}")
        pgschema.migrate(owner)
        lines = [f"CEM_STORE_OWNER={owner}"]
        for role, name in APP_USERS.items():
            password = secrets.token_urlsafe(18)
            pgschema.add_user(owner, name, role=role, password=password)
            var = "CEM_STORE" if role == "reader" else "CEM_STORE_WRITER"
            lines.append(f"{var}={cluster.url(DB_NAME, user=name, password=password)}")
        creds.write_text("\n".join(lines) + "\n")
        creds.chmod(stat.S_IRUSR | stat.S_IWUSR)
    elif not creds.is_file():
        raise StoreError(f"{folder}: the server runs but {creds} is missing; recreate it with `python -m geo db user`")
    print(f"PostgreSQL + PostGIS team store on 127.0.0.1:{cluster.port} (data in {folder / 'data'}).\n"
          f"Point the dashboard and the CLI at it:  set -a; . {creds}; set +a   then `make run`.\n"
          f"Stop it with `make db-stop`.", file=sys.stderr)
    return 0


def _stop(args: argparse.Namespace) -> int:
    from geo.store import localdb

    folder = args.folder.expanduser().resolve()
    if not localdb.status(folder):
        print(f"{folder}: no server is running", file=sys.stderr)
        return 0
    localdb.stop(localdb.Cluster(folder, 0))
    print(f"{folder}: stopped", file=sys.stderr)
    return 0

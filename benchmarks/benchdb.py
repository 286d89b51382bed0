"""The throw-away PostgreSQL database of a benchmark (imported by the scripts beside it)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def bench_database(url: str, name: str, *, reuse: bool = False) -> tuple[str, bool]:
    """(URL of the database `name` on the server of `url`, whether an existing one was kept). The database is
    dropped and created again unless `reuse` and it exists."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if not (reuse and exists):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
            exists = False
    return urlunsplit(parts._replace(path=f"/{name}")), exists

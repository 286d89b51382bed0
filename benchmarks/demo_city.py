"""Benchmark: generate the synthetic city into a throw-away database and print the figures.

    .venv/bin/python benchmarks/demo_city.py --enterprises 2400000 --database sqlite
    .venv/bin/python benchmarks/demo_city.py --enterprises 2400000 --database postgres

sqlite:   a new file under a temporary directory (deleted afterwards unless --keep).
postgres: the database `shuangchuang_bench` on postgres://postgres@127.0.0.1:5432 (trust auth), dropped
          and re-created; --postgres-url to use another server (the database name is always replaced).

Timed: generate_city alone (the migration before it is reported separately). Peak memory is ru_maxrss of
this process and, separately, of its child processes (the generator forks one for large cities).
Targets (issue): 2,400,000 enterprises in under 300 s, peak memory under 2 GB, on both databases.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchdb import bench_database  # benchmarks/benchdb.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "shuangchuang_bench"


def backend_cpu_reader(connection):
    """A function giving the CPU seconds used so far by the PostgreSQL backend of `connection`, when it
    runs on this machine (read from /proc); for SQLite the work is inside this process already."""
    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = Path(f"/proc/{pid}/stat")

    def read():
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=2_400_000)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="Keep the SQLite file (its path is printed).")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="shuangchuang-bench-"))
    os.environ["SHUANGCHUANG_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("SHUANGCHUANG_ENV", "development")
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuangchuang.settings"
    if args.database == "postgres":
        os.environ["DATABASE_URL"] = bench_database(args.postgres_url, BENCH_DB)[0]
        where = os.environ["DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
        where = str(var_dir / "shuangchuang.sqlite3")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shuangchuang.registry.demo_city import generate_city
    from shuangchuang.registry.models import Enterprise, NaturalPerson

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_seconds = time.perf_counter() - started

        backend_cpu = backend_cpu_reader(connection)
        backend_before = backend_cpu()
        stats = generate_city(enterprises=args.enterprises, seed=args.seed, stdout=sys.stdout)
        backend_seconds = None if backend_before is None else backend_cpu() - backend_before
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)

        counted_enterprises = Enterprise.objects.count()
        counted_persons = NaturalPerson.objects.count()
        self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
        children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        database = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"
        size = ""
        if args.database == "sqlite":
            connection.close()
            files = [p for p in var_dir.glob("shuangchuang.sqlite3*")]
            size = f"{sum(p.stat().st_size for p in files) / 2**20:,.0f} MB on disk"
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                size = f"{cursor.fetchone()[0]} on disk"
        print()
        print(f"enterprises:      {stats.enterprises:,} (counted: {counted_enterprises:,})")
        print(f"persons:          {stats.persons:,} (counted: {counted_persons:,})")
        print(f"total seconds:    {stats.seconds:.1f}  (target < 300; migrate before it: {migrate_seconds:.1f} s)")
        print(f"rows/s:           {stats.rows_per_second:,.0f}  (enterprises + persons)")
        print(f"peak memory:      {max(self_mb, children_mb):,.0f} MB  (this process {self_mb:,.0f} MB, "
              f"generator child {children_mb:,.0f} MB; target < 2048)")
        cpu = f"this process {me.ru_utime + me.ru_stime:.1f} s, generator child {children.ru_utime + children.ru_stime:.1f} s"
        if backend_seconds is not None:
            cpu += f", PostgreSQL backend {backend_seconds:.1f} s (without parallel index-build workers)"
        print(f"cpu time:         {cpu}")
        print(f"database:         {database}, {size}  [{where}]")
        print(f"machine:          {platform.python_implementation()} {platform.python_version()}, "
              f"{os.cpu_count()} CPUs, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.database == "sqlite" and not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)
        elif args.database == "postgres":
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

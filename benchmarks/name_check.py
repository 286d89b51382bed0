"""Benchmark of the enterprise-name check (names module) at city scale, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/name_check.py                       # 3.5 M names, both databases
    .venv/bin/python benchmarks/name_check.py --names 200000        # a quick run
    .venv/bin/python benchmarks/name_check.py --database sqlite     # one database only
    .venv/bin/python benchmarks/name_check.py --reuse ...           # keep the databases of an earlier run

The names: the synthetic city's generator (registry.demo_city, seed 2016) makes firms until the name index holds
`--names` rows — every name that counts for the conflict rules (registered firms with a name of their own, and
firms deregistered or revoked less than a year before the generator's reference date); the rows are computed by
the same function as `shuangchuang names_index` (names.index.enterprise_row) and cached under $TMPDIR, so both
databases get the same names. Databases: PostgreSQL `sc_bench_names` on postgres://postgres@127.0.0.1:5432
(re-created unless --reuse) and a SQLite file under $TMPDIR.

It prints, per database:
- the load (rows, seconds);
- single-check latency of the whole service (names.services.name_check: parse, structure, forbidden lists, five
  index look-ups, classification), warm, p50 / p95 / p99 over `--queries` checks — target p99 < 20 ms;
- recall: share of variant queries (the name itself, region moved into brackets, another district, 有限责任公司,
  homophone trade name, trade name with a character added) whose source name is reported as the conflict;
- throughput with `--workers` processes (checks per second);
- the naive way for the same checks: rapidfuzz `process.extract` (fuzz.ratio, cut-off 80) over every name held in
  memory — per-check latency on `--scan-queries` of them, its recall, and the ratio naive / indexed (p50).
"""

from __future__ import annotations

import argparse
import datetime
import marshal
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchdb import bench_database  # benchmarks/benchdb.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "sc_bench_names"
TMP = Path(os.environ.get("TMPDIR", tempfile.gettempdir()))
HOMOPHONES = {"城": "程", "华": "桦", "信": "鑫", "达": "大", "明": "铭", "德": "得", "泰": "太", "元": "源",
              "天": "添", "海": "嗨", "新": "欣", "宏": "鸿", "通": "同", "盛": "胜", "星": "兴", "云": "芸",
              "博": "搏", "瑞": "锐", "嘉": "佳", "恒": "衡", "安": "按", "宇": "羽", "辰": "晨", "智": "志",
              "金": "今", "科": "可", "创": "闯", "润": "闰", "丰": "峰", "凯": "恺"}


def say(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# ---- the names --------------------------------------------------------------------------------------------

def cache_file(names: int, seed: int) -> Path:
    return TMP / f"sc_bench_names_{names}_{seed}.marshal"


def make_rows(names: int, seed: int) -> Path:
    """Generate the index rows (without computed_at; `until` as ISO text) into the cache file, in chunks."""
    from shuangchuang.names.index import enterprise_row
    from shuangchuang.registry.demo_city.city import _City
    from shuangchuang.registry.demo_city.data import REFERENCE_DATE

    path = cache_file(names, seed)
    if path.exists():
        return path
    started = time.perf_counter()
    now = datetime.datetime(2026, 11, 28, tzinfo=datetime.timezone.utc)
    city = _City(enterprises=int(names * 2.5), seed=seed, first_enterprise_id=1, first_person_id=1,
                 updated_at="2026-11-27 16:00:00")
    made = firms = 0
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        for _persons, batch in city.batches():
            chunk = []
            for f in batch:
                firms += 1
                row = enterprise_row(f[0], f[3], f[5], f[6], f[9], f[12], f[13], now, REFERENCE_DATE)
                if row is None:
                    continue
                row = list(row[:-1])
                row[11] = row[11].isoformat() if row[11] else None
                chunk.append(tuple(row))
                if made + len(chunk) >= names:
                    break
            made += len(chunk)
            marshal.dump(chunk, out)
            if made >= names:
                break
    partial.rename(path)
    say(f"names: {made:,} index rows from {firms:,} generated firms in {time.perf_counter() - started:.1f} s "
        f"(generator + name parsing; cached in {path})")
    return path


def read_chunks(path: Path):
    with path.open("rb") as f:
        while True:
            try:
                yield marshal.load(f)
            except EOFError:
                return


def load_rows(path: Path) -> int:
    from django.db import connection, transaction

    from shuangchuang.names.index import COLUMNS, insert_rows

    started = time.perf_counter()
    now = datetime.datetime(2026, 11, 28, tzinfo=datetime.timezone.utc)
    total = 0
    with transaction.atomic():
        for chunk in read_chunks(path):
            rows = [(*row[:11], datetime.date.fromisoformat(row[11]) if row[11] else None, now) for row in chunk]
            if connection.vendor == "sqlite":  # executemany: bulk_create's objects cost more than the insert
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO names_nameindexentry ({', '.join(COLUMNS)}) VALUES "
                        f"({', '.join(['%s'] * len(COLUMNS))})", rows)
            else:
                insert_rows(rows)
            total += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE names_nameindexentry" if connection.vendor == "postgresql" else "ANALYZE")
    say(f"load: {total:,} rows in {time.perf_counter() - started:.1f} s")
    return total


# ---- queries ---------------------------------------------------------------------------------------------

def build_queries(n: int, seed: int) -> list[tuple[str, str, str | None]]:
    """(kind, proposed name, expected conflicting name or None)."""
    from shuangchuang.credit.normalise import parse_name
    from shuangchuang.names.models import NameIndexEntry

    rng = random.Random(seed)
    top = NameIndexEntry.objects.order_by("-id").values_list("id", flat=True).first()
    ids = rng.sample(range(1, top + 1), min(top, n * 3))
    sources = [name for name in NameIndexEntry.objects.filter(id__in=ids, form="有限公司", source="e").values_list(
        "name", flat=True) if name.startswith("深圳市") and name.endswith("有限公司") and "（" not in name]
    rng.shuffle(sources)
    queries = []
    kinds = ("identical", "reordered", "district", "form_family", "homophone", "contains", "fresh")
    for i, name in enumerate(sources):
        if len(queries) >= n:
            break
        kind = kinds[i % len(kinds)]
        parsed = parse_name(name)
        trade, industry = parsed.trade, parsed.industry
        if kind == "identical":
            queries.append((kind, name, name))
        elif kind == "reordered":
            queries.append((kind, f"{trade}（深圳）{industry}有限公司", name))
        elif kind == "district":
            queries.append((kind, f"深圳市南山区{trade}{industry}有限公司", name))
        elif kind == "form_family":
            queries.append((kind, f"深圳市{trade}{industry}有限责任公司", name))
        elif kind == "homophone":
            positions = [k for k, c in enumerate(trade) if c in HOMOPHONES]
            if not positions:
                continue
            k = positions[0]
            queries.append((kind, f"深圳市{trade[:k]}{HOMOPHONES[trade[k]]}{trade[k + 1:]}{industry}有限公司", name))
        elif kind == "contains":
            queries.append((kind, f"深圳市{trade}{rng.choice('森茂源鼎')}{industry}有限公司", name))
        else:
            fresh = "".join(rng.choice("翊琨珩玥瑧璟昶晟旻曜") for _ in range(3))
            queries.append((kind, f"深圳市{fresh}{industry or '科技'}有限公司", None))
    return queries


def run_check(name: str, authority):
    from shuangchuang.names.services import name_check

    legal_form = "jsc" if name.endswith("股份有限公司") else "llc"
    return name_check(name=name, legal_form=legal_form, registration_authority=authority)


def measure(queries, authority) -> dict:
    for _kind, name, _expected in queries[:200]:  # warm the caches (parsing tables, statements)
        run_check(name, authority)
    times, found, by_kind, verdicts = [], 0, {}, {}
    expected_total = 0
    for kind, name, expected in queries:
        started = time.perf_counter()
        result = run_check(name, authority)
        times.append((time.perf_counter() - started) * 1000)
        verdicts[(kind, result.verdict)] = verdicts.get((kind, result.verdict), 0) + 1
        if expected is not None:
            expected_total += 1
            hit = any(issue.conflict == expected for issue in result.issues)
            found += hit
            ok, n = by_kind.get(kind, (0, 0))
            by_kind[kind] = (ok + hit, n + 1)
    return {"times": times, "recall": found / max(1, expected_total), "by_kind": by_kind, "verdicts": verdicts}


def explain(name: str, authority) -> list[str]:
    """The access path of each look-up of one check (an index, never a scan of the table)."""
    from django.db import connection
    from django.utils import timezone

    from shuangchuang.names import conflicts, rules
    from shuangchuang.names.checker import parse_proposed

    result = parse_proposed(name)[1]
    out = []
    for sql, params in conflicts.lookups(authority_id=authority.pk, trade=result.trade, on=timezone.localdate(),
                                         wording=result.industry, divisions=rules.divisions_of(result.industry)):
        prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
        first = next((line.strip(" ->") for line in plan if "Index" in line or "Scan" in line or "SEARCH" in line
                      or "SCAN" in line), plan[0] if plan else "")
        out.append(first.split(" (cost")[0])
    return out


def _worker(args) -> int:
    queries, seconds, authority_id = args
    from django.db import connections

    connections.close_all()
    from shuangchuang.core.models import Organisation

    authority = Organisation.objects.get(pk=authority_id)
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for _kind, name, _expected in queries:
            run_check(name, authority)
            done += 1
            if time.perf_counter() >= deadline:
                break
    return done


def throughput(queries, authority, workers: int, seconds: float) -> float:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        started = time.perf_counter()
        counts = pool.map(_worker, [(queries[i::workers], seconds, authority.pk) for i in range(workers)])
        elapsed = time.perf_counter() - started
    return sum(counts) / elapsed


def naive(queries, scan_queries: int) -> dict:
    from rapidfuzz import fuzz, process

    from shuangchuang.names.models import NameIndexEntry

    started = time.perf_counter()
    names = list(NameIndexEntry.objects.values_list("name", flat=True).iterator(chunk_size=20000))
    load_seconds = time.perf_counter() - started
    picked = [q for q in queries if q[2] is not None][:scan_queries]
    times, found, by_kind = [], 0, {}
    for kind, name, expected in picked:
        started = time.perf_counter()
        hits = process.extract(name, names, scorer=fuzz.ratio, limit=10, score_cutoff=80)
        times.append((time.perf_counter() - started) * 1000)
        hit = any(h[0] == expected for h in hits)
        found += hit
        ok, n = by_kind.get(kind, (0, 0))
        by_kind[kind] = (ok + hit, n + 1)
    return {"times": times, "recall": found / max(1, len(picked)), "n": len(picked), "names": len(names),
            "load_seconds": load_seconds, "by_kind": by_kind}


# ---- one database ----------------------------------------------------------------------------------------

def run_one(args) -> int:
    os.environ.setdefault("SHUANGCHUANG_ENV", "development")
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuangchuang.settings"
    if args.one == "postgres":
        os.environ["DATABASE_URL"] = bench_database(args.postgres_url, BENCH_DB, reuse=args.reuse)[0]
    else:
        path = TMP / f"{BENCH_DB}.sqlite3"
        if path.exists() and not args.reuse:
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from shuangchuang.core.models import Organisation
    from shuangchuang.names.models import NameIndexEntry

    say(f"--- {args.one}: {datetime.date.today()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    call_command("migrate", verbosity=0)
    rows = make_rows(args.names, args.seed)
    if not (args.reuse and NameIndexEntry.objects.count() >= args.names):
        NameIndexEntry.objects.all().delete()
        load_rows(rows)
    total = NameIndexEntry.objects.count()
    authority = Organisation.objects.get(code="SZ-MQSA")
    queries = build_queries(args.queries, args.seed)
    say(f"data: {total:,} names in the index; {len(queries):,} queries")
    result = measure(queries, authority)
    t = result["times"]
    p50 = statistics.median(t)
    say(f"{args.one}: one check, whole service, warm, n={len(t)}: p50 {p50:.2f} ms, p95 {percentile(t, 95):.2f} ms, "
        f"p99 {percentile(t, 99):.2f} ms, max {max(t):.1f} ms (target p99 < 20 ms: "
        f"{'met' if percentile(t, 99) < 20 else 'NOT met'}; load average {os.getloadavg()[0]:.1f})")
    say(f"{args.one}: indexed recall of the source name as the conflict: {result['recall']:.4f} — "
        + ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in sorted(result["by_kind"].items())))
    say(f"{args.one}: verdicts by query kind: " + ", ".join(
        f"{kind}/{verdict} {n}" for (kind, verdict), n in sorted(result["verdicts"].items())))
    plans = explain(queries[0][1], authority)
    say(f"{args.one}: plans of the five look-ups: " + "; ".join(plans))
    if args.workers:
        rate = throughput(queries, authority, args.workers, args.seconds)
        say(f"{args.one}: throughput with {args.workers} worker processes: {rate:,.0f} checks/s")
    if args.scan_queries:
        from django.db import connections

        connections.close_all()
        scan = naive(queries, args.scan_queries)
        s = scan["times"]
        s50 = statistics.median(s)
        say(f"{args.one}: naive rapidfuzz scan over {scan['names']:,} names in memory (loaded in "
            f"{scan['load_seconds']:.1f} s), n={scan['n']}: p50 {s50:.1f} ms, p99 {percentile(s, 99):.1f} ms; "
            f"recall {scan['recall']:.4f} ("
            + ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in sorted(scan["by_kind"].items()))
            + f"); ratio naive/indexed (p50): {s50 / p50:,.0f}x")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=3_500_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--scan-queries", type=int, default=20, help="Checks timed with the naive scan (0: none).")
    parser.add_argument("--workers", type=int, default=2, help="Processes of the throughput run (0: none).")
    parser.add_argument("--seconds", type=float, default=10.0, help="Length of the throughput run.")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--reuse", action="store_true", help="Keep the databases and rows of an earlier run.")
    parser.add_argument("--one", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return run_one(args)
    status = 0
    for database in (["sqlite", "postgres"] if args.database == "both" else [args.database]):
        command = [sys.executable, __file__, "--one", database, *sys.argv[1:]]
        status |= subprocess.call(command)
    return status


if __name__ == "__main__":
    sys.exit(main())

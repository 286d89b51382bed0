"""Benchmark of credit screening on PostgreSQL: list entries against the synthetic city.

    .venv/bin/python benchmarks/credit_screening.py --enterprises 2400000 --entries 1000000
    .venv/bin/python benchmarks/credit_screening.py --enterprises 200000 --entries 100000   # a quick run
    .venv/bin/python benchmarks/credit_screening.py --reuse ...   # keep the database of an earlier run

Builds its own database `sc_bench_credit` on postgres://postgres@127.0.0.1:5432 (re-created unless --reuse),
generates the city with registry.demo_city.generate_city, and loads `--entries` entries into one list:
about 30 % are city enterprises written the ways published lists write them (the truth is kept per entry),
the rest are parties from elsewhere (other cities' firms and persons). Then it prints:

- recall of identity-preserving variants (USCC exact, name exact, region moved into brackets or dropped,
  traditional characters, 有限公司 / 有限责任公司 / 股份有限公司, full-width brackets and spaces, old records with
  only the organisation code), when the registered enterprise is screened by name, by USCC, and when the
  screener types a variant of the name: a hit counts when the entry is a `match` (score >= 0.9);
- recall of homophone entries as hits to review (score >= 0.6);
- precision of `match` hits over all queries, including enterprises that are on no list;
- single-screening latency of the whole service (screening_run: look-up, scoring, evidence row and audit event
  written), warm, p50 / p95 / p99;
- the full re-screen of every registered enterprise against the list (the background task's body).

Targets (issue 4): p99 < 10 ms warm; full re-screen < 10 min; recall >= 0.99 for identity-preserving variants.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchdb import bench_database  # benchmarks/benchdb.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "sc_bench_credit"
LIST_CODE = "bench-list"

IDENTITY_VARIANTS = (
    ("uscc_exact", 20), ("name_exact", 15), ("region_moved", 15), ("region_dropped", 10), ("traditional", 10),
    ("form_family", 10), ("width_spaces", 10), ("org_code", 5),
)
HOMOPHONE_SHARE = 0.05
OTHER_REGIONS = ("广州市", "东莞市", "佛山市", "北京市", "上海市", "杭州市", "", "深圳市")
TRADE_CHARS = "鼎丰瀚森景润坤元宏泰嘉祥凯瑞恒通远达华信盛启明德铭泽辰星汇海川岳峰云天宇航博睿智新锐"
TERMS = ("科技", "贸易", "实业", "电子", "建设工程", "物流", "投资", "文化传媒", "餐饮管理", "信息技术", "医疗器械")
FORMS = ("有限公司", "有限责任公司", "股份有限公司")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def say(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# ---- variants --------------------------------------------------------------------------------------------

def variant(name: str, kind: str, converter) -> str:
    from shuangchuang.credit.normalise import parse_name

    parsed = parse_name(name)
    form = parsed.raw_form or "有限公司"
    region = "深圳"
    if kind in ("uscc_exact", "name_exact", "org_code"):
        return name
    if kind == "region_moved":
        return f"{parsed.core}（{region}）{form}" if parsed.regions else f"深圳市{parsed.core}{form}"
    if kind == "region_dropped":
        return f"{parsed.core}{form}" if parsed.regions else f"深圳市{parsed.core}{form}"
    if kind == "traditional":
        return converter.convert(name)
    if kind == "form_family":
        others = {"有限公司": "有限责任公司", "有限责任公司": "股份有限公司", "股份有限公司": "有限公司"}
        other = others.get(form, "有限公司")
        return name[: len(name) - len(form)] + other if name.endswith(form) else name + other
    if kind == "width_spaces":
        half = name.replace("（", "(").replace("）", ")")
        return (half[:3] + " " + half[3:]).replace("有限", " 有限")
    raise ValueError(kind)


def homophone(name: str, groups: dict[str, str], rng: random.Random) -> str | None:
    from shuangchuang.credit.normalise import parse_name

    core = parse_name(name).core
    positions = [i for i, c in enumerate(core) if c in groups]
    if not positions:
        return None
    i = rng.choice(positions)
    others = [c for c in groups[core[i]] if c != core[i]]
    if not others:
        return None
    return name.replace(core, core[:i] + rng.choice(others) + core[i + 1:], 1)


def homophone_groups() -> dict[str, str]:
    from shuangchuang.credit.normalise import pinyin
    from shuangchuang.registry.demo_city import TRADE_NAME_CHARS

    by_sound: dict[str, str] = {}
    for char in TRADE_NAME_CHARS:
        by_sound[pinyin(char)] = by_sound.get(pinyin(char), "") + char
    return {c: group for group in by_sound.values() if len(group) > 1 for c in group}


# ---- loading ---------------------------------------------------------------------------------------------

def _copy_text(value: str) -> str:
    """A value in COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def load_entries(total: int, seed: int) -> dict:
    """COPY `total` entries (and their look-up keys) into the benchmark list; return the truth."""
    import opencc
    from django.db import connection

    from shuangchuang.core.models import Organisation
    from shuangchuang.credit.matching import entry_keys
    from shuangchuang.credit.models import CreditList, ListEntry
    from shuangchuang.credit.services.common import prepare_entry
    from shuangchuang.registry.models import Enterprise, EnterpriseStatus

    rng = random.Random(seed)
    converter = opencc.OpenCC("s2t")
    court = Organisation.objects.get(code="SZ-IPC")
    credit_list, _ = CreditList.objects.get_or_create(
        code=LIST_CODE, defaults={"name": "基准测试名单", "department": court, "legal_basis": "benchmark",
                                  "subjects": "both"})
    from shuangchuang.credit.models import Restriction

    Restriction.objects.get_or_create(credit_list=credit_list, action="procurement",
                                      defaults={"valid_from": datetime.date(2013, 1, 1), "legal_basis": "benchmark"})
    city_ids = list(Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).exclude(name__endswith="分公司")
                    .values_list("pk", flat=True))
    from_city = min(int(total * 0.3), len(city_ids) // 2)
    chosen = rng.sample(city_ids, from_city)
    groups = homophone_groups()
    weights = [w for _k, w in IDENTITY_VARIANTS]
    kinds = [k for k, _w in IDENTITY_VARIANTS]
    next_id = (ListEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    truth = {"identity": [], "homophone": []}
    columns = ("id", "credit_list_id", "subject_type", "name", "uscc", "org_code", "old_registration_number",
               "id_number", "sex", "legal_representative", "legal_representative_id_number", "reason", "authority",
               "document_number", "case_number", "obligation", "performance", "listed_on", "status", "removal_reason",
               "is_public", "extra", "version", "source_key", "name_key", "name_regions", "name_form", "created_at",
               "updated_at")
    now = datetime.datetime.now(datetime.timezone.utc)
    started = time.perf_counter()
    raw = connection.connection
    made = 0

    # read the chosen firms before the COPY starts: the connection can run nothing else during a COPY
    chosen_firms = []
    for start in range(0, len(chosen), 5000):
        chosen_firms.extend(Enterprise.objects.filter(pk__in=chosen[start:start + 5000])
                            .values_list("pk", "uscc", "name", "legal_form"))
    # region and organisation-form variants are ways of writing company names (有限公司 family); other firms
    # (个体工商户, partnerships, …) are written exactly, in traditional characters or with other spacing
    plain_kinds = [k for k in kinds if k in ("uscc_exact", "name_exact", "traditional", "width_spaces", "org_code")]
    plain_weights = [w for k, w in zip(kinds, weights) if k in plain_kinds]

    def rows():
        nonlocal next_id, made
        for pk, uscc, name, legal_form in chosen_firms:
            company = legal_form in ("llc", "jsc")
            if rng.random() < HOMOPHONE_SHARE:
                other = homophone(name, groups, rng)
                if other is None:
                    continue
                entry = ListEntry(subject_type="enterprise", name=other)
                truth["homophone"].append((next_id, pk))
            else:
                kind = rng.choices(kinds, weights)[0] if company else rng.choices(plain_kinds, plain_weights)[0]
                entry = ListEntry(subject_type="enterprise", name=variant(name, kind, converter))
                if kind == "uscc_exact":
                    entry.uscc = uscc
                elif kind == "org_code":
                    entry.org_code = uscc[8:17]
                truth["identity"].append((next_id, pk, kind))
            yield entry
        while made < total:
            if rng.random() < 0.15:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) * rng.randint(1, 2)
                number = f"4401{rng.randint(10, 99)}19{rng.randint(60, 99)}0101{rng.randint(100, 999)}X"
                entry = ListEntry(subject_type="person", name=name, id_number=number)
            else:
                trade = "".join(rng.choice(TRADE_CHARS) for _ in range(rng.choice((2, 3, 3, 4))))
                region = rng.choice(OTHER_REGIONS)
                entry = ListEntry(subject_type="enterprise",
                                  name=f"{region}{trade}{rng.choice(TERMS)}{rng.choice(FORMS)}")
            yield entry

    def copy_rows():
        nonlocal next_id, made
        key_file = tempfile.TemporaryFile("w+", encoding="utf-8")  # keys stream to disk, not memory
        key_count = 0
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY credit_listentry ({', '.join(columns)}) FROM STDIN") as copy:
                for entry in rows():
                    if made >= total:
                        break
                    entry.pk = next_id
                    prepare_entry(entry)
                    copy.write_row((
                        next_id, credit_list.pk, entry.subject_type, entry.name, entry.uscc, entry.org_code, "",
                        entry.id_number, "", "", "", "benchmark", "", "", f"B{next_id}", "", "", "2025-01-01",
                        "active", "", True, "{}", 1, f"bench-{next_id}", entry.name_key, entry.name_regions,
                        entry.name_form, now, now,
                    ))
                    for key in entry_keys(entry):
                        key_file.write(f"{_copy_text(key)}\t{next_id}\n")
                        key_count += 1
                    next_id += 1
                    made += 1
                    if made % 200_000 == 0:
                        say(f"  {made:,} entries prepared ({time.perf_counter() - started:.0f} s)")
        return key_file, key_count

    key_file, key_count = copy_rows()
    say(f"  {made:,} entries copied in {time.perf_counter() - started:.1f} s; copying {key_count:,} keys")
    key_file.seek(0)
    with raw.cursor() as cursor:
        with cursor.copy("COPY credit_entrykey (key, entry_id) FROM STDIN") as copy:
            while block := key_file.read(1 << 20):
                copy.write(block)
    key_file.close()
    with raw.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('credit_listentry', 'id'), %s)", [next_id])
    raw.commit() if not raw.autocommit else None
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE credit_listentry")
        cursor.execute("ANALYZE credit_entrykey")
    say(f"  entries and keys loaded in {time.perf_counter() - started:.1f} s")
    return {"identity": truth["identity"], "homophone": truth["homophone"], "entries": made, "keys": key_count}


# ---- measuring -------------------------------------------------------------------------------------------

def measure(truth: dict, queries: int, seed: int) -> dict:
    import opencc

    from shuangchuang.core.actor import Actor
    from shuangchuang.credit.matching import MATCH, REVIEW, Party
    from shuangchuang.credit.services import screening_run
    from shuangchuang.credit.services.screening import query_for, screen
    from shuangchuang.registry.models import Enterprise

    rng = random.Random(seed + 1)
    converter = opencc.OpenCC("s2t")
    actor = Actor.system("benchmark")
    identity = rng.sample(truth["identity"], min(queries, len(truth["identity"])))
    homophones = rng.sample(truth["homophone"], min(queries // 4, len(truth["homophone"])))
    listed_enterprises = {pk for _e, pk, *_ in truth["identity"]} | {pk for _e, pk in truth["homophone"]}
    firms = {e.pk: e for e in Enterprise.objects.filter(
        pk__in={pk for _e, pk, *_ in identity} | {pk for _e, pk in homophones})}
    negatives = list(Enterprise.objects.exclude(pk__in=listed_enterprises).order_by("?")
                     .values_list("pk", "uscc", "name")[: queries // 2])
    truth_of = {}
    for entry_id, pk, *_ in truth["identity"]:
        truth_of[entry_id] = pk
    for entry_id, pk in truth["homophone"]:
        truth_of[entry_id] = pk
    on = datetime.date(2026, 11, 28)
    true_matches = false_matches = 0
    recall = {"by name": [0, 0], "by USCC": [0, 0], "typed variant": [0, 0]}
    by_kind: dict[str, list[int]] = {}

    def run(party: Party, expected_entry: int | None, expected_pk: int | None, level: float = MATCH) -> bool:
        nonlocal true_matches, false_matches
        _decision, _blocked, hits = screen(query_for(party), action="procurement", on=on, scope="officer")
        found = False
        for hit in hits:
            entry_id = int(hit["entry"])
            if hit["score"] >= MATCH:
                if truth_of.get(entry_id) == expected_pk and expected_pk is not None:
                    true_matches += 1
                else:
                    false_matches += 1
            if entry_id == expected_entry and hit["score"] >= level:
                found = True
        return found

    kinds_for_typing = [k for k, _w in IDENTITY_VARIANTS if k not in ("uscc_exact", "name_exact", "org_code")]
    started = time.perf_counter()
    for entry_id, pk, kind in identity:
        firm = firms[pk]
        for label, party in (("by name", Party(name=firm.name)), ("by USCC", Party(uscc=firm.uscc))):
            ok = run(party, entry_id, pk)
            recall[label][0] += ok
            recall[label][1] += 1
            by_kind.setdefault(kind, [0, 0])
            by_kind[kind][0] += ok
            by_kind[kind][1] += 1
        if kind in ("uscc_exact", "name_exact"):
            typing = kinds_for_typing if firm.legal_form in ("llc", "jsc") else ["traditional", "width_spaces"]
            typed = variant(firm.name, rng.choice(typing), converter)
            ok = run(Party(name=typed), entry_id, pk)
            recall["typed variant"][0] += ok
            recall["typed variant"][1] += 1
    homophone_found = sum(run(Party(name=firms[pk].name), entry_id, pk, level=REVIEW) for entry_id, pk in homophones)
    for _pk, uscc, name in negatives:
        run(Party(name=name), None, None)
    quality_seconds = time.perf_counter() - started

    # latency of the whole service, warm: first a warm-up pass, then timed calls
    parties = [Party(name=firms[pk].name) for _e, pk, _k in identity[:500]]
    parties += [Party(uscc=uscc) for _pk, uscc, _n in negatives[:500]]
    rng.shuffle(parties)
    for party in parties[:200]:
        screening_run(actor=actor, party=party, action="procurement", channel="benchmark")
    timings = []
    for party in parties:
        t0 = time.perf_counter()
        screening_run(actor=actor, party=party, action="procurement", channel="benchmark")
        timings.append((time.perf_counter() - t0) * 1000)
    read_timings = []
    for party in parties:
        t0 = time.perf_counter()
        screen(query_for(party), action="procurement", on=on, scope="officer")
        read_timings.append((time.perf_counter() - t0) * 1000)
    return {
        "recall": {k: (v[0] / v[1] if v[1] else None, v[1]) for k, v in recall.items()},
        "recall_by_kind": {k: (v[0] / v[1], v[1]) for k, v in by_kind.items()},
        "homophone_review_recall": (homophone_found / len(homophones) if homophones else None, len(homophones)),
        "precision": (true_matches / (true_matches + false_matches) if true_matches + false_matches else None,
                      true_matches, false_matches),
        "negatives": len(negatives),
        "quality_seconds": quality_seconds,
        "latency_ms": {"n": len(timings), "p50": percentile(timings, 50), "p95": percentile(timings, 95),
                       "p99": percentile(timings, 99), "mean": statistics.mean(timings)},
        "read_latency_ms": {"p50": percentile(read_timings, 50), "p95": percentile(read_timings, 95),
                            "p99": percentile(read_timings, 99)},
    }


def rescreen(near: bool) -> dict:
    from shuangchuang.core.actor import Actor
    from shuangchuang.credit.models import CreditList
    from shuangchuang.credit.services import rescreen_run, rescreen_start

    credit_list = CreditList.objects.get(code=LIST_CODE)
    started = time.perf_counter()
    job = rescreen_start(actor=Actor.system("benchmark"), credit_list=credit_list, near=near)
    job = rescreen_run(job.pk)
    return {"seconds": time.perf_counter() - started, "status": job.status, "enterprises": job.processed,
            "processes": job.summary.get("processes"), "keys_refreshed": job.summary.get("keys_refreshed"),
            "hits": job.hits, "linked": job.summary.get("linked_entries"), "error": job.error[:200]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=2_400_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000, help="Identity queries for recall (each run 2-3 ways).")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--reuse", action="store_true", help="Keep the database and data of an earlier run.")
    parser.add_argument("--no-rescreen", action="store_true")
    parser.add_argument("--no-quality", action="store_true", help="Skip recall, precision and latency.")
    parser.add_argument("--reload-entries", action="store_true", help="With --reuse: keep the city, load the entries "
                        "again (after a change of the look-up keys).")
    parser.add_argument("--rescreen-without-near", action="store_true",
                        help="Also time the re-screen without the near-name neighbourhood keys.")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="Worker processes of the re-screen (CREDIT_RESCREEN_PROCESSES).")
    args = parser.parse_args()

    os.environ.setdefault("SHUANGCHUANG_ENV", "development")
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuangchuang.settings"
    os.environ["DATABASE_URL"] = bench_database(args.postgres_url, BENCH_DB, reuse=args.reuse)[0]
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.CREDIT_RESCREEN_PROCESSES = args.processes
    from shuangchuang.credit.models import ListEntry
    from shuangchuang.registry.demo_city import generate_city
    from shuangchuang.registry.models import Enterprise

    say(f"credit screening benchmark — {datetime.date.today()} — PostgreSQL {BENCH_DB}, "
        f"{os.cpu_count()} CPUs")
    call_command("migrate", verbosity=0)
    truth_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"{BENCH_DB}-truth.json"
    if not (args.reuse and Enterprise.objects.count() == args.enterprises):
        started = time.perf_counter()
        stats = generate_city(enterprises=args.enterprises, seed=args.seed, stdout=sys.stdout)
        say(f"city: {stats} (total {time.perf_counter() - started:.1f} s)")
    else:
        say(f"city: reusing {Enterprise.objects.count():,} enterprises")
    from django.db import connection as db

    with db.cursor() as cursor:  # fresh planner statistics (autovacuum would gather them later)
        cursor.execute("ANALYZE registry_enterprise")
        cursor.execute("ANALYZE registry_naturalperson")
    if args.reload_entries or not (args.reuse and truth_file.exists() and ListEntry.objects.filter(
            credit_list__code=LIST_CODE).count() == args.entries):
        from django.db import connection

        with connection.cursor() as cursor:  # a fast reset of the benchmark's own tables
            cursor.execute("TRUNCATE credit_rescreenhit, credit_entrykey, credit_adjudication, credit_entryrevision, "
                           "credit_repairstep, credit_repairdocument, credit_repairapplication, credit_listentry, "
                           "credit_enterprisekey, credit_enterprisekeystate RESTART IDENTITY CASCADE")
        truth = load_entries(args.entries, args.seed)
        truth_file.write_text(json.dumps(truth))
    else:
        truth = json.loads(truth_file.read_text())
        say(f"entries: reusing {truth['entries']:,} entries and {truth['keys']:,} keys")
    say(f"data: {Enterprise.objects.count():,} enterprises, {truth['entries']:,} list entries, "
        f"{truth['keys']:,} look-up keys; {len(truth['identity']):,} entries are city firms written another way, "
        f"{len(truth['homophone']):,} are homophones of city firms")

    if args.no_quality:
        result = None
    else:
        result = measure(truth, args.queries, args.seed)
    report(result)
    if not args.no_rescreen:
        from django.db import connection as db

        with db.cursor() as cursor:  # the first re-screen computes every enterprise's keys: time that too
            cursor.execute("TRUNCATE credit_enterprisekey, credit_enterprisekeystate")
        runs = [True, True] + ([False] if args.rescreen_without_near else [])
        for near in runs:
            figures = rescreen(near)
            say(f"full re-screen ({'with' if near else 'without'} near names, {figures['processes']} processes, "
                f"{figures['keys_refreshed']:,} enterprises' keys computed first, "
                f"load average {os.getloadavg()[0]:.1f}): {figures['enterprises']:,} "
                f"enterprises in {figures['seconds']:.1f} s ({figures['enterprises'] / figures['seconds']:,.0f}/s), "
                f"{figures['hits']:,} hits, {figures['linked']} entries linked, status {figures['status']} "
                f"{figures['error']}")
    return 0


def report(result: dict | None) -> None:
    if result is None:
        return
    say("recall of identity-preserving variants (entry is a match, score >= 0.9):")
    for label, (value, n) in result["recall"].items():
        say(f"  screened {label:<14} {value:.4f}  (n={n})")
    for kind, (value, n) in sorted(result["recall_by_kind"].items()):
        say(f"    entry written as {kind:<15} {value:.4f}  (n={n})")
    value, n = result["homophone_review_recall"]
    say(f"recall of homophone entries as hits to review (score >= 0.6): {value:.4f} (n={n})")
    value, true, false = result["precision"]
    say(f"precision of match hits: {value:.4f} ({true:,} true, {false:,} false; includes "
        f"{result['negatives']:,} enterprises on no list)")
    latency = result["latency_ms"]
    say(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; other work shares "
        f"the machine)")
    say(f"single screening, whole service (evidence + audit written), warm, n={latency['n']}: "
        f"p50 {latency['p50']:.2f} ms, p95 {latency['p95']:.2f} ms, p99 {latency['p99']:.2f} ms")
    read = result["read_latency_ms"]
    say(f"single screening, decision only (no writes): p50 {read['p50']:.2f} ms, p95 {read['p95']:.2f} ms, "
        f"p99 {read['p99']:.2f} ms")


if __name__ == "__main__":
    sys.exit(main())

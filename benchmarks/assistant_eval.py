"""Evaluate the policy assistant: top-1 and top-3 hit rates on the question / expected-citation pairs written from
深府〔2016〕61号 (shuangchuang/policies/data/assistant_eval.json), plus the questions that must find nothing.

    .venv/bin/python benchmarks/assistant_eval.py            # a throw-away SQLite database with the seed data
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/assistant_eval.py --use-database   # an existing one

Prints the figures and the misses. Exit status 1 when top-3 is under the target (90 %).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TARGET_TOP3 = 0.90


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--use-database", action="store_true",
                        help="use the configured database as it is (it must hold the seed data)")
    args = parser.parse_args()
    if not args.use_database:
        os.environ["SHUANGCHUANG_VAR_DIR"] = tempfile.mkdtemp(prefix="sc-assistant-eval-")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangchuang.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    from shuangchuang.core.actor import Actor
    from shuangchuang.policies.assistant.evaluation import evaluate, load_pairs
    from shuangchuang.policies.services import seed_load

    if not args.use_database:
        call_command("migrate", verbosity=0)
        seed_load(actor=Actor.system("assistant-eval"))
    translation.activate("en")
    pairs = load_pairs()
    started = time.perf_counter()
    result = evaluate(pairs)
    seconds = time.perf_counter() - started
    print(f"pairs: {result.answered} with an expected citation, {result.negatives} that must find nothing")
    print(f"top-1: {result.top1}/{result.answered} = {result.top1_rate:.1%}")
    print(f"top-3: {result.top3}/{result.answered} = {result.top3_rate:.1%}  (target ≥ {TARGET_TOP3:.0%})")
    print(f"nothing found when nothing fits: {result.negatives_correct}/{result.negatives}")
    print(f"time: {seconds * 1000 / len(pairs):.1f} ms per question (index built on the first)")
    for miss in result.misses:
        print(f"  miss: {miss['q']}  expected {miss['expected']}  got {miss['got']}")
    return 0 if result.top3_rate >= TARGET_TOP3 else 1


if __name__ == "__main__":
    raise SystemExit(main())

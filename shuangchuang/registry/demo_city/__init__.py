"""The deterministic synthetic city: millions of enterprises and their legal representatives, streamed.

`generate_city(enterprises=…, seed=…, stdout=…)` writes NaturalPerson and Enterprise rows shaped like
Shenzhen's register (district shares, industry mix, legal forms, founding years, closures, heavy-tailed
figures) straight into the database: rows are made in batches by one `random.Random(seed)` and written
as they are made (COPY on PostgreSQL, executemany on SQLite), so the city is never held in memory. For
large cities a forked process generates while this one writes, so two cores work, and the secondary
indexes are rebuilt after the load. The same (enterprises, seed) on the same starting database gives
identical rows, in or out of the forked process; nothing depends on the clock (ages are counted from
REFERENCE_DATE).

The whole load is one transaction and writes one audit event ("registry.synthetic_city_generated").

Codes:
- USCC (GB 32100) by `registry.uscc.make_uscc`: 91 enterprise, 92 个体工商户, 93 cooperative; the
  organisation-code body is a bijection of a running number (so bodies never repeat): firms founded
  before 2015-10-01 have 8-digit bodies, later ones "MA" + 6 characters, never "MA5…" (reserved for the
  hand-made demo accounts in registry/demo.py).
- Resident ID numbers (GB 11643) by `person_id_number`; the generated persons use sequence numbers
  010-999, so the sequences 000-009 stay free for hand-made accounts.
- Old 15-digit registration numbers: 4403 + 2 + 8-digit running number + ISO 7064 MOD 11,10 check
  (that this is the exact GB/T 17710 rule of the old numbers is unverified, POLICY-FACTS §2.2 [R]).
- High-tech certificate numbers "GR" + year + "44" + 6 digits are synthetic.

Modules: `data` (constants, vocabulary, distributions), `parts` (weighted choice, Bloom filter of names, size
classification, code bodies), `city` (the row maker), `writers` (SQLite / PostgreSQL writers, index rebuild),
`generator` (generate_city).
"""

from shuangchuang.registry.demo_city.data import FIRST_GENERATED_SERIAL, REFERENCE_DATE, TRADE_NAME_CHARS
from shuangchuang.registry.demo_city.generator import CityStats, generate_city
from shuangchuang.registry.demo_city.parts import person_id_number
from shuangchuang.registry.demo_city.writers import ENTERPRISE_FIELDS

__all__ = ["ENTERPRISE_FIELDS", "FIRST_GENERATED_SERIAL", "REFERENCE_DATE", "TRADE_NAME_CHARS", "CityStats",
           "generate_city", "person_id_number"]

"""_City: makes the rows of persons and enterprises, batch by batch, from one random.Random(seed)."""

from __future__ import annotations

import bisect
import datetime
import math
import random
from array import array
from collections import deque
from typing import Iterator

from stdnum.iso7064 import mod_11_10

from shuangchuang.core.models import Organisation
from shuangchuang.registry.models import District, IndustryDivision
from shuangchuang.registry.size_class import FEN_PER_WAN
from shuangchuang.registry.demo_city.data import (
    AUTHORITY_CODE, BATCH_SIZE, BUILDINGS, CAPITAL_WAN, CITY_REGION, CLOSED_STATUSES, COOPERATIVE_DIVISION_WEIGHTS,
    DIVISION_WEIGHTS, EMPLOYEES, FIRST_GENERATED_SERIAL, FOUNDING_YEAR_WEIGHTS, GIVEN_FEMALE, GIVEN_MALE,
    INDIVIDUAL_DIVISION_WEIGHTS, INDIVIDUAL_TERMS, JSC_DIVISION_BOOST, LEGAL_FORM_WEIGHTS, ORDINALS,
    PARTNERSHIP_DIVISION_WEIGHTS, REFERENCE_DATE, REFERENCE_ORD, REVENUE_PER_EMPLOYEE_WAN, ROADS,
    SOLE_DIVISION_WEIGHTS, SOLE_SUFFIXES, STREETS, SURNAMES, TECH_DIVISIONS, TRADE_NAME_CHARS, USCC_START_ORD,
    _NEW_SPACE, _OLD_MULTIPLIER, _OLD_SPACE, _REGNO_MULTIPLIER, _REGNO_SPACE, _RESERVED_BODIES,
)
from shuangchuang.registry.demo_city.parts import _id_number
from shuangchuang.registry.demo_city.parts import (
    _Classifier, _SeenNames, _Weighted, _body_new, _homophone_groups, _region_since,
)


class _City:
    """The city's generator state: one Random, bounded memories, code counters.

    Persons come out as tuples, enterprises as lists (the writer fills in the USCC in place)."""

    def __init__(self, *, enterprises: int, seed: int, first_enterprise_id: int, first_person_id: int, updated_at):
        self.total = enterprises
        self.rng = rng = random.Random(seed)
        self.updated_at = updated_at
        self.next_enterprise_id = first_enterprise_id
        self.next_person_id = first_person_id
        self.enterprises_made = 0
        self.persons_made = 0
        self.authority_id = Organisation.objects.filter(code=AUTHORITY_CODE).values_list("id", flat=True).first()

        # Day tables (ISO strings, YYYYMMDD, year) from 1920 to the reference date: no date objects per row.
        self.day0 = day0 = datetime.date(1920, 1, 1).toordinal()
        days = [datetime.date.fromordinal(o) for o in range(day0, REFERENCE_ORD + 1)]
        self.iso = [d.isoformat() for d in days]
        self.ymd = [d.strftime("%Y%m%d") for d in days]
        self.year_of = array("H", [d.year for d in days])
        years = _Weighted(FOUNDING_YEAR_WEIGHTS)
        self.years = (
            [(datetime.date(y, 1, 1).toordinal(), min(datetime.date(y, 12, 31).toordinal(), REFERENCE_ORD))
             for y in years.items], years.cum, years.total,
        )

        # Reference data, loaded once.
        self.region_since = since = _region_since()
        self.districts = []
        for d in District.objects.order_by("key").values("id", "key", "code", "name", "demo_share"):
            streets = STREETS.get(d["code"] or d["key"], ("中心", "新城"))
            suffix = "镇" if d["key"] == "shenshan" else "街道"
            self.districts.append({
                **d,
                "short": d["name"].removesuffix("特别合作区").removesuffix("新区").removesuffix("区"),
                "since": since.get(d["code"] or "", 0),
                # from which founding year USCCs may carry the district's code (never, without a code)
                "code_from": 9999 if d["code"] is None else 0 if since.get(d["code"], 0) <= 2015 else since[d["code"]],
                "streets": [f"深圳市{d['name']}{street}{suffix}" for street in streets],
                "prefix": "深圳市" + d["name"],
            })
        self.district_choice = _Weighted((i, float(d["demo_share"])) for i, d in enumerate(self.districts))
        self.divisions = {
            row["code"]: row
            for row in IndustryDivision.objects.order_by("code").values("code", "name_terms", "size_category")
            if row["name_terms"]
        }
        codes = sorted(self.divisions)
        self.division_choice = {
            "llc": _Weighted((c, DIVISION_WEIGHTS.get(c, 0.5)) for c in codes),
            "jsc": _Weighted((c, DIVISION_WEIGHTS.get(c, 0.5) * JSC_DIVISION_BOOST.get(c, 1)) for c in codes),
            "individual": _Weighted((c, INDIVIDUAL_DIVISION_WEIGHTS.get(c, 0)) for c in codes),
            "partnership": _Weighted((c, PARTNERSHIP_DIVISION_WEIGHTS.get(c, 0)) for c in codes),
            "sole": _Weighted((c, SOLE_DIVISION_WEIGHTS.get(c, 0)) for c in codes),
            "cooperative": _Weighted((c, COOPERATIVE_DIVISION_WEIGHTS.get(c, 0)) for c in codes),
        }
        self.classifier = _Classifier()
        self.category_of = {code: self.classifier.category(code, "") for code in codes}

        self.legal_form_choice = _Weighted(LEGAL_FORM_WEIGHTS)
        self.closed_status_choice = _Weighted(CLOSED_STATUSES)
        self.capital_choice = {form: _Weighted(pairs) for form, pairs in CAPITAL_WAN.items()}
        self.surname_choice = _Weighted(SURNAMES)
        self.trade_chars = "".join(dict.fromkeys(TRADE_NAME_CHARS))
        self.homophones = _homophone_groups(self.trade_chars)

        # Codes: the offsets depend on the seed, so two seeds give different codes.
        self.new_offset = rng.randrange(_NEW_SPACE)
        self.old_offset = rng.randrange(_OLD_SPACE)
        self.regno_offset = rng.randrange(_REGNO_SPACE)
        self.new_count = 0
        self.old_count = 0
        self.regno_count = 0
        self.certificates: dict[int, int] = {}

        # Persons: a counter per (region, birth day, sex) hands out ID sequences without repeats; within a
        # slot the k-th person gets sequence index (k * 211 + slot) mod 495, a bijection (211 is prime to 495).
        self.birth_min = datetime.date(1925, 1, 1).toordinal()
        self.birth_max = REFERENCE_ORD - 18 * 366
        self.person_regions = [c for c in ("440300", "440301", "440303", "440304", "440305", "440306", "440307",
                                           "440308") if c in since]
        self.regions_by_year = {
            year: tuple(i for i, code in enumerate(self.person_regions) if since[code] <= year)
            for year in range(1920, REFERENCE_DATE.year + 1)
        }
        self.birth_days = self.birth_max - self.birth_min + 1
        self.sequence_counts = array("H", bytes(2 * self.birth_days * len(self.person_regions) * 2))

        # Bounded memories for recurrence: recent trade names, persons, head offices.
        self.names = _SeenNames(enterprises + 1000)
        self.recent_trade_names: deque[tuple[str, str]] = deque(maxlen=4096)
        self.recent_persons: deque[tuple[int, int]] = deque(maxlen=20000)
        self.recent_heads: deque[tuple] = deque(maxlen=4096)
        self.person_batch: list[tuple] = []

    # -- streaming ------------------------------------------------------------------------------------

    def batches(self, size: int | None = None) -> Iterator[tuple[list[tuple], list[list]]]:
        """(persons, enterprises) row lists; each batch's persons come before the enterprises that need them."""
        size = size or BATCH_SIZE
        made = 0
        while made < self.total:
            n = min(size, self.total - made)
            firms = [self._enterprise() for _ in range(n)]
            made += n
            self.enterprises_made = made
            persons, self.person_batch = self.person_batch, []
            yield persons, firms

    # -- persons --------------------------------------------------------------------------------------

    def _new_person(self, founded_ord: int) -> tuple[int, int]:
        rnd = self.rng.random
        male = 1 if rnd() < 0.68 else 0
        birth_min, birth_max, counts = self.birth_min, self.birth_max, self.sequence_counts
        while True:
            age = 36.0 + 18.0 * (rnd() + rnd() + rnd() - 1.5)  # mean 36, sd 9, within 9-63
            birth_ord = founded_ord - int((19.0 if age < 19.0 else 62.0 if age > 62.0 else age) * 365.2425
                                          + rnd() * 365)
            birth_ord = birth_max if birth_ord > birth_max else birth_min if birth_ord < birth_min else birth_ord
            day = birth_ord - self.day0
            regions = self.regions_by_year[self.year_of[day]]
            region = regions[int(rnd() * len(regions))]
            slot = ((region * self.birth_days) + (birth_ord - birth_min)) * 2 + male
            k = counts[slot]
            if k < 495:
                counts[slot] = k + 1
                break
        serial = FIRST_GENERATED_SERIAL + 2 * ((k * 211 + slot) % 495) + male
        pid = self.next_person_id
        self.next_person_id = pid + 1
        self.persons_made += 1
        surnames = self.surname_choice
        pool = GIVEN_MALE if male else GIVEN_FEMALE
        name = surnames.items[bisect.bisect_right(surnames.cum, rnd() * surnames.total)] + pool[int(rnd() * len(pool))]
        if rnd() < 0.7:
            name += pool[int(rnd() * len(pool))]
        self.person_batch.append((pid, _id_number(self.person_regions[region], self.ymd[day], serial), name))
        self.recent_persons.append((pid, birth_ord))
        return pid, birth_ord

    def _representative(self, founded_ord: int, reuse: float) -> int:
        rnd = self.rng.random
        recent = self.recent_persons
        if recent and rnd() < reuse:
            for _ in range(3):
                pid, birth_ord = recent[int(rnd() * len(recent))]
                if birth_ord <= founded_ord - 7320:  # 20 years
                    return pid
        return self._new_person(founded_ord)[0]

    # -- names ----------------------------------------------------------------------------------------

    def _fresh_trade_name(self, lengths=(2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4)) -> str:
        rnd, chars = self.rng.random, self.trade_chars
        n = lengths[int(rnd() * len(lengths))]
        out = chars[int(rnd() * len(chars))]
        while len(out) < n:
            c = chars[int(rnd() * len(chars))]
            if c != out[-1]:
                out += c
        return out

    def _trade_name(self, division: str) -> str:
        rnd = self.rng.random
        r = rnd()
        recent = self.recent_trade_names
        if recent and r < 0.22:  # the same trade name in another industry
            trade, used_in = recent[int(rnd() * len(recent))]
            if used_in != division:
                return trade
        elif recent and r < 0.26:  # a homophone of a recent trade name
            trade, _ = recent[int(rnd() * len(recent))]
            positions = [i for i, c in enumerate(trade) if c in self.homophones]
            if positions:
                i = positions[int(rnd() * len(positions))]
                others = self.homophones[trade[i]]
                return trade[:i] + others[int(rnd() * len(others))] + trade[i + 1:]
        return self._fresh_trade_name()

    def _company_name(self, form: str, trade: str, term: str, district: dict, founded_year: int) -> str:
        rnd = self.rng.random
        if form == "llc":
            suffix = "有限公司" if rnd() < 0.78 else "有限责任公司"
        elif form == "jsc":
            suffix = "股份有限公司"
        elif form == "partnership":
            suffix = "合伙企业（有限合伙）" if rnd() < 0.7 else "合伙企业（普通合伙）"
        elif form == "sole":
            suffix = SOLE_SUFFIXES[int(rnd() * len(SOLE_SUFFIXES))]
            if rnd() < 0.6:
                suffix += "（个人独资）"
        else:  # cooperative
            suffix = "专业合作社"
        core = trade + term
        if form not in ("llc", "jsc"):
            return "深圳市" + core + suffix
        style = rnd()
        if style < 0.70:
            return "深圳市" + core + suffix
        if style < 0.80:
            return core + "（深圳）" + suffix
        if style < 0.88:
            return core + suffix
        if style < 0.97 and district["since"] <= founded_year:
            return district["prefix"] + core + suffix
        return "深圳" + core + suffix

    def _individual_name(self, division: str, district: dict) -> tuple[str, str]:
        rnd = self.rng.random
        r = rnd()
        surnames = self.surname_choice
        if r < 0.35:
            pool = GIVEN_MALE if rnd() < 0.6 else GIVEN_FEMALE
            trade = "阿" + pool[int(rnd() * len(pool))]
        elif r < 0.50:
            trade = "老" + surnames.items[bisect.bisect_right(surnames.cum, rnd() * surnames.total)][0]
        elif r < 0.65:
            trade = surnames.items[bisect.bisect_right(surnames.cum, rnd() * surnames.total)] + "记"
        else:
            trade = self._fresh_trade_name((2,))
        terms = INDIVIDUAL_TERMS.get(division) or ("经营部",)
        return trade, district["prefix"] + trade + terms[int(rnd() * len(terms))]

    def _branch_name(self, parent: tuple, district: dict, eid: int) -> str:
        short = district["short"]
        for attempt in range(10):
            if attempt == 0:
                candidate = parent[1] + short + "分公司"
            else:
                candidate = parent[1] + (short if attempt % 2 else "") + "第" + ORDINALS[attempt] + "分公司"
            if self.names.add_if_new(candidate):
                return candidate
        return parent[1] + short + str(eid) + "分公司"  # unique: carries the row's own id

    # -- one register entry ---------------------------------------------------------------------------

    def _enterprise(self) -> list:
        rng = self.rng
        rnd = rng.random
        gauss = rng.gauss
        exp = math.exp
        bisect_right = bisect.bisect_right
        eid = self.next_enterprise_id
        self.next_enterprise_id = eid + 1
        choice = self.legal_form_choice
        form = choice.items[bisect_right(choice.cum, rnd() * choice.total)]
        parent = None
        if form == "branch":
            if self.recent_heads:
                parent = self.recent_heads[int(rnd() * len(self.recent_heads))]
            else:
                form = "llc"
        choice = self.district_choice
        district = self.districts[choice.items[bisect_right(choice.cum, rnd() * choice.total)]]

        # founding and status
        if parent is not None:
            first = parent[3] + 30
            founded_ord = first + int(rnd() * (REFERENCE_ORD - first + 1))
        else:
            spans, cum, total = self.years
            start, end = spans[bisect_right(cum, rnd() * total)]
            founded_ord = start + int(rnd() * (end - start + 1))
        day0 = self.day0
        founded_year = self.year_of[founded_ord - day0]
        age_days = REFERENCE_ORD - founded_ord
        status, changed_ord = "operating", None
        if age_days > 91 and rnd() < min(0.55, 0.03 + 0.023 * age_days / 365.2425):
            choice = self.closed_status_choice
            status = choice.items[bisect_right(choice.cum, rnd() * choice.total)]
            changed_ord = founded_ord + 30 + int(rnd() * (age_days - 30))

        # industry and name
        class_code = ""
        if parent is not None:
            division, class_code, trade = parent[2], parent[5], parent[6]
            name = self._branch_name(parent, district, eid)
        else:
            choice = self.division_choice[form]
            division = choice.items[bisect_right(choice.cum, rnd() * choice.total)]
            if form == "individual":
                for _ in range(20):
                    trade, name = self._individual_name(division, district)
                    if self.names.add_if_new(name):
                        break
            else:
                terms = self.divisions[division]["name_terms"]
                for attempt in range(20):
                    trade = self._trade_name(division) if attempt < 2 else self._fresh_trade_name((3, 3, 4))
                    term = terms[int(rnd() * len(terms))]
                    name = self._company_name(form, trade, term, district, founded_year)
                    if self.names.add_if_new(name):
                        break
                self.recent_trade_names.append((trade, division))
                if division == "70":
                    class_code = "7020" if term == "物业管理" else "7010"
        category = self.classifier.category(division, class_code) if class_code else self.category_of[division]

        # codes
        entity_type = "2" if form == "individual" else "3" if form == "cooperative" else "1"
        if founded_ord < USCC_START_ORD and form != "individual":
            while True:
                body = f"{(self.old_count * _OLD_MULTIPLIER + self.old_offset) % _OLD_SPACE:08d}"
                self.old_count += 1
                if body not in _RESERVED_BODIES:
                    break
        else:
            body = _body_new(self.new_count, self.new_offset)
            self.new_count += 1
        # Registration region: mostly the city's; some firms (most 个体工商户) a district's, if the district's
        # code existed when the firm got its code (at founding, or 2015 for older firms).
        district_code = district["code"]
        if founded_year >= district["code_from"] and rnd() < (0.8 if form == "individual" else 0.15):
            region = district_code
        else:
            region = CITY_REGION
        uscc_parts = entity_type + region + body  # the writer makes the code: make_uscc runs beside generation
        old_number = ""
        if founded_ord < USCC_START_ORD and rnd() < 0.75:
            serial = (self.regno_count * _REGNO_MULTIPLIER + self.regno_offset) % _REGNO_SPACE
            self.regno_count += 1
            office = "01" if district_code is None or rnd() < 0.7 else district_code[4:]
            stem = f"4403{office}{serial:08d}"
            old_number = stem + mod_11_10.calc_check_digit(stem)

        # people
        if parent is not None and rnd() < 0.5:
            representative = parent[4]
        else:
            representative = self._representative(founded_ord, 0.12 if form == "individual" else 0.22)

        # address
        streets = district["streets"]
        address = f"{streets[int(rnd() * len(streets))]}{ROADS[int(rnd() * len(ROADS))]}{1 + int(rnd() * 399)}号"
        if form != "individual" and rnd() < 0.6:
            address += f"{BUILDINGS[int(rnd() * len(BUILDINGS))]}{1 + int(rnd() * 30)}层{1 + int(rnd() * 40):02d}室"

        # figures of the last financial year reported
        capital = None
        if form != "branch" and (form != "individual" or rnd() < 0.5):
            choice = self.capital_choice[form]
            capital = choice.items[bisect_right(choice.cum, rnd() * choice.total)] * FEN_PER_WAN
        employees = revenue = assets = rd = financial_year = None
        last_year = (self.year_of[changed_ord - day0] - 1) if changed_ord else REFERENCE_DATE.year - 1
        if parent is None and last_year >= founded_year and rnd() < 0.95:
            financial_year = last_year
            mu, sigma, tail_p, tail_min = EMPLOYEES[form]
            if tail_p and rnd() < tail_p:
                employees = min(200_000, int(tail_min * rng.paretovariate(1.2)))
            else:
                employees = int(exp(mu + sigma * gauss()))
                if form == "individual" and employees < 1:
                    employees = 1
            if rnd() < 0.2:
                revenue = 0
            else:
                per_head = REVENUE_PER_EMPLOYEE_WAN.get(category, 30)
                revenue = int((employees or 1) * per_head * exp(-0.4 + 0.9 * gauss()) * 100) * 10_000
            ratio = exp((1.2 if category == "real_estate_development" else -0.3) + 0.8 * gauss())
            floor = (capital or 0) * (0.2 + 0.6 * rnd())
            assets = int(max(revenue * ratio, floor, 1_000_000) / 100) * 100
            if revenue and division in TECH_DIVISIONS and rnd() < 0.7:
                rd = int(revenue * (0.02 + 0.13 * rnd()) / 100) * 100
        size_class = self.classifier(category, employees, revenue, assets)

        # certificates and flags
        certificate, valid_from, valid_to = "", None, None
        is_tech_sme = is_listed = False
        if employees is not None and division in TECH_DIVISIONS and (form == "llc" or form == "jsc"):
            first = max(2008, founded_year + 1)  # certificates from the year after founding, before closing
            last = financial_year  # the last year reported: 2025, or the year before the firm closed
            if employees >= 10 and first <= last and rnd() < 0.3:
                if status == "operating" and rnd() < 0.85:
                    year = max(2023 + int(rnd() * 3), first)  # still valid on the reference date
                else:
                    year = first + int(rnd() * (last - first + 1))
                n = self.certificates.get(year, 0) + 1
                self.certificates[year] = n
                certificate = f"GR{year}44{n:06d}"
                start = datetime.date(year, 10 + int(rnd() * 3), 1 + int(rnd() * 28))
                valid_from = start.isoformat()
                valid_to = (start.replace(year=year + 3) - datetime.timedelta(days=1)).isoformat()
            if status == "operating" and employees <= 500 and size_class in ("micro", "small", "medium"):
                is_tech_sme = rnd() < 0.1
        if form == "jsc" and (size_class == "large" or size_class == "medium"):
            is_listed = rnd() < (0.25 if size_class == "large" else 0.02)

        if status == "operating" and (form == "llc" or form == "jsc") and age_days > 60:
            self.recent_heads.append((eid, name, division, founded_ord, representative, class_code, trade))

        iso = self.iso
        return [
            eid, uscc_parts, old_number, name, trade, form, self.authority_id, district["id"], address, division,
            class_code, iso[founded_ord - day0], status, iso[changed_ord - day0] if changed_ord else None,
            representative, parent[0] if parent is not None else None, capital, employees, revenue, assets, rd,
            financial_year, certificate, valid_from, valid_to, is_tech_sme, is_listed, size_class, self.updated_at,
        ]


# The attribute names of Enterprise in the order of the tuples above.

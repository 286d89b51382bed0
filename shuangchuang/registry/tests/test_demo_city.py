"""The synthetic city generator (registry.demo_city) on a small city."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from pypinyin import lazy_pinyin
from stdnum.cn import ric

from shuangchuang.core.audit import audit_verify
from shuangchuang.core.models import AuditEvent
from shuangchuang.registry import demo_city
from shuangchuang.registry.demo_city import data as city_data
from shuangchuang.registry.demo_city import city as city_module
from shuangchuang.registry.demo_city import generator as city_generator
from shuangchuang.registry.demo_city import parts as city_parts
from shuangchuang.registry.demo import LOGINS
from shuangchuang.registry.demo_city import generate_city, person_id_number
from shuangchuang.registry.models import Enterprise, NaturalPerson
from shuangchuang.registry.reference import size_rules
from shuangchuang.registry.size_class import classify
from shuangchuang.registry.uscc import parse_uscc

N = 300
COMPARED = [f for f in demo_city.ENTERPRISE_FIELDS if f not in ("id", "legal_representative_id", "parent_id")]


def city_rows() -> list[tuple]:
    """The register as comparable rows: ids replaced by what they point at."""
    firms = Enterprise.objects.order_by("id")
    return [
        (*values, rep_number, parent_uscc)
        for *values, rep_number, parent_uscc in firms.values_list(
            *COMPARED, "legal_representative__id_number", "parent__uscc"
        )
    ]


def person_rows() -> list[tuple]:
    return list(NaturalPerson.objects.order_by("id").values_list("id_number", "name"))


def wipe() -> None:
    Enterprise.objects.filter(parent__isnull=False).delete()
    Enterprise.objects.all().delete()
    NaturalPerson.objects.all().delete()


@pytest.fixture
def city(db):
    out = io.StringIO()
    stats = generate_city(enterprises=N, seed=7, stdout=out)
    return stats


def test_stats_and_counts(city):
    assert city.enterprises == N == Enterprise.objects.count()
    assert city.persons == NaturalPerson.objects.count()
    assert 0.6 * N < city.persons < 0.95 * N  # about 0.8 persons per enterprise: some represent several
    assert "300 enterprises" in str(city)


def test_every_uscc_is_valid_and_bodies_are_unique(city):
    usccs = list(Enterprise.objects.values_list("uscc", "legal_form"))
    for code, form in usccs:
        result = parse_uscc(code)
        assert result.valid, (code, result.reason)
        assert code[:2] == {"individual": "92", "cooperative": "93"}.get(form, "91")
        assert code[2:6] == "4403"
        assert not code[8:].startswith("MA5")  # reserved for the hand-made demo accounts
    bodies = [code[8:16] for code, _ in usccs]
    assert len(set(bodies)) == len(bodies)
    assert any(b.startswith("MA") for b in bodies) and any(b.isdigit() for b in bodies)


def test_code_walks_are_bijections():
    import math

    assert math.gcd(city_data._NEW_MULTIPLIER, city_data._NEW_SPACE) == 1
    assert math.gcd(city_data._OLD_MULTIPLIER, city_data._OLD_SPACE) == 1
    assert math.gcd(city_data._REGNO_MULTIPLIER, city_data._REGNO_SPACE) == 1
    bodies = {city_parts._body_new(k, 12345) for k in range(20000)}
    assert len(bodies) == 20000 and not any(b.startswith("MA5") for b in bodies)


def test_old_registration_numbers(city):
    numbers = [n for n in Enterprise.objects.values_list("old_registration_number", flat=True) if n]
    assert numbers
    assert all(len(n) == 15 and n.startswith("4403") and n.isdigit() for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_person_id_numbers_are_valid(city):
    numbers = list(NaturalPerson.objects.values_list("id_number", flat=True))
    assert all(ric.is_valid(n) for n in numbers)
    assert all(n.startswith("4403") for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert all(int(n[14:17]) >= demo_city.FIRST_GENERATED_SERIAL for n in numbers)


def test_person_id_number_helper():
    import datetime

    number = person_id_number("440305", datetime.date(1985, 3, 1), 7)
    assert number.startswith("44030519850301007") and ric.is_valid(number)
    assert person_id_number("440305", datetime.date(1985, 3, 1), 1007) == number  # serial picks the sequence


def test_same_seed_same_rows_other_seed_other_rows(db):
    out = io.StringIO()
    generate_city(enterprises=N, seed=11, stdout=out)
    first, first_persons = city_rows(), person_rows()
    wipe()
    generate_city(enterprises=N, seed=11, stdout=out)
    assert city_rows() == first
    assert person_rows() == first_persons
    wipe()
    generate_city(enterprises=N, seed=12, stdout=out)
    other = city_rows()
    assert other != first
    assert {r[0] for r in other}.isdisjoint({r[0] for r in first})  # the USCCs differ too


def test_forked_generator_and_index_rebuild_give_the_same_rows(db, monkeypatch):
    out = io.StringIO()
    generate_city(enterprises=N, seed=5, stdout=out)
    in_process = city_rows()
    wipe()
    monkeypatch.setattr(city_generator, "PARALLEL_FROM", 1)
    monkeypatch.setattr(city_generator, "REBUILD_INDEXES_FROM", 1)
    monkeypatch.setattr(city_module, "BATCH_SIZE", 64)
    generate_city(enterprises=N, seed=5, stdout=out)
    assert city_rows() == in_process
    assert "rebuilt" in out.getvalue()


def test_trade_names_recur_across_industries_and_homophones_exist(city):
    industries = defaultdict(set)
    for trade, industry in Enterprise.objects.exclude(legal_form__in=["branch", "individual"]).values_list(
        "trade_name", "industry_id"
    ):
        industries[trade].add(industry)
    assert any(len(codes) > 1 for codes in industries.values())
    by_sound = defaultdict(set)
    for trade in industries:
        by_sound[tuple(lazy_pinyin(trade))].add(trade)
    assert any(len(names) > 1 for names in by_sound.values())


def test_names_are_unique_and_shaped(city):
    names = list(Enterprise.objects.values_list("name", "legal_form", "trade_name"))
    assert len({n for n, _, _ in names}) == len(names)
    assert all(trade in name for name, _, trade in names)
    forms = {form for _, form, _ in names}
    assert {"llc", "individual", "branch"} <= forms
    assert any(n.startswith("深圳市") and n.endswith("有限公司") for n, _, _ in names)
    assert any("（深圳）" in n for n, _, _ in names)
    assert any(not n.startswith("深圳") for n, f, _ in names if f == "llc")
    assert all(n.startswith("深圳市") and "区" in n for n, f, _ in names if f == "individual")


def test_branches_point_to_an_earlier_head_office(city):
    branches = Enterprise.objects.filter(legal_form="branch").select_related("parent")
    assert branches.exists()
    for branch in branches:
        head = branch.parent
        assert head is not None and head.legal_form in ("llc", "jsc") and head.id < branch.id
        assert branch.name.startswith(head.name) and branch.name.endswith("分公司")
        assert branch.industry_id == head.industry_id
        assert branch.founded_on > head.founded_on
    assert not Enterprise.objects.exclude(legal_form="branch").filter(parent__isnull=False).exists()


def test_statuses_and_dates(city):
    statuses = set(Enterprise.objects.values_list("status", flat=True))
    assert {"operating", "deregistered", "revoked"} <= statuses
    for founded, status, changed in Enterprise.objects.values_list("founded_on", "status", "status_changed_on"):
        assert founded.year >= 1985 and founded <= demo_city.REFERENCE_DATE
        if status == "operating":
            assert changed is None
        else:
            assert founded < changed <= demo_city.REFERENCE_DATE


def test_size_classes_are_what_classify_gives(city):
    rules, by_division, by_class = size_rules()
    seen = set()
    for division, class_code, employees, revenue, assets, size_class in Enterprise.objects.values_list(
        "industry_id", "industry_class_code", "employees", "revenue_fen", "total_assets_fen", "size_class"
    ):
        rule = rules[by_class.get(class_code) or by_division[division]]
        assert size_class == classify(rule, employees=employees, revenue_fen=revenue, assets_fen=assets)
        seen.add(size_class)
    assert {"micro", "small", ""} <= seen


def test_legal_representatives_and_reference(city):
    assert not Enterprise.objects.filter(legal_representative__isnull=True).exists()
    assert not Enterprise.objects.filter(district__isnull=True).exists()
    assert set(Enterprise.objects.values_list("registration_authority__code", flat=True)) == {"SZ-MQSA"}
    assert NaturalPerson.objects.annotate(n=Count("enterprises")).filter(n__gt=1).exists()


def test_exactly_one_audit_event_and_the_chain_verifies(city):
    events = AuditEvent.objects.filter(verb="registry.synthetic_city_generated")
    assert events.count() == 1
    params = events.get().params
    assert (params["seed"], params["enterprises"], params["persons"]) == (7, N, city.persons)
    assert AuditEvent.objects.count() == 1  # the load writes one event, not one per row
    assert audit_verify().ok


def test_demo_command_if_empty_keeps_the_city(db):
    out = io.StringIO()
    call_command("demo", enterprises=N, seed=1, stdout=out)
    count = Enterprise.objects.count()
    assert count >= N
    call_command("demo", enterprises=N, seed=1, if_empty=True, stdout=out)
    assert Enterprise.objects.count() == count
    assert "already loaded" in out.getvalue()
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {username for username, _ in LOGINS} <= usernames
    assert audit_verify().ok

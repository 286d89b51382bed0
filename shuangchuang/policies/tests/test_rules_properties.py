"""Property tests: on random enterprises and random rules, the explanation (a) and the SQL query (b) agree —
the query selects exactly the enterprises the explanation passes, and its complement exactly those it fails."""

import datetime
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from shuangchuang.policies.rules import FAIL, PASS, RuleError, explain, parse_rule
from shuangchuang.policies.rules.context import RuleContext
from shuangchuang.policies.rules.engine import _compile
from shuangchuang.policies.rules.facts import shift_months
from shuangchuang.registry.models import District, Enterprise

DATES = [datetime.date(2026, 11, 28), datetime.date(2024, 2, 29), datetime.date(2025, 2, 28),
         datetime.date(2023, 3, 31), datetime.date(2025, 3, 1)]
FOUNDED = [None, datetime.date(2015, 1, 1), datetime.date(2021, 2, 28), datetime.date(2024, 2, 29),
           datetime.date(2023, 2, 28), datetime.date(2023, 3, 31), datetime.date(2025, 11, 28),
           datetime.date(2025, 11, 29), datetime.date(2022, 3, 1), datetime.date(2026, 12, 1)]
EMPLOYEES = [None, 0, 5, 10, 20, 100, 300, 500, 501]
MONEY_FEN = [None, 0, 5_000_000, 50_000_000_00, 20_000_000_000, 2_800_000_000, 2_800_000_001]
DIVISIONS = [None, "39", "51", "65", "16", "90", "70", "67"]
DISTRICTS = [None, "440305", "440304", "dapeng"]
SIZES = ["", "small", "micro", "medium", "large"]
CERT_DATES = [None, datetime.date(2023, 12, 1), datetime.date(2025, 2, 28), datetime.date(2026, 11, 28)]

_serial = itertools.count(1)
AGE_STEPS = [0, 1, 2, 11, 12, 13, 24, 60, 120]


def near(on: datetime.date):
    """Dates at and next to the boundaries of the age and certificate conditions on `on`."""
    return st.tuples(st.sampled_from(AGE_STEPS), st.sampled_from([-1, 0, 1])).map(
        lambda t: shift_months(on, -t[0]) + datetime.timedelta(days=t[1]))


def enterprise_rows(on: datetime.date):
    return st.fixed_dictionaries({
    "district": st.sampled_from(DISTRICTS),
    "industry_id": st.sampled_from(DIVISIONS),
    "legal_form": st.sampled_from(["llc", "jsc", "sole", "partnership"]),
    "status": st.sampled_from(["operating", "operating", "deregistered"]),
    "size_class": st.sampled_from(SIZES),
    "founded_on": st.one_of(st.sampled_from(FOUNDED), near(on)),
    "employees": st.sampled_from(EMPLOYEES),
    "revenue_fen": st.sampled_from(MONEY_FEN),
    "total_assets_fen": st.sampled_from(MONEY_FEN),
    "rd_expense_fen": st.sampled_from(MONEY_FEN + [140_000_000, 112_000_000, 84_000_000]),
    "high_tech_certificate": st.sampled_from(["", "GR202344201234"]),
    "high_tech_valid_from": st.one_of(st.sampled_from(CERT_DATES), near(on)),
    "high_tech_valid_to": st.one_of(st.sampled_from(CERT_DATES), st.just(on), st.just(on - datetime.timedelta(days=1))),
    "is_tech_sme": st.booleans(),
    "is_listed": st.booleans(),
    })

INT_VALUES = [0, 1, 5, 10, 20, 100, 300, 500, 501]
MONEY_YUAN = [0, 50_000, 500_000_00, 200_000_000, 28_000_000, "28000000.01"]
RATIOS = ["0", "0.03", "0.04", "0.05", "0.5", "1"]
DATE_VALUES = [d.isoformat() for d in FOUNDED if d] + ["2016-08-08"]


def _ordered(values):
    single = st.tuples(st.sampled_from(["eq", "ne", "lt", "lte", "gt", "gte"]), st.sampled_from(values))
    pair = st.tuples(st.just("between"), st.lists(st.sampled_from(values), min_size=2, max_size=2))
    return st.one_of(single, pair)


def _condition(fact, ops_values):
    return ops_values.map(lambda op_value: {"fact": fact, "op": op_value[0], "value": op_value[1]})


def _choice(fact, values):
    return st.tuples(st.sampled_from(["in", "not_in"]), st.lists(st.sampled_from(values), min_size=1, max_size=3,
                                                                 unique=True)).map(
        lambda t: {"fact": fact, "op": t[0], "value": t[1]})


conditions = st.one_of(
    _condition("employees", _ordered(INT_VALUES)),
    _condition("age_years", _ordered([0, 1, 2, 5, 10])),
    _condition("age_months", _ordered([0, 1, 2, 11, 12, 13, 24, 60])),
    _condition("revenue", _ordered(MONEY_YUAN)),
    _condition("total_assets", _ordered(MONEY_YUAN)),
    _condition("rd_expense", _ordered(MONEY_YUAN)),
    st.tuples(st.sampled_from(["lt", "lte", "gt", "gte"]), st.sampled_from(RATIOS)).map(
        lambda t: {"fact": "rd_ratio", "op": t[0], "value": t[1]}),
    st.tuples(st.sampled_from(["lt", "lte", "gt", "gte"]), st.sampled_from(DATE_VALUES)).map(
        lambda t: {"fact": "founded_on", "op": t[0], "value": t[1]}),
    _choice("size_class", ["small", "micro", "medium", "large"]),
    _choice("industry_division", ["39", "51", "65", "16", "90"]),
    _choice("industry_section", ["C", "F", "I", "K", "R"]),
    _choice("district", ["440305", "440304", "dapeng"]),
    _choice("legal_form", ["llc", "jsc", "sole"]),
    _choice("status", ["operating", "deregistered"]),
    st.tuples(st.sampled_from(["high_tech", "tech_sme", "listed"]), st.booleans()).map(
        lambda t: {"fact": t[0], "op": "is", "value": t[1]}),
)

rules_strategy = st.recursive(
    conditions,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=4).map(lambda c: {"all": c}),
        st.lists(children, min_size=1, max_size=4).map(lambda c: {"any": c}),
        children.map(lambda c: {"not": c}),
    ),
    max_leaves=7,
)


def _as_group(rule):
    return rule if "fact" not in rule else {"all": [rule]}


def _insert(rows):
    districts = dict(District.objects.values_list("key", "id"))
    objects = []
    for row in rows:
        row = dict(row)
        key = row.pop("district")
        objects.append(Enterprise(uscc=f"T{next(_serial):017d}", name="测试", district_id=districts.get(key), **row))
    return Enterprise.objects.bulk_create(objects)


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(rule=rules_strategy, on=st.sampled_from(DATES), data=st.data())
def test_explanation_and_query_agree_on_random_enterprises_and_rules(rule, on, data):
    rows = data.draw(st.lists(enterprise_rows(on), min_size=1, max_size=8))
    rule = _as_group(rule)
    try:
        tree = parse_rule(rule)
    except RuleError:
        assume(False)
    with transaction.atomic():
        created = _insert(rows)
        ids = [e.pk for e in created]
        ctx = RuleContext(on=on)
        passed_q, failed_q = _compile(tree, ctx)
        selected = set(Enterprise.objects.filter(pk__in=ids).filter(passed_q).values_list("pk", flat=True))
        rejected = set(Enterprise.objects.filter(pk__in=ids).filter(failed_q).values_list("pk", flat=True))
        for enterprise in Enterprise.objects.filter(pk__in=ids):
            outcome = explain(tree, enterprise, ctx=ctx).outcome
            assert (outcome == PASS) == (enterprise.pk in selected), (rule, outcome)
            assert (outcome == FAIL) == (enterprise.pk in rejected), (rule, outcome)
        transaction.set_rollback(True)

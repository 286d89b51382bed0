"""Registry test data: the people and organisations of the core tests plus registered enterprises.

Enterprise A's organisation (core fixture `enterprise_a`) has the USCC of `firm_a`, so its legal representative
`rep_a` acts for firm A; `rep_b` acts for enterprise B, which is not in the register here.
"""

import datetime

import pytest

from shuangchuang.core.tests.conftest import (  # noqa: F401 — shared fixtures
    english,
    enterprise_a,
    enterprise_b,
    login,
    mqsa,
    officer_mqsa,
    officer_stic,
    platform_admin,
    rep_a,
    rep_b,
    staff_a,
    stic,
)
from shuangchuang.core.tests.factories import enterprise_code
from shuangchuang.registry.models import District, IndustryDivision
from shuangchuang.registry.tests.factories import LEGAL_REP_ID, make_natural_person, register


@pytest.fixture
def nanshan(db):
    return District.objects.get(code="440305")


@pytest.fixture
def legal_rep_person(db):
    return make_natural_person(LEGAL_REP_ID, "李明")


@pytest.fixture
def firm_a(db, mqsa, nanshan, legal_rep_person):
    """A manufacturer in Nanshan registered by the market regulator, with figures."""
    return register(
        uscc=enterprise_code(1), name="深圳市甲科技有限公司", trade_name="甲科技", registration_authority=mqsa,
        district=nanshan, address="深圳市南山区粤海街道科技园", industry=IndustryDivision.objects.get(code="39"),
        founded_on=datetime.date(2019, 5, 20), legal_representative=legal_rep_person,
        registered_capital_fen=500_000_000, employees=45, revenue_fen=2_800_000_000, total_assets_fen=3_500_000_000,
    )

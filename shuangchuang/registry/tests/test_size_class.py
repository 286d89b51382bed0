"""SME size class by the 2011 standard (工信部联企业〔2011〕300号), at and around the boundaries.

The table is reference data loaded by the migrations; size_class_for picks the row by industry division, or by
the 4-digit class where the standard splits a division (7010 real-estate development / 7020 property management).
Figures: employees in persons, money in fen (1 万元 = 1,000,000 fen).
"""

import pytest

from shuangchuang.registry.selectors import size_class_for
from shuangchuang.registry.size_class import FEN_PER_WAN, SizeRule, classify

pytestmark = pytest.mark.django_db


def wan(amount) -> int:
    """万元 → fen."""
    return int(amount * FEN_PER_WAN)


FEN = 1  # one fen below a boundary is below it


def size(division, *, employees=None, revenue=None, assets=None, class_code=""):
    return size_class_for(division_code=division, class_code=class_code, employees=employees, revenue_fen=revenue,
                          assets_fen=assets)


# (employees, revenue in fen, expected)
INDUSTRY = [
    (1000, wan(40000), "large"),
    (999, wan(40000), "medium"),  # 1000 人以下 → SME
    (1000, wan(40000) - FEN, "medium"),  # 40000 万元以下 → SME
    (5000, wan(100000), "large"),
    (300, wan(2000), "medium"),  # 及以上: the boundary is medium
    (299, wan(2000), "small"),
    (300, wan(2000) - FEN, "small"),
    (20, wan(300), "small"),
    (19, wan(300), "micro"),
    (20, wan(300) - FEN, "micro"),
    (0, 0, "micro"),
    (5000, wan(100), "micro"),  # many staff, tiny revenue: SME by revenue, micro because revenue < 300 万
]


@pytest.mark.parametrize(("employees", "revenue", "expected"), INDUSTRY)
@pytest.mark.parametrize("division", ["06", "13", "39", "44"])  # mining, manufacturing, utilities
def test_industry(division, employees, revenue, expected):
    assert size(division, employees=employees, revenue=revenue) == expected


@pytest.mark.parametrize(("employees", "revenue", "expected"), [
    (300, wan(20000), "large"),
    (299, wan(20000), "medium"),
    (300, wan(20000) - FEN, "medium"),
    (50, wan(500), "medium"),
    (49, wan(500), "small"),
    (50, wan(500) - FEN, "small"),
    (10, wan(100), "small"),
    (9, wan(100), "micro"),
    (10, wan(100) - FEN, "micro"),
])
def test_retail(employees, revenue, expected):
    assert size("52", employees=employees, revenue=revenue) == expected


@pytest.mark.parametrize(("employees", "revenue", "expected"), [
    (300, wan(10000), "large"),
    (299, wan(10000), "medium"),
    (300, wan(10000) - FEN, "medium"),
    (100, wan(1000), "medium"),
    (99, wan(1000), "small"),
    (100, wan(1000) - FEN, "small"),
    (10, wan(50), "small"),
    (9, wan(50), "micro"),
    (10, wan(50) - FEN, "micro"),
])
def test_software(employees, revenue, expected):
    assert size("65", employees=employees, revenue=revenue) == expected


@pytest.mark.parametrize(("revenue", "assets", "expected"), [
    (wan(80000), wan(80000), "large"),
    (wan(80000) - FEN, wan(80000), "medium"),
    (wan(80000), wan(80000) - FEN, "medium"),
    (wan(6000), wan(5000), "medium"),
    (wan(6000) - FEN, wan(5000), "small"),
    (wan(6000), wan(5000) - FEN, "small"),
    (wan(300), wan(300), "small"),
    (wan(300) - FEN, wan(300), "micro"),
    (wan(300), wan(300) - FEN, "micro"),
])
@pytest.mark.parametrize("division", ["47", "50"])
def test_construction(division, revenue, assets, expected):
    assert size(division, revenue=revenue, assets=assets, employees=None) == expected


@pytest.mark.parametrize(("revenue", "assets", "expected"), [
    (wan(200000), wan(10000), "large"),
    (wan(200000) - FEN, wan(10000), "medium"),
    (wan(200000), wan(10000) - FEN, "medium"),
    (wan(1000), wan(5000), "medium"),
    (wan(1000) - FEN, wan(5000), "small"),
    (wan(1000), wan(5000) - FEN, "small"),
    (wan(100), wan(2000), "small"),
    (wan(100) - FEN, wan(2000), "micro"),
    (wan(100), wan(2000) - FEN, "micro"),
])
@pytest.mark.parametrize("class_code", ["7010", ""])  # the division 70 defaults to development
def test_real_estate_development(class_code, revenue, assets, expected):
    assert size("70", class_code=class_code, revenue=revenue, assets=assets) == expected


@pytest.mark.parametrize(("employees", "revenue", "expected"), [
    (1000, wan(5000), "large"),
    (999, wan(5000), "medium"),
    (1000, wan(5000) - FEN, "medium"),
    (300, wan(1000), "medium"),
    (299, wan(1000), "small"),
    (300, wan(1000) - FEN, "small"),
    (100, wan(500), "small"),
    (99, wan(500), "micro"),
    (100, wan(500) - FEN, "micro"),
])
def test_property_management(employees, revenue, expected):
    assert size("70", class_code="7020", employees=employees, revenue=revenue) == expected


def test_7010_and_7020_differ_for_the_same_figures():
    figures = {"employees": 150, "revenue": wan(3000), "assets": wan(6000)}
    assert size("70", class_code="7010", **figures) == "medium"  # revenue ≥ 1000 万 and assets ≥ 5000 万
    assert size("70", class_code="7020", **figures) == "small"  # 150 staff < 300
    # Property management needs employees and revenue, development revenue and assets.
    assert size("70", class_code="7020", revenue=wan(3000), assets=wan(6000)) == ""
    assert size("70", class_code="7010", employees=150, revenue=wan(3000)) == ""


@pytest.mark.parametrize(("employees", "assets", "expected"), [
    (300, wan(120000), "large"),
    (299, wan(120000), "medium"),
    (300, wan(120000) - FEN, "medium"),
    (100, wan(8000), "medium"),
    (99, wan(8000), "small"),
    (100, wan(8000) - FEN, "small"),
    (10, wan(100), "small"),
    (9, wan(100), "micro"),
    (10, wan(100) - FEN, "micro"),
])
@pytest.mark.parametrize("division", ["71", "72"])
def test_leasing_and_business_services(division, employees, assets, expected):
    assert size(division, employees=employees, assets=assets) == expected


@pytest.mark.parametrize(("revenue", "expected"), [
    (wan(20000), "large"),
    (wan(20000) - FEN, "medium"),
    (wan(500), "medium"),
    (wan(500) - FEN, "small"),
    (wan(50), "small"),
    (wan(50) - FEN, "micro"),
    (0, "micro"),
])
@pytest.mark.parametrize("division", ["01", "05"])
def test_agriculture(division, revenue, expected):
    assert size(division, revenue=revenue, employees=100000) == expected


@pytest.mark.parametrize(("employees", "expected"), [
    (300, "large"), (299, "medium"), (100, "medium"), (99, "small"), (10, "small"), (9, "micro"), (0, "micro"),
])
@pytest.mark.parametrize("division", ["53", "73", "75", "84"])  # railway, R&D, tech services, health
def test_other(division, employees, expected):
    assert size(division, employees=employees, revenue=wan(1_000_000)) == expected


@pytest.mark.parametrize(("division", "figures"), [
    ("39", {"employees": 500}),
    ("39", {"revenue": wan(5000)}),
    ("52", {"employees": None, "revenue": None}),
    ("47", {"revenue": wan(5000)}),
    ("70", {"revenue": wan(5000)}),
    ("72", {"employees": 50}),
    ("01", {"employees": 50}),
    ("73", {"revenue": wan(5000)}),
])
def test_missing_figure_gives_empty(division, figures):
    assert size(division, **figures) == ""


@pytest.mark.parametrize("division", [None, "", "00", "99"])
def test_unknown_industry_gives_empty(division):
    assert size(division, employees=50, revenue=wan(1000), assets=wan(1000)) == ""


def test_unknown_class_code_falls_back_to_the_division():
    assert size("70", class_code="7090", revenue=wan(1000), assets=wan(5000)) == "medium"


def test_boundary_setting_below_not_strict():
    """With boundary_below_is_strict off, 以下 includes the boundary: exactly 1000 staff is then an SME."""
    rule = SizeRule("industry", ("employees", "revenue"), {"employees": 1000, "revenue": 40000},
                    {"employees": 300, "revenue": 2000}, {"employees": 20, "revenue": 300},
                    boundary_below_is_strict=False)
    assert classify(rule, employees=1000, revenue_fen=wan(50000), assets_fen=None) == "medium"
    assert classify(rule, employees=1001, revenue_fen=wan(40001), assets_fen=None) == "large"

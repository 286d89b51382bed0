"""The structure and content rules of a proposed name (企业名称登记管理规定 Art 6-13), table-driven."""

from __future__ import annotations

import pytest

from shuangchuang.names.services import name_check

STRUCTURE = [
    # name, legal form, industry code, verdict, issue code (None: no issue)
    ("深圳市鹏城新芯科技有限公司", "llc", None, "ok", None),
    ("深圳市南山区鹏城新芯科技有限公司", "llc", None, "ok", None),
    ("深圳鹏城新芯科技有限公司", "llc", None, "ok", None),
    ("鹏城新芯（深圳）科技有限公司", "llc", None, "ok", None),
    ("深圳市大鹏新区鹏城新芯科技有限公司", "llc", None, "ok", None),
    ("深圳市鹏城新芯科技股份有限公司", "jsc", None, "ok", None),
    ("深圳市鹏城新芯投资合伙企业（有限合伙）", "partnership", None, "ok", None),
    ("深圳市南山区阿明理发店", "individual", None, "ok", None),
    ("深圳市鹏城新芯软件有限公司", "llc", "65", "ok", None),
    ("深圳市天英国际贸易有限公司", "llc", None, "ok", None),
    ("深圳市鹏城新芯科技有限公司", "llc", "39", "ok", None),  # 科技 is used across industries  # 英国 across trade name and industry is no word
    ("深圳市阿里巴巴网络科技有限公司", "llc", None, "ok", None),  # 阿里 (a Tibetan prefecture) after 深圳市 is no region
    ("鹏城新芯科技有限公司", "llc", None, "invalid", "region_missing"),
    ("南山区鹏城新芯科技有限公司", "llc", None, "invalid", "district_without_city"),
    ("大鹏新区鹏城新芯科技有限公司", "llc", None, "invalid", "district_without_city"),
    ("北京市鹏城新芯科技有限公司", "llc", None, "invalid", "region_outside"),
    ("深圳市鹏城新芯科技", "llc", None, "invalid", "form_missing"),
    ("深圳市鹏城新芯科技有限公司", "jsc", None, "invalid", "form_mismatch"),
    ("深圳市鹏城新芯科技股份有限公司", "llc", None, "invalid", "form_mismatch"),
    ("深圳市鹏城新芯科技有限公司", "individual", None, "invalid", "form_mismatch"),
    ("深圳市鹏城创芯科技有限公司", "branch", None, "invalid", "branch_form"),
    ("深圳市鹏科技有限公司", "llc", None, "invalid", "trade_name_too_short"),
    ("深圳市广州科技有限公司", "llc", None, "invalid", "trade_name_is_region"),
    ("深圳市软件有限公司", "llc", None, "invalid", "trade_name_is_industry"),
    ("深圳市鹏城新芯地产有限公司", "llc", "65", "invalid", "industry_mismatch"),
    ("深圳市ABC科技有限公司", "llc", None, "invalid", "latin_letters"),
    ("深圳市pengcheng科技有限公司", "llc", None, "invalid", "latin_letters"),
    ("深圳市１２３科技有限公司", "llc", None, "invalid", "digits"),
    ("深圳市鹏城@科技有限公司", "llc", None, "invalid", "characters"),
    ("", "llc", None, "invalid", "empty"),
]

FORBIDDEN = [
    ("中国鹏城新芯科技有限公司", "forbidden_national_prefix"),
    ("国家鹏城新芯科技有限公司", "forbidden_national_prefix"),
    ("深圳市中华鹏城科技有限公司", "forbidden_national_in_trade_name"),
    ("深圳市共产党鹏城科技有限公司", "forbidden_organ"),
    ("深圳市解放军鹏城科技有限公司", "forbidden_organ"),
    ("深圳市美国鹏城科技有限公司", "forbidden_foreign"),
    ("深圳市联合国鹏城科技有限公司", "forbidden_foreign"),
    ("深圳市博彩鹏城科技有限公司", "forbidden_obscene_gambling"),
    ("深圳市算命鹏城科技有限公司", "forbidden_obscene_gambling"),
    ("深圳市洋鬼子鹏城科技有限公司", "forbidden_discriminatory"),
    ("深圳市国营鹏城科技有限公司", "forbidden_misleading"),
]


@pytest.mark.django_db
class TestStructure:
    @pytest.mark.parametrize(("name", "legal_form", "industry", "verdict", "code"), STRUCTURE)
    def test_a_name_is_parsed_and_its_structure_checked(self, name, legal_form, industry, verdict, code):
        result = name_check(name=name, legal_form=legal_form, industry_code=industry)
        codes = [issue.code for issue in result.issues]
        assert result.verdict == verdict, codes
        if code is None:
            assert codes == []
        else:
            assert code in codes
            issue = next(i for i in result.issues if i.code == code)
            assert issue.rule and issue.message and issue.conflict is None

    def test_the_parts_of_a_name_are_given_back(self):
        result = name_check(name="深圳市南山区鹏城新芯科技有限公司", legal_form="llc")
        assert result.parsed == {"region": "深圳市南山区", "trade_name": "鹏城新芯", "industry": "科技",
                                 "form": "有限公司"}

    def test_a_region_word_of_another_province_after_the_city_stays_in_the_trade_name(self):
        result = name_check(name="深圳市阿里巴巴网络科技有限公司", legal_form="llc")
        assert result.parsed["region"] == "深圳市" and result.parsed["trade_name"] == "阿里巴巴"

    def test_every_structure_issue_cites_its_article(self):
        result = name_check(name="南山区鹏科技", legal_form="llc")
        rules = {i.code: i.rule for i in result.issues}
        assert "Art 7" in rules["district_without_city"]
        assert "Art 8" in rules["trade_name_too_short"]
        assert "Art 10" in rules["form_missing"]


@pytest.mark.django_db
class TestForbiddenContent:
    @pytest.mark.parametrize(("name", "code"), FORBIDDEN)
    def test_forbidden_content_is_refused_with_its_article(self, name, code):
        result = name_check(name=name, legal_form="llc")
        assert result.verdict == "invalid"
        issue = next(i for i in result.issues if i.code == code)
        assert "Art 1" in issue.rule  # Art 11 or Art 12

    def test_the_lists_are_data_with_their_source(self):
        from shuangchuang.names.rules import read

        data = read("forbidden.json")
        assert "Art 11" in data["source"] and "Art 12" in data["source"]
        assert all(c["words"] and c["rule"] for c in data["categories"])

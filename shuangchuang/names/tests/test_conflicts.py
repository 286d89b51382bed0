"""Conflicts with registered, reserved and protected names of the same registration authority (Art 17; the 2017
comparison rules), table-driven, and the investment relation that lifts the identical rule."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.names.index import index_build
from shuangchuang.names.services import investment_relation_record, name_check, name_protect
from shuangchuang.names.tests.conftest import register
from shuangchuang.registry.models import Enterprise

CONFLICTS = [
    # proposed name, legal form, verdict, issue code, conflicting name
    ("深圳市鹏城创芯科技有限公司", "llc", "identical", "identical_enterprise", "深圳市鹏城创芯科技有限公司"),
    ("鹏城创芯（深圳）科技有限公司", "llc", "identical", "identical_enterprise", "深圳市鹏城创芯科技有限公司"),
    ("深圳市南山区鹏城创芯科技有限公司", "llc", "identical", "identical_enterprise", "深圳市鹏城创芯科技有限公司"),
    ("深圳市鹏城创芯科技股份有限公司", "jsc", "identical", "identical_enterprise", "深圳市鹏城创芯科技有限公司"),
    ("深圳市鹏城创芯有限公司", "llc", "identical", "identical_enterprise", "深圳市鹏城创芯科技有限公司"),
    ("深圳市星河科技有限公司", "llc", "identical", "identical_enterprise", "深圳市星河有限公司"),
    ("深圳市鹏城创芯软件有限公司", "llc", "similar", "similar_industry_wording", "深圳市鹏城创芯科技有限公司"),
    ("深圳市万青房地产有限公司", "llc", "similar", "similar_industry_wording", "深圳市万青地产有限公司"),
    ("深圳市万青置业有限公司", "llc", "similar", "similar_industry_wording", "深圳市万青地产有限公司"),
    ("深圳市牛兰山酒业有限公司", "llc", "similar", "similar_homophone", "深圳市牛栏山酒业有限公司"),
    ("深圳市牛蓝山酒业有限公司", "llc", "similar", "similar_homophone", "深圳市牛栏山酒业有限公司"),
    ("深圳市阿里巴巴巴巴网络科技有限公司", "llc", "similar", "similar_contains", "深圳市阿里巴巴网络科技有限公司"),
    ("深圳市阿里巴网络科技有限公司", "llc", "similar", "similar_contains", "深圳市阿里巴巴网络科技有限公司"),
    ("深圳市里巴巴网络科技有限公司", "llc", "similar", "similar_contains", "深圳市阿里巴巴网络科技有限公司"),
    ("深圳市鹏城创芯地产有限公司", "llc", "ok", None, None),  # same trade name, another industry
    ("深圳市牛兰山地产有限公司", "llc", "ok", None, None),  # a homophone in another industry
    ("深圳市鹏程新港科技有限公司", "llc", "ok", None, None),
]


@pytest.mark.django_db
class TestConflictsWithRegisteredNames:
    @pytest.mark.parametrize(("name", "legal_form", "verdict", "code", "conflict"), CONFLICTS)
    def test_each_kind_of_conflict_names_the_other_name_and_the_rule(self, registered, name, legal_form, verdict,
                                                                     code, conflict):
        result = name_check(name=name, legal_form=legal_form)
        assert result.verdict == verdict, [(i.code, i.conflict) for i in result.issues]
        if code is None:
            assert result.issues == []
            return
        issue = next(i for i in result.issues if i.code == code)
        assert issue.conflict == conflict
        assert ("Art 17" in issue.rule) if verdict == "identical" else ("133号" in issue.rule)

    def test_only_names_of_the_same_registration_authority_count(self, registered, stic):
        result = name_check(name="深圳市鹏城创芯科技有限公司", legal_form="llc", registration_authority=stic)
        assert result.verdict == "ok"

    def test_a_name_registered_after_the_index_was_built_is_seen_once_indexed(self, registered):
        register("深圳市海川潮汐科技有限公司")
        assert name_check(name="深圳市海川潮汐科技有限公司", legal_form="llc").verdict == "identical"

    def test_a_changed_enterprise_is_indexed_again(self, registered):
        enterprise = registered["pengcheng"]
        Enterprise.objects.filter(pk=enterprise.pk).update(name="深圳市鹏城芯光科技有限公司", updated_at=timezone.now())
        index_build()
        assert name_check(name="深圳市鹏城芯光科技有限公司", legal_form="llc").verdict == "identical"
        assert name_check(name="深圳市鹏城创芯科技有限公司", legal_form="llc").verdict == "ok"


@pytest.mark.django_db
class TestProtectedNames:
    def test_a_deregistered_name_is_protected_for_a_year_then_free(self, registered):
        enterprise = registered["hongguang"]
        since = timezone.localdate() - datetime.timedelta(days=30)
        name_protect(actor=SYSTEM, name=enterprise.name, enterprise=enterprise, reason="deregistered", since=since)
        result = name_check(name="深圳市红光酒业发展有限公司", legal_form="llc")
        assert result.verdict == "identical"
        assert any(i.code == "identical_protected" for i in result.issues)
        later = since + datetime.timedelta(days=370)
        Enterprise.objects.filter(pk=enterprise.pk).update(status="deregistered", status_changed_on=since)
        index_build(rebuild=True)
        assert name_check(name="深圳市红光酒业发展有限公司", legal_form="llc", on=later).verdict == "ok"

    def test_a_changed_name_is_protected_and_the_new_name_registered(self, registered):
        enterprise = registered["wanqing"]
        old = enterprise.name
        Enterprise.objects.filter(pk=enterprise.pk).update(name="深圳市万青智城地产有限公司")
        enterprise.refresh_from_db()
        protected = name_protect(actor=SYSTEM, name=old, enterprise=enterprise, reason="changed",
                                 since=timezone.localdate())
        assert protected.until == protected.since.replace(year=protected.since.year + 1)
        assert name_check(name=old, legal_form="llc").issues[0].code == "identical_protected"
        assert name_check(name="深圳市万青智城地产有限公司", legal_form="llc").verdict == "identical"

    def test_a_transferred_name_is_not_protected(self, registered):
        enterprise = registered["hongguang"]
        name_protect(actor=SYSTEM, name="深圳市红光旧名酒业有限公司", enterprise=enterprise, reason="changed",
                     since=timezone.localdate(), transferred=True)
        result = name_check(name="深圳市红光旧名酒业有限公司", legal_form="llc")
        assert [i.code for i in result.issues] == ["similar_contains"]  # 红光 of the firm itself, not the old name

    def test_an_enterprise_deregistered_in_the_registry_counts_for_a_year(self, registered):
        enterprise = registered["niulanshan"]
        Enterprise.objects.filter(pk=enterprise.pk).update(
            status="deregistered", status_changed_on=timezone.localdate() - datetime.timedelta(days=100),
            updated_at=timezone.now())
        index_build()
        result = name_check(name="深圳市牛栏山酒业有限公司", legal_form="llc")
        assert result.verdict == "identical" and "protected until" in result.issues[0].message
        Enterprise.objects.filter(pk=enterprise.pk).update(
            status_changed_on=timezone.localdate() - datetime.timedelta(days=400), updated_at=timezone.now())
        index_build()
        assert name_check(name="深圳市牛栏山酒业有限公司", legal_form="llc").verdict == "ok"


@pytest.mark.django_db
class TestInvestmentRelation:
    def test_a_declared_investor_lifts_the_identical_rule_to_an_acknowledgement(self, registered):
        parent = registered["pengcheng"]
        alone = name_check(name="深圳市鹏城创芯有限公司", legal_form="llc")
        assert alone.verdict == "identical"
        related = name_check(name="深圳市鹏城创芯有限公司", legal_form="llc", investor_usccs=[parent.uscc])
        assert related.verdict == "similar"
        assert [i.code for i in related.issues] == ["identical_investment_relation"]
        assert related.issues[0].conflict == parent.name

    def test_a_recorded_relation_of_the_investor_lifts_it_too(self, registered):
        holding = register("深圳市瀚森控股有限公司", division="72")
        investment_relation_record(actor=SYSTEM, investor=holding, investee=registered["pengcheng"])
        result = name_check(name="深圳市鹏城创芯有限公司", legal_form="llc", investor_usccs=[holding.uscc])
        assert result.verdict == "similar"

    def test_an_unrelated_investor_does_not(self, registered):
        result = name_check(name="深圳市鹏城创芯有限公司", legal_form="llc",
                            investor_usccs=[registered["wanqing"].uscc])
        assert result.verdict == "identical"

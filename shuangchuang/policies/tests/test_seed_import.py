"""Importing the seed policy 深府〔2016〕61号 from plain text: header, 34 measures, their responsible units."""

import datetime

import pytest

from shuangchuang.core.models import Organisation
from shuangchuang.policies.models import Benefit, DocumentStatus, Parameter, PartKind, PolicyDocument
from shuangchuang.policies.services.seed import DATA_DIR
from shuangchuang.policies.textimport import cn_to_int, parse_policy_text, split_units, take_units

SEED_TEXT = (DATA_DIR / "shenzhen-2016-61.txt").read_text(encoding="utf-8")


class TestParsingThePlainText:
    def test_header_fields_are_read(self):
        meta = parse_policy_text(SEED_TEXT).meta
        assert meta["number"] == "深府〔2016〕61号"
        assert meta["title"] == "深圳市人民政府关于大力推进大众创业万众创新的实施意见"
        assert meta["index_number"] == "043000-10-2016-007233"
        assert meta["published_on"] == datetime.date(2016, 9, 6)
        assert meta["signed_on"] == datetime.date(2016, 8, 8)
        assert meta["issuer"] == "深圳市人民政府"
        assert meta["source_url"].startswith("http://www.sz.gov.cn/zfgb/2016/")

    def test_the_text_has_34_numbered_measures_in_order(self):
        measures = parse_policy_text(SEED_TEXT).measures
        assert [m.seq for m in measures] == list(range(1, 35))
        assert measures[17].number == "（十八）"
        assert measures[17].title == "推进实施创新券等公共服务新模式"

    def test_units_inside_brackets_are_not_split(self):
        assert split_units("市中小企业服务署（上市办）、经贸信息委，前海管理局") == [
            "市中小企业服务署（上市办）", "经贸信息委", "前海管理局"]

    def test_unit_list_with_a_trailing_full_stop_is_taken(self):
        text, units = take_units("落实税收优惠政策。（责任单位：深圳市国税局、地税局）。")
        assert text == "落实税收优惠政策。"
        assert units == "深圳市国税局、地税局"

    @pytest.mark.parametrize("numeral,value", [("一", 1), ("十", 10), ("十八", 18), ("二十", 20), ("三十四", 34)])
    def test_chinese_numerals(self, numeral, value):
        assert cn_to_int(numeral) == value


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestImportingTheSeedPolicy:
    def test_seed_gives_one_published_document_with_34_measures(self):
        document = PolicyDocument.objects.get(slug="sz-2016-61")
        assert document.status == DocumentStatus.PUBLISHED
        assert document.number == "深府〔2016〕61号"
        assert document.parts.filter(kind=PartKind.MEASURE).count() == 34
        assert document.versions.count() == 1

    def test_every_measure_with_a_unit_list_maps_it_to_department_records(self):
        document = PolicyDocument.objects.get(slug="sz-2016-61")
        measures = document.parts.filter(kind=PartKind.MEASURE).order_by("seq")
        with_units = [m for m in measures if m.children.exclude(units_text="").exists()]
        assert [m.seq for m in with_units] == list(range(1, 31))  # (三十一)–(三十四) name no units
        for measure in with_units:
            assert measure.units.exists(), measure.number
            for paragraph in measure.children.exclude(units_text=""):
                assert paragraph.units.exists(), paragraph.text[:20]

    def test_measure_18_is_led_by_the_science_commission_and_education_bureau(self):
        measure = PolicyDocument.objects.get(slug="sz-2016-61").parts.get(kind=PartKind.MEASURE, seq=18)
        codes = list(measure.part_units.order_by("order").values_list("organisation__code", flat=True))
        assert codes == ["SZ-STIC", "SZ-HRSS", "SZ-EDU"]

    def test_collective_names_expand_to_districts_and_new_areas(self):
        measure = PolicyDocument.objects.get(slug="sz-2016-61").parts.get(kind=PartKind.MEASURE, seq=5)
        codes = set(measure.units.values_list("code", flat=True))
        assert {"SZ-D440305", "SZ-D440311", "SZ-NA-DAPENG", "SZ-NA-SHENSHAN", "SZ-FIN"} <= codes

    def test_units_written_with_and_without_the_city_prefix_are_the_same_department(self):
        measure = PolicyDocument.objects.get(slug="sz-2016-61").parts.get(kind=PartKind.MEASURE, seq=6)
        written = dict(measure.part_units.values_list("organisation__code", "written_as"))
        assert written["SZ-NTAX"] == "深圳市国税局"
        assert written["SZ-LTAX"] == "地税局"

    def test_seed_loads_related_rules_parameters_and_benefits_once(self, seeded_class):
        assert seeded_class["documents"] == 12
        assert PolicyDocument.objects.filter(is_summary=True).count() == 11
        assert Benefit.objects.count() == 22
        assert Parameter.objects.filter(key="voucher.cap.small").get().value == 10_000_000
        from shuangchuang.policies.services import seed_load
        from shuangchuang.policies.tests.factories import SYSTEM

        assert seed_load(actor=SYSTEM) == {"documents": 0, "parameters": 0, "benefits": 0}

    def test_gap_facts_are_parameters_without_a_value(self):
        gap = Parameter.objects.get(key="voucher.validity_months")
        assert gap.value is None and "GAP" in gap.source

    def test_each_benefit_is_linked_to_the_clause_granting_it(self):
        voucher = Benefit.objects.get(code="innovation-voucher")
        assert voucher.part.parent.number == "（十八）"
        assert "科技创新券" in voucher.part.text



class TestImportingOtherText:
    def test_unknown_units_stop_an_import_with_their_names(self, officer_stic, stic):
        from shuangchuang.core.errors import ServiceError
        from shuangchuang.policies.services import policy_import_text
        from shuangchuang.policies.tests.factories import actor_for as actor

        text = "（一）试点。\n开展试点。（责任单位：市科技创新委、月球管理局）"
        with pytest.raises(ServiceError) as error:
            policy_import_text(actor=actor(officer_stic, stic), department=stic, text=text, title="试点通知")
        assert error.value.code == "unknown_units"
        assert "月球管理局" in error.value.message
        assert not PolicyDocument.objects.exists()
        assert Organisation.objects.filter(name="月球管理局").count() == 0


@pytest.mark.django_db
class TestCreditArrivingLater:
    def test_reloading_the_seed_adds_the_credit_condition_to_untouched_rules(self, monkeypatch):
        from shuangchuang.policies.rules import facts as facts_module
        from shuangchuang.policies.services import seed_load
        from shuangchuang.policies.tests.factories import SYSTEM
        from shuangchuang.registry.models import Enterprise

        monkeypatch.setattr(facts_module, "_credit_subquery", None)
        seed_load(actor=SYSTEM)
        assert "credit_blocked" not in str(Benefit.objects.get(code="innovation-voucher").rule)
        monkeypatch.setattr(facts_module, "_credit_subquery",
                            lambda *, action, on: Enterprise.objects.none().values("uscc"))
        seed_load(actor=SYSTEM)
        voucher = Benefit.objects.get(code="innovation-voucher")
        assert voucher.rule["all"][-1] == {"fact": "credit_blocked", "op": "is", "value": False,
                                           "action": "voucher",
                                           "cite": "（二）限制具有信用污点的企业申报财政专项资金扶持、参与政府采购"}
        assert "credit_blocked" not in str(Benefit.objects.get(code="rd-super-deduction").rule)

"""The public policy library: Chinese search on jieba tokens, facets and filters, the document page with its
measures and units, and "what this means for me"; officers import, publish, revise (versions and differences)
and withdraw."""

import datetime

import pytest
from django.utils import timezone

from shuangchuang.core.models import AuditEvent
from shuangchuang.policies.models import Benefit, DocumentStatus, PolicyDocument
from shuangchuang.policies.selectors.documents import document_search
from shuangchuang.policies.services import (
    policy_import_text,
    policy_publish,
    policy_revise,
    policy_withdraw,
)
from shuangchuang.policies.tests.factories import SYSTEM, actor_for

SMALL_TEXT = """文   号: 深科技创新〔2026〕9号
信息名称: 关于开展创新券试点的通知
发布机构: 深圳市科技创新委员会
各有关单位：
　　为做好创新券试点工作，现通知如下。
　　（一）试点范围。
　　在南山区开展科技创新券试点。（责任单位：市科技创新委、南山区政府）
　　（二）资金保障。
　　试点资金由市财政统筹安排。（责任单位：市财政委）
深圳市科技创新委员会
2026年11月1日
"""


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestSearchAndFacets:
    def test_a_chinese_word_finds_the_seed_policy_and_its_summary(self):
        numbers = list(document_search("创新券").values_list("number", flat=True))
        assert numbers == ["深府〔2016〕61号", "深科技创新规〔2015〕1号"]

    def test_every_word_must_match(self):
        assert not document_search("创新券 红烧肉").exists()
        assert document_search("孔雀计划 海外").filter(slug="sz-2016-61").exists()

    def test_filters_narrow_the_results(self):
        tax = set(document_search("", {"topic": "tax"}).values_list("slug", flat=True))
        assert {"sz-2016-61", "rd-deduction-history", "vc-credit-2009-87"} <= tax
        assert "maker-2015-46" not in tax
        assert set(document_search("", {"issuer": "深圳市人民政府"}).values_list("slug", flat=True)) == {
            "sz-2016-61", "maker-2015-46"}

    def test_the_search_page_highlights_the_matching_measure(self, client):
        response = client.get("/policies/", {"q": "创新券"})
        html = response.content.decode()
        assert "2 documents found" in html
        assert "<strong>（十八）</strong> 继续实施科技<mark>创新券</mark>制度" in html

    def test_htmx_asks_for_the_results_only(self, client):
        response = client.get("/policies/", {"q": "孔雀计划"}, headers={"HX-Request": "true"})
        assert b"<html" not in response.content and b"pol-result" in response.content

    def test_the_search_page_stays_within_a_fixed_number_of_queries(self, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            assert client.get("/policies/", {"q": "创业", "topic": "finance"}).status_code == 200

    def test_withdrawn_documents_leave_the_default_list_and_show_under_their_filter(self):
        doc = PolicyDocument.objects.get(slug="maker-space-2018")
        policy_withdraw(actor=SYSTEM, document=doc, reason="被2020年指南取代")
        assert not document_search("").filter(pk=doc.pk).exists()
        assert document_search("", {"status": "withdrawn"}).filter(pk=doc.pk).exists()

    def test_expired_documents_are_filtered_by_their_expiry_date(self):
        doc = PolicyDocument.objects.get(slug="startup-loan-2024")
        PolicyDocument.objects.filter(pk=doc.pk).update(expires_on=datetime.date(2025, 1, 1))
        assert not document_search("").filter(pk=doc.pk).exists()
        assert document_search("", {"status": "expired"}).filter(pk=doc.pk).exists()

    def test_open_and_closing_soon_follow_the_benefits_application_windows(self):
        today = timezone.localdate()
        Benefit.objects.filter(code="innovation-voucher").update(opens_on=today - datetime.timedelta(days=5),
                                                                 apply_until=today + datetime.timedelta(days=10))
        assert document_search("", {"window": "closing_soon"}).get().slug == "sz-2016-61"
        Benefit.objects.filter(code="innovation-voucher").update(apply_until=today + datetime.timedelta(days=40))
        assert not document_search("", {"window": "closing_soon"}).exists()
        assert document_search("", {"window": "open"}).filter(slug="sz-2016-61").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestDocumentPage:
    def test_the_page_lists_the_34_measures_with_their_units(self, client, django_assert_max_num_queries):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        with django_assert_max_num_queries(12):
            response = client.get(f"/policies/{doc.pk}/")
        html = response.content.decode()
        assert html.count('class="pol-measure"') == 34
        assert "（十八）推进实施创新券等公共服务新模式" in html
        assert 'title="深圳市科技创新委员会">市科技创新委</span>' in html

    def test_an_enterprise_sees_what_the_document_means_for_it(self, client, login, firm_a, rep_a):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        html = login(rep_a).get(f"/policies/{doc.pk}/").content.decode()
        assert "By the register facts of 深圳市甲科技有限公司 today" in html
        assert "you meet every condition in the register (cap ¥100,000)" in html

    def test_anonymous_visitors_are_invited_to_log_in(self, client):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        assert "as an enterprise to see what this document offers you." in client.get(f"/policies/{doc.pk}/").content.decode()

    def test_a_draft_is_hidden_from_the_public(self, client, stic):
        draft = policy_import_text(actor=SYSTEM, department=stic, text=SMALL_TEXT)
        assert client.get(f"/policies/{draft.pk}/").status_code == 404


@pytest.mark.django_db
class TestOfficerPublishing:
    def test_import_publish_revise_and_withdraw_keep_versions_and_an_audit_trail(self, stic, officer_stic):
        actor = actor_for(officer_stic, stic)
        doc = policy_import_text(actor=actor, department=stic, text=SMALL_TEXT, topics=["vouchers"])
        assert (doc.status, doc.number, doc.title) == (DocumentStatus.DRAFT, "深科技创新〔2026〕9号", "关于开展创新券试点的通知")
        assert doc.signed_on == datetime.date(2026, 11, 1)
        measure = doc.parts.get(number="（一）")
        assert list(measure.part_units.order_by("order").values_list("organisation__code", flat=True)) == [
            "SZ-STIC", "SZ-D440305"]

        policy_publish(actor=actor, document=doc)
        doc.refresh_from_db()
        assert doc.status == DocumentStatus.PUBLISHED and doc.published_at is not None

        policy_revise(actor=actor, document=doc, note="扩大试点范围",
                      text=SMALL_TEXT.replace("在南山区开展", "在南山区、福田区开展").replace("南山区政府）", "南山区政府、福田区政府）"))
        doc.refresh_from_db()
        assert doc.version == 2 and doc.status == DocumentStatus.PUBLISHED
        assert set(doc.parts.get(number="（一）").units.values_list("code", flat=True)) == {
            "SZ-STIC", "SZ-D440305", "SZ-D440304"}

        policy_withdraw(actor=actor, document=doc, reason="试点结束")
        doc.refresh_from_db()
        assert doc.status == DocumentStatus.WITHDRAWN and doc.withdrawn_reason == "试点结束"
        verbs = list(AuditEvent.objects.filter(object_type="policies.policydocument", object_id=str(doc.pk))
                     .order_by("seq").values_list("verb", "department__code"))
        assert verbs == [("policies.document_imported", "SZ-STIC"), ("policies.document_published", "SZ-STIC"),
                         ("policies.document_revised", "SZ-STIC"), ("policies.document_withdrawn", "SZ-STIC")]

    def test_the_difference_page_shows_the_changed_lines(self, client, login, stic, officer_stic):
        actor = actor_for(officer_stic, stic)
        doc = policy_import_text(actor=actor, department=stic, text=SMALL_TEXT)
        policy_revise(actor=actor, document=doc, note="扩大试点范围", text=SMALL_TEXT.replace("南山区开展", "全市开展"))
        html = login(officer_stic).get(f"/policies/{doc.pk}/versions/1/2/").content.decode()
        assert '<p class="removed"><span class="visually-hidden">− </span>在南山区开展科技创新券试点。' in html
        assert '<p class="added"><span class="visually-hidden">+ </span>在全市开展科技创新券试点。' in html
        assert "2 lines changed." in html

    def test_the_difference_of_versions_that_do_not_exist_is_not_found(self, login, stic, officer_stic):
        actor = actor_for(officer_stic, stic)
        doc = policy_import_text(actor=actor, department=stic, text=SMALL_TEXT)
        client = login(officer_stic)
        for old, new in ((1, 3), (0, 1), (1, 2_147_483_648), (9999999999999999999999999, 1)):
            assert client.get(f"/policies/{doc.pk}/versions/{old}/{new}/").status_code == 404, (old, new)
        assert client.get(f"/policies/{doc.pk}/versions/1/1/").status_code == 200

    def test_a_revision_that_changes_nothing_is_refused(self, stic, officer_stic):
        actor = actor_for(officer_stic, stic)
        doc = policy_import_text(actor=actor, department=stic, text=SMALL_TEXT)
        with pytest.raises(Exception, match="Nothing changed"):
            policy_revise(actor=actor, document=doc, note="无变化", text=SMALL_TEXT)
        doc.refresh_from_db()
        assert doc.version == 1

    def test_a_revision_keeps_benefits_linked_to_their_clause(self, seeded):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        text = (doc.body.replace("继续实施科技创新券制度", "继续实施并扩大科技创新券制度"))
        header = "文   号: 深府〔2016〕61号\n信息名称: 深圳市人民政府关于大力推进大众创业万众创新的实施意见\n"
        policy_revise(actor=SYSTEM, document=doc, note="示例修订", text=header + text + "\n深圳市人民政府\n2016年8月8日")
        voucher = Benefit.objects.get(code="innovation-voucher")
        assert voucher.part.parent.number == "（十八）"
        assert voucher.part.text.startswith("继续实施并扩大科技创新券制度")

    def test_the_import_page_creates_a_draft_from_pasted_text(self, client, login, officer_stic):
        response = login(officer_stic).post("/policies/manage/import/", {"text": SMALL_TEXT, "topics": ["vouchers"]})
        doc = PolicyDocument.objects.get(number="深科技创新〔2026〕9号")
        assert response.status_code == 302 and response["Location"] == f"/policies/{doc.pk}/"
        assert doc.topic_codes == ["vouchers"]

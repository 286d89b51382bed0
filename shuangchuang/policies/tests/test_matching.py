"""Matching and push: what an enterprise can get (with near misses), who matches a benefit (by district and
industry), telling each matching enterprise once in the background, saved searches and deadline reminders."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from shuangchuang.core.models import Notification
from shuangchuang.policies.models import Benefit, BenefitNotice, PushStatus, SavedSearch
from shuangchuang.policies.selectors.benefits import eligibility_for, match_breakdown
from shuangchuang.policies.services import (
    benefit_push_chunk,
    benefit_push_start,
    benefit_update,
    deadline_reminders_send,
    saved_search_create,
    saved_search_digest_send,
    saved_search_unsubscribe,
)
from shuangchuang.policies.tests.factories import SYSTEM, actor_for, make_enterprise, make_enterprise_member


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestEligibility:
    def test_a_small_manufacturer_gets_vouchers_loans_and_the_rd_deduction(self, firm_a):
        report = eligibility_for(firm_a)
        eligible = {r.benefit.code for r in report.eligible}
        assert eligible == {"innovation-voucher", "first-set-award", "first-set-premium", "rd-super-deduction",
                            "startup-loan-small-firm", "sme-procurement", "listing-support"}
        voucher = next(r for r in report.eligible if r.benefit.code == "innovation-voucher")
        assert (voucher.amount.text, voucher.amount.key) == ("¥100,000", "voucher.cap.small")

    def test_a_near_miss_says_which_condition_would_change_it(self, firm_a):
        report = eligibility_for(firm_a)
        hnte = next(r for r in report.near_misses if r.benefit.code == "hnte-recognition")
        assert hnte.explanation.near_miss.kind == "any"  # the R&D share for its revenue band
        assert "R&D expense as a share of revenue is at least 5%" in hnte.explanation.near_miss.requirement
        assert hnte.explanation.change_text == "R&D expense as a share of revenue is at least 5% (4%)"

    def test_benefits_checked_on_application_are_listed_as_open_if_you_qualify(self, firm_a):
        report = eligibility_for(firm_a)
        assert "maker-space-build" in {r.benefit.code for r in report.if_you_qualify}
        assert "peacock-award" in {b.code for b in report.for_individuals}

    def test_a_wholesaler_is_not_eligible_for_the_rd_deduction(self, firm_b):
        report = eligibility_for(firm_b)
        result = next(r for r in report.not_eligible + report.near_misses if r.benefit.code == "rd-super-deduction")
        assert [c.outcome for c in result.explanation.conditions] == ["pass", "fail", "pass", "pass"]

    def test_missing_figures_make_the_answer_unknown_not_negative(self):
        firm = make_enterprise(30, "深圳市未报数据有限公司", employees=None, revenue_fen=None, assets_fen=None)
        report = eligibility_for(firm)
        assert "innovation-voucher" in {r.benefit.code for r in report.unknown}

    def test_eligibility_of_every_benefit_takes_a_fixed_number_of_queries(self, firm_a, firm_b,
                                                                        django_assert_num_queries):
        eligibility_for(firm_b)  # loads the published benefits into the process cache
        # parameters on the day, the benefits' change signature, the enterprise's credit restrictions
        with django_assert_num_queries(3):
            eligibility_for(firm_a)

    def test_the_breakdown_counts_matches_by_district_and_industry(self, firm_a, firm_b):
        make_enterprise(31, "深圳市丙软件有限公司", division="65", district_code="440304", employees=40,
                        revenue_fen=900_000_000, assets_fen=900_000_000, rd_expense_fen=10_000_000)
        breakdown = match_breakdown(Benefit.objects.get(code="innovation-voucher"))
        assert breakdown.count == 3
        assert dict(breakdown.by_district) == {"南山区": 1, "福田区": 2}
        assert dict(breakdown.by_section) == {"C 制造业": 1, "F 批发和零售业": 1, "I 信息传输、软件和信息技术服务业": 1}


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestPush:
    def test_each_matching_enterprise_is_told_once_in_inbox_and_mail(self, firm_a, firm_b, rep_a,
                                                                   django_capture_on_commit_callbacks):
        voucher = Benefit.objects.get(code="innovation-voucher")
        with django_capture_on_commit_callbacks(execute=True):
            push = benefit_push_start(actor=SYSTEM, benefit=voucher)
        push.refresh_from_db()
        assert (push.status, push.total, push.notified, push.messages) == (PushStatus.DONE, 2, 2, 1)
        assert set(BenefitNotice.objects.filter(benefit=voucher).values_list("enterprise__uscc", flat=True)) == {
            firm_a.uscc, firm_b.uscc}
        note = Notification.objects.get(recipient=rep_a)
        assert note.subject == "A benefit may apply to your enterprise: 科技创新券（中小微企业）"
        assert note.url == f"/policies/benefits/{voucher.pk}/"
        assert [m.to for m in mail.outbox] == [["rep-a@example.cn"]]

        with django_capture_on_commit_callbacks(execute=True):
            again = benefit_push_start(actor=SYSTEM, benefit=voucher, reason="manual")
        again.refresh_from_db()
        assert (again.total, again.notified, again.messages) == (2, 0, 0)
        assert Notification.objects.filter(recipient=rep_a).count() == 1

    def test_a_changed_rule_tells_only_the_newly_matching_enterprises(self, firm_a, rep_a,
                                                                     django_capture_on_commit_callbacks):
        loan = Benefit.objects.get(code="startup-loan-small-firm")
        benefit_push_chunk(actor=SYSTEM, push=benefit_push_start(actor=SYSTEM, benefit=loan))
        medium = make_enterprise(32, "深圳市中型制造有限公司", employees=400, revenue_fen=30_000_000_000,
                                 assets_fen=30_000_000_000)
        make_enterprise_member(medium, "rep-medium")
        rule = {"all": [*loan.rule["all"][:1], {"fact": "size_class", "op": "in", "value": ["medium", "small", "micro"]}]}
        with django_capture_on_commit_callbacks(execute=True):
            benefit_update(actor=SYSTEM, benefit=loan, rule=rule)
        latest = loan.pushes.order_by("-id").first()
        assert (latest.reason, latest.total, latest.notified) == ("changed", 2, 1)
        assert Notification.objects.filter(recipient__username="rep-medium").count() == 1
        assert Notification.objects.filter(recipient=rep_a, subject__contains="创业担保贷款").count() == 1

    def test_progress_is_kept_chunk_by_chunk(self, firm_a, firm_b):
        push = benefit_push_start(actor=SYSTEM, benefit=Benefit.objects.get(code="innovation-voucher"))
        push = benefit_push_chunk(actor=SYSTEM, push=push, chunk=1)
        assert (push.status, push.processed, push.cursor) == (PushStatus.RUNNING, 1, firm_a.pk)
        assert 0 < push.percent < 100
        push = benefit_push_chunk(actor=SYSTEM, push=push, chunk=1)
        push = benefit_push_chunk(actor=SYSTEM, push=push, chunk=1)
        assert (push.status, push.processed, push.notified, push.percent) == (PushStatus.DONE, 2, 2, 100)

    def test_individual_benefits_are_not_pushed(self):
        with pytest.raises(Exception, match="Only benefits judged on register facts are pushed"):
            benefit_push_start(actor=SYSTEM, benefit=Benefit.objects.get(code="peacock-award"))

    def test_the_officer_sees_the_progress_page(self, client, login, firm_a, officer_stic):
        push = benefit_push_start(actor=SYSTEM, benefit=Benefit.objects.get(code="innovation-voucher"))
        html = login(officer_stic).get(f"/policies/pushes/{push.pk}/", headers={"HX-Request": "true"}).content.decode()
        assert 'hx-trigger="every 2s"' in html and "<dd>1</dd>" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestAlertsAndReminders:
    def test_a_digest_lists_new_policies_and_stops_with_one_click(self, client, rep_a, firm_a):
        actor = actor_for(rep_a)
        saved = saved_search_create(actor=actor, name="税收", query="", filters={"topic": "tax"}, frequency="daily")
        SavedSearch.objects.filter(pk=saved.pk).update(last_sent_at=timezone.now() - datetime.timedelta(days=400))
        saved.refresh_from_db()
        assert saved_search_digest_send(actor=SYSTEM, saved_search=saved) >= 3
        note = Notification.objects.get(recipient=rep_a)
        assert note.subject == "New policies for your alert “税收”"
        assert "研发费用加计扣除政策沿革（摘要）" in note.body
        assert f"/policies/alerts/unsubscribe/{saved.token}/" in note.body
        assert saved_search_digest_send(actor=SYSTEM, saved_search=saved) == 0  # nothing new since

        page = client.get(f"/policies/alerts/unsubscribe/{saved.token}/")
        assert b"Stop these messages" in page.content
        saved.refresh_from_db()
        assert saved.is_active  # a GET (mail scanners) changes nothing
        client.post(f"/policies/alerts/unsubscribe/{saved.token}/")
        saved.refresh_from_db()
        assert not saved.is_active

    def test_an_unknown_unsubscribe_token_is_refused(self):
        with pytest.raises(Exception, match="not valid"):
            saved_search_unsubscribe(actor=SYSTEM, token="nope")

    def test_an_empty_search_cannot_be_saved(self, rep_a):
        with pytest.raises(Exception, match="Search for something"):
            saved_search_create(actor=actor_for(rep_a), name="", query=" ")

    def test_deadline_reminders_go_once_to_the_told_enterprises(self, firm_a, rep_a):
        voucher = Benefit.objects.get(code="innovation-voucher")
        benefit_push_chunk(actor=SYSTEM, push=benefit_push_start(actor=SYSTEM, benefit=voucher))
        today = timezone.localdate()
        Benefit.objects.filter(pk=voucher.pk).update(apply_until=today + datetime.timedelta(days=3))
        assert deadline_reminders_send(actor=SYSTEM, on=today) == 1
        assert Notification.objects.filter(recipient=rep_a, subject__startswith="Applications for").count() == 1
        assert deadline_reminders_send(actor=SYSTEM, on=today) == 0


@pytest.mark.django_db
class TestPublishingTriggersPushes:
    def test_publishing_a_document_pushes_its_published_benefits_and_withdrawing_stops_matching(
            self, stic, officer_stic, firm_a, rep_a, django_capture_on_commit_callbacks):
        from shuangchuang.policies.services import (
            benefit_create,
            benefit_publish,
            policy_import_text,
            policy_publish,
            policy_withdraw,
        )

        actor = actor_for(officer_stic, stic)
        doc = policy_import_text(actor=actor, department=stic, title="南山区试点通知",
                                 text="（一）试点。\n对南山区的小微企业给予补贴。（责任单位：市科技创新委）")
        benefit = benefit_create(actor=actor, document=doc, title="南山区试点补贴", kind="subsidy",
                                 part=doc.parts.get(kind="paragraph"),
                                 rule={"all": [{"fact": "district", "op": "in", "value": ["440305"], "cite": "（一）"}]})
        with django_capture_on_commit_callbacks(execute=True):
            benefit_publish(actor=actor, benefit=benefit)
        assert not benefit.pushes.exists()  # the document is still a draft
        with django_capture_on_commit_callbacks(execute=True):
            policy_publish(actor=actor, document=doc)
        push = benefit.pushes.get()
        assert (push.status, push.notified) == (PushStatus.DONE, 1)
        assert "南山区试点补贴" in {r.benefit.title for r in eligibility_for(firm_a).eligible}
        policy_withdraw(actor=actor, document=doc, reason="试点结束")
        assert "南山区试点补贴" not in {r.benefit.title for r in eligibility_for(firm_a).eligible}

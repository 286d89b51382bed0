"""Credit repair: who applies and when, the workflow table, the effect of approval, audit and notification."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent, Notification
from shuangchuang.core.tests.factories import SYSTEM, actor_for
from shuangchuang.credit.models import EntryRevision, EntryStatus, RepairApplication, RepairState
from shuangchuang.credit.services import REPAIR_WORKFLOW, Party, list_update, repair_apply, repair_transition, \
    screening_run
from shuangchuang.credit.tests.conftest import add_entry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def evidence_file(name="paid.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def penalties(mqsa):
    from shuangchuang.credit.models import CreditList, Restriction

    penalties = CreditList.objects.get(code="admin-penalty")
    list_update(actor=SYSTEM, credit_list=penalties, is_restrictive=True, repair_allowed=True, repair_min_months=3,
                repair_hides_entry=True)
    Restriction.objects.create(credit_list=penalties, action="special_fund", valid_from=datetime.date(2020, 1, 1),
                               legal_basis="示例依据")
    return penalties


@pytest.fixture
def entry(penalties, registered_a):
    return add_entry(penalties, name=registered_a.name, uscc=registered_a.uscc, reason="虚假宣传，罚款五万元",
                     listed_on="2026-01-10")


@pytest.fixture
def applicant(rep_a, enterprise_a):
    return actor_for(rep_a, enterprise_a)


@pytest.fixture
def officer(officer_mqsa, mqsa):
    return actor_for(officer_mqsa, mqsa)


def apply(applicant, entry):
    return repair_apply(actor=applicant, entry=entry, statement="已缴纳罚款并整改，附缴款凭证。",
                        documents=[evidence_file()])


class TestApplying:
    def test_the_listed_enterprise_applies_with_evidence_and_the_department_is_told(self, applicant, entry,
                                                                                    officer_mqsa):
        application = apply(applicant, entry)
        assert (application.state, application.entry_version) == (RepairState.SUBMITTED, entry.version)
        assert application.documents.get().original_name == "paid.pdf"
        assert list(application.steps.values_list("transition", "to_state")) == [("submit", "submitted")]
        assert Notification.objects.get(recipient=officer_mqsa).url == f"/credit/manage/repairs/{application.pk}/"
        assert AuditEvent.objects.get(verb="credit.repair_applied").department.code == "SZ-MQSA"

    def test_not_before_the_minimum_publicity_period(self, applicant, penalties, registered_a):
        recent = add_entry(penalties, name=registered_a.name, uscc=registered_a.uscc, reason="罚款",
                           listed_on=datetime.date.today().isoformat())
        with pytest.raises(Conflict) as caught:
            apply(applicant, recent)
        assert caught.value.message.startswith("Repair can be applied for from ")
        assert not RepairApplication.objects.exists()

    def test_not_where_the_list_does_not_provide_for_repair(self, applicant, dishonest, registered_a):
        listed = add_entry(dishonest, name=registered_a.name, uscc=registered_a.uscc)
        with pytest.raises(Conflict) as caught:
            apply(applicant, listed)
        assert caught.value.code == "repair_not_possible"

    def test_evidence_is_required_and_must_be_a_document(self, applicant, entry):
        with pytest.raises(ServiceError) as caught:
            repair_apply(actor=applicant, entry=entry, statement="已整改", documents=[])
        assert caught.value.code == "evidence_required"
        with pytest.raises(ServiceError) as caught:
            repair_apply(actor=applicant, entry=entry, statement="已整改",
                         documents=[evidence_file("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")])
        assert caught.value.code == "wrong_type"
        assert not RepairApplication.objects.exists()

    def test_only_the_listed_party_applies_and_only_once_at_a_time(self, applicant, entry, rep_b, enterprise_b,
                                                                    staff_a, enterprise_a):
        for other in (actor_for(rep_b, enterprise_b), actor_for(staff_a, enterprise_a)):
            with pytest.raises(NotAllowed):
                apply(other, entry)
        apply(applicant, entry)
        with pytest.raises(Conflict):
            apply(applicant, entry)
        assert RepairApplication.objects.count() == 1


class TestReview:
    def test_the_workflow_table_names_who_does_what(self):
        assert {name: (sorted(t.sources), t.target, t.by) for name, t in REPAIR_WORKFLOW.items()} == {
            "request_info": (["submitted"], "info_requested", "department"),
            "resubmit": (["info_requested"], "submitted", "applicant"),
            "approve": (["submitted"], "approved", "department"),
            "reject": (["submitted"], "rejected", "department"),
            "withdraw": (["info_requested", "submitted"], "withdrawn", "applicant"),
        }

    def test_approval_takes_the_entry_out_of_publicity_and_keeps_its_history(self, applicant, entry, officer,
                                                                             rep_a, client):
        application = apply(applicant, entry)
        assert screening_run(actor=SYSTEM, party=Party(uscc=entry.uscc), action="special_fund").blocked
        repair_transition(actor=officer, application=application, transition="approve", note="材料齐全")
        entry.refresh_from_db()
        assert (entry.status, entry.is_public, entry.removed_on) == (EntryStatus.REPAIRED, False,
                                                                     datetime.date.today())
        assert EntryRevision.objects.get(entry=entry).content["status"] == "active"
        assert not screening_run(actor=SYSTEM, party=Party(uscc=entry.uscc), action="special_fund").blocked
        assert Notification.objects.filter(recipient=rep_a, subject__contains="Approved").exists()
        assert "虚假宣传" not in client.get(f"/credit/enterprises/{entry.uscc}/").content.decode()
        assert AuditEvent.objects.filter(verb="credit.repair_approve").count() == 1

    def test_a_list_may_keep_a_repaired_entry_public_marked_as_repaired(self, applicant, entry, officer, penalties,
                                                                        client):
        list_update(actor=SYSTEM, credit_list=penalties, repair_hides_entry=False)
        repair_transition(actor=officer, application=apply(applicant, entry), transition="approve")
        entry.refresh_from_db()
        assert (entry.status, entry.is_public) == (EntryStatus.REPAIRED, True)

    def test_asking_for_information_and_resubmitting(self, applicant, entry, officer):
        application = apply(applicant, entry)
        with pytest.raises(ServiceError) as caught:
            repair_transition(actor=officer, application=application, transition="request_info")
        assert caught.value.code == "note_required"
        repair_transition(actor=officer, application=application, transition="request_info", note="请补充银行回单")
        with pytest.raises(Conflict):
            repair_transition(actor=officer, application=application, transition="approve")
        repair_transition(actor=applicant, application=application, transition="resubmit", note="已补充",
                          documents=[evidence_file("bank.pdf")])
        application.refresh_from_db()
        assert application.state == RepairState.SUBMITTED
        assert application.documents.count() == 2
        assert list(application.steps.values_list("to_state", flat=True)) == [
            "submitted", "info_requested", "submitted"]

    def test_only_the_issuing_department_decides(self, applicant, entry, officer_stic, stic, platform_admin):
        from shuangchuang.core.tests.factories import platform

        application = apply(applicant, entry)
        for other in (actor_for(officer_stic, stic), applicant, actor_for(platform_admin, platform())):
            with pytest.raises(NotAllowed):
                repair_transition(actor=other, application=application, transition="approve")
        application.refresh_from_db()
        entry.refresh_from_db()
        assert (application.state, entry.status) == (RepairState.SUBMITTED, EntryStatus.ACTIVE)

    def test_the_applicant_withdraws_but_cannot_approve(self, applicant, entry):
        application = apply(applicant, entry)
        with pytest.raises(NotAllowed):
            repair_transition(actor=applicant, application=application, transition="approve")
        repair_transition(actor=applicant, application=application, transition="withdraw")
        application.refresh_from_db()
        assert application.state == RepairState.WITHDRAWN

    def test_the_pages_carry_the_whole_flow(self, login, rep_a, officer_mqsa, entry, client):
        applicant_client = login(rep_a)
        assert "Apply for credit repair" in applicant_client.get("/credit/my/").content.decode()
        response = applicant_client.post(f"/credit/my/entries/{entry.pk}/repair/",
                                         {"statement": "已整改", "documents": [evidence_file()]})
        application = RepairApplication.objects.get()
        assert response.url == f"/credit/my/repairs/{application.pk}/"
        document = application.documents.get()
        download = applicant_client.get(f"/credit/repairs/{application.pk}/documents/{document.pk}/")
        assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
        officer_client = login(officer_mqsa)
        page = officer_client.get(f"/credit/manage/repairs/{application.pk}/").content.decode()
        assert "Approve the repair" in page
        officer_client.post(f"/credit/manage/repairs/{application.pk}/", {"transition": "approve", "note": "同意"})
        application.refresh_from_db()
        assert application.state == RepairState.APPROVED

    def test_strangers_cannot_see_an_application_or_its_evidence(self, login, applicant, entry, rep_b):
        application = apply(applicant, entry)
        client = login(rep_b)
        assert client.get(f"/credit/my/repairs/{application.pk}/").status_code == 403
        document = application.documents.get()
        assert client.get(f"/credit/repairs/{application.pk}/documents/{document.pk}/").status_code == 403

"""Annual reports (filing window, corrections until 30 June with every version kept, public and optional
parts); the daily job that lists late filers and notifies them; escalation after three years; expiry."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent, Notification
from shuangchuang.core.tests.factories import SYSTEM, actor_for
from shuangchuang.credit.models import AnnualReport, EntryStatus, Job, ListEntry
from shuangchuang.credit.services import (
    Party,
    annual_report_file,
    entries_expire,
    late_filers_run,
    late_filers_start,
    lists_escalate,
    screening_run,
)
from shuangchuang.credit.tests.conftest import REP_ID, add_entry, register

pytestmark = pytest.mark.django_db

REPORT = {"address": "深圳市南山区科技园", "phone": "0755-26000000", "operating_status": "operating"}


@pytest.fixture
def rep(rep_a, enterprise_a):
    return actor_for(rep_a, enterprise_a)


class TestFiling:
    def test_the_enterprise_files_the_previous_years_report(self, rep, registered_a):
        report = annual_report_file(actor=rep, enterprise=registered_a, year=2025, on=datetime.date(2026, 4, 1),
                                    shareholders=[{"name": "甲法人", "subscribed_fen": 100_000_000, "paid_fen": 0}],
                                    **REPORT)
        assert (report.year, report.version, report.is_current, report.late) == (2025, 1, True, False)
        event = AuditEvent.objects.get(verb="credit.annual_report_filed")
        assert event.department.code == "SZ-MQSA"

    @pytest.mark.parametrize("year, on, code", [
        (2026, datetime.date(2026, 4, 1), "invalid_year"),  # the current year is reported next year
        (2018, datetime.date(2026, 4, 1), "not_yet_due"),  # founded in 2019
    ])
    def test_reports_outside_the_window_are_refused(self, rep, registered_a, year, on, code):
        with pytest.raises(ServiceError) as caught:
            annual_report_file(actor=rep, enterprise=registered_a, year=year, on=on, **REPORT)
        assert caught.value.code == code
        assert not AnnualReport.objects.exists()

    def test_a_correction_until_30_june_is_a_new_version_and_the_old_one_stays(self, rep, registered_a):
        annual_report_file(actor=rep, enterprise=registered_a, year=2025, on=datetime.date(2026, 4, 1), **REPORT)
        second = annual_report_file(actor=rep, enterprise=registered_a, year=2025, on=datetime.date(2026, 6, 30),
                                    **{**REPORT, "address": "深圳市福田区"})
        versions = list(AnnualReport.objects.order_by("version").values_list("version", "address", "is_current"))
        assert versions == [(1, "深圳市南山区科技园", False), (2, "深圳市福田区", True)]
        assert AuditEvent.objects.filter(verb="credit.annual_report_corrected").count() == 1
        with pytest.raises(Conflict) as caught:
            annual_report_file(actor=rep, enterprise=registered_a, year=2025, on=datetime.date(2026, 7, 1), **REPORT)
        assert caught.value.code == "correction_closed"
        assert second.pk == AnnualReport.objects.get(is_current=True).pk

    @pytest.mark.parametrize("values, field", [
        ({"phone": ""}, "phone"),
        ({"postcode": "51800"}, "postcode"),
        ({"email": "not-an-address"}, "email"),
        ({"operating_status": "dormant"}, "operating_status"),
        ({"revenue_fen": -1}, "revenue_fen"),
        ({"shareholders": [{"name": ""}]}, "shareholders"),
    ])
    def test_bad_content_is_refused_on_its_field(self, rep, registered_a, values, field):
        with pytest.raises(ServiceError) as caught:
            annual_report_file(actor=rep, enterprise=registered_a, year=2025, on=datetime.date(2026, 4, 1),
                               **{**REPORT, **values})
        assert caught.value.field == field
        assert not AnnualReport.objects.exists()

    def test_a_loss_may_be_negative(self, rep, registered_a):
        report = annual_report_file(actor=rep, enterprise=registered_a, year=2025, on=datetime.date(2026, 4, 1),
                                    net_profit_fen=-5_000, **REPORT)
        assert report.net_profit_fen == -5_000

    def test_only_the_enterprise_itself_files(self, rep_b, enterprise_b, officer_mqsa, mqsa, registered_a):
        for actor in (actor_for(rep_b, enterprise_b), actor_for(officer_mqsa, mqsa)):
            with pytest.raises(NotAllowed):
                annual_report_file(actor=actor, enterprise=registered_a, year=2025, on=datetime.date(2026, 4, 1),
                                   **REPORT)
        assert not AnnualReport.objects.exists()

    def test_staff_may_file(self, staff_a, enterprise_a, registered_a):
        annual_report_file(actor=actor_for(staff_a, enterprise_a), enterprise=registered_a, year=2025,
                           on=datetime.date(2026, 4, 1), **REPORT)
        assert AnnualReport.objects.count() == 1

    def test_the_filing_page_saves_amounts_typed_in_yuan_as_fen(self, login, rep_a, registered_a):
        client = login(rep_a)
        assert client.get("/credit/my/").status_code == 200
        response = client.post("/credit/my/annual-reports/2025/", {
            **REPORT, "revenue_fen": "1,234.56", "shareholders": "甲法人, 1000000, 500000", "publish_figures": "on"})
        assert response.status_code == 302
        report = AnnualReport.objects.get()
        assert (report.revenue_fen, report.publish_figures) == (123_456, True)
        assert report.shareholders == [{"name": "甲法人", "subscribed_fen": 100_000_000, "paid_fen": 50_000_000}]

    def test_the_filing_page_of_a_year_no_report_is_filed_for_is_not_found(self, login, rep_a, registered_a):
        client = login(rep_a)
        this_year = timezone.localdate().year
        for year in (2012, this_year, this_year + 1, 999999, 9999999999999999999999999):
            assert client.get(f"/credit/my/annual-reports/{year}/").status_code == 404, year
        assert client.get("/credit/my/annual-reports/2013/").status_code == 200
        assert not AnnualReport.objects.exists()


class TestLateFilers:
    @pytest.fixture
    def firms(self, registered_a, registered_b, rep_a, enterprise_a):
        young = register("深圳市新设科技有限公司", 3, founded_on=datetime.date(2026, 2, 1))
        annual_report_file(actor=actor_for(rep_a, enterprise_a), enterprise=registered_a, year=2025,
                           on=datetime.date(2026, 5, 1), **REPORT)
        return registered_a, registered_b, young

    def run_job(self, on):
        job = late_filers_start(actor=SYSTEM, on=on, enqueue=False)
        return late_filers_run(job.pk)

    def test_nobody_is_late_before_1_july(self, firms):
        with pytest.raises(ServiceError) as caught:
            late_filers_start(actor=SYSTEM, on=datetime.date(2026, 6, 30), year=2025)
        assert caught.value.code == "not_late_yet"

    def test_firms_without_a_report_are_listed_once_and_told(self, firms, rep_b, abnormal, mailoutbox):
        filed, late, young = firms
        job = self.run_job(datetime.date(2026, 7, 1))
        assert (job.status, job.summary["listed"], job.summary["notified_enterprises"]) == ("done", 1, 1)
        entry = ListEntry.objects.get(credit_list=abnormal)
        assert (entry.uscc, entry.listed_on, entry.extra) == (
            late.uscc, datetime.date(2026, 7, 1), {"reason_code": "late_annual_report", "year": 2025})
        assert "2025年度报告" in entry.reason
        notice = Notification.objects.get(recipient=rep_b)
        assert notice.subject == "深圳市乙科技有限公司 was put on the abnormal-operation list"
        assert self.run_job(datetime.date(2026, 7, 2)).summary["listed"] == 0
        assert ListEntry.objects.filter(credit_list=abnormal).count() == 1

    def test_the_listed_firm_is_restricted_until_it_files_and_then_leaves_the_list(self, firms, rep_b, enterprise_b):
        _filed, late, _young = firms
        self.run_job(datetime.date(2026, 7, 1))
        assert screening_run(actor=SYSTEM, party=Party(uscc=late.uscc), action="procurement",
                             on=datetime.date(2026, 7, 2)).blocked
        report = annual_report_file(actor=actor_for(rep_b, enterprise_b), enterprise=late, year=2025,
                                    on=datetime.date(2026, 8, 1), **REPORT)
        assert report.late is True
        entry = ListEntry.objects.get(uscc=late.uscc)
        assert (entry.status, entry.removed_on) == (EntryStatus.REMOVED, datetime.date(2026, 8, 1))
        assert not screening_run(actor=SYSTEM, party=Party(uscc=late.uscc), action="procurement",
                                 on=datetime.date(2026, 8, 1)).blocked

    def test_the_daily_command_runs_the_job(self, firms):
        out = StringIO()
        call_command("credit_daily", "--on", "2026-07-01", "--only", "late-filers", stdout=out)
        assert "late filers 2025: done, listed 1, notified 0 enterprises" in out.getvalue()
        assert Job.objects.get().kind == "late_filers"

    def test_an_officer_of_another_department_cannot_start_it(self, officer_stic, stic, firms):
        with pytest.raises(NotAllowed):
            late_filers_start(actor=actor_for(officer_stic, stic), on=datetime.date(2026, 7, 1))
        assert not Job.objects.exists()

    def test_the_registration_authoritys_officer_starts_it_from_the_page(self, login, officer_mqsa, firms,
                                                                        django_capture_on_commit_callbacks):
        client = login(officer_mqsa)
        assert "List late filers now" in client.get("/credit/manage/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/credit/manage/late-filers/")
        job = Job.objects.get()
        assert response.url == f"/credit/manage/jobs/{job.pk}/"
        job.refresh_from_db()
        assert job.status == "done"


class TestEscalationAndExpiry:
    def test_three_years_unremedied_moves_the_firm_to_the_serious_violation_list_with_its_legal_rep(
            self, registered_a, abnormal, serious):
        old = add_entry(abnormal, name=registered_a.name, uscc=registered_a.uscc, listed_on="2023-07-01",
                        reason="未按期公示年度报告")
        assert lists_escalate(actor=SYSTEM, on=datetime.date(2026, 6, 30)) == 0
        assert lists_escalate(actor=SYSTEM, on=datetime.date(2026, 7, 1)) == 1
        moved = ListEntry.objects.get(credit_list=serious)
        assert (moved.escalated_from, moved.listed_on, moved.expires_on) == (
            old, datetime.date(2026, 7, 1), datetime.date(2031, 7, 1))
        assert (moved.legal_representative, moved.legal_representative_id_number) == ("甲法人", REP_ID)
        assert lists_escalate(actor=SYSTEM, on=datetime.date(2026, 7, 2)) == 0

    def test_the_legal_representative_is_then_restricted_from_another_firm(self, registered_a, abnormal):
        add_entry(abnormal, name=registered_a.name, uscc=registered_a.uscc, listed_on="2023-07-01", reason="未年报")
        lists_escalate(actor=SYSTEM, on=datetime.date(2026, 7, 1))
        result = screening_run(actor=SYSTEM, party=Party(id_number=REP_ID),
                               action="legal_representative", on=datetime.date(2026, 7, 2))
        assert result.blocked
        assert result.hits[0]["kind"] == "legal_representative"

    def test_entries_whose_period_ended_are_closed(self, dishonest):
        ended = add_entry(dishonest, name="深圳市到期科技有限公司", listed_on="2024-01-01", expires_on="2026-01-01")
        current = add_entry(dishonest, name="深圳市未到期科技有限公司", listed_on="2024-01-01")
        assert entries_expire(actor=SYSTEM, on=datetime.date(2026, 1, 1)) == 1
        ended.refresh_from_db()
        current.refresh_from_db()
        assert (ended.status, current.status) == (EntryStatus.EXPIRED, EntryStatus.ACTIVE)

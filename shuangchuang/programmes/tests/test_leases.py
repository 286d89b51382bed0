"""Innovative industrial space after the decision: the officer offers the spaces entered to the awarded
applications in rank order (one action, bounded by the spaces); an accepted offer records the lease with the
offer's terms and dates, writes the value of the rent discount over the term to the support ledger as awarded with
its source, and completes the application through the one transition function."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shuangchuang.core.audit import AuditEvent
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.programmes.models import (
    Application,
    ApplicationStep,
    Lease,
    LeaseOffer,
    LedgerKind,
    OfferState,
    State,
    SupportLedgerEntry,
)
from shuangchuang.programmes.services import (
    application_transition,
    lease_offer_transition,
    lease_offers_round,
    transitions_for,
)
from shuangchuang.programmes.services.leases import discount_value, term_months
from shuangchuang.programmes.tests.conftest import list_on_dishonest
from shuangchuang.programmes.tests import test_space

offer = test_space.offer
queue, space_call, third = test_space.queue, test_space.space_call, test_space.third  # fixtures shared with test_space

pytestmark = pytest.mark.django_db

START, END = datetime.date(2027, 1, 1), datetime.date(2029, 12, 31)
SPACES = [{"building": "深圳湾创新科技中心", "space": "A-1201", "area_m2": "250.5", "reference_rent_fen": 120_00},
          {"building": "深圳湾创新科技中心", "space": "A-1202", "area_m2": "100", "reference_rent_fen": 120_00},
          {"building": "深圳湾创新科技中心", "space": "A-1203", "area_m2": "80", "reference_rent_fen": 120_00}]


def award(officer, application):
    application = application_transition(actor=officer, application=Application.objects.get(pk=application.pk),
                                         transition="propose", amount_fen=100_00)
    return application_transition(actor=officer, application=application, transition="award")


def round_of(actor, call, spaces=SPACES, **kw):
    values = dict(term_starts_on=START, term_ends_on=END,
                  respond_by=timezone.localdate() + datetime.timedelta(days=10), discount="0.3")
    values.update(kw)
    return lease_offers_round(actor=actor, call=call, spaces=spaces, **values)


@pytest.fixture
def awarded(officer, queue):  # noqa: F811
    """Ranks 1 and 3 awarded; rank 2 reviewed (not awarded)."""
    return [award(officer, queue[0]), award(officer, queue[2])]


class TestTheTerm:
    def test_whole_years_are_whole_months(self):
        assert term_months(START, END) == Decimal(36)

    def test_a_part_month_counts_by_its_days(self):
        assert term_months(datetime.date(2027, 1, 15), datetime.date(2027, 3, 14)) == Decimal(2)
        assert term_months(datetime.date(2027, 1, 1), datetime.date(2027, 1, 15)) == (
            Decimal(15) / Decimal(31)).quantize(Decimal("0.0001"))


class TestTheRound:
    def test_the_spaces_go_to_the_awarded_applications_in_rank_order_and_the_rest_stay_unplaced(
            self, officer, queue, awarded, space_call):  # noqa: F811
        result = round_of(officer, space_call)
        assert [(o.application_id, o.space) for o in result.offers] == [(queue[0].pk, "A-1201"),
                                                                         (queue[2].pk, "A-1202")]
        assert [s["space"] for s in result.unplaced] == ["A-1203"] and not result.skipped
        assert not LeaseOffer.objects.filter(application=queue[1]).exists()  # reviewed, not awarded
        assert all(o.rent_fen == 84_00 and o.screening_evidence for o in result.offers)
        assert AuditEvent.objects.filter(verb="programmes.lease_offers_round").count() == 1

    def test_a_second_round_offers_only_to_applications_that_never_had_an_offer(self, officer, queue, awarded,
                                                                                 space_call):  # noqa: F811
        round_of(officer, space_call, spaces=SPACES[:1])
        result = round_of(officer, space_call, spaces=SPACES[1:2])
        assert [o.application_id for o in result.offers] == [queue[2].pk]

    def test_an_applicant_on_a_credit_list_is_skipped_with_the_reason_and_the_space_goes_on(
            self, officer, queue, awarded, space_call, firm):  # noqa: F811
        list_on_dishonest(firm)
        result = round_of(officer, space_call, spaces=SPACES[:1])
        assert [o.application_id for o in result.offers] == [queue[2].pk]
        assert result.skipped[0][0].pk == queue[0].pk and "credit list" in result.skipped[0][1]

    def test_a_bad_space_refuses_the_whole_round_before_any_offer(self, officer, awarded, space_call):  # noqa: F811
        for spaces in ([], [SPACES[0], {"building": "X", "space": "", "area_m2": "1", "reference_rent_fen": 1}],
                       [SPACES[0], {**SPACES[1], "area_m2": "-3"}], [{**SPACES[0], "reference_rent_fen": "12"}]):
            with pytest.raises(ServiceError):
                round_of(officer, space_call, spaces=spaces)
        with pytest.raises(ServiceError) as caught:
            round_of(officer, space_call, discount=None)  # the discount parameter is not set (GAP)
        assert caught.value.code == "discount_required"
        assert not LeaseOffer.objects.exists()

    def test_only_an_officer_of_the_department_offers_and_a_refusal_changes_nothing(
            self, rep, other_officer, awarded, space_call):  # noqa: F811
        for actor in (rep, other_officer):
            with pytest.raises(NotAllowed):
                round_of(actor, space_call)
        assert not LeaseOffer.objects.exists()

    def test_a_call_that_does_not_allocate_space_is_refused(self, officer, call):
        with pytest.raises(Conflict):
            round_of(officer, call)


class TestTheLedger:
    def test_the_award_of_a_space_call_writes_no_ledger_row_the_lease_does(self, rep, officer, awarded,
                                                                           space_call):  # noqa: F811
        assert not SupportLedgerEntry.objects.exists()  # two awards decided, no amount given yet
        made = round_of(officer, space_call, spaces=SPACES[:1]).offers[0]
        lease_offer_transition(actor=rep, offer=made, transition="accept")
        assert list(SupportLedgerEntry.objects.values_list("source_app", flat=True)) == ["programmes.lease"]


class TestTheAcceptedOffer:
    def test_accepting_records_the_lease_the_discount_in_the_ledger_and_completes_the_application(
            self, rep, officer, queue, awarded, space_call, firm):  # noqa: F811
        made = round_of(officer, space_call).offers[0]
        lease_offer_transition(actor=rep, offer=made, transition="accept")
        lease = Lease.objects.get(offer=made)
        assert (lease.starts_on, lease.ends_on, lease.term_months) == (START, END, Decimal(36))
        assert (lease.rent_fen, lease.monthly_rent_fen, lease.area_m2) == (84_00, 21_042_00, Decimal("250.5"))
        # (120.00 × 250.5 − 21,042.00) × 36 months = 9,018.00 × 36
        assert lease.discount_value_fen == 9_018_00 * 36 == discount_value(made)[0]
        entry = lease.ledger_entry
        assert entry.kind == LedgerKind.AWARDED and entry.amount_fen == lease.discount_value_fen
        assert entry.enterprise == firm and (entry.source_app, entry.source_ref) == ("programmes.lease",
                                                                                   str(lease.pk))
        assert "rent discount" in entry.source_label and "entered by the officer" in entry.note
        application = Application.objects.get(pk=queue[0].pk)
        assert application.state == State.COMPLETED
        assert ApplicationStep.objects.filter(application=application, transition="lease_taken").exists()
        assert AuditEvent.objects.filter(verb="programmes.application_lease_taken").count() == 1
        assert AuditEvent.objects.filter(verb="programmes.lease_recorded").count() == 1

    def test_an_offer_passed_down_to_a_ranked_application_not_awarded_records_the_lease_only(
            self, other_rep, officer, queue, space_call):  # noqa: F811
        made = offer(officer, queue[1], term_starts_on=START, term_ends_on=END)
        lease_offer_transition(actor=other_rep, offer=made, transition="accept")
        assert Lease.objects.filter(offer=made).exists()
        assert Application.objects.get(pk=queue[1].pk).state == State.REVIEWED

    def test_a_declined_offer_records_no_lease_and_no_ledger_row(self, rep, officer, awarded, space_call):  # noqa: F811
        made = round_of(officer, space_call, spaces=SPACES[:1]).offers[0]
        before = SupportLedgerEntry.objects.count()
        lease_offer_transition(actor=rep, offer=made, transition="decline", note="面积不合适")
        assert not Lease.objects.exists() and SupportLedgerEntry.objects.count() == before

    def test_another_enterprise_cannot_accept_and_nothing_is_recorded(self, other_rep, officer, awarded,
                                                                      space_call):  # noqa: F811
        made = round_of(officer, space_call, spaces=SPACES[:1]).offers[0]
        with pytest.raises(NotAllowed):
            lease_offer_transition(actor=other_rep, offer=made, transition="accept")
        assert LeaseOffer.objects.get(pk=made.pk).state == OfferState.OFFERED and not Lease.objects.exists()

    def test_the_lease_step_has_no_button_and_is_refused_without_a_lease(self, rep, awarded):
        application = Application.objects.get(pk=awarded[0].pk)
        assert "lease_taken" not in [t.name for t in transitions_for(rep, application)]
        with pytest.raises(Conflict) as caught:
            application_transition(actor=rep, application=application, transition="lease_taken")
        assert caught.value.code == "no_lease"
        assert Application.objects.get(pk=application.pk).state == State.AWARDED


class TestTheRankingPage:
    def test_the_officer_offers_the_spaces_from_the_ranking_page(self, client, login, officer, queue, awarded,
                                                                 space_call):  # noqa: F811
        login(officer)
        page = client.get(reverse("programmes:ranking", args=[space_call.pk])).content.decode()
        assert "Offer in rank order" in page
        response = client.post(reverse("programmes:lease_round", args=[space_call.pk]), {
            "spaces": "深圳湾创新科技中心 | A-1201 | 250.5 | 120\n深圳湾创新科技中心 | A-1202 | 100 | 120",
            "term_starts_on": START.isoformat(), "term_ends_on": END.isoformat(),
            "respond_by": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(), "discount": "0.3"})
        assert response.status_code == 302
        assert sorted(LeaseOffer.objects.values_list("application_id", flat=True)) == sorted(
            [queue[0].pk, queue[2].pk])

    def test_a_bad_line_is_shown_and_nothing_is_offered(self, client, login, officer, awarded, space_call):  # noqa: F811
        login(officer)
        response = client.post(reverse("programmes:lease_round", args=[space_call.pk]), {
            "spaces": "only two | parts", "term_starts_on": START.isoformat(),
            "respond_by": timezone.localdate().isoformat()}, follow=True)
        assert "building | space | area | reference rent" in response.content.decode()
        assert not LeaseOffer.objects.exists()

    def test_an_enterprise_cannot_post_the_round(self, client, login, rep, awarded, space_call):  # noqa: F811
        login(rep)
        response = client.post(reverse("programmes:lease_round", args=[space_call.pk]), {
            "spaces": "B | 1 | 10 | 100", "term_starts_on": START.isoformat(),
            "respond_by": timezone.localdate().isoformat(), "discount": "0.3"})
        assert response.status_code == 403 and not LeaseOffer.objects.exists()


class TestTheApi:
    def test_an_officer_offers_the_spaces_through_the_api(self, client, officer, queue, awarded,
                                                          space_call):  # noqa: F811
        from shuangchuang.core.services import api_token_create

        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=officer, name='api')[1]}"}
        body = {"spaces": SPACES, "term_starts_on": START.isoformat(), "term_ends_on": END.isoformat(),
                "respond_by": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(), "discount": "0.3"}
        response = client.post(f"/api/v1/programmes/calls/{space_call.pk}/lease-offers", data=body,
                               content_type="application/json", **headers)
        assert response.status_code == 201, response.content
        data = response.json()
        assert [o["application"] for o in data["offers"]] == [queue[0].pk, queue[2].pk]
        assert data["unplaced"] == ["深圳湾创新科技中心 A-1203"]

    def test_an_enterprise_is_refused_through_the_api_and_nothing_is_offered(self, client, rep, awarded,
                                                                             space_call):  # noqa: F811
        from shuangchuang.core.services import api_token_create

        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=rep, name='api')[1]}"}
        body = {"spaces": SPACES[:1], "term_starts_on": START.isoformat(),
                "respond_by": timezone.localdate().isoformat(), "discount": "0.3"}
        response = client.post(f"/api/v1/programmes/calls/{space_call.pk}/lease-offers", data=body,
                               content_type="application/json", **headers)
        assert response.status_code == 403 and not LeaseOffer.objects.exists()


# ---- the yearly cap per enterprise (the discount is support like any other) ----------------------------------------

# SPACES[0] at a 30 % discount over 2027-01-01 … 2029-12-31: 9,018.00 yuan a month × 36 months = 324,648.00 yuan.
DISCOUNT_OF_THE_FIRST_SPACE = 9_018_00 * 36


def capped(programme, cap_fen):
    from shuangchuang.programmes.services import programme_update
    from shuangchuang.programmes.tests.conftest import SYSTEM

    return programme_update(actor=SYSTEM, programme=programme, annual_cap_fen=cap_fen)


def other_support(enterprise, department, amount_fen):
    from shuangchuang.programmes.services import support_ledger_record
    from shuangchuang.programmes.tests.conftest import SYSTEM

    return support_ledger_record(actor=SYSTEM, enterprise=enterprise, source_kind="voucher", source_label="创新券",
                                 source_ref="vouchers.voucher:77", department=department, amount_fen=amount_fen,
                                 kind=LedgerKind.AWARDED, occurred_on=timezone.localdate())


class TestTheYearlyCapOnTheDiscount:
    def test_the_round_skips_an_applicant_whose_discount_would_pass_the_cap_with_the_reason(
            self, officer, queue, awarded, space_call, firm, stic):  # noqa: F811
        capped(space_call.programme, 400_000_00)
        other_support(firm, stic, 100_000_00)  # 100,000 + 324,648 > 400,000; the third firm has nothing yet
        result = round_of(officer, space_call, spaces=SPACES[:1])
        assert [o.application_id for o in result.offers] == [queue[2].pk]
        assert [a.pk for a, _reason in result.skipped] == [queue[0].pk]
        reason = result.skipped[0][1]
        assert "324,648.00" in reason and "400,000.00" in reason and "cap" in reason
        assert not LeaseOffer.objects.filter(application=queue[0]).exists()
        event = AuditEvent.objects.get(verb="programmes.lease_offers_round")
        assert event.params["skipped"] == [[queue[0].pk, reason]]

    def test_a_discount_within_the_cap_is_offered(self, officer, queue, awarded, space_call, firm):  # noqa: F811
        capped(space_call.programme, DISCOUNT_OF_THE_FIRST_SPACE)  # exactly the cap: allowed
        result = round_of(officer, space_call, spaces=SPACES[:1])
        assert [o.application_id for o in result.offers] == [queue[0].pk] and not result.skipped

    def test_accepting_an_offer_whose_discount_now_passes_the_cap_is_refused_and_nothing_changes(
            self, rep, officer, queue, awarded, space_call, firm, stic):  # noqa: F811
        capped(space_call.programme, 400_000_00)
        made = round_of(officer, space_call, spaces=SPACES[:1]).offers[0]
        assert made.application_id == queue[0].pk
        other_support(firm, stic, 100_000_00)  # support recorded after the offer was made
        rows, events = SupportLedgerEntry.objects.count(), AuditEvent.objects.count()
        with pytest.raises(Conflict) as caught:
            lease_offer_transition(actor=rep, offer=made, transition="accept")
        assert caught.value.code == "over_annual_cap"
        assert "324,648.00" in caught.value.message and "400,000.00" in caught.value.message
        assert LeaseOffer.objects.get(pk=made.pk).state == OfferState.OFFERED
        assert not Lease.objects.exists()
        assert SupportLedgerEntry.objects.count() == rows and AuditEvent.objects.count() == events
        assert Application.objects.get(pk=queue[0].pk).state == State.AWARDED

    def test_an_offer_passed_on_skips_the_next_applicant_over_the_cap(
            self, rep, officer, queue, awarded, space_call, other_firm, stic):  # noqa: F811
        made = offer(officer, queue[0], term_starts_on=START, term_ends_on=END)
        capped(space_call.programme, 400_000_00)
        other_support(other_firm, stic, 100_000_00)  # rank 2 (not awarded, on the waiting list) is over the cap
        lease_offer_transition(actor=rep, offer=made, transition="decline", note="面积不合适")
        successor = LeaseOffer.objects.get(passed_from=made)
        assert successor.application_id == queue[2].pk
        skipped = AuditEvent.objects.get(verb="programmes.lease_offer_skipped")
        assert "cap" in skipped.params["reason"] and skipped.object_id == str(queue[1].pk)

    def test_the_officer_sees_why_an_applicant_was_skipped_on_the_ranking_page(
            self, client, login, officer, queue, awarded, space_call, firm, stic):  # noqa: F811
        capped(space_call.programme, 400_000_00)
        other_support(firm, stic, 100_000_00)
        login(officer)
        response = client.post(reverse("programmes:lease_round", args=[space_call.pk]), {
            "spaces": "深圳湾创新科技中心 | A-1201 | 250.5 | 120", "term_starts_on": START.isoformat(),
            "term_ends_on": END.isoformat(),
            "respond_by": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(), "discount": "0.3"},
            follow=True)
        page = response.content.decode()
        assert f"{queue[0].reference} skipped" in page and "324,648.00" in page


# ---- a space call pays nothing: its support is the discount ------------------------------------------------------

class TestNoPaymentsForSpace:
    def test_the_award_of_a_space_call_plans_no_instalments(self, awarded):
        from shuangchuang.programmes.models import Instalment

        assert not Instalment.objects.filter(award__application__in=[a.pk for a in awarded]).exists()

    def test_paying_an_instalment_of_a_space_award_is_refused_and_nothing_changes(self, officer, awarded):
        from shuangchuang.programmes.models import Award, Instalment, InstalmentState
        from shuangchuang.programmes.services import instalment_pay

        award_row = Award.objects.get(application=awarded[0])  # an instalment left over from earlier data
        instalment = Instalment.objects.create(award=award_row, seq=1, due_on=timezone.localdate(),
                                               amount_fen=100_00)
        rows, events = SupportLedgerEntry.objects.count(), AuditEvent.objects.count()
        with pytest.raises(Conflict) as caught:
            instalment_pay(actor=officer, instalment=instalment)
        assert caught.value.code == "space_not_paid" and "rent discount" in caught.value.message
        instalment.refresh_from_db()
        assert (instalment.state, instalment.paid_at, instalment.ledger_entry_id) == (
            InstalmentState.PLANNED, None, None)
        assert SupportLedgerEntry.objects.count() == rows and AuditEvent.objects.count() == events

    def test_the_decision_letter_of_a_space_call_speaks_of_the_discount_not_of_payments(self, awarded):
        from shuangchuang.programmes.models import Award

        letter = Award.objects.get(application=awarded[0]).letter_text
        assert "rent discount" in letter and "instalments" not in letter


class TestClawingBackTheDiscount:
    def test_a_clawback_of_a_space_award_reverses_the_leases_discount_and_frees_the_cap(
            self, rep, officer, queue, awarded, space_call, firm):  # noqa: F811
        from shuangchuang.programmes.models import Award
        from shuangchuang.programmes.selectors import support_counted
        from shuangchuang.programmes.services import clawback_record

        made = round_of(officer, space_call, spaces=SPACES[:1]).offers[0]
        lease_offer_transition(actor=rep, offer=made, transition="accept")
        lease = Lease.objects.get(offer=made)
        year = space_call.year
        assert support_counted(enterprise=firm, year=year) == DISCOUNT_OF_THE_FIRST_SPACE
        award_row = Award.objects.get(application=queue[0])  # its decided amount is 100 yuan; the support is more
        clawback = clawback_record(actor=officer, award=award_row, amount_fen=100_000_00, reason="擅自转租")
        assert clawback.ledger_entry.reverses_id == lease.ledger_entry_id
        assert (clawback.ledger_entry.source_app, clawback.ledger_entry.source_ref) == ("programmes.lease",
                                                                                      str(lease.pk))
        assert support_counted(enterprise=firm, year=year) == DISCOUNT_OF_THE_FIRST_SPACE - 100_000_00
        with pytest.raises(ServiceError) as caught:
            clawback_record(actor=officer, award=award_row, amount_fen=DISCOUNT_OF_THE_FIRST_SPACE, reason="全部")
        assert caught.value.code == "over_award" and "224,648.00" in caught.value.message

    def test_before_a_lease_is_taken_there_is_nothing_to_claw_back(self, officer, queue, awarded):
        from shuangchuang.programmes.models import Award, Clawback
        from shuangchuang.programmes.services import clawback_record

        with pytest.raises(Conflict) as caught:
            clawback_record(actor=officer, award=Award.objects.get(application=queue[0]), amount_fen=50_00,
                            reason="未入驻")
        assert caught.value.code == "no_support_yet"
        assert not Clawback.objects.exists() and not SupportLedgerEntry.objects.exists()

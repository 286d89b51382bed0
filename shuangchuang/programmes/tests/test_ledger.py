"""The per-enterprise support ledger: rows, reversals, yearly totals and double-funding look-ups."""

import datetime

import pytest

from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.actor import Actor
from shuangchuang.core.models import AuditEvent
from shuangchuang.programmes.models import SupportLedgerEntry
from shuangchuang.programmes.selectors import project_funded, support_total
from shuangchuang.programmes.services import support_ledger_record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def record(actor, firm, stic, amount, **kw):
    values = dict(actor=actor, enterprise=firm, source_kind="programme", source_label="创客空间资助",
                  source_ref="programmes.application:1", department=stic, amount_fen=amount, kind="awarded",
                  occurred_on=DAY, project_key="P-1")
    values.update(kw)
    return support_ledger_record(**values)


def test_a_row_is_recorded_with_its_audit_event(system, firm, stic):
    entry = record(system, firm, stic, 100_00)
    assert entry.source_app == "programmes.application" and entry.source_ref == "1"
    assert AuditEvent.objects.filter(verb="programmes.ledger_recorded", object_id=str(entry.pk)).exists()


def test_the_yearly_total_sums_the_rows_of_that_year_and_kind_only(system, firm, stic):
    record(system, firm, stic, 100_00)
    record(system, firm, stic, 50_00, kind="paid")
    record(system, firm, stic, 70_00, occurred_on=datetime.date(2025, 12, 31))
    record(system, firm, stic, 30_00, source_kind="voucher")
    assert support_total(enterprise=firm, year=2026) == 130_00
    assert support_total(enterprise=firm, year=2026, source_kind="voucher") == 30_00
    assert support_total(enterprise=firm, year=2026, kind="paid") == 50_00
    assert support_total(enterprise=firm, year=2025) == 70_00


def test_a_reversal_is_a_new_negative_row_and_the_original_is_unchanged(system, firm, stic):
    original = record(system, firm, stic, 100_00)
    reversal = record(system, firm, stic, -40_00, reverses=original)
    original.refresh_from_db()
    assert original.amount_fen == 100_00 and reversal.reverses_id == original.pk
    assert support_total(enterprise=firm, year=2026) == 60_00


def test_a_reversal_cannot_exceed_what_remains_of_the_row(system, firm, stic):
    original = record(system, firm, stic, 100_00)
    record(system, firm, stic, -60_00, reverses=original)
    with pytest.raises(ServiceError):
        record(system, firm, stic, -50_00, reverses=original)
    assert SupportLedgerEntry.objects.count() == 2


def test_a_reversal_of_another_enterprise_or_kind_is_refused(system, firm, other_firm, stic):
    original = record(system, firm, stic, 100_00)
    with pytest.raises(Conflict):
        record(system, other_firm, stic, -10_00, reverses=original)
    with pytest.raises(Conflict):
        record(system, firm, stic, -10_00, reverses=original, kind="paid")


def test_a_new_row_must_be_positive_whole_fen(system, firm, stic):
    with pytest.raises(ServiceError):
        record(system, firm, stic, -5)
    with pytest.raises(ServiceError):
        record(system, firm, stic, 10.5)
    with pytest.raises(ServiceError):
        record(system, firm, stic, 10, kind="promised")
    assert not SupportLedgerEntry.objects.exists()


def test_an_anonymous_actor_cannot_record(firm, stic):
    with pytest.raises(NotAllowed):
        record(Actor.anonymous(), firm, stic, 100)
    assert not SupportLedgerEntry.objects.exists()


def test_a_project_counts_as_funded_while_its_net_award_is_positive(system, firm, other_firm, stic):
    assert not project_funded(enterprise=firm, project_key="P-1")
    original = record(system, firm, stic, 100_00)
    assert project_funded(enterprise=firm, project_key="P-1")
    assert not project_funded(enterprise=other_firm, project_key="P-1")
    assert not project_funded(enterprise=firm, project_key="")
    record(system, firm, stic, -100_00, reverses=original)
    assert not project_funded(enterprise=firm, project_key="P-1")


def test_the_support_counted_against_a_cap_takes_payments_only_where_nothing_was_awarded(system, firm, stic):
    from shuangchuang.programmes.selectors import support_counted

    record(system, firm, stic, 100_00, source_ref="programmes.application:1")
    record(system, firm, stic, 40_00, kind="paid", source_ref="programmes.application:1")
    record(system, firm, stic, 30_00, kind="paid", source_kind="voucher", source_ref="vouchers.redemption:9")
    assert support_counted(enterprise=firm, year=2026) == 130_00


def test_a_clawback_counts_against_the_cap_in_the_year_of_the_support_it_reverses(system, firm, stic):
    """Support of 2026 clawed back in 2027: the 2026 count is the net support, and the 2027 count gains no room."""
    from shuangchuang.programmes.selectors import support_counted

    original = record(system, firm, stic, 100_00)
    record(system, firm, stic, 30_00, occurred_on=datetime.date(2027, 2, 1), source_ref="programmes.application:2",
           project_key="P-2")
    record(system, firm, stic, -60_00, reverses=original, occurred_on=datetime.date(2027, 1, 15))
    assert support_counted(enterprise=firm, year=2026) == 40_00
    assert support_counted(enterprise=firm, year=2027) == 30_00
    assert support_total(enterprise=firm, year=2027) == -30_00  # the ledger's totals stay by the row's own date


def test_a_refunded_voucher_payment_counts_in_the_year_it_was_paid(system, firm, stic):
    from shuangchuang.programmes.selectors import support_counted

    paid = record(system, firm, stic, 50_00, kind="paid", source_kind="voucher", source_ref="vouchers.redemption:9")
    record(system, firm, stic, -20_00, kind="paid", source_kind="voucher", source_ref="vouchers.redemption:9",
           reverses=paid, occurred_on=datetime.date(2027, 1, 3))
    assert (support_counted(enterprise=firm, year=2026), support_counted(enterprise=firm, year=2027)) == (30_00, 0)


def test_the_cap_check_nets_a_clawback_of_an_earlier_year_in_that_year(system, firm, stic):
    from shuangchuang.core.errors import Conflict
    from shuangchuang.programmes.services.checks import refuse_over_cap
    from shuangchuang.programmes.tests.conftest import make_call, make_programme

    call = make_call(make_programme(stic, code="capped", annual_cap_fen=100_00), year=2026)
    original = record(system, firm, stic, 100_00)
    with pytest.raises(Conflict):
        refuse_over_cap(call, firm, 1)
    record(system, firm, stic, -60_00, reverses=original, occurred_on=datetime.date(2027, 1, 15))
    refuse_over_cap(call, firm, 60_00)  # 40 + 60 = the cap: allowed
    with pytest.raises(Conflict) as caught:
        refuse_over_cap(call, firm, 60_01)
    assert caught.value.code == "over_annual_cap" and "(40.00 yuan already" in caught.value.message

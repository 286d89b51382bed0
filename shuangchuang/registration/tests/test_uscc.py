"""USCC issuance: every issued code validates (GB 32100 and GB 11714 checks), carries the authority's region
and entity type, and is never issued twice, also when a candidate is already taken in the register."""

import threading

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuangchuang.core.tests.factories import SYSTEM
from shuangchuang.registration.models import UsccCounter
from shuangchuang.registration.services.uscc import SERIAL_SPACE, body_for, issue_in_own_transaction, uscc_issue
from shuangchuang.registry.models import Enterprise, LegalForm
from shuangchuang.registry.services import enterprise_register
from shuangchuang.registry.uscc import make_uscc, parse_uscc

pytestmark = pytest.mark.django_db

REGIONS = ["440300", "440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310", "440311"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.tuples(st.sampled_from(REGIONS), st.sampled_from(LegalForm.values),
                                  st.integers(min_value=1, max_value=8)), min_size=1, max_size=6))
def test_every_issued_code_validates_and_is_unique(batches):
    issued = set(Enterprise.objects.values_list("uscc", flat=True))
    for region, legal_form, count in batches:
        for _ in range(count):
            code = issue_in_own_transaction(region=region, legal_form=legal_form)
            parsed = parse_uscc(code)
            assert parsed.valid, (code, parsed.reason)
            assert code[2:8] == region
            assert code[1] == {"individual": "2", "cooperative": "3"}.get(legal_form, "1")
            assert code not in issued
            issued.add(code)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(serial=st.integers(min_value=0, max_value=SERIAL_SPACE - 1))
def test_the_body_of_every_serial_is_a_valid_organisation_code_body(serial):
    code = make_uscc("9", "1", "440300", body_for(serial))
    assert parse_uscc(code).valid
    assert body_for(serial).startswith("MA5")


def test_a_code_already_in_the_register_is_skipped():
    taken = make_uscc("9", "1", "440305", body_for(0))
    enterprise_register(actor=SYSTEM, uscc=taken, name="深圳市已有科技有限公司", legal_form=LegalForm.LLC)
    code = issue_in_own_transaction(region="440305", legal_form=LegalForm.LLC)
    assert code != taken and code == make_uscc("9", "1", "440305", body_for(1))
    assert UsccCounter.objects.get(region="440305").next_serial == 2


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="real concurrency needs PostgreSQL")
def test_concurrent_approvals_never_get_the_same_code():
    """Four threads, each on its own connection and committing its own transactions (outside the test's
    transaction, so no flush is needed), issue codes of one region at once; the counter row lock keeps them
    apart. The region's counter row is removed at the end."""
    region = "440311"
    codes, errors = [], []

    def worker():
        try:
            for _ in range(10):
                with transaction.atomic():
                    codes.append(uscc_issue(region=region, legal_form=LegalForm.LLC))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def cleanup():
        try:
            UsccCounter.objects.filter(region=region).delete()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        cleaner = threading.Thread(target=cleanup)
        cleaner.start()
        cleaner.join()
    assert not errors
    assert len(codes) == 40 and len(set(codes)) == 40
    assert all(parse_uscc(code).valid for code in codes)

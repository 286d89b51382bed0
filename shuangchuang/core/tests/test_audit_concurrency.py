"""The audit chain under concurrency on PostgreSQL (skipped on SQLite, which serialises writers): appends from
many connections at once get one gap-free order and a chain that verifies."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from shuangchuang.core.audit import GENESIS_HASH, audit_record, audit_verify
from shuangchuang.core.models import AuditChainHead, AuditEvent
from shuangchuang.core.tests.factories import SYSTEM

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLIENTS = 12
PER_CLIENT = 10


def test_simultaneous_appends_form_one_unbroken_chain_and_rolled_back_ones_leave_no_gap():
    barrier = threading.Barrier(CLIENTS)

    def client(index):
        try:
            barrier.wait()
            for n in range(PER_CLIENT):
                try:
                    with transaction.atomic():
                        audit_record(actor=SYSTEM, verb="test.concurrent", object_id=f"{index}-{n}",
                                     params={"client": index, "n": n})
                        if n % 5 == 4:
                            raise RuntimeError("roll back this one")
                except RuntimeError:
                    pass
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    kept = CLIENTS * PER_CLIENT * 4 // 5
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, kept + 1))
    assert AuditEvent.objects.order_by("seq").first().prev_hash == GENESIS_HASH
    head = AuditChainHead.objects.get(pk=1)
    last = AuditEvent.objects.order_by("seq").last()
    assert (head.last_seq, head.last_hash, head.prev_hash) == (kept, last.hash, last.prev_hash)
    result = audit_verify()
    assert result.ok and result.checked == kept

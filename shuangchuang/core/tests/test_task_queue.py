"""The production task queue: tasks enqueued after commit land on Redis (RQ). Runs where REDIS_URL is set (CI)."""

import os

import pytest
from django.db import transaction
from django.test import override_settings

from shuangchuang.core.tasks import enqueue_after_commit, send_notification_email

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set (the PostgreSQL run of .ci/run sets it)")


@pytest.fixture
def rq_queue():
    import django_rq

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["sc-test"]}},
        RQ_QUEUES={"sc-test": {"URL": REDIS_URL}},
    ):
        queue = django_rq.get_queue("sc-test")
        queue.empty()
        yield queue
        queue.empty()


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_transaction_reaches_redis_only_after_commit(rq_queue):
    with transaction.atomic():
        enqueue_after_commit(send_notification_email.using(queue_name="sc-test"), 12345)
        assert rq_queue.count == 0
    assert rq_queue.count == 1
    job = rq_queue.jobs[0]
    assert (job.func_name, job.args) == ("shuangchuang.core.tasks.send_notification_email", (12345,))


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing(rq_queue):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            enqueue_after_commit(send_notification_email.using(queue_name="sc-test"), 1)
            raise RuntimeError("rollback")
    assert rq_queue.count == 0

"""Re-screening every registered enterprise when a list changes: hits, links, progress, remembered decisions."""

import datetime

import pytest
from django.utils import timezone

from shuangchuang.core.models import AuditEvent
from shuangchuang.core.tests.factories import SYSTEM, enterprise_code
from shuangchuang.credit.models import Adjudication, JobStatus, RescreenHit
from shuangchuang.credit.services import rescreen_run, rescreen_start
from shuangchuang.credit.services import jobs as jobs_module
from shuangchuang.credit.tests.conftest import add_entry, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    return {
        "coded": register("深圳市甲码科技有限公司", 31),
        "variant": register("深圳市鹏城创芯科技有限公司", 32),
        "homophone": register("深圳市彭城创新科技有限公司", 33),
        "clean": register("深圳市清白贸易有限公司", 34),
    }


@pytest.fixture
def entries(dishonest, city):
    return {
        "coded": add_entry(dishonest, name="深圳市甲码科技有限公司", uscc=city["coded"].uscc),
        "variant": add_entry(dishonest, name="鹏城创芯科技（深圳）有限公司"),
    }


def run(credit_list, **kwargs):
    job = rescreen_start(actor=SYSTEM, credit_list=credit_list, **kwargs)
    return rescreen_run(job.pk)


def test_every_enterprise_is_screened_and_the_hits_are_kept(dishonest, city, entries):
    job = run(dishonest)
    assert (job.status, job.total, job.processed) == (JobStatus.DONE, 4, 4)
    found = {(h.enterprise_id, h.entry_id): (h.status, h.score) for h in RescreenHit.objects.filter(job=job)}
    assert found[(city["coded"].pk, entries["coded"].pk)] == ("match", 1.0)
    assert found[(city["variant"].pk, entries["variant"].pk)][0] == "match"
    assert found[(city["homophone"].pk, entries["variant"].pk)][0] == "review"
    assert not any(e == city["clean"].pk for e, _ in found)
    assert job.hits == len(found) == 3
    assert job.summary["list_versions"]["dishonest-debtor"] >= 1
    assert AuditEvent.objects.filter(verb="credit.rescreen_finished", object_id=str(job.pk)).exists()


def test_strong_name_hits_link_the_entry_to_the_registered_enterprise(dishonest, city, entries):
    run(dishonest)
    entries["variant"].refresh_from_db()
    assert entries["variant"].enterprise == city["variant"]


def test_a_not_same_decision_is_applied(dishonest, city, entries, officer_fin):
    entry = entries["variant"]
    Adjudication.objects.create(query_key="u:" + city["homophone"].uscc, entry=entry, entry_version=entry.version,
                                decision="not_same", decided_by=officer_fin)
    job = run(dishonest)
    assert RescreenHit.objects.get(job=job, enterprise=city["homophone"]).status == "dismissed"


def test_without_near_names_only_exact_keys_are_looked_up(dishonest, city, entries):
    job = run(dishonest, near=False)
    assert set(RescreenHit.objects.filter(job=job).values_list("enterprise_id", flat=True)) == {
        city["coded"].pk, city["variant"].pk, city["homophone"].pk}  # the homophone shares the pinyin key


def test_the_register_is_read_in_ranges_and_progress_is_recorded(dishonest, city, entries, monkeypatch):
    monkeypatch.setattr(jobs_module, "RESCREEN_CHUNK", 1)
    seen = []
    original = jobs_module._rescreen_range

    def spy(job, low, high, **kwargs):
        seen.append(high - low)
        return original(job, low, high, **kwargs)

    monkeypatch.setattr(jobs_module, "_rescreen_range", spy)
    job = run(dishonest)
    assert seen == [1, 1, 1, 1]
    assert (job.processed, job.percent) == (4, 100)


def test_a_failure_is_shown_on_the_job(dishonest, city, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs_module, "_rescreen_range", broken)
    job = run(dishonest)
    assert (job.status, job.error) == (JobStatus.FAILED, "database went away")


def test_enterprise_keys_are_computed_once_and_again_when_the_enterprise_changes(dishonest, city, entries):
    from shuangchuang.credit.models import EnterpriseKey
    from shuangchuang.registry.models import Enterprise

    assert run(dishonest).summary["keys_refreshed"] == 4
    assert run(dishonest).summary["keys_refreshed"] == 0
    clean = city["clean"]
    Enterprise.objects.filter(pk=clean.pk).update(name="深圳市鹏城创芯科技股份有限公司",
                                                  updated_at=timezone.now() + datetime.timedelta(seconds=1))
    job = run(dishonest)
    assert job.summary["keys_refreshed"] == 1
    assert "n:鹏城创芯科技|有限公司" in EnterpriseKey.objects.filter(enterprise=clean).values_list("key", flat=True)
    assert RescreenHit.objects.filter(job=job, enterprise=clean, status="match").exists()


def test_entries_of_other_lists_are_left_out(dishonest, abnormal, city):
    add_entry(abnormal, name="深圳市清白贸易有限公司", uscc=city["clean"].uscc, reason="未年报")
    job = run(dishonest)
    assert not RescreenHit.objects.filter(job=job).exists()
    everything = rescreen_run(rescreen_start(actor=SYSTEM).pk)
    assert RescreenHit.objects.filter(job=everything, enterprise=city["clean"]).count() == 1


def test_a_finished_job_is_not_run_twice(dishonest, city, entries):
    job = run(dishonest)
    again = rescreen_run(job.pk)
    assert RescreenHit.objects.filter(job=job).count() == again.hits == 3
    assert enterprise_code(31) == city["coded"].uscc

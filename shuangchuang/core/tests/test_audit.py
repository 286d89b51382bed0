"""The hash-chained audit log: recording, chaining, verification and the `audit verify` command."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from shuangchuang.core.audit import GENESIS_HASH, audit_record, audit_verify, event_hash
from shuangchuang.core.models import AuditChainHead, AuditEvent
from shuangchuang.core.tests.factories import SYSTEM, department


def record(n: int) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit_record(actor=SYSTEM, verb=f"test.step_{i + 1}", object_type="test.thing", object_id=i + 1,
                             object_label=f"thing {i + 1}", params={"n": i + 1, "label": "第{}步".format(i + 1)})
            )
    return events


def verify_command() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue().strip(), err.getvalue().strip()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_record_outside_a_transaction_raises():
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        audit_record(actor=SYSTEM, verb="test.outside")
    assert AuditEvent.objects.count() == 0
    assert not AuditChainHead.objects.exists()


@pytest.mark.django_db
def test_events_form_a_chain():
    events = record(4)
    stored = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in stored] == [1, 2, 3, 4]
    assert stored[0].prev_hash == GENESIS_HASH
    for previous, event in zip(stored, stored[1:]):
        assert event.prev_hash == previous.hash
    assert [e.hash for e in stored] == [e.hash for e in events]
    assert all(event_hash(e) == e.hash for e in stored)
    assert len({e.hash for e in stored}) == 4
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (4, stored[-1].hash)


@pytest.mark.django_db
def test_event_records_actor_department_and_params():
    stic = department("SZ-STIC")
    with transaction.atomic():
        event = audit_record(actor=SYSTEM, verb="test.thing_done", obj=stic, department=stic,
                             params={"when": datetime.date(2016, 6, 1), "amount_fen": 12345})
    event.refresh_from_db()
    assert event.actor_id is None
    assert event.actor_label == "system:test"
    assert event.department == stic
    assert (event.object_type, event.object_id, event.object_label) == ("core.organisation", str(stic.pk), stic.name)
    assert event.params == {"when": "2016-06-01", "amount_fen": 12345}


@pytest.mark.django_db
def test_verify_ok_on_an_intact_chain():
    record(3)
    result = audit_verify()
    assert result.ok
    assert result.checked == 3
    assert result.first_bad_seq is None


@pytest.mark.django_db
def test_verify_ok_on_an_empty_log():
    result = audit_verify()
    assert result.ok and result.checked == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"params": {"n": 999}},
        {"verb": "test.something_else"},
        {"created_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)},
        {"object_label": "another thing"},
        {"actor_label": "someone"},
    ],
    ids=["params", "verb", "created_at", "object_label", "actor_label"],
)
def test_tampering_names_exactly_that_event(change):
    record(5)
    AuditEvent.objects.filter(seq=3).update(**change)
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_seq == 3
    assert result.checked == 2
    assert result.problem == "content changed after it was written"


@pytest.mark.django_db
def test_tampering_with_a_hash_breaks_the_next_link():
    record(4)
    # Rewriting an event's hash to match new content is caught by the next event's link.
    event = AuditEvent.objects.get(seq=2)
    event.params = {"n": 999}
    AuditEvent.objects.filter(seq=2).update(params=event.params, hash=event_hash(event))
    result = audit_verify()
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert result.problem == "link to the previous event broken"


@pytest.mark.django_db
def test_deleting_an_event_in_the_middle_is_detected():
    record(4)
    AuditEvent.objects.filter(seq=2).delete()
    result = audit_verify()
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert result.problem == "missing event before #3"


@pytest.mark.django_db
def test_deleting_the_last_event_is_detected():
    record(4)
    AuditEvent.objects.filter(seq=4).delete()
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_seq == 4
    assert result.checked == 3
    assert result.problem == "events after the last one found are missing"


@pytest.mark.django_db
def test_command_verify_prints_ok():
    record(3)
    assert verify_command() == (0, "ok", "")


@pytest.mark.django_db
def test_command_verify_names_the_tampered_event_and_exits_1():
    record(3)
    AuditEvent.objects.filter(seq=2).update(verb="test.forged")
    status, out, err = verify_command()
    assert status == 1
    assert out == ""
    assert err == "tampered: event #2: content changed after it was written"


@pytest.mark.django_db
def test_command_requires_an_action():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("audit")


@pytest.mark.django_db
def test_the_canonical_text_is_the_sorted_json_of_the_whole_event():
    import json
    from datetime import timezone as dt_timezone

    from shuangchuang.core.audit import _canonical

    with transaction.atomic():
        event = audit_record(actor=SYSTEM, verb="test.引号\"和\\斜杠", object_type="test.thing", object_id=7,
                             object_label="名称 \"x\"", params={"z": [1, "二"], "a": {"b": None}, "prev_hash": "x"})
    event.refresh_from_db()
    whole = {"seq": event.seq, "created_at": event.created_at.astimezone(dt_timezone.utc).isoformat(
        timespec="microseconds"), "actor": event.actor_id, "actor_label": event.actor_label,
        "organisation": event.organisation_id, "department": event.department_id, "verb": event.verb,
        "object_type": event.object_type, "object_id": event.object_id, "object_label": event.object_label,
        "params": event.params, "prev_hash": event.prev_hash}
    assert _canonical(event) == json.dumps(whole, sort_keys=True, ensure_ascii=False,
                                           separators=(",", ":")).encode()
    assert event_hash(event) == event.hash  # the database (PostgreSQL) or Python computed the same hash

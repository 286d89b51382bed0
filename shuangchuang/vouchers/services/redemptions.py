"""Redemption (兑现): requested by the provider after the service with proof of the holder's own payment and of
the service; the department audits (委托审计), publicises and pays (screening the parties again); payments wait in
a settlement batch for the delay window, in which an erroneous one can be cancelled; after settlement a refund is
a reversing movement. The workflow is one table (REDEMPTION_WORKFLOW) and one transition function.

Money: request = voucher → pending (so concurrent requests can never spend the same balance twice); reject =
pending → voucher; pay = pending → provider payable (and a "paid" row in the per-enterprise support ledger);
cancel = payable → voucher; settle = payable → disbursed; refund = disbursed → voucher. Where the voucher has
expired in between, money coming back goes to the budget instead.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.rawsql import for_update, insert_objects
from shuangchuang.core.services import notification_send
from shuangchuang.core.workflow import Transition
from shuangchuang.credit.services import Party
from shuangchuang.vouchers.models import (
    Account,
    AccountKind,
    Contract,
    ContractState,
    Journal,
    JournalKind,
    ProviderRegistration,
    Redemption,
    RedemptionState,
    RegistrationState,
    SettlementBatch,
    Voucher,
    VoucherState,
)
from shuangchuang.vouchers.permissions import can_act_for_provider_id, can_manage_scheme
from shuangchuang.vouchers.services.common import (
    blocked_message,
    check_documents,
    members_of,
    money_input,
    save_documents,
    screen,
    step,
    today,
)
from shuangchuang.vouchers.services.ledger import account_for, reverse, transfer
from shuangchuang.vouchers.services.support import support_paid, support_reverse

REQUIRED_PROOFS = ("holder_payment", "service")


def _clean_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 64:
        raise ServiceError("idempotency_key_required", _("Send an idempotency key of 1 to 64 characters."),
                           field="idempotency_key")
    return key


def _same_request(existing: Redemption, contract: Contract) -> Redemption:
    if existing.contract_id != contract.pk:
        raise Conflict("idempotency_key_reused", _("This idempotency key was used for another contract."))
    return existing


def redemption_request(*, actor: Actor, contract: Contract, idempotency_key: str, holder_paid_fen: int,
                       service_done_on: datetime.date, documents: dict | None = None,
                       amount_fen: int | None = None) -> Redemption:
    """The provider asks to be paid. The amount is the lesser of the voucher's balance and what the contract still
    allows (its share of the fee less what earlier redemptions hold), or less when asked. The holder's own payment
    (its proof attached) must cover the rest of the fee: fee − everything the voucher pays on the contract,
    this request included. Sending the same idempotency key again returns the first request and moves no
    money.

    This is the hot path of the benchmark (docs/PERFORMANCE.md), so it is written for cost: one transaction with
    one locked read of everything about the contract that can change (its state, fee, share and committed amount,
    the registration's and the voucher's state), the two voucher accounts locked, the inserts (redemption, its
    documents, journal, entries, step, audit event) and two updates, in plain SQL where the ORM's query building
    cost more than the database (core.rawsql). What never changes once written (the contract's voucher, provider
    and number; the voucher's code, year and scheme) is taken from `contract` as the caller loaded it —
    select_related("voucher__scheme_year", "voucher__application__scheme__department") saves the look-ups.
    The idempotency key is not looked up first: a repeated key fails the UNIQUE (provider, key) insert or a check,
    everything is rolled back, and the first request is returned."""
    provider_id = contract.provider_id
    require(can_act_for_provider_id(actor, provider_id))
    key = _clean_key(idempotency_key)
    money_input(holder_paid_fen, field="holder_paid_fen")
    if amount_fen is not None:
        money_input(amount_fen, field="amount_fen")
    if not isinstance(service_done_on, datetime.date):
        raise ServiceError("outside_period", _("The service must be completed after signing, while the voucher is "
                                               "valid, and not in the future."), field="service_done_on")
    checked = check_documents(documents or {}, required=REQUIRED_PROOFS)
    try:
        with transaction.atomic():
            return _request_locked(actor=actor, contract=contract, key=key, holder_paid_fen=holder_paid_fen,
                                   service_done_on=service_done_on, amount_fen=amount_fen, checked=checked)
    except (IntegrityError, ServiceError):
        # The same key sent again (by a retry, or by a concurrent request that committed first): whatever this
        # attempt wrote was rolled back; answer with the first request. Anything else is raised as it is.
        existing = Redemption.objects.filter(provider_id=provider_id, idempotency_key=key).first()
        if existing is None:
            raise
        return _same_request(existing, contract)


_LOCK_CONTRACT = (
    "SELECT c.provider_id, c.voucher_id, c.state, c.amount_fen, c.max_voucher_fen, c.committed_fen, c.signed_on, "
    "r.state, v.state, v.valid_until FROM {contract} c JOIN {registration} r ON r.id = c.registration_id "
    "JOIN {voucher} v ON v.id = c.voucher_id WHERE c.id = %s"
).format(contract=Contract._meta.db_table, registration=ProviderRegistration._meta.db_table,
         voucher=Voucher._meta.db_table)
_LOCK_ACCOUNTS = (f"SELECT id, kind, balance_fen FROM {Account._meta.db_table} "
                  "WHERE voucher_id = %s AND kind IN (%s, %s) ORDER BY id")
_ADD_COMMITTED = f"UPDATE {Contract._meta.db_table} SET committed_fen = committed_fen + %s WHERE id = %s"


def _request_locked(*, actor: Actor, contract: Contract, key: str, holder_paid_fen: int,
                    service_done_on: datetime.date, amount_fen: int | None, checked: list) -> Redemption:
    """The part of redemption_request inside its transaction (not a use case of its own)."""
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_CONTRACT + for_update(of="c"), [contract.pk])
        row = cursor.fetchone()
    if row is None or row[0] != contract.provider_id or row[1] != contract.voucher_id:
        raise Conflict("contract_changed", _("This contract is not the one on record."))
    (_provider, voucher_id, state, contract_fee, max_voucher, committed, signed_on, registration_state,
     voucher_state, valid_until) = row
    signed_on, valid_until = _as_date(signed_on), _as_date(valid_until)
    on = today()
    if state != ContractState.SIGNED:
        raise Conflict("contract_not_signed", _("The holder has not confirmed this contract."))
    if registration_state != RegistrationState.APPROVED:
        raise Conflict("provider_not_registered", _("The provider's registration is no longer valid."))
    if service_done_on > on or service_done_on < signed_on or service_done_on > valid_until:
        raise ServiceError("outside_period", _("The service must be completed after signing, while the voucher is "
                                               "valid, and not in the future."), field="service_done_on")
    if voucher_state != VoucherState.ACTIVE or valid_until < on:
        raise Conflict("voucher_not_active", _("This voucher is no longer valid."))
    voucher = contract.voucher
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_ACCOUNTS + for_update(),
                       [voucher_id, AccountKind.VOUCHER.value, AccountKind.PENDING.value])
        accounts = {kind: Account(pk=pk, kind=kind, balance_fen=balance, voucher_id=voucher_id,
                                  scheme_year_id=voucher.scheme_year_id) for pk, kind, balance in cursor.fetchall()}
    voucher_account, pending = accounts[AccountKind.VOUCHER], accounts[AccountKind.PENDING]
    balance = voucher_account.balance_fen
    room = max_voucher - committed
    amount = min(balance, room) if amount_fen is None else amount_fen
    if amount <= 0:
        raise Conflict("nothing_to_redeem", _("Nothing is left to redeem: the voucher's balance is %(balance)s "
                                              "fen and the contract allows %(room)s fen more.")
                       % {"balance": balance, "room": room})
    if amount > balance or amount > room:
        raise Conflict("over_limit", _("At most %(max)s fen can be redeemed now.") % {"max": min(balance, room)})
    holder_share = contract_fee - committed - amount  # the rest of the fee: what the voucher does not pay
    if holder_paid_fen < holder_share:
        raise ServiceError("holder_payment_short",
                           _("The holder's payment proof states %(paid)s fen, but the holder must pay the rest "
                             "of the fee not paid by the voucher: at least %(rest)s fen (fee %(fee)s fen, "
                             "voucher %(voucher)s fen).")
                           % {"paid": holder_paid_fen, "rest": holder_share, "fee": contract_fee,
                              "voucher": committed + amount}, field="holder_paid_fen")
    redemption = Redemption(contract=contract, voucher=voucher, provider_id=contract.provider_id,
                            idempotency_key=key, amount_fen=amount, holder_paid_fen=holder_paid_fen,
                            service_done_on=service_done_on)
    insert_objects([redemption])  # UNIQUE (provider, key): a repeated key rolls everything back
    stored = save_documents(checked, redemption=redemption)
    journal = transfer(actor=actor, kind=JournalKind.REDEEM_REQUEST, key=f"request:{redemption.pk}",
                       scheme_year=voucher.scheme_year, source=voucher_account, target=pending, amount_fen=amount,
                       voucher=voucher, redemption=redemption, memo=contract.number,
                       locked={voucher_account.pk: voucher_account, pending.pk: pending}, fresh_key=True)
    with connection.cursor() as cursor:
        cursor.execute(_ADD_COMMITTED, [amount, contract.pk])
    step(actor=actor, redemption=redemption, transition="request", from_state="",
         to_state=RedemptionState.REQUESTED)
    audit_record(actor=actor, verb="vouchers.redemption_requested", obj=redemption,
                 department=voucher.application.scheme.department,
                 params={"voucher": voucher.code, "contract": contract.pk, "amount_fen": amount,
                         "holder_paid_fen": holder_paid_fen, "journal": journal.pk, "documents": len(stored),
                         "key": key})
    return redemption


def _as_date(value) -> datetime.date:
    """A DATE column read through a plain cursor: a date on PostgreSQL, ISO text on SQLite."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


REDEMPTION_WORKFLOW: dict[str, Transition] = {t.name: t for t in (
    Transition("audit", gettext_lazy("Record the audit"), frozenset({RedemptionState.REQUESTED}),
               RedemptionState.AUDITED, note_required=True),
    Transition("publicise", gettext_lazy("Publicise"), frozenset({RedemptionState.AUDITED}),
               RedemptionState.PUBLICISED),
    Transition("pay", gettext_lazy("Pay"), frozenset({RedemptionState.PUBLICISED}), RedemptionState.PAID),
    Transition("reject", gettext_lazy("Reject"),
               frozenset({RedemptionState.REQUESTED, RedemptionState.AUDITED, RedemptionState.PUBLICISED}),
               RedemptionState.REJECTED, note_required=True),
    Transition("cancel", gettext_lazy("Cancel the payment"), frozenset({RedemptionState.PAID}),
               RedemptionState.CANCELLED, note_required=True),
    Transition("refund", gettext_lazy("Record the provider's refund"), frozenset({RedemptionState.SETTLED}),
               RedemptionState.REFUNDED, note_required=True),
)}


def redemption_transitions_for(actor: Actor, redemption: Redemption) -> list[Transition]:
    if not can_manage_scheme(actor, redemption.voucher.application.scheme)[0]:
        return []
    return [t for t in REDEMPTION_WORKFLOW.values() if redemption.state in t.sources]


def _return_target(redemption: Redemption) -> Account:
    """Where money coming back goes: the voucher while it is valid, else the budget it came from."""
    voucher = redemption.voucher
    scheme_year = voucher.scheme_year
    if voucher.state == VoucherState.ACTIVE and voucher.valid_until >= today():
        return account_for(scheme_year, AccountKind.VOUCHER, voucher=voucher)
    return account_for(scheme_year, AccountKind.BUDGET)


def _journal(redemption: Redemption, kind: str) -> Journal:
    return Journal.objects.get(redemption=redemption, kind=kind)


def _pay_screening(redemption: Redemption, on: datetime.date):
    application = redemption.voucher.application
    parties = [Party(name=redemption.provider.name, uscc=redemption.provider.code)]
    if application.enterprise_id:
        parties.append(Party(name=application.enterprise.name, uscc=application.enterprise.uscc))
    if application.person_id_number:
        parties.append(Party(name=application.person_name, id_number=application.person_id_number))
    return [screen(p, scheme=application.scheme, on=on) for p in parties]


def redemption_transition(*, actor: Actor, redemption: Redemption, transition: str, note: str = "",
                          on: datetime.date | None = None) -> Redemption:
    t = REDEMPTION_WORKFLOW.get(transition)
    if t is None:
        raise ServiceError("invalid_transition", _("Unknown step."), field="transition")
    scheme = redemption.voucher.application.scheme
    require(can_manage_scheme(actor, scheme))
    note = (note or "").strip()
    if t.note_required and not note:
        raise ServiceError("note_required", _("Write the note."), field="note")
    on = on or today()
    results = []
    redemption = Redemption.objects.select_related("voucher__application__enterprise", "provider").get(pk=redemption.pk)
    if t.name == "pay":
        if redemption.publicity_ends_on and on < redemption.publicity_ends_on:
            raise Conflict("publicity_running", _("The publicity period ends on %(date)s.")
                           % {"date": redemption.publicity_ends_on})
        results = _pay_screening(redemption, on)
    blocked = next((r for r in results if r.blocked), None)
    with transaction.atomic():
        redemption = Redemption.objects.select_for_update(of=("self",)).select_related(
            "contract", "voucher", "voucher__scheme_year", "voucher__application", "voucher__application__scheme",
            "voucher__application__enterprise", "provider", "batch").get(pk=redemption.pk)
        if redemption.state not in t.sources:
            raise Conflict("wrong_state", _("This redemption is %(state)s; that step is not possible now.")
                           % {"state": redemption.get_state_display()})
        if results:
            redemption.screening_evidence = ",".join(r.evidence_id for r in results)[:80]
        if blocked is not None:
            redemption.save(update_fields=["screening_evidence"])
            audit_record(actor=actor, verb="vouchers.payment_blocked", obj=redemption, department=scheme.department,
                         params={"evidence": blocked.evidence_id})
        else:
            _apply(actor, redemption, t, note, on)
    if blocked is not None:
        raise Conflict("screening_blocked", blocked_message(blocked))
    return redemption


def _apply(actor: Actor, redemption: Redemption, t: Transition, note: str, on: datetime.date) -> None:
    scheme = redemption.voucher.application.scheme
    scheme_year = redemption.voucher.scheme_year
    before = redemption.state
    journal = None
    if t.name == "audit":
        redemption.audit_note = note
    elif t.name == "publicise":
        redemption.publicity_ends_on = on + datetime.timedelta(days=scheme.publicity_days)
    elif t.name == "pay":
        Contract.objects.select_for_update().filter(pk=redemption.contract_id).first()  # lock order: contract first
        journal = transfer(actor=actor, kind=JournalKind.PAY, key=f"pay:{redemption.pk}", scheme_year=scheme_year,
                           source=account_for(scheme_year, AccountKind.PENDING, voucher=redemption.voucher),
                           target=account_for(scheme_year, AccountKind.PAYABLE, provider=redemption.provider),
                           amount_fen=redemption.amount_fen, voucher=redemption.voucher, redemption=redemption,
                           memo=redemption.contract.number)
        batch, _created = SettlementBatch.objects.get_or_create(
            scheme_year=scheme_year, paid_on=on,
            defaults={"executes_on": on + datetime.timedelta(days=scheme.settlement_delay_days)})
        if batch.executed_at is not None:
            raise Conflict("batch_closed", _("Today's settlement batch has already been executed."))
        redemption.batch = batch
        redemption.paid_at = timezone.now()
        redemption.support_entry_id = support_paid(actor=actor, redemption=redemption, on=on)
    elif t.name in ("reject", "cancel", "refund"):
        Contract.objects.select_for_update().filter(pk=redemption.contract_id).first()
        if t.name == "cancel" and redemption.batch is not None and redemption.batch.executed_at is not None:
            raise Conflict("already_settled", _("The batch was settled; record a refund instead."))
        original = {"reject": JournalKind.REDEEM_REQUEST, "cancel": JournalKind.PAY, "refund": JournalKind.SETTLE}
        kinds = {"reject": JournalKind.REDEEM_REJECT, "cancel": JournalKind.CANCEL, "refund": JournalKind.REFUND}
        journal = reverse(actor=actor, kind=kinds[t.name], journal=_journal(redemption, original[t.name]),
                          key=f"{t.name}:{redemption.pk}", target=_return_target(redemption), memo=note[:200])
        Contract.objects.filter(pk=redemption.contract_id).update(
            committed_fen=F("committed_fen") - redemption.amount_fen)
        if t.name in ("cancel", "refund"):
            support_reverse(actor=actor, redemption=redemption, on=on, note=note)
    redemption.state = t.target
    if t.name != "audit":
        redemption.decision_note = note or redemption.decision_note
    redemption.save()
    step(actor=actor, redemption=redemption, transition=t.name, from_state=before, to_state=t.target, note=note)
    audit_record(actor=actor, verb=f"vouchers.redemption_{t.name}", obj=redemption, department=scheme.department,
                 params={"from": before, "to": t.target, "note": note[:500], "amount_fen": redemption.amount_fen,
                         "journal": journal.pk if journal else None, "evidence": redemption.screening_evidence})
    if t.name in ("pay", "reject", "cancel"):
        recipients = members_of(redemption.provider, roles={"legal_rep", "admin", "staff"})
        if recipients:
            notification_send(actor=actor, recipients=recipients, organisation=redemption.provider,
                              url=f"/vouchers/redemptions/{redemption.pk}/",
                              subject=_("Redemption of voucher %(code)s: %(state)s")
                              % {"code": redemption.voucher.code, "state": redemption.get_state_display()},
                              body=note, email=False)


def settlement_run(*, actor: Actor, on: datetime.date | None = None) -> int:
    """Settle every batch whose delay window has passed: payable → disbursed for each payment still standing.
    One transaction per batch; safe to run again (each movement has its key). Returns the payments settled."""
    if not actor.is_system:
        require((False, _("Settlement runs as a scheduled job.")))
    on = on or today()
    settled = 0
    for batch_id in SettlementBatch.objects.filter(executes_on__lte=on, executed_at__isnull=True).values_list(
            "pk", flat=True):
        with transaction.atomic():
            batch = SettlementBatch.objects.select_for_update().select_related("scheme_year__scheme__department").get(
                pk=batch_id)
            if batch.executed_at is not None:
                continue
            scheme_year = batch.scheme_year
            disbursed = account_for(scheme_year, AccountKind.DISBURSED)
            paid = list(batch.redemptions.select_for_update().filter(state=RedemptionState.PAID).order_by("pk"))
            for redemption in paid:
                transfer(actor=actor, kind=JournalKind.SETTLE, key=f"settle:{redemption.pk}",
                         scheme_year=scheme_year,
                         source=account_for(scheme_year, AccountKind.PAYABLE, provider=redemption.provider),
                         target=disbursed, amount_fen=redemption.amount_fen, voucher=redemption.voucher,
                         redemption=redemption, memo=str(batch))
                step(actor=actor, redemption=redemption, transition="settle", from_state=RedemptionState.PAID,
                     to_state=RedemptionState.SETTLED)
            Redemption.objects.filter(pk__in=[r.pk for r in paid]).update(state=RedemptionState.SETTLED)
            batch.executed_at = timezone.now()
            batch.save(update_fields=["executed_at"])
            audit_record(actor=actor, verb="vouchers.batch_settled", obj=batch,
                         department=scheme_year.scheme.department,
                         params={"payments": len(paid), "amount_fen": sum(r.amount_fen for r in paid)})
            settled += len(paid)
    return settled

"""Moving money on the ledger. Not a use case: the voucher services call `transfer` inside their transaction.

Every movement locks the accounts it touches (in id order, so two movements never deadlock), checks the source
balance, writes one journal with its two entries and updates the balance rows; the database refuses a negative
balance (CHECK) and a second movement with the same key (UNIQUE) even if a check here were wrong.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict
from shuangchuang.core.rawsql import insert_objects
from shuangchuang.vouchers.models import Account, AccountKind, Journal, LedgerEntry, SchemeYear


# Plain SQL on the hot path (one redemption = one transfer): the CHECK (balance >= 0) still guards it.
_MOVE_BALANCES = (f"UPDATE {Account._meta.db_table} SET balance_fen = balance_fen + "
                  "CASE WHEN id = %s THEN %s ELSE %s END WHERE id IN (%s, %s)")


def account_for(scheme_year: SchemeYear, kind: str, *, voucher=None, provider=None) -> Account:
    """The account of this kind (created the first time)."""
    lookup = {"scheme_year": scheme_year, "kind": kind}
    if voucher is not None:
        lookup["voucher"] = voucher
    elif provider is not None:
        lookup["provider"] = provider
    else:
        lookup.update(voucher__isnull=True, provider__isnull=True)
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    create = {k: v for k, v in lookup.items() if not k.endswith("__isnull")}
    try:
        with transaction.atomic():
            return Account.objects.create(**create)
    except IntegrityError:
        return Account.objects.get(**lookup)


def lock_accounts(accounts: list[Account]) -> dict[int, Account]:
    """Lock accounts in id order (the one order every movement uses, so two never deadlock)."""
    ids = sorted({a.pk for a in accounts})
    locked = Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {a.pk: a for a in locked}


def transfer(*, actor: Actor, kind: str, key: str, scheme_year: SchemeYear, source: Account, target: Account,
             amount_fen: int, voucher=None, redemption=None, reverses: Journal | None = None,
             memo: str = "", locked: dict[int, Account] | None = None, fresh_key: bool = False) -> Journal:
    """Move `amount_fen` from source to target as one journal. Raise Conflict when the source lacks the money or
    the movement (its key) was already made.

    `locked`: the caller already holds both accounts (from lock_accounts, read in this transaction). `fresh_key`:
    the key names a row created in this transaction, so it cannot exist yet (no savepoint needed); the UNIQUE
    constraint still holds either way."""
    if not connection.in_atomic_block:
        raise RuntimeError("transfer must be called inside transaction.atomic()")
    locked = locked if locked is not None else lock_accounts([source, target])
    if source.kind != AccountKind.APPROPRIATION and locked[source.pk].balance_fen < amount_fen:
        raise Conflict("insufficient_balance", _("Not enough money: %(available)s fen available, %(needed)s fen "
                                                 "needed.") % {"available": locked[source.pk].balance_fen,
                                                               "needed": amount_fen})
    journal = Journal(kind=kind, key=key[:96], scheme_year=scheme_year, voucher=voucher, redemption=redemption,
                      reverses=reverses, amount_fen=amount_fen, memo=memo[:200], actor_label=actor.label[:160])
    if fresh_key:
        insert_objects([journal])
    else:
        try:
            with transaction.atomic():
                insert_objects([journal])
        except IntegrityError as exc:
            raise Conflict("already_moved", _("This movement was already recorded.")) from exc
    insert_objects([LedgerEntry(journal=journal, account_id=source.pk, amount_fen=-amount_fen),
                    LedgerEntry(journal=journal, account_id=target.pk, amount_fen=amount_fen)])
    with connection.cursor() as cursor:
        cursor.execute(_MOVE_BALANCES, [source.pk, -amount_fen, amount_fen, source.pk, target.pk])
    locked[source.pk].balance_fen -= amount_fen
    locked[target.pk].balance_fen += amount_fen
    return journal


def reverse(*, actor: Actor, kind: str, journal: Journal, key: str, memo: str = "", target: Account | None = None
            ) -> Journal:
    """Undo a journal with its mirror image (to `target` instead of the original source when given)."""
    entries = {e.amount_fen > 0: e.account for e in journal.entries.select_related("account")}
    return transfer(actor=actor, kind=kind, key=key, scheme_year=journal.scheme_year, source=entries[True],
                    target=target or entries[False], amount_fen=journal.amount_fen, voucher=journal.voucher,
                    redemption=journal.redemption, reverses=journal, memo=memo)


def derived_balance(account_id: int) -> int:
    """The balance as the sum of the account's entries (index-only on PostgreSQL)."""
    return LedgerEntry.objects.filter(account_id=account_id).aggregate(total=Sum("amount_fen"))["total"] or 0


def ledger_verify() -> list[str]:
    """Problems found: journals whose entries do not sum to zero, balance rows that differ from their entries."""
    problems = []
    unbalanced = (LedgerEntry.objects.values("journal_id").annotate(total=Sum("amount_fen"))
                  .exclude(total=0).values_list("journal_id", flat=True)[:20])
    problems += [f"journal {j} does not sum to zero" for j in unbalanced]
    sums = dict(LedgerEntry.objects.values("account_id").annotate(total=Sum("amount_fen"))
                .values_list("account_id", "total"))
    for account_id, kind, balance in Account.objects.values_list("pk", "kind", "balance_fen"):
        if sums.get(account_id, 0) != balance:
            problems.append(f"account {account_id} ({kind}): row {balance}, entries {sums.get(account_id, 0)}")
        if balance < 0 and kind != AccountKind.APPROPRIATION:
            problems.append(f"account {account_id} ({kind}) is negative")
    return problems

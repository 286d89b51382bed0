"""Helpers shared by the voucher services (not use cases themselves)."""

from __future__ import annotations

import datetime
import secrets
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, ServiceError
from shuangchuang.core.files import DOCUMENT_TYPES, validate_upload
from shuangchuang.core.models import User
from shuangchuang.core.rawsql import insert_objects
from shuangchuang.credit.services import Party, screening_run
from shuangchuang.policies.selectors.parameters import parameter_value
from shuangchuang.vouchers.models import Document, Scheme, Step

GATE = Actor.system("vouchers")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_DOCUMENTS = 10


def today() -> datetime.date:
    return timezone.localdate()


def scheme_parameter(scheme: Scheme, role: str, *, on: datetime.date):
    """The value of one of the scheme's parameters on a date; None when the key is not configured or not set."""
    key = scheme.parameter_key(role)
    if not key:
        return None
    return parameter_value(key, on=on)


def required_parameter(scheme: Scheme, role: str, *, on: datetime.date):
    value = scheme_parameter(scheme, role, on=on)
    if value is None:
        raise Conflict("parameter_not_set",
                       _("The department has not set %(what)s for %(date)s (parameter %(key)s); nothing can be "
                         "decided before it does.") % {"what": role, "date": on.isoformat(),
                                                      "key": scheme.parameter_key(role) or "—"})
    return value


def share_of(amount_fen: int, share) -> int:
    """floor(amount × share) in fen: the voucher's part of a fee never rounds up."""
    return int((Decimal(amount_fen) * Decimal(str(share))).to_integral_value(rounding=ROUND_FLOOR))


def add_months(day: datetime.date, months: int) -> datetime.date:
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(12))


def money_input(value, *, field: str, allow_zero: bool = False) -> int:
    """An amount given in fen (int) — checked positive and whole."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("invalid_amount", _("The amount must be a whole number of fen."), field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise ServiceError("invalid_amount", _("The amount must be positive."), field=field)
    if value > 10**15:
        raise ServiceError("invalid_amount", _("The amount is too large."), field=field)
    return value


def screen(party: Party, *, scheme, on: datetime.date | None = None):
    """Screen a party for the voucher action from every list (the gate acts as the system, not as the asker); the
    evidence names the scheme's department, whose officers decide and may open it."""
    return screening_run(actor=GATE, party=party, action="voucher", on=on, channel="vouchers",
                         deciding_department=scheme.department)


def blocked_message(result) -> str:
    names = ", ".join(sorted({h["list_name"] for h in result.hits if h.get("restricts")})) or "—"
    return _("Refused: a credit list restricts vouchers for this party (%(lists)s). Screening evidence "
             "%(evidence)s.") % {"lists": names, "evidence": result.evidence_id}


def step(*, actor: Actor, transition: str, from_state: str, to_state: str, note: str = "", application=None,
         redemption=None) -> Step:
    row = Step(application=application, redemption=redemption, transition=transition, from_state=from_state,
               to_state=to_state, note=(note or "")[:2000], actor_label=actor.label)
    insert_objects([row])  # on every redemption request: plain SQL (core.rawsql)
    return row


def check_documents(uploads: dict, *, required: tuple[str, ...] = ()) -> list[tuple]:
    """Validate {kind: [files]} before anything is written; every kind in `required` needs at least one file."""
    for kind in required:
        if not uploads.get(kind):
            label = dict(Document.KINDS)[kind]
            raise ServiceError("document_required", _("Attach: %(what)s (PDF, PNG or JPEG).") % {"what": label},
                               field=kind)
    count = sum(len(files) for files in uploads.values())
    if count > MAX_DOCUMENTS:
        raise ServiceError("too_many_documents", _("Attach at most %(n)d files.") % {"n": MAX_DOCUMENTS},
                           field="documents")
    checked = []
    for kind, files in uploads.items():
        if kind not in dict(Document.KINDS):
            raise ServiceError("invalid_document_kind", _("Unknown kind of document."), field="documents")
        for upload in files:
            try:
                content_type = validate_upload(upload, allowed_types=DOCUMENT_TYPES)
            except ValidationError as exc:
                raise ServiceError(exc.code or "bad_file", " ".join(str(m) for m in exc.messages), field=kind) \
                    from exc
            checked.append((kind, upload, content_type))
    return checked


def save_documents(checked: list[tuple], *, contract=None, redemption=None) -> list[Document]:
    """Store checked files (inside the caller's transaction)."""
    stored = []
    for kind, upload, content_type in checked:
        upload.seek(0)
        document = Document(contract=contract, redemption=redemption, kind=kind,
                            original_name=(getattr(upload, "name", "") or "document")[:200],
                            content_type=content_type, size=upload.size)
        document.file.save(upload.name or "document", upload, save=False)
        stored.append(document)
    insert_objects(stored)
    return stored


def members_of(organisation, roles=None) -> list[User]:
    users = User.objects.filter(memberships__organisation=organisation, memberships__is_active=True, is_active=True)
    if roles:
        users = users.filter(memberships__role__in=list(roles))
    return list(users.distinct())

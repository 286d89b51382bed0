"""Issuing unified social credit codes (GB 32100) to newly registered enterprises.

Code = "9" (market regulation) + entity type (1 enterprise, 2 个体工商户, 3 cooperative) + the registration
authority's region (GB/T 2260) + organisation-code body + GB 11714 check + GB 32100 check. Bodies are
"MA5" + five base-31 characters of a per-region serial: the synthetic city never makes "MA5…" bodies, and the
few hand-made ones in demo data and tests are skipped because every candidate is checked against the register.

The serial row of the region is locked (SELECT … FOR UPDATE; SQLite runs write transactions one at a time), so
two concurrent approvals never get the same code.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.models import Organisation
from shuangchuang.registration.models import UsccCounter
from shuangchuang.registry.models import Enterprise, LegalForm
from shuangchuang.registry.uscc import ALPHABET, make_uscc, parse_uscc

BODY_PREFIX = "MA5"
BODY_DIGITS = 5
SERIAL_SPACE = len(ALPHABET) ** BODY_DIGITS  # 28,629,151 codes per region
ENTITY_TYPES = {LegalForm.INDIVIDUAL: "2", LegalForm.COOPERATIVE: "3"}


def entity_type_for(legal_form: str) -> str:
    return ENTITY_TYPES.get(legal_form, "1")


def body_for(serial: int) -> str:
    digits = []
    for _i in range(BODY_DIGITS):
        serial, rest = divmod(serial, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return BODY_PREFIX + "".join(reversed(digits))


def _taken(code: str) -> bool:
    return Enterprise.objects.filter(uscc=code).exists() or Organisation.objects.filter(code=code).exists()


def uscc_issue(*, region: str, legal_form: str) -> str:
    """A new, valid, unused code for an enterprise registered by an authority of `region`. Call inside the
    approving transaction: the counter stays locked until it commits."""
    if not connection.in_atomic_block:
        raise RuntimeError("uscc_issue must run inside the approving transaction")
    if not (region and region.isdigit() and len(region) == 6):
        raise ServiceError("authority_region_missing", _("The registration authority has no region code."))
    UsccCounter.objects.get_or_create(region=region)
    counter = UsccCounter.objects.select_for_update().get(region=region)
    entity_type = entity_type_for(legal_form)
    serial = counter.next_serial
    while True:
        if serial >= SERIAL_SPACE:
            raise ServiceError("uscc_exhausted", _("No codes are left for this region."))
        code = make_uscc("9", entity_type, region, body_for(serial))
        serial += 1
        if not _taken(code):
            break
    counter.next_serial = serial
    counter.save(update_fields=["next_serial"])
    assert parse_uscc(code).valid, code
    return code


def issue_in_own_transaction(*, region: str, legal_form: str) -> str:
    with transaction.atomic():
        return uscc_issue(region=region, legal_form=legal_form)

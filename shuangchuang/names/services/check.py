"""Checking a name: parse the input, resolve the authority, industry and investors, run the checker."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.models import Organisation
from shuangchuang.names import selectors
from shuangchuang.names.checker import CheckResult, check_name
from shuangchuang.registry.models import IndustryDivision, LegalForm

MAX_INPUT = 100


def resolve_inputs(*, name: str, legal_form: str, registration_authority: Organisation | None,
                   industry_code: str | None, investor_usccs=()) -> tuple[str, Organisation, str | None, frozenset]:
    name = (name or "").strip()
    if len(name) > MAX_INPUT:
        raise ServiceError("name_too_long", _("The name is too long."), field="name")
    if legal_form not in LegalForm.values:
        raise ServiceError("unknown_legal_form", _("Unknown legal form; use one of: %(forms)s.")
                           % {"forms": ", ".join(LegalForm.values)}, field="legal_form")
    industry_code = (industry_code or "").strip() or None
    if industry_code is not None and not IndustryDivision.objects.filter(code=industry_code).exists():
        raise ServiceError("unknown_industry", _("Unknown GB/T 4754 division %(code)s.") % {"code": industry_code},
                           field="industry_code")
    authority = registration_authority or selectors.default_authority()
    if authority is None:
        raise ServiceError("no_authority", _("No registration authority is configured."))
    investor_usccs = [u for u in investor_usccs if u and u.strip()]
    found = selectors.enterprises_by_uscc(investor_usccs)
    missing = [u for u in investor_usccs if u.strip().upper() not in found]
    if missing:
        raise ServiceError("unknown_investor", _("No registered enterprise has the USCC %(uscc)s.")
                           % {"uscc": missing[0]}, field="investors")
    related = selectors.related_enterprise_ids(e.pk for e in found.values())
    return name, authority, industry_code, related


def name_check(*, name: str, legal_form: str, registration_authority: Organisation | None = None,
               industry_code: str | None = None, investor_usccs=(), on: datetime.date | None = None) -> CheckResult:
    """Check a proposed name (a read: no record, no audit event). Raises ServiceError for unusable input."""
    name, authority, industry_code, related = resolve_inputs(
        name=name, legal_form=legal_form, registration_authority=registration_authority,
        industry_code=industry_code, investor_usccs=investor_usccs)
    return check_name(name=name, legal_form=legal_form, authority=authority, industry_code=industry_code,
                      investor_ids=related, on=on)

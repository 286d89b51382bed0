"""The completeness check of an application: every correction at once (深圳 商事登记若干规定, POLICY-FACTS §2.1).

`corrections(application)` returns a list of {"field", "code", "message"}; empty means complete. Submitting is
refused while it is not empty, and the list is shown in full, never one problem at a time."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuangchuang.core.idnumber import validate_id_number
from shuangchuang.registration import names_bridge
from shuangchuang.registration.models import Application, ApplicationKind, CustodianState, ShareholderKind
from shuangchuang.registration.selectors import scope_terms_by_code
from shuangchuang.registry.models import LegalForm
from shuangchuang.registry.uscc import REASON_MESSAGES, parse_uscc

def yuan(fen: int | None) -> str:
    """12345678 fen → \"123,456.78\" (exact, no float)."""
    return "" if fen is None else f"{Decimal(fen) / 100:,.2f}"


CAPITAL_FORMS = {LegalForm.LLC, LegalForm.JSC}
ARTICLES_FORMS = {LegalForm.LLC, LegalForm.JSC, LegalForm.PARTNERSHIP}


def _id_problem(value: str) -> str | None:
    try:
        validate_id_number(value)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return None


def _add(found: list, field: str, code: str, message: str) -> None:
    found.append({"field": field, "code": code, "message": str(message)})


def corrections(application: Application) -> list[dict]:
    found: list[dict] = []
    change = application.kind == ApplicationKind.CHANGE
    items = {c["item"] for c in application.changes} if change else set()
    if change and not items:
        _add(found, "changes", "no_change", _("Change at least one item: name, address, capital, legal "
                                              "representative or business scope."))
    if not change or "name" in items:
        if not application.name.strip():
            _add(found, "name", "name_required", _("Enter the enterprise's name."))
        problem = names_bridge.reservation_problem(
            application.reservation_id, name=application.name, user=application.applicant,
            authority=application.authority, legal_form=application.legal_form)
        if problem:
            _add(found, "reservation", "reservation", problem)
    if application.legal_form not in LegalForm.values:
        _add(found, "legal_form", "legal_form", _("Choose the legal form."))
    if not change or "address" in items:
        if application.custodian_id:
            if application.custodian.state != CustodianState.APPROVED:
                _add(found, "custodian", "custodian_not_approved",
                     _("The chosen custodian firm is not approved for cluster registration."))
            if not (application.hosting_start and application.hosting_end):
                _add(found, "hosting", "hosting_dates", _("Give the dates of the hosting contract."))
            elif application.hosting_end <= application.hosting_start:
                _add(found, "hosting", "hosting_dates", _("The hosting contract must end after it starts."))
        elif not application.address.strip():
            _add(found, "address", "address_required", _("Enter the address (住所), or choose cluster registration."))
        if application.district_id is None:
            _add(found, "district", "district_required", _("Choose the district."))
    if not change:
        if application.industry_id is None:
            _add(found, "industry", "industry_required", _("Choose the industry (GB/T 4754)."))
    if not change or "capital" in items:
        _check_capital(application, found)
    if not change or "legal_representative" in items:
        if not application.legal_rep_name.strip():
            _add(found, "legal_rep_name", "legal_rep_required", _("Enter the legal representative's name."))
        problem = _id_problem(application.legal_rep_id_number)
        if problem:
            _add(found, "legal_rep_id_number", "legal_rep_id", _("Legal representative: %(problem)s") % {
                "problem": problem})
    if not change:
        for officer in application.officers.all():
            problem = _id_problem(officer.id_number)
            if problem or not officer.name.strip():
                _add(found, "officers", "officer_id", _("%(position)s %(name)s: %(problem)s") % {
                    "position": officer.get_position_display(), "name": officer.name or "?",
                    "problem": problem or _("Enter the name.")})
    if not change or "scope" in items:
        codes = application.scope_terms or []
        if not codes:
            _add(found, "scope_terms", "scope_required", _("Choose the business scope from the standard terms."))
        unknown = [c for c in codes if c not in scope_terms_by_code(codes)]
        if unknown:
            _add(found, "scope_terms", "scope_unknown", _("Not standard business-scope terms: %(codes)s") % {
                "codes": ", ".join(unknown)})
    if not change and application.legal_form in ARTICLES_FORMS and not application.articles:
        _add(found, "articles", "articles_required", _("Upload the articles of association (PDF)."))
    return found


def _check_capital(application: Application, found: list) -> None:
    capital = application.registered_capital_fen
    if application.legal_form in CAPITAL_FORMS and not capital:
        _add(found, "registered_capital", "capital_required", _("Enter the registered capital."))
    shareholders = list(application.shareholders.all())
    if application.legal_form != LegalForm.BRANCH and not shareholders:
        _add(found, "shareholders", "shareholders_required", _("Enter at least one shareholder or investor."))
    total = 0
    for holder in shareholders:
        total += holder.subscribed_capital_fen
        if not holder.name.strip():
            _add(found, "shareholders", "shareholder_name", _("Enter every shareholder's name."))
        if holder.kind == ShareholderKind.PERSON:
            problem = _id_problem(holder.id_number)
            if problem:
                _add(found, "shareholders", "shareholder_id", _("Shareholder %(name)s: %(problem)s") % {
                    "name": holder.name, "problem": problem})
        else:
            parsed = parse_uscc(holder.uscc)
            if not parsed.valid:
                _add(found, "shareholders", "shareholder_uscc", _("Shareholder %(name)s: %(problem)s") % {
                    "name": holder.name, "problem": _(REASON_MESSAGES[parsed.reason])})
        if holder.subscribed_capital_fen <= 0:
            _add(found, "shareholders", "shareholder_capital", _("Shareholder %(name)s: enter the subscribed "
                                                                 "capital.") % {"name": holder.name})
    if capital and shareholders and total != capital:
        _add(found, "shareholders", "capital_mismatch",
             _("The subscribed capital of the shareholders (%(total)s yuan) must add up to the registered capital "
               "(%(capital)s yuan).") % {"total": yuan(total), "capital": yuan(capital)})

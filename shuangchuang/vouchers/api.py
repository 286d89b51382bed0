"""Voucher endpoints under /api/v1/vouchers.

Public (no token): the schemes with their current caps and categories, the catalogue of registered providers.
With a token (Authorization: Bearer …) acting for an organisation: the holder's applications and vouchers, the
contracts and redemptions the organisation is party to (a provider sees only its own), applying, proposing and
confirming contracts, requesting redemption (idempotent by key); officers read their own schemes' dashboards.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from shuangchuang.core.actor import Actor
from shuangchuang.core.apiauth import api_actor as core_api_actor
from shuangchuang.core.errors import require
from shuangchuang.vouchers import selectors
from shuangchuang.vouchers.models import Application, Contract, Redemption, ServiceCategory
from shuangchuang.vouchers.permissions import (
    can_manage_scheme,
    can_view_application,
    can_view_contract,
    can_view_redemption,
)
from shuangchuang.vouchers.services import (
    application_submit,
    contract_decide,
    contract_propose,
    redemption_request,
    scheme_budget_reduce,
    scheme_change,
    scheme_close,
)
from shuangchuang.vouchers.services.common import today

router = Router(tags=["vouchers"])
CATEGORY_LABELS = dict(ServiceCategory.choices)


def api_actor(request) -> Actor:
    """Every vouchers endpoint but the public catalogue needs a bearer token (401 without one)."""
    return core_api_actor(request, required=True)


# ---- schemas ---------------------------------------------------------------------------------------------

class CategoryOut(Schema):
    code: str
    label: str


class SchemeOut(Schema):
    code: str
    kind: str
    name: str
    department: str
    district: str | None
    legal_basis: str
    summary: str
    categories: list[CategoryOut]
    applicants: list[str]
    on: datetime.date
    caps_fen: dict[str, int | None]
    max_applications_per_year: int | None
    max_share_of_fee: str | None
    validity_months: int | None
    annual_cap_per_entity_fen: int | None
    is_open: bool


class ServiceOut(Schema):
    name: str
    description: str
    price_fen: int
    unit: str


class ProviderOut(Schema):
    provider: str
    uscc: str
    scheme: str
    category: str
    category_label: str
    year: int
    services: list[ServiceOut]


class VoucherOut(Schema):
    code: str
    scheme: str
    holder: str
    face_value_fen: int
    balance_fen: int
    issued_on: datetime.date
    valid_until: datetime.date
    state: str


class ApplicationOut(Schema):
    id: int
    scheme: str
    applicant_kind: str
    holder: str
    requested_fen: int
    cap_fen: int
    state: str
    decision_note: str
    screening_evidence: str
    eligibility: dict[str, Any]
    voucher: str | None


class ApplicationIn(Schema):
    scheme: str
    applicant_kind: str = "enterprise"
    requested_fen: int
    purpose: str
    project_key: str = ""
    person_name: str = ""
    person_id_number: str = ""


class ContractOut(Schema):
    id: int
    voucher: str
    provider: str
    holder: str
    category: str
    number: str
    title: str
    amount_fen: int
    max_voucher_fen: int
    committed_fen: int
    signed_on: datetime.date
    state: str


class SchemeChangeIn(Schema):
    note: str
    rule: dict[str, Any] | None = None
    parameters: dict[str, str] | None = None


class SchemeCloseIn(Schema):
    note: str


class BudgetReductionIn(Schema):
    year: int
    amount_fen: int
    note: str


class SchemeStateOut(Schema):
    code: str
    is_open: bool
    rule: dict[str, Any]
    parameters: dict[str, str]


class BudgetOut(Schema):
    scheme: str
    year: int
    budget_fen: int


class DecisionIn(Schema):
    accept: bool
    note: str = ""


class RedemptionOut(Schema):
    id: int
    contract: int
    voucher: str
    provider: str
    idempotency_key: str
    amount_fen: int
    holder_paid_fen: int
    service_done_on: datetime.date
    state: str
    decision_note: str
    settles_on: datetime.date | None


class DashboardRow(Schema):
    label: str
    value: int
    n: int


class DashboardOut(Schema):
    scheme: str
    year: int
    budget_fen: int
    issued_fen: int
    vouchers: int
    redeemed_fen: int
    settled_fen: int
    expired_fen: int
    budget_left_fen: int
    by_category: list[DashboardRow]
    by_district: list[DashboardRow]


# ---- presenters ------------------------------------------------------------------------------------------

def _scheme_out(scheme, on) -> dict:
    terms = selectors.scheme_terms(scheme, on)
    applicants = [k for k, ok in (("enterprise", scheme.accepts_enterprises), ("maker", scheme.accepts_makers),
                                  ("founder", scheme.accepts_founders)) if ok]
    return {"code": scheme.code, "kind": scheme.kind, "name": scheme.name, "department": scheme.department.name,
            "district": scheme.district.name if scheme.district_id else None, "legal_basis": scheme.legal_basis,
            "summary": scheme.summary, "applicants": applicants, "on": on, "is_open": scheme.is_open,
            "categories": [{"code": c, "label": str(CATEGORY_LABELS.get(c, c))} for c in scheme.categories],
            **{k: terms[k] for k in ("caps_fen", "max_applications_per_year", "max_share_of_fee", "validity_months",
                                     "annual_cap_per_entity_fen")}}


def _voucher_out(voucher, balance: int) -> dict:
    return {"code": voucher.code, "scheme": voucher.application.scheme.code, "holder": voucher.application.holder_name,
            "face_value_fen": voucher.face_value_fen, "balance_fen": balance, "issued_on": voucher.issued_on,
            "valid_until": voucher.valid_until, "state": voucher.state}


def _application_out(a: Application) -> dict:
    voucher = getattr(a, "voucher", None) if a.state == "issued" else None
    return {"id": a.pk, "scheme": a.scheme.code, "applicant_kind": a.applicant_kind, "holder": a.holder_name,
            "requested_fen": a.requested_fen, "cap_fen": a.cap_fen, "state": a.state, "decision_note": a.decision_note,
            "screening_evidence": a.screening_evidence, "eligibility": a.eligibility,
            "voucher": voucher.code if voucher else None}


def _contract_out(c: Contract) -> dict:
    return {"id": c.pk, "voucher": c.voucher.code, "provider": c.provider.name,
            "holder": c.voucher.application.holder_name, "category": c.registration.category, "number": c.number,
            "title": c.title, "amount_fen": c.amount_fen, "max_voucher_fen": c.max_voucher_fen,
            "committed_fen": c.committed_fen, "signed_on": c.signed_on, "state": c.state}


def _redemption_out(r: Redemption) -> dict:
    return {"id": r.pk, "contract": r.contract_id, "voucher": r.voucher.code, "provider": r.provider.name,
            "idempotency_key": r.idempotency_key, "amount_fen": r.amount_fen, "holder_paid_fen": r.holder_paid_fen,
            "service_done_on": r.service_done_on, "state": r.state, "decision_note": r.decision_note,
            "settles_on": r.batch.executes_on if r.batch_id else None}


# ---- public ----------------------------------------------------------------------------------------------

@router.get("/schemes", response=list[SchemeOut], auth=None, summary="Voucher schemes with their current terms")
def schemes(request, on: datetime.date | None = None):
    """Every scheme with its caps by applicant class, yearly count, share of a fee and validity as in force on
    `on` (today by default); null where the department has not set the number."""
    on = on or today()
    return [_scheme_out(s, on) for s in selectors.schemes_public()]


@router.get("/providers", response=list[ProviderOut], auth=None, summary="Catalogue of registered providers")
def providers(request, category: str = "", year: int | None = None, scheme: str = ""):
    """Providers registered (入库) per service category and year, with their services and prices."""
    scheme_obj = selectors.scheme_by_code(scheme) if scheme else None
    if scheme and scheme_obj is None:
        raise Http404
    rows = selectors.catalogue(category=category, year=year, scheme=scheme_obj)[:500]
    return [{"provider": r.provider.name, "uscc": r.provider.code, "scheme": r.scheme.code, "category": r.category,
             "category_label": str(CATEGORY_LABELS.get(r.category, r.category)), "year": r.year,
             "services": [{"name": s.name, "description": s.description, "price_fen": s.price_fen, "unit": s.unit}
                          for s in r.services.all()]} for r in rows]


# ---- holder ----------------------------------------------------------------------------------------------

@router.get("/my/vouchers", response=list[VoucherOut], auth=None, summary="The vouchers of my organisation")
def my_vouchers(request):
    actor = api_actor(request)
    vouchers = list(selectors.vouchers_of(actor.organisation)) if actor.organisation else []
    amounts = selectors.balances(vouchers)
    return [_voucher_out(v, amounts.get(v.pk, 0)) for v in vouchers]


@router.get("/my/applications", response=list[ApplicationOut], auth=None, summary="My organisation's applications")
def my_applications(request):
    actor = api_actor(request)
    return [_application_out(a) for a in selectors.applications_of(actor.organisation)] if actor.organisation else []


@router.post("/applications", response={201: ApplicationOut}, auth=None, summary="Apply for a voucher")
def apply(request, payload: ApplicationIn):
    """An enterprise applies for itself; a maker space or firm for a maker (name and ID number); a founder as the
    legal representative of the firm. Refusals answer 409 with the reason (and the screening evidence id)."""
    actor = api_actor(request)
    scheme = selectors.scheme_by_code(payload.scheme)
    if scheme is None:
        raise Http404
    application = application_submit(actor=actor, scheme=scheme, applicant_kind=payload.applicant_kind,
                                     requested_fen=payload.requested_fen, purpose=payload.purpose,
                                     project_key=payload.project_key,
                                     person_name=payload.person_name, person_id_number=payload.person_id_number)
    return Status(201, _application_out(application))


@router.get("/applications/{application_id}", response=ApplicationOut, auth=None, summary="One application")
def application_detail(request, application_id: int):
    actor = api_actor(request)
    application = get_object_or_404(Application.objects.select_related("scheme", "scheme__department"),
                                    pk=application_id)
    require(can_view_application(actor, application))
    return _application_out(application)


# ---- contracts and redemptions ---------------------------------------------------------------------------

@router.get("/contracts", response=list[ContractOut], auth=None, summary="Contracts my organisation is party to")
def contracts(request):
    actor = api_actor(request)
    return [_contract_out(c) for c in selectors.contracts_for(actor)[:500]]


@router.post("/contracts", response={201: ContractOut}, auth=None, summary="Record a service contract (provider)")
def contract_create(request, voucher: Form[str], category: Form[str], number: Form[str], title: Form[str],
                    amount_fen: Form[int], signed_on: Form[datetime.date], contract: File[UploadedFile]):
    """The provider, from the voucher number (its QR code), records the contract it signed; the holder confirms."""
    actor = api_actor(request)
    created = contract_propose(actor=actor, voucher_code=voucher, category=category, number=number, title=title,
                               amount_fen=amount_fen, signed_on=signed_on, documents={"contract": [contract]})
    return Status(201, _contract_out(created))


def _contract(contract_id: int) -> Contract:
    return get_object_or_404(Contract.objects.select_related(
        "voucher", "voucher__scheme_year", "voucher__application", "voucher__application__scheme__department",
        "provider", "registration"), pk=contract_id)


@router.get("/contracts/{contract_id}", response=ContractOut, auth=None, summary="One contract")
def contract_detail(request, contract_id: int):
    actor = api_actor(request)
    contract = _contract(contract_id)
    require(can_view_contract(actor, contract))
    return _contract_out(contract)


@router.post("/contracts/{contract_id}/decision", response=ContractOut, auth=None,
             summary="Confirm or decline a contract (holder)")
def contract_decision(request, contract_id: int, payload: DecisionIn):
    actor = api_actor(request)
    contract = _contract(contract_id)
    require(can_view_contract(actor, contract))
    return _contract_out(contract_decide(actor=actor, contract=contract, accept=payload.accept, note=payload.note))


@router.get("/redemptions", response=list[RedemptionOut], auth=None,
            summary="Redemptions my organisation is party to")
def redemptions(request):
    actor = api_actor(request)
    return [_redemption_out(r) for r in selectors.redemptions_for(actor)[:500]]


@router.post("/redemptions", response={201: RedemptionOut, 200: RedemptionOut}, auth=None,
             summary="Request redemption (provider; idempotent)")
def redemption_create(request, contract: Form[int], idempotency_key: Form[str], holder_paid_fen: Form[int],
                      service_done_on: Form[datetime.date], holder_payment: File[UploadedFile],
                      service: File[UploadedFile], amount_fen: Form[int | None] = None):
    """Send the same idempotency key again after a timeout: the first request is returned (200) and no money
    moves twice. The amount is the lesser of the voucher's balance and what the contract's share still allows."""
    actor = api_actor(request)
    contract_obj = _contract(contract)
    require(can_view_contract(actor, contract_obj))
    known = Redemption.objects.filter(provider=contract_obj.provider, idempotency_key=idempotency_key.strip()).exists()
    redemption = redemption_request(actor=actor, contract=contract_obj, idempotency_key=idempotency_key,
                                    holder_paid_fen=holder_paid_fen, service_done_on=service_done_on,
                                    amount_fen=amount_fen,
                                    documents={"holder_payment": [holder_payment], "service": [service]})
    return Status(200 if known else 201, _redemption_out(redemption))


@router.get("/redemptions/{redemption_id}", response=RedemptionOut, auth=None, summary="One redemption")
def redemption_detail(request, redemption_id: int):
    actor = api_actor(request)
    redemption = get_object_or_404(Redemption.objects.select_related(
        "contract", "contract__voucher__application__scheme", "voucher", "provider", "batch"), pk=redemption_id)
    require(can_view_redemption(actor, redemption))
    return _redemption_out(redemption)


# ---- officers --------------------------------------------------------------------------------------------

@router.get("/schemes/{code}/dashboard", response=DashboardOut, auth=None, summary="A scheme's figures (officers)")
def dashboard(request, code: str, year: int | None = None):
    actor = api_actor(request)
    scheme = selectors.scheme_by_code(code)
    if scheme is None:
        raise Http404
    require(can_manage_scheme(actor, scheme))
    data = selectors.scheme_dashboard(scheme, year or today().year)
    if data["scheme_year"] is None:
        raise Http404
    return {"scheme": scheme.code, **{k: v for k, v in data.items() if k != "scheme_year"}}


def _managed_scheme(request, code: str):
    actor = api_actor(request)
    scheme = selectors.scheme_by_code(code)
    if scheme is None:
        raise Http404
    return actor, scheme


def _scheme_state(scheme) -> dict:
    return {"code": scheme.code, "is_open": scheme.is_open, "rule": scheme.rule, "parameters": scheme.parameters}


@router.post("/schemes/{code}/changes", response=SchemeStateOut, auth=None,
             summary="Change a scheme's rule or parameter keys (officers of the owning department)")
def scheme_change_api(request, code: str, payload: SchemeChangeIn):
    actor, scheme = _managed_scheme(request, code)
    return _scheme_state(scheme_change(actor=actor, scheme=scheme, note=payload.note, rule=payload.rule,
                                       parameters=payload.parameters))


@router.post("/schemes/{code}/close", response=SchemeStateOut, auth=None,
             summary="Close a scheme to new applications (issued vouchers run to expiry)")
def scheme_close_api(request, code: str, payload: SchemeCloseIn):
    actor, scheme = _managed_scheme(request, code)
    return _scheme_state(scheme_close(actor=actor, scheme=scheme, note=payload.note))


@router.post("/schemes/{code}/budget-reductions", response=BudgetOut, auth=None,
             summary="Reduce a year's budget, at most by what is not committed")
def scheme_budget_reduce_api(request, code: str, payload: BudgetReductionIn):
    actor, scheme = _managed_scheme(request, code)
    year = scheme_budget_reduce(actor=actor, scheme=scheme, year=payload.year, amount_fen=payload.amount_fen,
                                note=payload.note)
    return {"scheme": scheme.code, "year": year.year, "budget_fen": year.budget_fen}

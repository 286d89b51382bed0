"""Programmes endpoints under /api/v1/programmes.

Public (no token): GET "" (the programmes), GET /calls (?open=1 for the open ones), GET /calls/{id}.
With a token (Authorization: Bearer …): the acting enterprise's applications (list, create a draft, save answers,
take a step: submit, respond, withdraw) and, for officers of the programme's department, every application of
their calls and their steps (request_info, accept, close_review, propose, award, reject, …); GET /ledger: the
acting enterprise's support ledger (officers: ?uscc=).

Answers are sent as the form schema types them: text, numbers and dates as strings, money in YUAN (a string or a
number, at most two decimals), a table as a list of row objects. Stored answers are returned typed: money as
integer FEN, numbers as strings, dates as ISO dates — so send yuan, not the returned fen, when saving again.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status

from shuangchuang.core.actor import Actor
from shuangchuang.core.apiauth import api_actor
from shuangchuang.core.errors import NotAllowed, require
from shuangchuang.core.replica import reads_from_replica

from shuangchuang.programmes.permissions import can_apply, can_view_application
from shuangchuang.programmes.selectors import calls as selectors
from shuangchuang.programmes.services import (
    application_create,
    application_save,
    application_transition,
    transitions_for,
)
from shuangchuang.programmes.services.checks import max_award

router = Router(tags=["programmes"])




class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    department: str
    department_code: str
    clause: str | None
    description: str
    legal_basis: str
    annual_cap_fen: int | None
    refuse_double_funding: bool


class CallOut(Schema):
    id: int
    programme: str
    programme_name: str
    department: str
    title: str
    year: int
    summary: str
    online_opens_at: datetime.datetime
    online_closes_at: datetime.datetime
    paper_opens_at: datetime.datetime | None
    paper_closes_at: datetime.datetime | None
    is_open: bool
    budget_fen: int
    max_award_fen: int | None


class CallDetailOut(CallOut):
    paper_address: str
    rule: dict[str, Any]
    form_schema: dict[str, Any]
    attachments: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    stages: list[str]
    publicity_days: int | None
    mechanism: str
    day_basis: int


ID_MAX = 2**63 - 1  # the largest primary key the database stores


class CallParams(Schema):
    open: int = 0
    programme: str = ""


class ApplicationOut(Schema):
    id: int
    reference: str
    call: int
    applicant: str
    uscc: str
    project_title: str
    project_key: str
    requested_fen: int
    proposed_fen: int | None
    state: str
    state_display: str
    answers: dict[str, Any]
    score: float | None
    rank: int | None
    screening_evidence: str
    submitted_at: datetime.datetime | None
    info_request: str
    transitions: list[str]


class ApplicationIn(Schema):
    project_title: str
    requested_fen: int
    project_key: str = ""
    answers: dict[str, Any] = {}


class ApplicationUpdate(Schema):
    answers: dict[str, Any]
    project_title: str | None = None
    project_key: str | None = None
    requested_fen: int | None = None


class TransitionIn(Schema):
    transition: str
    note: str = ""
    amount_fen: int | None = None


class ApplicationParams(Schema):
    call: int | None = Field(None, ge=1, le=ID_MAX)
    state: str = ""
    q: str = ""
    page: int = Field(1, ge=1, le=100_000)


def _programme(p) -> dict:
    return {"id": p.pk, "code": p.code, "name": p.name, "department": p.department.name,
            "department_code": p.department.code, "clause": str(p.clause) if p.clause_id else None,
            "description": p.description, "legal_basis": p.legal_basis, "annual_cap_fen": p.annual_cap_fen,
            "refuse_double_funding": p.refuse_double_funding}


def _call(c, *, detail: bool = False) -> dict:
    data = {"id": c.pk, "programme": c.programme.code, "programme_name": c.programme.name,
            "department": c.programme.department.name, "title": c.title, "year": c.year, "summary": c.summary,
            "online_opens_at": c.online_opens_at, "online_closes_at": c.online_closes_at,
            "paper_opens_at": c.paper_opens_at, "paper_closes_at": c.paper_closes_at, "is_open": c.is_open(),
            "budget_fen": c.budget_fen, "max_award_fen": max_award(c)}
    if detail:
        data.update({"paper_address": c.paper_address, "rule": c.rule or {}, "form_schema": c.form_schema or {},
                     "attachments": c.attachments or [], "criteria": c.criteria or [], "stages": c.stages or [],
                     "publicity_days": c.publicity_days, "mechanism": c.mechanism, "day_basis": c.day_basis})
    return data


def _application(actor: Actor, a) -> dict:
    return {"id": a.pk, "reference": a.reference, "call": a.call_id, "applicant": a.applicant_name,
            "uscc": a.enterprise.uscc if a.enterprise_id else "", "project_title": a.project_title,
            "project_key": a.project_key,
            "requested_fen": a.requested_fen, "proposed_fen": a.proposed_fen, "state": a.state,
            "state_display": a.get_state_display(), "answers": a.answers,
            "score": float(a.score) if a.score is not None else None, "rank": a.rank,
            "screening_evidence": a.screening_evidence, "submitted_at": a.submitted_at,
            "info_request": a.info_request, "transitions": [t.name for t in transitions_for(actor, a)]}


class LedgerOut(Schema):
    id: int
    occurred_on: datetime.date
    source_kind: str
    source_label: str
    source_ref: str
    department: str
    clause: str | None
    project_key: str
    kind: str
    amount_fen: int
    reverses: int | None


class LedgerParams(Schema):
    uscc: str = ""
    year: int | None = Field(None, ge=1, le=9999)


@router.get("/ledger", response=list[LedgerOut], auth=None, summary="The support ledger of an enterprise")
def ledger(request, params: Query[LedgerParams]):
    """The acting enterprise's rows; a department officer may ask for any enterprise by USCC."""
    from shuangchuang.programmes.selectors.ledger import ledger_for
    from shuangchuang.registry.selectors import enterprise_by_uscc, enterprise_for_organisation

    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    if params.uscc and (actor.department is not None or actor.is_platform_admin):
        enterprise = enterprise_by_uscc(params.uscc.strip().upper())
    else:
        require(can_apply(actor))
        enterprise = enterprise_for_organisation(actor.organisation)
    if enterprise is None:
        raise Http404
    rows = ledger_for(enterprise=enterprise)
    if params.year:
        rows = rows.filter(occurred_on__year=params.year)
    return [{"id": e.pk, "occurred_on": e.occurred_on, "source_kind": e.source_kind, "source_label": e.source_label,
             "source_ref": f"{e.source_app}:{e.source_ref}" if e.source_app else e.source_ref,
             "department": e.department.name, "clause": str(e.clause) if e.clause_id else None,
             "project_key": e.project_key, "kind": e.kind, "amount_fen": e.amount_fen, "reverses": e.reverses_id}
            for e in rows[:1000]]


@router.get("", response=list[ProgrammeOut], auth=None, summary="The programmes")
@reads_from_replica
def programmes(request):
    return [_programme(p) for p in selectors.programmes_public()]


@router.get("/calls", response=list[CallOut], auth=None, summary="Published calls (open=1: open now)")
@reads_from_replica
def calls(request, params: Query[CallParams]):
    return [_call(c) for c in selectors.calls_public(open_only=bool(params.open), programme=params.programme)[:500]]


class OpenCallOut(Schema):
    call: CallOut
    eligible: bool | None
    explanation: dict[str, Any] | None


@router.get("/calls/for-me", response=list[OpenCallOut], auth=None,
            summary="Open calls that fit me, with the eligibility explanation (an enterprise, or a person)")
def calls_for_me(request):
    """Acting for an enterprise: the open calls with the rules engine's explanation. A person with no
    organisation: the open talent calls (person applicants) with the conditions the form states and the account's
    real-name data."""
    from shuangchuang.registry.selectors import enterprise_for_organisation

    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    if actor.organisation is None:
        found = selectors.open_calls_for_person(actor.user)
        return [{"call": _call(o.call), "eligible": o.eligible, "explanation": o.explanation} for o in found]
    found = selectors.open_calls_for(enterprise_for_organisation(actor.organisation))
    return [{"call": _call(o.call), "eligible": o.eligible,
             "explanation": ({"outcome": o.explanation.outcome,
                              "conditions": [c.as_dict() for c in o.explanation.conditions]}
                             if o.explanation is not None else None)} for o in found]


@router.get("/calls/{call_id}", response=CallDetailOut, auth=None, summary="One call with its rules and form")
@reads_from_replica
def call_detail(request, call_id: int):
    call = selectors.call_public(call_id)
    if call is None:
        raise Http404
    return _call(call, detail=True)


def _application_or_404(actor: Actor, application_id: int):
    application = selectors.application_detail(application_id)
    if application is None:
        raise Http404
    require(can_view_application(actor, application))
    return application


@router.get("/applications", response=list[ApplicationOut], auth=None,
            summary="Applications: the acting enterprise's, a person's own, or an officer's department's")
def applications(request, params: Query[ApplicationParams]):
    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    if actor.department is not None:
        ids = [r["id"] for r in selectors.officer_applications(actor.department, call=params.call, state=params.state,
                                                               q=params.q)[(params.page - 1) * 50:params.page * 50]]
        rows = selectors.Application.objects.filter(pk__in=ids).select_related("organisation", "enterprise", "call")
        rows = sorted(rows, key=lambda a: ids.index(a.pk))
    else:
        if actor.organisation is None:  # a natural person: his or her own applications to talent calls
            rows = selectors.applications_of_person(actor.user).select_related("person", "enterprise")
        else:
            require(can_apply(actor))
            rows = selectors.applications_of(actor.organisation).select_related("organisation", "enterprise")
        if params.call:
            rows = rows.filter(call_id=params.call)
        if params.state:
            rows = rows.filter(state=params.state)
        rows = rows[(params.page - 1) * 50:params.page * 50]
    return [_application(actor, a) for a in rows]


@router.post("/calls/{call_id}/applications", response={201: ApplicationOut}, auth=None,
             summary="Start a draft application for the acting enterprise")
def application_new(request, call_id: int, payload: ApplicationIn):
    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    call = selectors.call_public(call_id)
    if call is None:
        raise Http404
    application = application_create(actor=actor, call=call, project_title=payload.project_title,
                                     requested_fen=payload.requested_fen, project_key=payload.project_key,
                                     answers=payload.answers)
    return Status(201, _application(actor, selectors.application_detail(application.pk)))


@router.get("/applications/{application_id}", response=ApplicationOut, auth=None, summary="One application")
def application_get(request, application_id: int):
    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    return _application(actor, _application_or_404(actor, application_id))


@router.patch("/applications/{application_id}", response=ApplicationOut, auth=None,
              summary="Save the answers of a draft")
def application_update(request, application_id: int, payload: ApplicationUpdate):
    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    application = _application_or_404(actor, application_id)
    application_save(actor=actor, application=application, answers=payload.answers,
                     project_title=payload.project_title, project_key=payload.project_key,
                     requested_fen=payload.requested_fen)
    return _application(actor, selectors.application_detail(application_id))


@router.post("/applications/{application_id}/transitions", response=ApplicationOut, auth=None,
             summary="Take a step of the workflow")
def application_step(request, application_id: int, payload: TransitionIn):
    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    application = selectors.application_detail(application_id)
    if application is None:
        raise Http404
    if not can_view_application(actor, application)[0]:
        raise NotAllowed("not_allowed", str(can_view_application(actor, application)[1]))
    application_transition(actor=actor, application=application, transition=payload.transition, note=payload.note,
                           amount_fen=payload.amount_fen)
    return _application(actor, selectors.application_detail(application_id))


# ---- loan-interest working and lease offers ---------------------------------------------------------------------

class LeaseOfferOut(Schema):
    id: int
    application: int
    state: str
    space: str
    building: str
    area_m2: str
    reference_rent_fen: int
    discount: str
    discount_source: str
    rent_fen: int
    monthly_rent_fen: int
    term_starts_on: datetime.date
    term_ends_on: datetime.date
    respond_by: datetime.date
    passed_from: int | None
    screening_evidence: str


class LeaseOfferIn(Schema):
    space: str
    building: str
    area_m2: str
    reference_rent_fen: int
    term_starts_on: datetime.date
    term_ends_on: datetime.date | None = None
    respond_by: datetime.date
    discount: str | None = None


def _offer(o) -> dict:
    return {"id": o.pk, "application": o.application_id, "state": o.state, "space": o.space,
            "building": o.building, "area_m2": str(o.area_m2), "reference_rent_fen": o.reference_rent_fen,
            "discount": str(o.discount), "discount_source": o.discount_source, "rent_fen": o.rent_fen,
            "monthly_rent_fen": o.monthly_rent_fen, "term_starts_on": o.term_starts_on,
            "term_ends_on": o.term_ends_on, "respond_by": o.respond_by, "passed_from": o.passed_from_id,
            "screening_evidence": o.screening_evidence}


def _signed_in(request) -> Actor:
    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    return actor


@router.get("/applications/{application_id}/interest", response=dict[str, Any], auth=None,
            summary="Loan-interest subsidy working (officers of the department)")
def application_interest(request, application_id: int, share: str | None = None):
    from decimal import Decimal, InvalidOperation

    from shuangchuang.core.errors import ServiceError
    from shuangchuang.programmes.permissions import can_officiate
    from shuangchuang.programmes.services.interest import loan_interest_subsidy

    actor = _signed_in(request)
    application = _application_or_404(actor, application_id)
    require(can_officiate(actor, application))
    try:
        value = Decimal(share) if share else None
    except InvalidOperation:
        value = Decimal("NaN")
    if value is not None and not (value.is_finite() and Decimal(0) <= value <= Decimal(1)):
        raise ServiceError("invalid_share", _("share: a decimal between 0 and 1, such as 0.5."), field="share")
    return loan_interest_subsidy(call=application.call, answers=application.answers, share=value).as_dict()


@router.get("/applications/{application_id}/lease-offers", response=list[LeaseOfferOut], auth=None,
            summary="The lease offers of an application")
def lease_offers(request, application_id: int):
    application = _application_or_404(_signed_in(request), application_id)
    return [_offer(o) for o in application.lease_offers.all()]


@router.post("/applications/{application_id}/lease-offers", response={201: LeaseOfferOut}, auth=None,
             summary="Offer a lease to a ranked application (officers)")
def lease_offer_new(request, application_id: int, payload: LeaseOfferIn):
    from shuangchuang.programmes.services import lease_offer_make

    actor = _signed_in(request)
    application = selectors.application_detail(application_id)
    if application is None:
        raise Http404
    offer = lease_offer_make(actor=actor, application=application, **payload.dict())
    return Status(201, _offer(offer))


class SpaceIn(Schema):
    building: str
    space: str
    area_m2: str
    reference_rent_fen: int


class LeaseRoundIn(Schema):
    spaces: list[SpaceIn]
    term_starts_on: datetime.date
    term_ends_on: datetime.date | None = None
    respond_by: datetime.date
    discount: str | None = None


class LeaseRoundOut(Schema):
    offers: list[LeaseOfferOut]
    skipped: list[dict[str, Any]]
    unplaced: list[str]


@router.post("/calls/{call_id}/lease-offers", response={201: LeaseRoundOut}, auth=None,
             summary="Offer the spaces to the awarded applications of a space call in rank order (officers)")
def lease_round(request, call_id: int, payload: LeaseRoundIn):
    from shuangchuang.programmes.services import lease_offers_round

    actor = _signed_in(request)
    call = selectors.call_detail(call_id)
    if call is None:
        raise Http404
    values = payload.dict()
    result = lease_offers_round(actor=actor, call=call, **values)
    return Status(201, {"offers": [_offer(o) for o in result.offers],
                        "skipped": [{"application": a.pk, "reference": a.reference, "reason": reason}
                                    for a, reason in result.skipped],
                        "unplaced": [f"{s['building']} {s['space']}" for s in result.unplaced]})


@router.post("/lease-offers/{offer_id}/transitions", response=LeaseOfferOut, auth=None,
             summary="Accept or decline (the applicant), withdraw or lapse (officers) a lease offer")
def lease_offer_step(request, offer_id: int, payload: TransitionIn):
    from shuangchuang.programmes.models import LeaseOffer
    from shuangchuang.programmes.services import lease_offer_transition

    actor = _signed_in(request)
    offer = LeaseOffer.objects.filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return _offer(lease_offer_transition(actor=actor, offer=offer, transition=payload.transition,
                                         note=payload.note))


__all__ = ["router"]

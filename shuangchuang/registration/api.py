"""Registration endpoints under /api/v1/registration (the names module serves the name check on the same prefix).

Public: standard business-scope terms, licence verification, deregistration notices in progress and objections
to them, approved custodian firms and the firms at their address. With a token (Authorization: Bearer …):
applicants' establishment and change applications (fill in, upload articles, completeness, submit, withdraw),
deregistration (eligibility, notice with 承诺书, apply); officers of the registration authority: the review
queue, transitions, objections, custodian decisions.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from shuangchuang.core.actor import Actor
from shuangchuang.core.apiauth import api_actor
from shuangchuang.core.errors import NotFound, require
from shuangchuang.registration import presenters, selectors
from shuangchuang.registration.models import Objection
from shuangchuang.registration.permissions import can_view_application, can_view_deregistration
from shuangchuang.registration.services import (
    ApplicationData,
    OfficerData,
    ShareholderData,
    application_transition,
    application_update,
    change_apply,
    custodian_decide,
    deregistration_eligibility,
    deregistration_start,
    deregistration_transition,
    establishment_apply,
    objection_raise,
    objection_resolve,
)
from shuangchuang.registration.permissions import can_apply_for_enterprise
from shuangchuang.registry.selectors import enterprise_by_uscc

router = Router(tags=["registration"])




def _actor(request) -> Actor:
    """Only the bearer token identifies an API caller: a session cookie is never taken (no CSRF check here)."""
    return api_actor(request)


class ShareholderIn(Schema):
    kind: Literal["person", "enterprise"] = "person"
    name: str
    id_number: str = ""
    uscc: str = ""
    subscribed_capital_fen: int


class OfficerIn(Schema):
    position: Literal["executive_director", "director", "supervisor", "manager", "liaison"]
    name: str
    id_number: str


class ApplicationIn(Schema):
    name: str = ""
    reservation_id: int | None = None
    legal_form: str = ""
    district: str = ""
    address: str = ""
    custodian_id: int | None = None
    hosting_start: datetime.date | None = None
    hosting_end: datetime.date | None = None
    registered_capital_fen: int | None = None
    industry: str = ""
    scope_terms: list[str] = []
    legal_rep_name: str = ""
    legal_rep_id_number: str = ""
    shareholders: list[ShareholderIn] = []
    officers: list[OfficerIn] = []
    items: list[str] = []
    authority: str = ""


def _data(payload: ApplicationIn) -> ApplicationData:
    values = payload.dict()
    values["shareholders"] = [ShareholderData(**h) for h in values["shareholders"]]
    values["officers"] = [OfficerData(**o) for o in values["officers"]]
    return ApplicationData(**values)


class TransitionIn(Schema):
    transition: str
    note: str = ""
    corrections: list[str] = []


def _application(request, pk: int):
    application = selectors.application_by_id(pk)
    if application is None:
        raise Http404
    actor = _actor(request)
    require(can_view_application(actor, application))
    return actor, application


@router.get("/scope-terms")
def scope_terms(request):
    return [{"code": t.code, "text": t.text, "division": t.division, "prior_approval": t.prior_approval}
            for t in selectors.scope_terms()]


@router.post("/applications", response={201: dict})
def application_create(request, payload: ApplicationIn):
    application = establishment_apply(actor=_actor(request), data=_data(payload))
    return Status(201, presenters.application_dict(application))


@router.post("/enterprises/{uscc}/changes", response={201: dict})
def change_create(request, uscc: str, payload: ApplicationIn):
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise Http404
    application = change_apply(actor=_actor(request), enterprise=enterprise, data=_data(payload))
    return Status(201, presenters.application_dict(application))


@router.get("/applications")
def application_list(request, queue: bool = False, state: str = ""):
    actor = _actor(request)
    if actor.user is None:
        require((False, _("Log in first.")))
    if queue:
        rows = selectors.review_queue(actor.department, state=state)
    else:
        rows = selectors.applications_of(actor)
    return [presenters.application_dict(a, with_check=False) for a in rows[:200]]


@router.get("/applications/{pk}")
def application_detail(request, pk: int):
    _actor_, application = _application(request, pk)
    return presenters.application_dict(application)


@router.put("/applications/{pk}")
def application_put(request, pk: int, payload: ApplicationIn):
    actor, application = _application(request, pk)
    application = application_update(actor=actor, application=application, data=_data(payload))
    return presenters.application_dict(application)


@router.post("/applications/{pk}/articles")
def application_articles(request, pk: int, articles: UploadedFile = File(...)):
    actor, application = _application(request, pk)
    data = _current_data(application)
    application = application_update(actor=actor, application=application, data=data, articles=articles)
    return presenters.application_dict(application)


def _current_data(application) -> ApplicationData:
    return ApplicationData(
        name=application.name, reservation_id=application.reservation_id, legal_form=application.legal_form,
        district=application.district.key if application.district_id else "",
        address="" if application.custodian_id else application.address, custodian_id=application.custodian_id,
        hosting_start=application.hosting_start, hosting_end=application.hosting_end,
        registered_capital_fen=application.registered_capital_fen, industry=application.industry_id or "",
        scope_terms=list(application.scope_terms), legal_rep_name=application.legal_rep_name,
        legal_rep_id_number=application.legal_rep_id_number,
        shareholders=[ShareholderData(kind=h.kind, name=h.name, id_number=h.id_number, uscc=h.uscc,
                                      subscribed_capital_fen=h.subscribed_capital_fen)
                      for h in application.shareholders.all()],
        officers=[OfficerData(position=o.position, name=o.name, id_number=o.id_number)
                  for o in application.officers.all()],
        items=[c["item"] for c in application.changes],
    )


@router.post("/applications/{pk}/transitions")
def application_step(request, pk: int, payload: TransitionIn):
    actor, application = _application(request, pk)
    application = application_transition(actor=actor, application=application, transition=payload.transition,
                                         note=payload.note, corrections=payload.corrections)
    return presenters.application_dict(application, with_check=False)


@router.get("/licences/{token}")
def licence_verify(request, token: str):
    licence = selectors.licence_by_token(token)
    if licence is None:
        raise Http404
    return presenters.licence_dict(licence)


@router.get("/deregistrations/notices")
def notices(request):
    return [presenters.notice_dict(f) for f in selectors.notices_in_progress()[:500]]


@router.get("/enterprises/{uscc}/deregistration-eligibility")
def eligibility(request, uscc: str):
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise Http404
    actor = _actor(request)
    if not (actor.department is not None and actor.department.pk == enterprise.registration_authority_id):
        require(can_apply_for_enterprise(actor, enterprise))
    return deregistration_eligibility(enterprise)


@router.post("/deregistrations", response={201: dict})
def deregistration_create(request, uscc: Form[str], ground: Form[str], promise: UploadedFile = File(...)):
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise Http404
    file = deregistration_start(actor=_actor(request), enterprise=enterprise, ground=ground, promise=promise)
    return Status(201, presenters.notice_dict(file))


def _deregistration(request, pk: int):
    file = selectors.deregistration_by_id(pk)
    if file is None:
        raise Http404
    return file


@router.get("/deregistrations/{pk}")
def deregistration_detail(request, pk: int):
    file = _deregistration(request, pk)
    actor = _actor(request)
    require(can_view_deregistration(actor, file))
    data = presenters.notice_dict(file)
    data["objections"] = [{"id": o.pk, "kind": o.kind, "name": o.name, "reason": o.reason, "state": o.state,
                           "resolution": o.resolution_note} for o in file.objections.all()]
    data["steps"] = file.steps
    data["eligibility"] = file.eligibility
    return data


@router.post("/deregistrations/{pk}/transitions")
def deregistration_step(request, pk: int, payload: TransitionIn):
    file = deregistration_transition(actor=_actor(request), deregistration=_deregistration(request, pk),
                                     transition=payload.transition, note=payload.note)
    return presenters.notice_dict(file)


class ObjectionIn(Schema):
    kind: Literal["creditor", "public", "department"] = "public"
    name: str = ""
    contact: str = ""
    reason: str = ""
    amount_fen: int | None = None


@router.post("/deregistrations/{pk}/objections", response={201: dict})
def objection_create(request, pk: int, payload: ObjectionIn):
    from shuangchuang.registration.ratelimit import check_objection_rate, client_address

    actor = _actor(request)
    check_objection_rate(actor, client_address(request))
    objection = objection_raise(actor=actor, deregistration=_deregistration(request, pk),
                                kind=payload.kind, name=payload.name, contact=payload.contact, reason=payload.reason,
                                amount_fen=payload.amount_fen)
    return Status(201, {"id": objection.pk, "kind": objection.kind, "state": objection.state})


class ResolveIn(Schema):
    decision: Literal["upheld", "dismissed"]
    note: str = ""


@router.post("/objections/{pk}/resolve")
def objection_decide(request, pk: int, payload: ResolveIn):
    objection = Objection.objects.select_related("deregistration").filter(pk=pk).first()
    if objection is None:
        raise NotFound("not_found", "Not found.")
    objection = objection_resolve(actor=_actor(request), objection=objection, decision=payload.decision,
                                  note=payload.note)
    return {"id": objection.pk, "state": objection.state}


@router.get("/custodians")
def custodians(request):
    return [{"id": c.pk, "name": c.organisation.name, "address": c.annotated_address,
             "hosted": selectors.hosted_at(c).count()} for c in selectors.approved_custodians()]


@router.get("/custodians/{pk}/firms")
def custodian_firms(request, pk: int):
    custodian = selectors.custodian_by_id(pk)
    if custodian is None:
        raise Http404
    return [{"name": h.enterprise.name, "uscc": h.enterprise.uscc, "from": h.starts_on, "to": h.ends_on}
            for h in selectors.hosted_at(custodian)]


class DecisionIn(Schema):
    decision: Literal["approve", "reject", "suspend"]
    note: str = ""


@router.post("/custodians/{pk}/decision")
def custodian_decision(request, pk: int, payload: DecisionIn):
    custodian = selectors.custodian_by_id(pk)
    if custodian is None:
        raise Http404
    custodian = custodian_decide(actor=_actor(request), custodian=custodian, decision=payload.decision,
                                 note=payload.note)
    return {"id": custodian.pk, "state": custodian.state}


class BarIn(Schema):
    kind: str
    since: datetime.date
    lifted_on: datetime.date | None = None
    note: str = ""


@router.post("/enterprises/{uscc}/bars", response={201: dict})
def bar_create(request, uscc: str, payload: BarIn):
    """A department records a bar to simplified deregistration (frozen or pledged equity, unpaid fine, …)."""
    from shuangchuang.registration.services import bar_record

    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise Http404
    bar = bar_record(actor=_actor(request), enterprise=enterprise, kind=payload.kind, since=payload.since,
                     lifted_on=payload.lifted_on, note=payload.note)
    return Status(201, {"id": bar.pk, "kind": bar.kind, "since": bar.since, "lifted_on": bar.lifted_on})

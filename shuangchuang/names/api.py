"""The names module's JSON API, mounted under /api/v1/registration (shuangchuang/api.py).

- POST /name-check — public (no token), rate-limited per client (settings.NAMES_CHECK_RATE_PER_MINUTE): the
  verdict ok / similar / identical / invalid, the parsed parts and every issue with its conflicting name and rule.
- POST /name-reservations — with a token of a person (acting for themselves or their enterprise): reserve a name.
- GET /name-reservations — the token holder's reservations; POST /name-reservations/{id}/release.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status
from ninja.errors import AuthenticationError

from shuangchuang.core.apiauth import api_actor
from shuangchuang.core.errors import require
from shuangchuang.names import selectors
from shuangchuang.names.permissions import can_view_reservation
from shuangchuang.names.ratelimit import check_name_rate, client_address
from shuangchuang.names.services import name_check, name_reservation_release, name_reserve

router = Router(tags=["registration"])




class NameCheckIn(Schema):
    name: str
    legal_form: str
    industry_code: str | None = None
    registration_authority: str | None = None
    investors: list[str] = []


class ParsedOut(Schema):
    region: str | None
    trade_name: str | None
    industry: str | None
    form: str | None


class IssueOut(Schema):
    code: str
    message: str
    conflict: str | None
    rule: str


class NameCheckOut(Schema):
    verdict: Literal["ok", "similar", "identical", "invalid"]
    parsed: ParsedOut
    issues: list[IssueOut]


class ReserveIn(NameCheckIn):
    acknowledge_similar: bool = False
    prior_approval: bool = False


class ReservationOut(Schema):
    id: int
    name: str
    legal_form: str
    industry_code: str | None
    registration_authority: str
    status: str
    reserved_at: datetime.datetime
    expires_at: datetime.datetime
    prior_approval: bool
    period_source: str


def _authority(code: str | None):
    if not code:
        return None
    authority = selectors.authority_by_code(code)
    if authority is None:
        raise Http404
    return authority


def _reservation_out(r) -> dict:
    return {"id": r.pk, "name": r.name, "legal_form": r.legal_form, "industry_code": r.industry_id,
            "registration_authority": r.registration_authority.code, "status": r.status,
            "reserved_at": r.reserved_at, "expires_at": r.expires_at, "prior_approval": r.prior_approval,
            "period_source": r.period_source}


@router.post("/name-check", response=NameCheckOut, auth=None, summary="Check a proposed enterprise name")
def name_check_endpoint(request, payload: NameCheckIn):
    """Parse the name into region, trade name (字号), industry wording and organisation form, check its structure
    and content, and compare it with every registered, reserved and protected name of the registration authority
    (the city's by default). `legal_form`: llc, jsc, sole, partnership, branch, individual, cooperative;
    `industry_code`: a GB/T 4754 division (two digits); `investors`: USCCs of enterprises that will invest in the
    firm (an investment relation lifts the identical rule). Open to anyone; rate-limited per client (429)."""
    actor = api_actor(request)
    check_name_rate(actor, client_address(request))
    result = name_check(name=payload.name, legal_form=payload.legal_form, industry_code=payload.industry_code,
                        registration_authority=_authority(payload.registration_authority),
                        investor_usccs=payload.investors)
    return result.as_dict()


@router.post("/name-reservations", response={201: ReservationOut}, auth=None, summary="Reserve a name")
def reserve(request, payload: ReserveIn):
    """Reserve a name that passes the check (a similar one with `acknowledge_similar`): 2 months, 1 year with
    `prior_approval`. Needs a token: 401 without, 403 for departments and institutions."""
    actor = api_actor(request)
    if actor.user is None:
        raise AuthenticationError()
    reservation = name_reserve(
        actor=actor, name=payload.name, legal_form=payload.legal_form, industry_code=payload.industry_code,
        registration_authority=_authority(payload.registration_authority), investor_usccs=payload.investors,
        acknowledge_similar=payload.acknowledge_similar, prior_approval=payload.prior_approval)
    return Status(201, _reservation_out(reservation))


@router.get("/name-reservations", response=list[ReservationOut], auth=None, summary="My reservations")
def my_reservations(request):
    actor = api_actor(request)
    if actor.user is None:
        raise AuthenticationError()
    return [_reservation_out(r) for r in selectors.reservations_of(actor=actor)[:200]]


@router.post("/name-reservations/{reservation_id}/release", response=ReservationOut, auth=None,
             summary="Release a reservation")
def release(request, reservation_id: int):
    actor = api_actor(request)
    if actor.user is None:
        raise AuthenticationError()
    reservation = selectors.reservation_by_id(reservation_id)
    if reservation is None:
        raise Http404
    require(can_view_reservation(actor, reservation))
    return _reservation_out(name_reservation_release(actor=actor, reservation=reservation))

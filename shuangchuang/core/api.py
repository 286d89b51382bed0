"""Endpoints for an authenticated API client (token): who am I, my inbox."""

from __future__ import annotations

import datetime

from ninja import Router, Schema

from shuangchuang.core.apiauth import TokenAuth
from shuangchuang.core.selectors import inbox_for, memberships_for_user

router = Router(tags=["me"], auth=TokenAuth())


class MembershipOut(Schema):
    organisation_code: str
    organisation_name: str
    kind: str
    role: str


class MeOut(Schema):
    username: str
    name: str
    acting_for: str | None
    memberships: list[MembershipOut]


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    created_at: datetime.datetime
    read: bool


@router.get("", response=MeOut, summary="The person behind the token")
def me(request):
    user = request.auth.user
    return {
        "username": user.username,
        "name": user.full_name,
        "acting_for": request.auth.organisation.code if request.auth.organisation_id else None,
        "memberships": [
            {"organisation_code": m.organisation.code, "organisation_name": m.organisation.name,
             "kind": m.organisation.kind, "role": m.role}
            for m in memberships_for_user(user)
        ],
    }


@router.get("/notifications", response=list[NotificationOut], summary="The latest 50 inbox messages")
def notifications(request):
    return [
        {"id": n.id, "subject": n.subject, "body": n.body, "url": n.url, "created_at": n.created_at,
         "read": n.read_at is not None}
        for n in inbox_for(request.auth.user)[:50]
    ]

"""Write use cases of the core module: accounts, organisations, memberships, tokens, notifications.

Each is one keyword-only function, one transaction, one audit event; side effects run after commit.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.idnumber import validate_id_number
from shuangchuang.core.models import (
    ApiToken,
    Membership,
    Notification,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from shuangchuang.core.permissions import (
    can_act_for,
    can_manage_api_tokens,
    can_manage_members,
    can_read_notification,
)
from shuangchuang.core.tasks import enqueue_after_commit, send_notification_email


def _validation_error(exc: ValidationError, field: str) -> ServiceError:
    first = exc.error_list[0] if hasattr(exc, "error_list") else exc
    return ServiceError(first.code or "invalid", " ".join(exc.messages), field=field)


def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    full_name: str = "",
    id_number: str | None = None,
    phone: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    if id_number:
        try:
            id_number = validate_id_number(id_number)
        except ValidationError as exc:
            raise _validation_error(exc, "id_number") from exc
    user = User(username=username, full_name=full_name, id_number=id_number or None, phone=phone, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise _validation_error(exc, "password") from exc
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit_record(actor=actor, verb="core.user_created", obj=user, params={"username": username})
    except IntegrityError as exc:
        raise Conflict("user_exists", _("A person with this user name or ID number already exists.")) from exc
    return user


def user_password_set(*, actor: Actor, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise _validation_error(exc, "password") from exc
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, verb="core.password_set", obj=user)


def organisation_create(
    *,
    actor: Actor,
    kind: str,
    code: str,
    name: str,
    short_name: str = "",
    name_en: str = "",
    institution_type: str = "",
    parent: Organisation | None = None,
    region_code: str = "",
    aliases: Iterable[str] = (),
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise ServiceError("invalid_kind", _("Unknown organisation kind."), field="kind")
    org = Organisation(
        kind=kind, code=code, name=name, short_name=short_name, name_en=name_en,
        institution_type=institution_type, parent=parent, region_code=region_code, aliases=list(aliases),
    )
    try:
        with transaction.atomic():
            org.save()
            audit_record(
                actor=actor, verb="core.organisation_created", obj=org,
                department=org if kind == OrganisationKind.DEPARTMENT else None,
                params={"kind": kind, "code": code},
            )
    except IntegrityError as exc:
        raise Conflict("organisation_exists", _("An organisation with this code already exists.")) from exc
    return org


def membership_grant(*, actor: Actor, user: User, organisation: Organisation, role: str) -> Membership:
    require(can_manage_members(actor, organisation))
    if role not in Role.values:
        raise ServiceError("invalid_role", _("Unknown role."), field="role")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        if not created and membership.is_active:
            return membership
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        audit_record(
            actor=actor, verb="core.membership_granted", obj=membership,
            department=organisation if organisation.is_department else None,
            params={"user": user.pk, "organisation": organisation.pk, "role": role},
        )
    return membership


def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    require(can_manage_members(actor, membership.organisation))
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(
            actor=actor, verb="core.membership_revoked", obj=membership,
            department=membership.organisation if membership.organisation.is_department else None,
        )


def acting_organisation_switch(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Check that the person may act for the organisation and record the switch; the view keeps it in the session."""
    require(can_act_for(actor.user, organisation))
    with transaction.atomic():
        audit_record(
            actor=Actor(user=actor.user, organisation=organisation),
            verb="core.acting_organisation_switched", obj=organisation,
        )
    return organisation


def _digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw key is returned once and never stored."""
    require(can_manage_api_tokens(actor))
    name = name.strip()
    if not name:
        raise ServiceError("name_required", _("Give the token a name."), field="name")
    raw_key = "sc_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor.user, organisation=actor.organisation, name=name[:64],
            prefix=raw_key[3:11], key_digest=_digest(raw_key),
        )
        audit_record(actor=actor, verb="core.api_token_created", obj=token, params={"name": token.name})
    return token, raw_key


def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    if actor.user is None or token.user_id != actor.user.pk:
        require((False, _("This token belongs to someone else.")))
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, verb="core.api_token_revoked", obj=token)


def api_token_authenticate(raw_key: str) -> ApiToken | None:
    """The live token for a raw key, or None. Touches last_used_at at most once a minute."""
    if not raw_key or not raw_key.startswith("sc_"):
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(key_digest=_digest(raw_key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def notification_send(
    *,
    actor: Actor,
    recipients: Iterable[User],
    subject: str,
    body: str = "",
    url: str = "",
    organisation: Organisation | None = None,
    email: bool = True,
) -> list[Notification]:
    """Put a message in each recipient's inbox; e-mail it after commit when asked."""
    recipients = list(recipients)
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user, organisation=organisation, subject=subject[:200], body=body, url=url,
                    email_requested=email and bool(user.email),
                )
                for user in recipients
            ]
        )
        audit_record(
            actor=actor, verb="core.notification_sent", object_type="core.notification",
            object_label=subject[:200], params={"recipients": [u.pk for u in recipients], "email": email},
        )
        for notification in notifications:
            if notification.email_requested:
                enqueue_after_commit(send_notification_email, notification.pk)
    return notifications


def notification_mark_read(*, actor: Actor, notification: Notification) -> Notification:
    require(can_read_notification(actor, notification))
    if notification.read_at is None:
        with transaction.atomic():
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            audit_record(actor=actor, verb="core.notification_read", obj=notification)
    return notification

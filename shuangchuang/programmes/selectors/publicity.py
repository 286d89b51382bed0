"""Reads of public notices and objections."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.programmes.models import Application, Objection, ObjectionState, PublicNotice


def publicity_blockers(application: Application) -> str:
    """Why the award cannot be final yet ('' when it can): the notice period runs, or objections are open or
    upheld."""
    notice = application.notices.order_by("-ends_on").first()
    if notice is None:
        return _("The application has not been in a public notice.")
    today = timezone.localdate()
    if today <= notice.ends_on:
        return _("The public notice runs until %(date)s.") % {"date": notice.ends_on.isoformat()}
    objections = Objection.objects.filter(application=application, notice=notice)
    if objections.filter(state=ObjectionState.OPEN).exists():
        return _("Objections to this application are still open; resolve them first.")
    if objections.filter(state=ObjectionState.UPHELD).exists():
        return _("An objection to this application was upheld; it cannot be awarded.")
    return ""


def notices_public() -> QuerySet[PublicNotice]:
    return PublicNotice.objects.select_related("call", "call__programme", "call__programme__department")


def notice_public(pk: int) -> PublicNotice | None:
    return notices_public().filter(pk=pk).first()


def notice_rows(notice: PublicNotice):
    """The awards proposed in a notice, public fields only."""
    return (notice.applications.select_related("enterprise").order_by("rank", "pk")
            .values("pk", "enterprise__name", "enterprise__uscc", "person__full_name", "project_title", "proposed_fen",
                    "score"))

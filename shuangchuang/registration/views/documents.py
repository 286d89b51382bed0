"""Uploaded documents (articles, 承诺书, proof of title), served only to those who may see their record; the
investors' 承诺书 of a published deregistration notice is public while the notice runs."""

from __future__ import annotations

from django.http import FileResponse

from shuangchuang.registration import selectors
from shuangchuang.registration.permissions import (
    can_decide_custodian,
    can_serve_for_custodian,
    can_view_application,
    can_view_deregistration,
)
from shuangchuang.registration.views.common import forbidden, not_found


def _serve(field, content_type: str, filename: str):
    response = FileResponse(field.open("rb"), content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def application_articles(request, pk: int):
    application = selectors.application_by_id(pk)
    if application is None or not application.articles:
        return not_found(request)
    allowed, reason = can_view_application(request.actor, application)
    if not allowed:
        return forbidden(request, reason)
    return _serve(application.articles, application.articles_content_type, f"articles-{application.pk}.pdf")


def deregistration_promise(request, pk: int):
    file = selectors.deregistration_by_id(pk)
    if file is None or not file.promise:
        return not_found(request)
    published = file.is_public and file.state == "notice"  # published with the notice (POLICY-FACTS §2.4)
    allowed, reason = can_view_deregistration(request.actor, file)
    if not (allowed or published):
        return forbidden(request, reason)
    return _serve(file.promise, file.promise_content_type, f"promise-{file.enterprise.uscc}.pdf")


def custodian_title(request, pk: int):
    custodian = selectors.custodian_by_id(pk)
    if custodian is None or not custodian.title_document:
        return not_found(request)
    if not (can_decide_custodian(request.actor, custodian)[0] or can_serve_for_custodian(request.actor, custodian)[0]):
        return forbidden(request, can_decide_custodian(request.actor, custodian)[1])
    return _serve(custodian.title_document, "", f"title-{custodian.pk}")

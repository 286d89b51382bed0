"""The licence pages: public verification (by the code in the QR link), the PDF, the enterprise's own licence."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from shuangchuang.core.replica import reads_from_replica
from shuangchuang.registration import selectors
from shuangchuang.registration.licence_render import RenderingUnavailable, licence_fields, licence_pdf, qr_svg
from shuangchuang.registration.views.common import forbidden, not_found
from shuangchuang.registry.selectors import enterprise_for_organisation


def _verify_url(request, licence) -> str:
    return request.build_absolute_uri(reverse("registration:licence", args=[licence.token]))


@reads_from_replica
def licence(request, token: str):
    found = selectors.licence_by_token(token)
    if found is None:
        return not_found(request)
    url = _verify_url(request, found)
    return render(request, "registration/licence.html", {
        "licence": found, "fields": licence_fields(found), "verify_url": url, "qr": mark_safe(qr_svg(url)),
    })


@reads_from_replica
def licence_pdf_view(request, token: str):
    found = selectors.licence_by_token(token)
    if found is None:
        return not_found(request)
    try:
        content = licence_pdf(found, _verify_url(request, found))
    except RenderingUnavailable:
        return render(request, "registration/forbidden.html",
                      {"message": _("The PDF cannot be produced on this server; the page above is the licence.")},
                      status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="licence-{found.uscc}.pdf"'
    return response


def my_licence(request):
    enterprise = enterprise_for_organisation(request.actor.organisation)
    if enterprise is None:
        return forbidden(request, _("Act for an enterprise to see its licence."))
    current = selectors.current_licence(enterprise)
    if current is None:
        return forbidden(request, _("No electronic licence has been issued to this enterprise on the platform."))
    return redirect("registration:licence", token=current.token)

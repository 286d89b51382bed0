"""Helpers shared by the credit pages: paging, error display, refusals."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from shuangchuang.credit.permissions import is_officer


def page_of(request, items, per_page: int = 20):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def forbidden(request, message: str):
    return render(request, "credit/forbidden.html", {"message": message}, status=403)


def officer_only(request):
    """None when the person acts as a department officer, else the refusal page."""
    if not is_officer(request.actor) and not request.actor.is_platform_admin:
        return forbidden(request, _("This page is for department officers."))
    return None

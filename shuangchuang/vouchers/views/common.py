"""Helpers of the voucher pages."""

from __future__ import annotations

import segno

from django.shortcuts import render
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.pages import show_error as core_show_error


def show_error(request, exc: ServiceError, form=None) -> None:
    field = exc.field or ""
    if form is not None and field not in form.fields and field.removesuffix("_fen") in form.fields:
        field = field.removesuffix("_fen")  # the service counts fen; the form asks for yuan
    core_show_error(request, exc, form, field=field)


def forbidden(request, message: str):
    return render(request, "vouchers/forbidden.html", {"message": message}, status=403)


def login_first(request):
    return forbidden(request, _("Log in first."))


def qr_svg(text: str) -> str:
    """An inline SVG QR code of `text` (the provider scans it to start a contract)."""
    return segno.make(text, error="m").svg_inline(scale=4, dark="#1a1a1a", title=text)

"""Helpers of the registration pages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render

from shuangchuang.core.errors import ServiceError


def show_error(request, exc: ServiceError, form=None) -> None:
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


def forbidden(request, message: str):
    return render(request, "registration/forbidden.html", {"message": message}, status=403)


def not_found(request):
    return render(request, "registration/forbidden.html", {"message": ""}, status=404)

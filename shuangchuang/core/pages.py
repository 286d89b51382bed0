"""Helpers every module's pages share."""

from __future__ import annotations

from django.contrib import messages

from shuangchuang.core.errors import ServiceError


def show_error(request, exc: ServiceError, form=None, *, field: str | None = None) -> None:
    """A service's refusal on a page: on the form field it names (or `field`) when the form has it, else as a
    message at the top of the page."""
    field = exc.field if field is None else field
    if form is not None and field and field in form.fields:
        form.add_error(field, exc.message)
    else:
        messages.error(request, exc.message)

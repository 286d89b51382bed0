"""Helpers of the programmes pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.pages import show_error as core_show_error


def page_of(request, items, per_page: int = 25):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def show_error(request, exc: ServiceError, form=None) -> None:
    """As core.pages.show_error, and a form's errors by field (FormErrors) onto the form."""
    errors = getattr(exc, "errors", None)
    if form is not None and errors:
        for key, message in errors.items():
            form.add_error(key if key in form.fields else None, message)
        return
    core_show_error(request, exc, form)


def forbidden(request, message: str):
    return render(request, "programmes/forbidden.html", {"message": message}, status=403)


def run_and_return(request, run, back: str, pk: int):
    """A button's POST: `run()` calls one service and returns the success message; a refusal (403) is shown as a
    page, any other service error as a message; then back to the `back` page of `pk`."""
    try:
        messages.success(request, run())
    except ServiceError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
    return redirect(back, pk=pk)


def officer_department(request):
    """The department the person acts for as an officer, or None."""
    return request.actor.department


def officer_only(request):
    if request.actor.department is None:
        return forbidden(request, _("This page is for department officers."))
    return None


def bars(rows: list[tuple[str, int]]) -> list[dict]:
    top = max((value for _label, value in rows), default=0) or 1
    return [{"label": label, "value": value, "percent": round(100 * value / top, 1)} for label, value in rows]


def interest_working(request, application):
    """The loan-interest calculator's working for a call with that mechanism (?share= overrides the share)."""
    if application.call.mechanism != "loan_interest":
        return None
    from decimal import Decimal, InvalidOperation

    from shuangchuang.programmes.services.interest import loan_interest_subsidy

    try:
        share = Decimal(request.GET["share"]) if request.GET.get("share") else None
    except InvalidOperation:
        share = None
    if share is not None and not (share.is_finite() and Decimal(0) <= share <= Decimal(1)):
        share = None
    return loan_interest_subsidy(call=application.call, answers=application.answers, share=share)

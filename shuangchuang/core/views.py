"""Accounts: log-in, log-out, password reset, switching organisation, inbox, API tokens, audit browsing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.forms import ApiTokenForm, ServiceSetPasswordForm
from shuangchuang.core.middleware import SESSION_KEY
from shuangchuang.core.models import ApiToken, Notification, Organisation
from shuangchuang.core.permissions import can_browse_audit
from shuangchuang.core.selectors import audit_events_for, inbox_for
from shuangchuang.core.services import (
    acting_organisation_switch,
    api_token_create,
    api_token_revoke,
    notification_mark_read,
)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/password_reset.html"
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    success_url = "/accounts/password-reset/sent/"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    form_class = ServiceSetPasswordForm
    success_url = "/accounts/password-reset/done/"


def _next_url(request, default: str = "web:workspace"):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return redirect(default).url


@login_required
@require_POST
def switch_organisation(request):
    organisation_id = request.POST.get("organisation", "")
    if not organisation_id.isdecimal():
        raise Http404
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    try:
        acting_organisation_switch(actor=request.actor, organisation=organisation)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_next_url(request))
    request.session[SESSION_KEY] = organisation.pk
    messages.success(request, _("You now act for %(name)s.") % {"name": organisation.name})
    return redirect(_next_url(request))


@login_required
def inbox(request):
    page = Paginator(inbox_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk)
    try:
        notification_mark_read(actor=request.actor, notification=notification)
    except ServiceError as exc:
        return render(request, "core/_error.html", {"message": exc.message}, status=exc.status)
    if request.htmx:
        return render(request, "core/_notification.html", {"n": notification})
    return redirect("core:inbox")


@login_required
def api_tokens(request):
    raw_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw_key = api_token_create(actor=request.actor, name=form.cleaned_data["name"])
            form = ApiTokenForm()
        except ServiceError as exc:
            form.add_error(exc.field or None, exc.message)
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, "raw_key": raw_key})


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        api_token_revoke(actor=request.actor, token=token)
        messages.success(request, _("The token was revoked."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("core:api_tokens")


@login_required
def audit_log(request):
    allowed, reason = can_browse_audit(request.actor)
    if not allowed:
        return render(request, "core/denied.html", {"reason": reason}, status=403)
    events = audit_events_for(request.actor)
    verb = request.GET.get("verb", "").strip()
    if verb:
        events = events.filter(verb__startswith=verb)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "verb": verb})

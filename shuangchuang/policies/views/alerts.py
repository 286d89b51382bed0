"""Saved searches with daily or weekly digests, and the one-click unsubscribe of the digest e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import ServiceError
from shuangchuang.policies import services
from shuangchuang.policies.forms import SavedSearchForm
from shuangchuang.policies.models import SavedSearch
from shuangchuang.policies.selectors.documents import FILTER_KEYS


@login_required
def alerts(request):
    form = SavedSearchForm(request.POST or None, initial={"q": request.GET.get("q", ""), "frequency": "weekly",
                                                          **{k: request.GET.get(k, "") for k in FILTER_KEYS}})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.saved_search_create(actor=request.actor, name=data["name"], query=data["q"],
                                         filters={k: data.get(k) for k in FILTER_KEYS if data.get(k)},
                                         frequency=data["frequency"])
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your alert is saved. New matching policies arrive in your inbox."))
            return redirect("policies:alerts")
    searches = SavedSearch.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "policies/alerts.html", {"form": form, "searches": searches})


@login_required
@require_POST
def alert_delete(request, pk: int):
    saved = get_object_or_404(SavedSearch, pk=pk)
    try:
        services.saved_search_delete(actor=request.actor, saved_search=saved)
        messages.success(request, _("The alert is deleted."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("policies:alerts")


def unsubscribe(request, token: str):
    """GET shows one button (mail scanners follow links); POST unsubscribes, no log-in needed."""
    saved = SavedSearch.objects.filter(token=token).first()
    if request.method == "POST" and saved is not None:
        actor = request.actor if not request.actor.is_anonymous else Actor.anonymous()
        try:
            services.saved_search_unsubscribe(actor=actor, token=token)
        except ServiceError as exc:
            messages.error(request, exc.message)
        return render(request, "policies/unsubscribe.html", {"saved": saved, "done": True})
    return render(request, "policies/unsubscribe.html", {"saved": saved, "done": False},
                  status=200 if saved is not None else 404)

"""The shell: home, workspace per role, module pages, health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shuangchuang.core.selectors import audit_events_for, inbox_for
from shuangchuang.registry.permissions import can_view_enterprise_figures
from shuangchuang.registry.selectors import enterprise_for_organisation
from shuangchuang.web.modules import MODULES_BY_KEY


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the point of the endpoint is to report any database failure
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request):
    return render(request, "web/home.html")


def module_page(request, key: str):
    module = MODULES_BY_KEY.get(key)
    if module is None:
        raise Http404
    return render(request, "web/module.html", {"module": module})


@login_required
def workspace(request):
    """What the person can do for the organisation they act for now."""
    actor = request.actor
    context = {"actor": actor}
    organisation = actor.organisation
    if organisation is not None and organisation.kind == "enterprise":
        enterprise = enterprise_for_organisation(organisation)
        context["enterprise"] = enterprise
        if enterprise is not None:
            context["show_figures"], context["figures_reason"] = can_view_enterprise_figures(actor, enterprise)
    if actor.department is not None or actor.is_platform_admin:
        context["recent_events"] = audit_events_for(actor)[:10]
    context["recent_notifications"] = inbox_for(actor.user)[:5]
    return render(request, "web/workspace.html", context)

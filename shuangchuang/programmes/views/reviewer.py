"""Expert reviewers' pages: assigned reviews; the conflict-of-interest declaration before the application is
shown; the scored review form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.programmes.forms import DeclarationForm
from shuangchuang.programmes.models import Assignment
from shuangchuang.programmes.permissions import reviewer_decision
from shuangchuang.programmes.services import conflict_declare, review_submit
from shuangchuang.programmes.views.common import show_error


@login_required
def reviews(request):
    assignments = (Assignment.objects.filter(reviewer=request.user)
                   .select_related("application__call").order_by("submitted_at", "due_at", "pk"))
    return render(request, "programmes/reviews.html", {"assignments": assignments})


@login_required
def review(request, pk: int):
    assignment = (Assignment.objects.select_related("application__call__programme", "application__enterprise")
                  .filter(pk=pk, reviewer=request.user).first())
    if assignment is None:
        raise Http404
    application = assignment.application
    declaration = DeclarationForm(request.POST if request.POST.get("declare") else None)
    if request.method == "POST" and request.POST.get("declare") and declaration.is_valid():
        data = declaration.cleaned_data
        try:
            conflict_declare(actor=request.actor, assignment=assignment, conflict=data["conflict"],
                             kind=data["kind"], note=data["note"])
            messages.success(request, _("Your declaration is recorded."))
            return redirect("programmes:review", pk=pk)
        except ServiceError as exc:
            show_error(request, exc, declaration)
    elif request.method == "POST" and request.POST.get("score"):
        scores = {c["key"]: request.POST.get(f"score_{c['key']}", "") for c in application.call.criteria}
        try:
            review_submit(actor=request.actor, assignment=assignment, scores=scores,
                          comment=request.POST.get("comment", ""))
            messages.success(request, _("Your review is submitted."))
            return redirect("programmes:reviews")
        except ServiceError as exc:
            messages.error(request, exc.message)
    allowed, reason = reviewer_decision(assignment)
    context = {"assignment": assignment, "declaration": declaration, "allowed": allowed, "reason": reason}
    if allowed:
        context.update({
            "application": application, "criteria": application.call.criteria,
            "schema_fields": [f for f in (application.call.form_schema or {}).get("fields", []) if f["type"] != "file"],
            "files": application.files.all(),
        })
    return render(request, "programmes/review.html", context)

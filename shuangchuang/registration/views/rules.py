"""Officers of the registration authority read the registration rules by date and add a new dated version."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.pages import show_error
from shuangchuang.registration import selectors
from shuangchuang.registration.forms import RuleVersionForm
from shuangchuang.registration.permissions import can_set_rules
from shuangchuang.registration.services import rule_set
from shuangchuang.registration.views.common import forbidden, not_found


def _refused(request):
    allowed, reason = can_set_rules(request.actor)
    if not allowed or request.actor.is_anonymous:
        return forbidden(request, reason or _("Log in first."))
    return None


def rules(request):
    refusal = _refused(request)
    if refusal is not None:
        return refusal
    groups: dict[str, list] = {}
    for row in selectors.rule_rows():
        groups.setdefault(row.key, []).append(row)
    today = selectors.today()
    return render(request, "registration/rules.html", {
        "groups": [{"key": key, "label": rows[-1].label, "rows": rows,
                    "current": selectors.rule_at(key, on=today)} for key, rows in groups.items()],
        "today": today,
    })


def rule_new(request, key: str):
    refusal = _refused(request)
    if refusal is not None:
        return refusal
    rows = list(selectors.rule_rows().filter(key=key))
    if not rows:
        return not_found(request)
    last = rows[-1]
    initial = {"value": json.dumps(last.value, ensure_ascii=False, indent=2), "valid_from": selectors.today()}
    form = RuleVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule_set(actor=request.actor, key=key, valid_from=form.cleaned_data["valid_from"],
                     value=form.cleaned_data["value"], source=form.cleaned_data["source"])
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("The new version is saved."))
            return redirect("registration:rules")
    departments = selectors.departments() if key == "deregistration.notify_departments" else None
    return render(request, "registration/rule_new.html", {"key": key, "label": last.label, "rows": rows,
                                                            "form": form, "departments": departments})

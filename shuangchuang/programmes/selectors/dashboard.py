"""Figures of the officers' dashboard of one department."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone

from shuangchuang.programmes.models import (
    Application,
    ApplicationStep,
    Assignment,
    Call,
    LedgerKind,
    State,
    SupportLedgerEntry,
)
from shuangchuang.programmes.selectors.calls import COMMITTED_STATES


def dashboard(department) -> dict:
    applications = Application.objects.filter(call__programme__department=department).exclude(state=State.DRAFT)
    by_state = dict(applications.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    calls = list(Call.objects.filter(programme__department=department).select_related("programme")
                 .order_by("-online_opens_at")[:20])
    committed = dict(applications.filter(state__in=COMMITTED_STATES).values_list("call_id")
                     .annotate(total=Sum("proposed_fen")).values_list("call_id", "total"))
    paid = dict(SupportLedgerEntry.objects.filter(department=department, kind=LedgerKind.PAID,
                                                  source_app="programmes.application")
                .values_list("source_label").annotate(total=Sum("amount_fen")).values_list("source_label", "total"))
    paid_total = sum(paid.values())
    # time spent in each stage: between the step that entered a state and the next step
    durations: dict[str, list[float]] = defaultdict(list)
    last: dict[int, tuple[str, object]] = {}
    steps = (ApplicationStep.objects.filter(application__call__programme__department=department)
             .order_by("application_id", "at", "id").values_list("application_id", "to_state", "at")[:50000])
    for application_id, to_state, at in steps:
        previous = last.get(application_id)
        if previous is not None:
            durations[previous[0]].append((at - previous[1]).total_seconds() / 86400)
        last[application_id] = (to_state, at)
    now = timezone.now()
    overdue = (Assignment.objects.filter(application__call__programme__department=department,
                                         application__state=State.REVIEW, submitted_at__isnull=True,
                                         due_at__lt=now).exclude(conflict=True)
               .select_related("application", "reviewer").order_by("due_at")[:50])
    return {
        "by_state": [(label, by_state.get(value, 0)) for value, label in State.choices if value != State.DRAFT],
        "calls": [{"call": c, "committed": committed.get(c.pk, 0) or 0} for c in calls],
        "committed_total": sum(v or 0 for v in committed.values()),
        "paid_total": paid_total,
        "stage_days": [(dict(State.choices).get(state, state), round(sum(v) / len(v), 1), len(v))
                       for state, v in sorted(durations.items())],
        "overdue": list(overdue),
    }

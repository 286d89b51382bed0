"""Helpers shared by the policies views."""

from __future__ import annotations

from django.shortcuts import render

from shuangchuang.registry.selectors import enterprise_for_organisation


def denied(request, reason: str, status: int = 403):
    return render(request, "core/denied.html", {"reason": reason}, status=status)


def acting_enterprise(request):
    """The register record of the enterprise the person acts for, if any."""
    actor = request.actor
    if actor.user is None or actor.organisation is None:
        return None
    return enterprise_for_organisation(actor.organisation)


def bars(rows: list[tuple[str, int]], *, limit: int = 12) -> dict:
    """Rows of a horizontal SVG bar chart: label, count, bar width in percent of the largest, y position."""
    rows = rows[:limit]
    top = max((n for _label, n in rows), default=0) or 1
    return {"rows": [{"label": label, "n": n, "width": round(n * 100 / top, 1), "y": i * 28}
                     for i, (label, n) in enumerate(rows)],
            "height": max(28, len(rows) * 28)}

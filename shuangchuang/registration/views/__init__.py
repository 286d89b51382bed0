"""Registration pages. Views parse input, call one service or selector, render; refusals show the reason."""

from django.shortcuts import render

from shuangchuang.registration import names_bridge, selectors
from shuangchuang.registration.views.applications import (
    application_detail,
    application_edit,
    application_new,
    application_step,
    change_new,
    queue,
)
from shuangchuang.registration.views.bars import bar_lift_view, bars
from shuangchuang.registration.views.cluster import custodian_detail, custodian_new, custodians
from shuangchuang.registration.views.deregistration import (
    deregistration_detail,
    deregistration_new,
    deregistration_step,
    notice_object,
    notices,
    objection_decide,
)
from shuangchuang.registration.views.documents import (
    application_articles,
    custodian_title,
    deregistration_promise,
)
from shuangchuang.registration.views.licences import licence, licence_pdf_view, my_licence
from shuangchuang.registration.views.rules import rule_new, rules
from shuangchuang.registry.selectors import enterprise_for_organisation

__all__ = [
    "application_articles", "application_detail", "application_edit", "application_new", "application_step",
    "bar_lift_view", "bars", "change_new", "custodian_detail", "custodian_new", "custodian_title", "custodians",
    "deregistration_detail", "deregistration_new", "deregistration_promise", "deregistration_step", "index",
    "licence", "licence_pdf_view", "my_licence", "notice_object", "notices", "objection_decide", "queue",
    "rule_new", "rules",
]


def index(request):
    actor = request.actor
    return render(request, "registration/index.html", {
        "applications": selectors.applications_of(actor)[:50] if actor.user else [],
        "enterprise": enterprise_for_organisation(actor.organisation),
        "officer": actor.department is not None and selectors.is_authority(actor.department),
        "notices": selectors.notices_in_progress()[:5], "names_available": names_bridge.available(),
    })

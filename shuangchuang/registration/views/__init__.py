"""Registration pages. Views parse input, call one service or selector, render; refusals show the reason."""

from django.shortcuts import render

from shuangchuang.registration import names_bridge, selectors
from shuangchuang.registration.views.applications import (  # noqa: F401
    application_detail,
    application_edit,
    application_new,
    application_step,
    change_new,
    queue,
)
from shuangchuang.registration.views.bars import bar_lift_view, bars  # noqa: F401
from shuangchuang.registration.views.cluster import custodian_detail, custodian_new, custodians  # noqa: F401
from shuangchuang.registration.views.deregistration import (  # noqa: F401
    deregistration_detail,
    deregistration_new,
    deregistration_step,
    notice_object,
    notices,
    objection_decide,
)
from shuangchuang.registration.views.documents import (  # noqa: F401
    application_articles,
    custodian_title,
    deregistration_promise,
)
from shuangchuang.registration.views.licences import licence, licence_pdf_view, my_licence  # noqa: F401
from shuangchuang.registry.selectors import enterprise_for_organisation


def index(request):
    actor = request.actor
    return render(request, "registration/index.html", {
        "applications": selectors.applications_of(actor)[:50] if actor.user else [],
        "enterprise": enterprise_for_organisation(actor.organisation),
        "officer": actor.department is not None and selectors.is_authority(actor.department),
        "notices": selectors.notices_in_progress()[:5], "names_available": names_bridge.available(),
    })

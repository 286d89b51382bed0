"""The holder's pages: apply (with the eligibility shown first), my applications and vouchers, the voucher page
with its QR code, contracts to confirm, and the shared contract and redemption pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuangchuang.core.errors import ServiceError
from shuangchuang.vouchers import selectors
from shuangchuang.vouchers.forms import ApplyForm, DecisionForm, to_fen
from shuangchuang.vouchers.models import ApplicantKind, Application, Contract, Document, Redemption, Voucher
from shuangchuang.vouchers.permissions import (
    can_act_as_holder,
    can_act_for_provider,
    can_apply,
    can_view_application,
    can_view_contract,
    can_view_redemption,
    is_holder,
)
from shuangchuang.vouchers.services import (
    application_check,
    application_submit,
    application_transition,
    application_transitions_for,
    contract_decide,
    voucher_balance_fen,
)
from shuangchuang.vouchers.views.common import forbidden, login_first, qr_svg, show_error


def _kinds(scheme) -> list[tuple[str, str]]:
    labels = dict(ApplicantKind.choices)
    return [(k, labels[k]) for k, ok in (("enterprise", scheme.accepts_enterprises), ("maker", scheme.accepts_makers),
                                         ("founder", scheme.accepts_founders)) if ok]


def apply(request, code: str):
    scheme = selectors.scheme_by_code(code)
    if scheme is None:
        raise Http404
    actor = request.actor
    if actor.user is None:
        return login_first(request)
    kinds = _kinds(scheme)
    form = ApplyForm(request.POST or None, kinds=kinds, initial={"applicant_kind": kinds[0][0]})
    kind = request.POST.get("applicant_kind") or request.GET.get("as") or kinds[0][0]
    allowed, reason = can_apply(actor, kind)
    check = None
    if allowed and kind != ApplicantKind.MAKER:
        try:
            check = application_check(actor=actor, scheme=scheme, applicant_kind=kind)
        except ServiceError as exc:
            messages.error(request, exc.message)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_submit(
                actor=actor, scheme=scheme, applicant_kind=data["applicant_kind"],
                requested_fen=to_fen(data["requested"]), purpose=data["purpose"], project_key=data["project_key"],
                person_name=data["person_name"],
                person_id_number=data["person_id_number"])
        except ServiceError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Application submitted."))
            return redirect("vouchers:application", application.pk)
    return render(request, "vouchers/apply.html", {"scheme": scheme, "form": form, "check": check,
                                                   "allowed": allowed, "reason": reason})


def my(request):
    actor = request.actor
    if actor.user is None:
        return login_first(request)
    org = actor.organisation
    vouchers = list(selectors.vouchers_of(org)) if org else []
    amounts = selectors.balances(vouchers)
    return render(request, "vouchers/my.html", {
        "applications": selectors.applications_of(org)[:50] if org else [],
        "vouchers": [(v, amounts.get(v.pk, 0)) for v in vouchers],
        "contracts": selectors.contracts_for(actor).filter(voucher__application__organisation=org)[:50] if org else [],
        "redemptions": selectors.redemptions_for(actor).filter(voucher__application__organisation=org)[:50]
        if org else [],
    })


def application_detail(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("scheme", "scheme__department",
                                                                        "organisation"), pk=pk)
    allowed, reason = can_view_application(request.actor, application)
    if not allowed:
        return forbidden(request, reason)
    voucher = Voucher.objects.filter(application=application).first()
    return render(request, "vouchers/application.html", {
        "application": application, "voucher": voucher, "steps": application.steps.all(),
        "transitions": [t for t in application_transitions_for(request.actor, application) if t.by == "holder"],
        "balance": voucher_balance_fen(voucher) if voucher else None,
    })


@require_POST
def application_withdraw(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    try:
        application_transition(actor=request.actor, application=application, transition="withdraw")
        messages.success(request, _("Application withdrawn."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("vouchers:application", pk)


def voucher_page(request, code: str):
    voucher = get_object_or_404(Voucher.objects.select_related("application", "application__scheme"),
                                code=code.upper())
    if not is_holder(request.actor, voucher.application) and not request.actor.is_platform_admin:
        return forbidden(request, _("Only the holder sees the voucher page."))
    start = request.build_absolute_uri(reverse("vouchers:contract_new") + f"?voucher={voucher.code}")
    return render(request, "vouchers/voucher.html", {
        "voucher": voucher, "balance": voucher_balance_fen(voucher), "qr": qr_svg(start), "start_url": start,
        "contracts": voucher.contracts.select_related("provider", "registration"),
    })


def contract_detail(request, pk: int):
    contract = get_object_or_404(Contract.objects.select_related(
        "voucher", "voucher__application", "voucher__application__scheme", "provider", "registration"), pk=pk)
    allowed, reason = can_view_contract(request.actor, contract)
    if not allowed:
        return forbidden(request, reason)
    return render(request, "vouchers/contract.html", {
        "contract": contract, "documents": contract.documents.all(),
        "redemptions": contract.redemptions.all(),
        "may_decide": contract.state == "proposed" and can_act_as_holder(request.actor,
                                                                         contract.voucher.application)[0],
        "may_redeem": contract.state == "signed" and can_act_for_provider(request.actor, contract.provider)[0],
    })


@require_POST
def contract_decision(request, pk: int):
    contract = get_object_or_404(Contract, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            contract_decide(actor=request.actor, contract=contract, accept=form.cleaned_data["accept"] == "yes",
                            note=form.cleaned_data["note"])
            messages.success(request, _("Your decision is recorded."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("vouchers:contract", pk)


def redemption_detail(request, pk: int):
    redemption = get_object_or_404(Redemption.objects.select_related(
        "contract", "voucher", "voucher__application", "voucher__application__scheme", "provider", "batch"), pk=pk)
    allowed, reason = can_view_redemption(request.actor, redemption)
    if not allowed:
        return forbidden(request, reason)
    return render(request, "vouchers/redemption.html", {"redemption": redemption, "steps": redemption.steps.all(),
                                                        "documents": redemption.documents.all()})


def document(request, pk: int):
    """A contract or a proof, to the parties of its contract and the scheme's officers."""
    doc = get_object_or_404(Document.objects.select_related("contract", "redemption__contract"), pk=pk)
    contract = doc.contract if doc.contract_id else doc.redemption.contract
    allowed, reason = can_view_contract(request.actor, contract)
    if not allowed:
        return forbidden(request, reason)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name,
                        content_type=doc.content_type)

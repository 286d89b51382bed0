"""Helpers of test_every_page: real values for every URL parameter (from the demo city), bad values by converter,
and the pages an anonymous visitor may see."""

from __future__ import annotations

import re
from dataclasses import dataclass

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
UUID_MISSING = "00000000-0000-4000-8000-000000000000"
BAD_VALUES = {
    "int": ["999999", "9" * 25],
    "uuid": [UUID_MISSING],
    "slug": ["999999", "abc", "x" * 300, "9" * 25],
    "str": ["999999", "x" * 300, "9" * 25, "%E2%80%8B"],
}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")

# Routes an anonymous visitor may see (200): the public pages and the public API.
ANONYMOUS_MAY_SEE = {
    "healthz", "", "m/<slug:key>/",
    "api/v1/openapi.json", "api/v1/docs", "api/v1/uscc/", "api/v1/uscc/<code>", "api/v1/enterprises",
    "api/v1/enterprises/<uscc>", "api/v1/credit/lists", "api/v1/credit/lists/<list_id>/entries",
    "api/v1/credit/enterprises/<uscc>", "api/v1/policies", "api/v1/policies/<policy_id>", "api/v1/benefits",
    "api/v1/benefits/<benefit_id>", "api/v1/parameters", "api/v1/rule-facts", "api/v1/registration/scope-terms",
    "api/v1/registration/licences/<token>", "api/v1/registration/deregistrations/notices",
    "api/v1/registration/custodians", "api/v1/registration/custodians/<pk>/firms",
    "api/v1/programmes", "api/v1/programmes/calls", "api/v1/programmes/calls/<call_id>", "api/v1/vouchers/schemes",
    "api/v1/vouchers/providers",
    "accounts/login/", "accounts/password-reset/", "accounts/password-reset/sent/", "accounts/password-reset/done/",
    "registry/enterprises/", "registry/statistics/", "registry/enterprises/<str:uscc>/",
    "credit/", "credit/lists/", "credit/lists/<slug:code>/", "credit/enterprises/<str:uscc>/", "credit/screen/",
    "credit/import-format/",
    "policies/", "policies/<int:pk>/", "policies/<int:pk>/versions/", "policies/<int:pk>/versions/<int:old>/<int:new>/",
    "policies/benefits/", "policies/benefits/<int:pk>/", "policies/parameters/", "policies/assistant/",
    "policies/calculators/rd-super-deduction/", "policies/calculators/vc-tax-credit/",
    "policies/alerts/unsubscribe/<str:token>/",
    "registration/names/", "registration/", "registration/licences/<str:token>/",
    "registration/licences/<str:token>/pdf/", "registration/notices/", "registration/notices/<int:pk>/object/",
    "registration/deregistrations/<int:pk>/promise/",  # published with the notice
    "registration/custodians/", "registration/custodians/<int:pk>/",
    "programmes/", "programmes/calls/", "programmes/calls/<int:pk>/", "programmes/notices/",
    "programmes/notices/<int:pk>/",
    "vouchers/", "vouchers/schemes/<slug:code>/", "vouchers/providers/",
}


@dataclass(frozen=True)
class Case:
    route: str
    path: str
    real: bool  # every parameter names an existing object


def _first(queryset):
    return queryset.order_by("pk").first()


def _fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAMETER.sub(lambda m: values[m.group("name")], route)


def url_cases(routes: list[str], real: dict[str, list[dict[str, str]]]) -> list[Case]:
    """For each route: the real values (one case per real object), then each parameter in turn replaced by every bad
    value its converter accepts (bad values the converter refuses never reach a view)."""
    cases = []
    for route in routes:
        parameters = [(m.group("converter") or "str", m.group("name")) for m in PARAMETER.finditer(route)]
        if not parameters:
            cases.append(Case(route, "/" + route, True))
            continue
        known = [k for k in real.get(route, []) if all(v is not None for v in k.values())]
        for kwargs in known:
            cases.append(Case(route, _fill(route, {k: str(v) for k, v in kwargs.items()}), True))
        base = {k: str(v) for k, v in known[0].items()} if known else {n: "1" for _c, n in parameters}
        for converter, name in parameters:
            for bad in BAD_VALUES.get(converter, BAD_VALUES["str"]):
                cases.append(Case(route, _fill(route, {**base, name: bad}), False))
    return cases


def api_token_for(user) -> str:
    """A bearer token of this person acting for their first organisation (for themselves when they have none)."""
    from shuangchuang.core.selectors import memberships_for_user
    from shuangchuang.core.services import api_token_create
    from shuangchuang.core.tests.factories import actor_for

    memberships = list(memberships_for_user(user))
    actor = actor_for(user, memberships[0].organisation if memberships else None)
    _token, raw = api_token_create(actor=actor, name="every page")
    return raw


def real_kwargs() -> dict[str, list[dict[str, object]]]:  # noqa: C901 — one table, read top to bottom
    """Route → the parameter values of existing objects of the demo city (a list: one case each)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from shuangchuang.core.models import ApiToken, Membership, Notification, User
    from shuangchuang.credit import models as credit
    from shuangchuang.names.models import NameReservation
    from shuangchuang.policies import models as policies
    from shuangchuang.programmes import models as programmes
    from shuangchuang.registration import models as registration
    from shuangchuang.registry.models import Enterprise
    from shuangchuang.vouchers import models as vouchers
    from shuangchuang.web.modules import MODULES

    def pk(model, **filters):
        obj = _first(model.objects.filter(**filters))
        return obj.pk if obj else None

    own = _first(Membership.objects.filter(user__username="demo-enterprise", organisation__kind="enterprise"))
    uscc = own.organisation.code if own else _first(Enterprise.objects).uscc
    credit_list = _first(credit.CreditList.objects)
    entry = _first(credit.ListEntry.objects)
    repair = _first(credit.RepairApplication.objects)
    repair_document = _first(credit.RepairDocument.objects)
    job = _first(credit.Job.objects)
    evidence = credit.ScreeningEvidence.objects.order_by("created_at").first()
    document = _first(policies.PolicyDocument.objects.filter(versions__number__gte=2).distinct()) or _first(
        policies.PolicyDocument.objects)
    versions = list(document.versions.order_by("number").values_list("number", flat=True)) if document else []
    benefit = _first(policies.Benefit.objects)
    saved = _first(policies.SavedSearch.objects)
    faq = _first(policies.Faq.objects)
    reservation = _first(NameReservation.objects)
    reg_application = _first(registration.Application.objects)
    licence = _first(registration.Licence.objects)
    deregistration = _first(registration.Deregistration.objects)
    reg_objection = _first(registration.Objection.objects)
    bar = _first(registration.RegistrationBar.objects.select_related("enterprise"))
    custodian = _first(registration.Custodian.objects)
    rule = _first(registration.RuleParameter.objects)
    call = _first(programmes.Call.objects.filter(applications__isnull=False).distinct())
    applications = [a for a in (
        _first(programmes.Application.objects.filter(award__isnull=False)),
        _first(programmes.Application.objects.filter(state="draft")),
        _first(programmes.Application.objects.filter(state="submitted")),
    ) if a is not None]
    awarded = applications[0] if applications else None
    file = _first(programmes.ApplicationFile.objects)
    report = _first(programmes.ProgressReport.objects.select_related("award"))
    kpi = _first(programmes.Kpi.objects.select_related("award"))
    offer = _first(programmes.LeaseOffer.objects)
    milestone = _first(programmes.Milestone.objects.select_related("award"))
    instalment = _first(programmes.Instalment.objects.select_related("award"))
    objection = _first(programmes.Objection.objects)
    assignment = _first(programmes.Assignment.objects)
    scheme = _first(vouchers.Scheme.objects)
    voucher = _first(vouchers.Voucher.objects)
    v_application = _first(vouchers.Application.objects)
    contract = _first(vouchers.Contract.objects)
    redemption = _first(vouchers.Redemption.objects)
    v_document = _first(vouchers.Document.objects)
    provider_registration = _first(vouchers.ProviderRegistration.objects)
    user = User.objects.get(username="demo-enterprise")

    def one(**values):
        return [values]

    def each_application(**extra):
        return [{"pk": a.pk, **extra} for a in applications] or [{"pk": None, **extra}]

    table = {
        # API
        "api/v1/uscc/<code>": one(code=uscc),
        "api/v1/enterprises/<uscc>": one(uscc=uscc),
        "api/v1/credit/lists/<list_id>/entries": [{"list_id": credit_list.pk}, {"list_id": credit_list.code}],
        "api/v1/credit/enterprises/<uscc>": one(uscc=uscc),
        "api/v1/credit/evidence/<evidence_id>": one(evidence_id=evidence and evidence.pk),
        "api/v1/credit/evidence/<evidence_id>/adjudications": one(evidence_id=evidence and evidence.pk),
        "api/v1/credit/lists/<list_id>/imports": one(list_id=credit_list.pk),
        "api/v1/credit/lists/<list_id>/rescreen": one(list_id=credit_list.pk),
        "api/v1/credit/jobs/<job_id>": one(job_id=job and job.pk),
        "api/v1/credit/jobs/<job_id>/rows": one(job_id=job and job.pk),
        "api/v1/policies/<policy_id>": one(policy_id=document and document.pk),
        "api/v1/benefits/<benefit_id>": one(benefit_id=benefit and benefit.pk),
        "api/v1/benefits/<benefit_id>/matches": one(benefit_id=benefit and benefit.pk),
        "api/v1/enterprises/<uscc>/eligibility": one(uscc=uscc),
        "api/v1/registration/name-reservations/<reservation_id>/release": one(
            reservation_id=reservation and reservation.pk),
        "api/v1/registration/enterprises/<uscc>/changes": one(uscc=uscc),
        "api/v1/registration/applications/<pk>": one(pk=reg_application and reg_application.pk),
        "api/v1/registration/applications/<pk>/articles": one(pk=reg_application and reg_application.pk),
        "api/v1/registration/applications/<pk>/transitions": one(pk=reg_application and reg_application.pk),
        "api/v1/registration/licences/<token>": one(token=licence and licence.token),
        "api/v1/registration/enterprises/<uscc>/deregistration-eligibility": one(uscc=uscc),
        "api/v1/registration/deregistrations/<pk>": one(pk=deregistration and deregistration.pk),
        "api/v1/registration/deregistrations/<pk>/transitions": one(pk=deregistration and deregistration.pk),
        "api/v1/registration/deregistrations/<pk>/objections": one(pk=deregistration and deregistration.pk),
        "api/v1/registration/objections/<pk>/resolve": one(pk=reg_objection and reg_objection.pk),
        "api/v1/registration/custodians/<pk>/firms": one(pk=custodian and custodian.pk),
        "api/v1/registration/custodians/<pk>/decision": one(pk=custodian and custodian.pk),
        "api/v1/registration/enterprises/<uscc>/bars": one(uscc=uscc),
        "api/v1/programmes/calls/<call_id>": one(call_id=call and call.pk),
        "api/v1/programmes/calls/<call_id>/applications": one(call_id=call and call.pk),
        "api/v1/programmes/calls/<call_id>/lease-offers": one(call_id=offer and offer.application.call_id),
        "api/v1/programmes/applications/<application_id>": [{"application_id": a.pk} for a in applications],
        "api/v1/programmes/applications/<application_id>/transitions": [
            {"application_id": a.pk} for a in applications],
        "api/v1/programmes/applications/<application_id>/interest": [{"application_id": a.pk} for a in applications],
        "api/v1/programmes/applications/<application_id>/lease-offers": one(
            application_id=offer and offer.application_id),
        "api/v1/programmes/lease-offers/<offer_id>/transitions": one(offer_id=offer and offer.pk),
        "api/v1/vouchers/applications/<application_id>": one(application_id=v_application and v_application.pk),
        "api/v1/vouchers/contracts/<contract_id>": one(contract_id=contract and contract.pk),
        "api/v1/vouchers/contracts/<contract_id>/decision": one(contract_id=contract and contract.pk),
        "api/v1/vouchers/redemptions/<redemption_id>": one(redemption_id=redemption and redemption.pk),
        "api/v1/vouchers/schemes/<code>/dashboard": one(code=scheme.code),
        "api/v1/vouchers/schemes/<code>/changes": one(code=scheme.code),
        "api/v1/vouchers/schemes/<code>/close": one(code=scheme.code),
        "api/v1/vouchers/schemes/<code>/budget-reductions": one(code=scheme.code),
        # core
        "accounts/password-reset/<uidb64>/<token>/": one(
            uidb64=urlsafe_base64_encode(force_bytes(user.pk)), token=default_token_generator.make_token(user)),
        "accounts/inbox/<int:pk>/read/": one(pk=pk(Notification, recipient__username="demo-enterprise")
                                             or pk(Notification)),
        "accounts/tokens/<int:pk>/revoke/": one(pk=pk(ApiToken)),
        # registry, credit
        "registry/enterprises/<str:uscc>/": one(uscc=uscc),
        "credit/lists/<slug:code>/": one(code=credit_list.code),
        "credit/enterprises/<str:uscc>/": one(uscc=uscc),
        "credit/evidence/<uuid:evidence_id>/": one(evidence_id=evidence and evidence.pk),
        "credit/evidence/<uuid:evidence_id>/adjudicate/": one(evidence_id=evidence and evidence.pk),
        "credit/my/annual-reports/<int:year>/": [{"year": 2025}, {"year": 1900}, {"year": 2099}],
        "credit/my/entries/<int:entry_id>/repair/": one(entry_id=repair.entry_id if repair else entry and entry.pk),
        "credit/my/repairs/<int:pk>/": one(pk=repair and repair.pk),
        "credit/repairs/<int:pk>/documents/<int:document_id>/": one(
            pk=repair_document and repair_document.application_id, document_id=repair_document and repair_document.pk),
        "credit/manage/lists/<int:pk>/": one(pk=credit_list.pk),
        "credit/manage/lists/<int:pk>/edit/": one(pk=credit_list.pk),
        "credit/manage/lists/<int:pk>/restrictions/new/": one(pk=credit_list.pk),
        "credit/manage/restrictions/<int:pk>/": one(pk=pk(credit.Restriction)),
        "credit/manage/lists/<int:pk>/entries/new/": one(pk=credit_list.pk),
        "credit/manage/entries/<int:pk>/": one(pk=entry and entry.pk),
        "credit/manage/entries/<int:pk>/remove/": one(pk=entry and entry.pk),
        "credit/manage/lists/<int:pk>/import/": one(pk=credit_list.pk),
        "credit/manage/imports/<int:pk>/": one(pk=pk(credit.ImportBatch)),
        "credit/manage/lists/<int:pk>/rescreen/": one(pk=credit_list.pk),
        "credit/manage/jobs/<int:pk>/": one(pk=job and job.pk),
        "credit/manage/jobs/<int:pk>/progress/": one(pk=job and job.pk),
        "credit/manage/jobs/<int:pk>/results.csv": one(pk=job and job.pk),
        "credit/manage/repairs/<int:pk>/": one(pk=repair and repair.pk),
        # policies
        "policies/<int:pk>/": one(pk=document.pk),
        "policies/<int:pk>/versions/": one(pk=document.pk),
        "policies/<int:pk>/versions/<int:old>/<int:new>/": one(
            pk=document.pk, old=versions[0] if versions else None, new=versions[-1] if versions else None),
        "policies/<int:pk>/publish/": one(pk=document.pk),
        "policies/<int:pk>/revise/": one(pk=document.pk),
        "policies/<int:pk>/withdraw/": one(pk=document.pk),
        "policies/<int:pk>/benefits/new/": one(pk=document.pk),
        "policies/benefits/<int:pk>/": one(pk=benefit.pk),
        "policies/benefits/<int:pk>/matches/": one(pk=benefit.pk),
        "policies/benefits/<int:pk>/edit/": one(pk=benefit.pk),
        "policies/benefits/<int:pk>/publish/": one(pk=benefit.pk),
        "policies/benefits/<int:pk>/withdraw/": one(pk=benefit.pk),
        "policies/benefits/<int:pk>/push/": one(pk=benefit.pk),
        "policies/pushes/<int:pk>/": one(pk=pk(policies.BenefitPush)),
        "policies/eligibility/<str:uscc>/": one(uscc=uscc),
        "policies/parameters/<int:pk>/set/": one(pk=pk(policies.Parameter)),
        "policies/alerts/<int:pk>/delete/": one(pk=saved and saved.pk),
        "policies/alerts/unsubscribe/<str:token>/": one(token=saved and saved.token),
        "policies/manage/answers/<int:pk>/<str:decision>/": [
            {"pk": faq and faq.pk, "decision": "approve"}, {"pk": faq and faq.pk, "decision": "withdraw"}],
        # names, registration
        "registration/names/reservations/<int:reservation_id>/release/": one(
            reservation_id=reservation and reservation.pk),
        "registration/applications/<int:pk>/": one(pk=reg_application and reg_application.pk),
        "registration/applications/<int:pk>/edit/": one(pk=reg_application and reg_application.pk),
        "registration/applications/<int:pk>/step/": one(pk=reg_application and reg_application.pk),
        "registration/applications/<int:pk>/articles/": one(pk=reg_application and reg_application.pk),
        "registration/licences/<str:token>/": one(token=licence and licence.token),
        "registration/licences/<str:token>/pdf/": one(token=licence and licence.token),
        "registration/deregistrations/<int:pk>/": one(pk=deregistration and deregistration.pk),
        "registration/deregistrations/<int:pk>/step/": one(pk=deregistration and deregistration.pk),
        "registration/deregistrations/<int:pk>/promise/": one(pk=deregistration and deregistration.pk),
        "registration/deregistrations/<int:pk>/objections/": one(pk=deregistration and deregistration.pk),
        "registration/notices/<int:pk>/object/": one(pk=deregistration and deregistration.pk),
        "registration/enterprises/<str:uscc>/bars/": one(uscc=uscc),
        "registration/enterprises/<str:uscc>/bars/<int:pk>/lift/": one(
            uscc=bar.enterprise.uscc if bar else uscc, pk=bar and bar.pk),
        "registration/rules/<str:key>/new/": one(key=rule and rule.key),
        "registration/custodians/<int:pk>/": one(pk=custodian and custodian.pk),
        "registration/custodians/<int:pk>/title/": one(pk=custodian and custodian.pk),
        # programmes
        "programmes/calls/<int:pk>/": one(pk=call and call.pk),
        "programmes/calls/<int:pk>/apply/": [{"pk": c.pk} for c in programmes.Call.objects.order_by("pk")[:3]],
        "programmes/notices/<int:pk>/": one(pk=pk(programmes.PublicNotice)),
        "programmes/applications/<int:pk>/": each_application(),
        "programmes/applications/<int:pk>/files/": each_application(),
        "programmes/applications/<int:pk>/files/<int:file_id>/": one(
            pk=file and file.application_id, file_id=file and file.pk),
        "programmes/applications/<int:pk>/files/<int:file_id>/remove/": one(
            pk=file and file.application_id, file_id=file and file.pk),
        "programmes/applications/<int:pk>/step/": each_application(),
        "programmes/applications/<int:pk>/reports/<int:report_id>/": one(
            pk=report and report.award.application_id, report_id=report and report.pk),
        "programmes/applications/<int:pk>/indicators/<int:kpi_id>/": one(
            pk=kpi and kpi.award.application_id, kpi_id=kpi and kpi.pk),
        "programmes/applications/<int:pk>/lease/<int:offer_id>/": one(
            pk=offer and offer.application_id, offer_id=offer and offer.pk),
        "programmes/applications/<int:pk>/milestones/<int:milestone_id>/": one(
            pk=milestone and milestone.award.application_id, milestone_id=milestone and milestone.pk),
        "programmes/reviews/<int:pk>/": one(pk=assignment and assignment.pk),
        "programmes/manage/programmes/<int:programme_id>/calls/new/": one(programme_id=pk(programmes.Programme)),
        "programmes/manage/calls/<int:pk>/": one(pk=call and call.pk),
        "programmes/manage/calls/<int:pk>/form/": one(pk=call and call.pk),
        "programmes/manage/calls/<int:pk>/ranking/": one(pk=call and call.pk),
        "programmes/manage/calls/<int:pk>/notice/": one(pk=call and call.pk),
        "programmes/manage/calls/<int:pk>/lease-offers/": one(pk=offer and offer.application.call_id),
        "programmes/manage/applications/<int:pk>/": each_application(),
        "programmes/manage/applications/<int:pk>/assign/": each_application(),
        "programmes/manage/applications/<int:pk>/site-visit/": each_application(),
        "programmes/manage/applications/<int:pk>/agreement/": one(pk=awarded and awarded.pk),
        "programmes/manage/applications/<int:pk>/instalments/<int:instalment_id>/pay/": one(
            pk=instalment and instalment.award.application_id, instalment_id=instalment and instalment.pk),
        "programmes/manage/applications/<int:pk>/milestones/<int:milestone_id>/": one(
            pk=milestone and milestone.award.application_id, milestone_id=milestone and milestone.pk),
        "programmes/manage/applications/<int:pk>/lease/": one(pk=offer and offer.application_id),
        "programmes/manage/applications/<int:pk>/lease/<int:offer_id>/": one(
            pk=offer and offer.application_id, offer_id=offer and offer.pk),
        "programmes/manage/applications/<int:pk>/instalments/<int:instalment_id>/milestones/": one(
            pk=instalment and instalment.award.application_id, instalment_id=instalment and instalment.pk),
        "programmes/manage/applications/<int:pk>/milestones/<int:milestone_id>/accept/": one(
            pk=milestone and milestone.award.application_id, milestone_id=milestone and milestone.pk),
        "programmes/manage/applications/<int:pk>/evaluation/": one(pk=awarded and awarded.pk),
        "programmes/manage/applications/<int:pk>/objections/<int:objection_id>/": one(
            pk=objection and objection.application_id, objection_id=objection and objection.pk),
        # vouchers
        "vouchers/schemes/<slug:code>/": [{"code": s.code} for s in vouchers.Scheme.objects.order_by("pk")],
        "vouchers/schemes/<slug:code>/apply/": [{"code": s.code} for s in vouchers.Scheme.objects.order_by("pk")],
        "vouchers/my/applications/<int:pk>/": one(pk=v_application and v_application.pk),
        "vouchers/my/applications/<int:pk>/withdraw/": one(pk=v_application and v_application.pk),
        "vouchers/v/<str:code>/": one(code=voucher and voucher.code),
        "vouchers/contracts/<int:pk>/": one(pk=contract and contract.pk),
        "vouchers/contracts/<int:pk>/decision/": one(pk=contract and contract.pk),
        "vouchers/contracts/<int:pk>/redeem/": one(pk=contract and contract.pk),
        "vouchers/redemptions/<int:pk>/": one(pk=redemption and redemption.pk),
        "vouchers/documents/<int:pk>/": one(pk=v_document and v_document.pk),
        "vouchers/provider/register/<slug:code>/": one(code=scheme.code),
        "vouchers/provider/registrations/<int:pk>/services/": one(
            pk=provider_registration and provider_registration.pk),
        "vouchers/manage/schemes/<slug:code>/": one(code=scheme.code),
        "vouchers/manage/schemes/<slug:code>/export.csv": one(code=scheme.code),
        "vouchers/manage/schemes/<slug:code>/budget/": one(code=scheme.code),
        "vouchers/manage/schemes/<slug:code>/budget/reduce/": one(code=scheme.code),
        "vouchers/manage/schemes/<slug:code>/change/": one(code=scheme.code),
        "vouchers/manage/schemes/<slug:code>/close/": one(code=scheme.code),
        "vouchers/manage/schemes/<slug:code>/ties/": one(code=scheme.code),
        "vouchers/manage/applications/<int:pk>/": one(pk=v_application and v_application.pk),
        "vouchers/manage/redemptions/<int:pk>/": one(pk=redemption and redemption.pk),
        "vouchers/manage/registrations/<int:pk>/": one(pk=provider_registration and provider_registration.pk),
        "vouchers/manage/registrations/<int:pk>/decide/": one(pk=provider_registration and provider_registration.pk),
        # web
        "m/<slug:key>/": [{"key": m.key} for m in MODULES],
    }
    return table


def missing_real_objects(table: dict[str, list[dict[str, object]]]) -> list[str]:
    """Routes for which the demo city holds no object to fill a parameter with."""
    return [route for route, rows in table.items() if not any(all(v is not None for v in r.values()) for r in rows)]


def add_missing_objects() -> None:
    """Objects the demo city does not hold but routes name: a KPI, objections to a programmes notice and to a
    deregistration notice, a registration bar, a credit repair application with its document, an import batch.
    Written through the services, as the interfaces do (the programmes objection directly: its notice is closed)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shuangchuang.core.actor import Actor
    from shuangchuang.core.models import Membership, OrganisationKind
    from shuangchuang.core.tests.factories import actor_for
    from shuangchuang.credit.models import CreditList, ListEntry
    from shuangchuang.credit.services import repair_apply
    from shuangchuang.credit.services.lists import list_import_check
    from shuangchuang.programmes.models import Award, Objection, PublicNotice
    from shuangchuang.programmes.services.performance import kpi_add
    from shuangchuang.registration.models import Deregistration
    from shuangchuang.registration.services.deregistration import bar_record, objection_raise
    from shuangchuang.registry.models import Enterprise

    system = Actor.system("every page")
    award = _first(Award.objects.select_related("application__call__programme"))
    kpi_add(actor=system, award=award, name="新增就业岗位", target="10", unit="个")
    notice = _first(PublicNotice.objects)  # its objection period is over: the objection is written as it was then
    Objection.objects.create(notice=notice, application=_first(notice.call.applications.all()), name="王某",
                             contact="13800000000", text="申报材料与实际不符。")
    deregistration = _first(Deregistration.objects)
    objection_raise(actor=Actor.anonymous(), deregistration=deregistration, kind="creditor", name="李某",
                    contact="13900000000", reason="尚有货款未结清。", amount_fen=1_000_00)
    bar_record(actor=system, enterprise=_first(Enterprise.objects), kind="equity_frozen",
               since=deregistration.notice_start)
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="demo-listed", organisation__kind=OrganisationKind.ENTERPRISE)
    entry = _first(ListEntry.objects.filter(uscc=membership.organisation.code))
    repair_apply(actor=actor_for(membership.user, membership.organisation), entry=entry, statement="已整改。",
                 documents=[SimpleUploadedFile("paid.pdf", PDF, content_type="application/pdf")])
    header = "subject_type,name,uscc,id_number,reason,authority,case_number,listed_on,expires_on\n"
    row = "enterprise,深圳市无码测试贸易有限公司,,,违反财产报告制度,深圳市中级人民法院,(2025)粤03执3号,2025-04-03,\n"
    list_import_check(actor=system, credit_list=CreditList.objects.get(code="dishonest-debtor"),
                      upload=SimpleUploadedFile("list.csv", (header + row).encode(), content_type="text/csv"))


def garbage_files() -> dict:
    """Fresh uploads under the names the forms and the API take files by: not valid UTF-8 where a CSV is read,
    'PDF's that are not, an empty file, an executable."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(name: str, content: bytes, content_type: str = "application/pdf"):
        return SimpleUploadedFile(name, content, content_type=content_type)

    not_utf8 = b"\xff\xfe\x00\x81name,uscc\n\"unterminated,\x00\n" + b"\xc3\x28" * 50
    return {
        "file": upload("list.csv", not_utf8, "text/csv"), "upload": upload("x.pdf", b"%PDF-1.4 not really"),
        "documents": [upload("a.pdf", b""), upload("b.exe", b"MZ\x90\x00" * 64, "application/octet-stream")],
        "articles": upload("articles.pdf", b"\x00" * 100), "promise": upload("promise.pdf", b"%PDF-"),
        "title_document": upload("title.png", b"\x89PNG broken", "image/png"),
        "contract": upload("c.pdf", b""), "holder_payment": upload("p.jpg", b"\xff\xd8\xff broken", "image/jpeg"),
        "service": upload("s.json", not_utf8, "application/json"),
    }

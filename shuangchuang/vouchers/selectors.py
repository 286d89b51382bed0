"""Reads of the vouchers module: the public schemes and catalogue, a holder's vouchers, a provider's contracts and
redemptions, an officer's queues and dashboard figures."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum

from shuangchuang.core.actor import Actor
from shuangchuang.vouchers.models import (
    Account,
    AccountKind,
    Application,
    Contract,
    Journal,
    JournalKind,
    ProviderRegistration,
    Redemption,
    RegistrationState,
    Scheme,
    SchemeYear,
    ServiceCategory,
    Voucher,
)
from shuangchuang.vouchers.services.common import scheme_parameter

CAP_ROLES = ("cap.large", "cap.medium", "cap.small", "cap.micro", "cap.maker", "cap.founder")


def schemes_public() -> QuerySet[Scheme]:
    return Scheme.objects.select_related("department", "district").order_by("kind", "code")


def scheme_by_code(code: str) -> Scheme | None:
    return schemes_public().filter(code=code).first()


def scheme_terms(scheme: Scheme, on: datetime.date) -> dict:
    """The scheme's numbers on a date (None where the department has not set them)."""
    caps = {role.split(".", 1)[1]: scheme_parameter(scheme, role, on=on) for role in CAP_ROLES
            if scheme.parameter_key(role)}
    share = scheme_parameter(scheme, "max_share_of_fee", on=on)
    return {
        "caps_fen": caps,
        "max_applications_per_year": scheme_parameter(scheme, "max_applications_per_year", on=on),
        "max_share_of_fee": str(share) if share is not None else None,
        "validity_months": scheme_parameter(scheme, "validity_months", on=on),
        "annual_cap_per_entity_fen": scheme_parameter(scheme, "annual_cap_per_entity", on=on),
        "small_balance_threshold_fen": scheme_parameter(scheme, "small_balance_threshold", on=on),
    }


def catalogue(*, category: str = "", year: int | None = None, scheme: Scheme | None = None
              ) -> QuerySet[ProviderRegistration]:
    rows = (ProviderRegistration.objects.filter(state=RegistrationState.APPROVED)
            .select_related("provider", "scheme").prefetch_related("services")
            .order_by("category", "provider__name"))
    if category:
        rows = rows.filter(category=category)
    if year:
        rows = rows.filter(year=year)
    if scheme is not None:
        rows = rows.filter(scheme=scheme)
    return rows


def applications_of(organisation) -> QuerySet[Application]:
    return (Application.objects.filter(organisation=organisation)
            .select_related("scheme", "voucher", "organisation").order_by("-submitted_at", "-id"))


def vouchers_of(organisation) -> QuerySet[Voucher]:
    return (Voucher.objects.filter(application__organisation=organisation)
            .select_related("application", "application__scheme", "application__organisation")
            .order_by("-issued_on", "-id"))


def balances(vouchers) -> dict[int, int]:
    ids = [v.pk for v in vouchers]
    return dict(Account.objects.filter(voucher_id__in=ids, kind=AccountKind.VOUCHER)
                .values_list("voucher_id", "balance_fen"))


def contracts_for(actor: Actor) -> QuerySet[Contract]:
    """The contracts the actor's organisation is party to: as provider or as holder."""
    org = actor.organisation
    if org is None:
        return Contract.objects.none()
    return (Contract.objects.filter(Q(provider=org) | Q(voucher__application__organisation=org))
            .select_related("voucher", "voucher__application", "voucher__application__scheme",
                            "voucher__application__organisation", "provider", "registration")
            .order_by("-created_at", "-id"))


def redemptions_for(actor: Actor) -> QuerySet[Redemption]:
    org = actor.organisation
    if org is None:
        return Redemption.objects.none()
    return (Redemption.objects.filter(Q(provider=org) | Q(voucher__application__organisation=org))
            .select_related("contract", "voucher", "provider", "batch").order_by("-requested_at", "-id"))


def registrations_of(organisation) -> QuerySet[ProviderRegistration]:
    return (ProviderRegistration.objects.filter(provider=organisation).select_related("scheme")
            .prefetch_related("services").order_by("-year", "category"))


def schemes_of(department) -> QuerySet[Scheme]:
    return Scheme.objects.filter(department=department).order_by("code")


def scheme_queues(scheme: Scheme) -> dict:
    return {
        "registrations": ProviderRegistration.objects.filter(scheme=scheme, state=RegistrationState.APPLIED)
        .select_related("provider").order_by("applied_at"),
        "applications": Application.objects.filter(scheme=scheme, state__in=["submitted", "publicised"])
        .select_related("organisation").order_by("submitted_at"),
        "redemptions": Redemption.objects.filter(voucher__application__scheme=scheme,
                                                 state__in=["requested", "audited", "publicised", "paid"])
        .select_related("provider", "voucher", "contract").order_by("requested_at"),
    }


def _net(journals: QuerySet, plus: list[str], minus: list[str]) -> int:
    totals = dict(journals.filter(kind__in=plus + minus).values("kind").annotate(t=Sum("amount_fen"))
                  .values_list("kind", "t"))
    return sum(totals.get(k, 0) for k in plus) - sum(totals.get(k, 0) for k in minus)


def _percent(rows: list[dict]) -> list[dict]:
    top = max((r["value"] for r in rows), default=0) or 1
    for row in rows:
        row["percent"] = round(100 * row["value"] / top, 1)
    return rows


def scheme_dashboard(scheme: Scheme, year: int) -> dict:
    """Budget, issued, redeemed (paid less cancelled and refunded), settled, returned by expiry, what is left;
    redeemed by service category and by district."""
    scheme_year = SchemeYear.objects.filter(scheme=scheme, year=year).first()
    if scheme_year is None:
        return {"year": year, "scheme_year": None}
    journals = Journal.objects.filter(scheme_year=scheme_year)
    budget_left = Account.objects.filter(scheme_year=scheme_year, kind=AccountKind.BUDGET, voucher__isnull=True,
                                         provider__isnull=True).values_list("balance_fen", flat=True).first() or 0
    paid_kinds, unpaid = [JournalKind.PAY], [JournalKind.CANCEL, JournalKind.REFUND]
    categories = dict(ServiceCategory.choices)
    by_category = (Redemption.objects.filter(voucher__scheme_year=scheme_year, state__in=["paid", "settled"])
                   .values("contract__registration__category").annotate(value=Sum("amount_fen"), n=Count("id"))
                   .order_by("-value"))
    by_district = (Redemption.objects.filter(voucher__scheme_year=scheme_year, state__in=["paid", "settled"])
                   .values("voucher__application__enterprise__district__name").annotate(value=Sum("amount_fen"),
                                                                                       n=Count("id"))
                   .order_by("-value"))
    return {
        "year": year, "scheme_year": scheme_year, "budget_fen": scheme_year.budget_fen,
        "issued_fen": journals.filter(kind=JournalKind.ISSUE).aggregate(t=Sum("amount_fen"))["t"] or 0,
        "vouchers": Voucher.objects.filter(scheme_year=scheme_year).count(),
        "redeemed_fen": _net(journals, paid_kinds, unpaid),
        "settled_fen": _net(journals, [JournalKind.SETTLE], [JournalKind.REFUND]),
        "expired_fen": journals.filter(kind=JournalKind.EXPIRE).aggregate(t=Sum("amount_fen"))["t"] or 0,
        "budget_left_fen": budget_left,
        "by_category": _percent([{"label": str(categories.get(r["contract__registration__category"], "—")),
                                  "value": r["value"], "n": r["n"]} for r in by_category]),
        "by_district": _percent([{"label": r["voucher__application__enterprise__district__name"] or "—",
                                  "value": r["value"], "n": r["n"]} for r in by_district]),
    }


def export_rows(scheme: Scheme, year: int):
    """One row per voucher of the year: holder, amounts, state (for the officer's CSV export)."""
    vouchers = (Voucher.objects.filter(scheme_year__scheme=scheme, scheme_year__year=year)
                .select_related("application", "application__organisation", "application__enterprise__district")
                .order_by("issued_on", "pk"))
    amounts = balances(vouchers)
    redeemed = dict(Redemption.objects.filter(voucher__in=vouchers, state__in=["paid", "settled"])
                    .values("voucher_id").annotate(t=Sum("amount_fen")).values_list("voucher_id", "t"))
    for v in vouchers:
        application = v.application
        district = application.enterprise.district.name if application.enterprise_id and \
            application.enterprise.district_id else ""
        yield [v.code, application.holder_name, application.holder_key if application.applicant_kind == "enterprise"
               else "", application.get_applicant_kind_display(), district, v.issued_on.isoformat(),
               v.valid_until.isoformat(), f"{v.face_value_fen / 100:.2f}", f"{redeemed.get(v.pk, 0) / 100:.2f}",
               f"{amounts.get(v.pk, 0) / 100:.2f}", v.get_state_display()]

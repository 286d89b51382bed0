"""Demo data of the registry: the synthetic city and the demo accounts of every role."""

from __future__ import annotations

import datetime

from django.db import transaction

from shuangchuang.core.audit import audit_record
from shuangchuang.core.demo import DEMO_PASSWORD, DemoContext
from shuangchuang.core.models import InstitutionType, Organisation, OrganisationKind, Role, User
from shuangchuang.core.services import membership_grant, organisation_create, user_create
from shuangchuang.registry.demo_city import generate_city, person_id_number
from shuangchuang.registry.models import District, Enterprise, IndustryDivision, LegalForm, NaturalPerson
from shuangchuang.registry.services import enterprise_register
from shuangchuang.registry.uscc import make_uscc

ORDER = 10

# (user name, what the account shows)
LOGINS = [
    ("demo-enterprise", "企业法定代表人 / enterprise legal representative (two enterprises)"),
    ("demo-staff", "企业员工 / enterprise staff"),
    ("demo-provider", "服务机构 / service provider staff"),
    ("demo-officer", "市科技创新委 officer / department officer"),
    ("demo-officer-amr", "市市场和质量监管委 officer / registration authority officer"),
    ("demo-reviewer", "评审专家 / expert reviewer"),
    ("demo-admin", "平台管理员 / platform admin"),
]

DEMO_ENTERPRISES = [
    # (trade name, name, industry division, organisation-code body)
    ("鹏城创芯", "深圳市鹏城创芯科技有限公司", "39", "MA5G7K2P"),
    ("南岭云数", "深圳市南岭云数信息技术有限公司", "65", "MA5H1C8Q"),
]


def is_loaded() -> bool:
    return Enterprise.objects.exists()


def load(context: DemoContext) -> None:
    stats = generate_city(enterprises=context.enterprises, seed=context.seed, stdout=context.stdout)
    context.log(f"Synthetic city: {stats}")
    create_demo_accounts(context)


def _person(context: DemoContext, username: str, full_name: str, serial: int, email: str) -> User:
    return user_create(
        actor=context.actor, username=username, password=DEMO_PASSWORD, full_name=full_name,
        id_number=person_id_number("440305", datetime.date(1985, 3, 1) + datetime.timedelta(days=serial * 97), serial),
        phone=f"1380000{serial:04d}", email=email, check_password=False,
    )


@transaction.atomic
def create_demo_accounts(context: DemoContext) -> None:
    actor = context.actor
    amr = Organisation.objects.get(code="SZ-MQSA")
    stic = Organisation.objects.get(code="SZ-STIC")
    platform = Organisation.objects.get(code="PLATFORM")
    nanshan = District.objects.get(code="440305")

    owner = _person(context, "demo-enterprise", "李明", 1, "demo-enterprise@example.cn")
    staff = _person(context, "demo-staff", "王芳", 2, "demo-staff@example.cn")
    rep = NaturalPerson.objects.create(id_number=owner.id_number, name=owner.full_name)
    for trade_name, name, division, body in DEMO_ENTERPRISES:
        uscc = make_uscc("9", "1", "440300", body)
        enterprise = enterprise_register(
            actor=actor, uscc=uscc, name=name, trade_name=trade_name, legal_form=LegalForm.LLC,
            registration_authority=amr, district=nanshan, address="深圳市南山区粤海街道科技园",
            industry=IndustryDivision.objects.get(code=division), founded_on=datetime.date(2019, 5, 20),
            legal_representative=rep, registered_capital_fen=500_000_000, employees=45,
            revenue_fen=2_800_000_000, total_assets_fen=3_500_000_000,
        )
        org = organisation_create(actor=actor, kind=OrganisationKind.ENTERPRISE, code=uscc, name=name)
        membership_grant(actor=actor, user=owner, organisation=org, role=Role.LEGAL_REPRESENTATIVE)
        if enterprise.name == DEMO_ENTERPRISES[0][1]:
            membership_grant(actor=actor, user=staff, organisation=org, role=Role.STAFF)

    provider = _person(context, "demo-provider", "陈静", 3, "demo-provider@example.cn")
    provider_org = organisation_create(
        actor=actor, kind=OrganisationKind.INSTITUTION, institution_type=InstitutionType.SERVICE_PROVIDER,
        code=make_uscc("9", "1", "440300", "MA5F3D9R"), name="深圳市鹏程检测认证服务有限公司",
    )
    membership_grant(actor=actor, user=provider, organisation=provider_org, role=Role.STAFF)

    officer = _person(context, "demo-officer", "张伟", 4, "demo-officer@example.cn")
    membership_grant(actor=actor, user=officer, organisation=stic, role=Role.OFFICER)
    officer_amr = _person(context, "demo-officer-amr", "刘洋", 5, "demo-officer-amr@example.cn")
    membership_grant(actor=actor, user=officer_amr, organisation=amr, role=Role.OFFICER)

    reviewer = _person(context, "demo-reviewer", "赵敏", 6, "demo-reviewer@example.cn")
    university = organisation_create(
        actor=actor, kind=OrganisationKind.INSTITUTION, institution_type=InstitutionType.UNIVERSITY,
        code=make_uscc("1", "2", "440300", "45575808"), name="深圳鹏城理工学院",
    )
    membership_grant(actor=actor, user=reviewer, organisation=university, role=Role.REVIEWER)

    admin = _person(context, "demo-admin", "周平", 7, "demo-admin@example.cn")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    membership_grant(actor=actor, user=admin, organisation=platform, role=Role.ADMIN)
    audit_record(actor=actor, verb="registry.demo_accounts_created", params={"accounts": [u for u, _ in LOGINS]})
    context.log(f"Demo accounts: {len(LOGINS)}")

"""Fixtures of the voucher tests: the voucher parameters (as the policies data gives them, with a validity the
department has set), the seeded schemes with a 2026 budget, registered enterprises of each size class, a
registered provider, and people acting for each. Messages are asserted in English."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import InstitutionType, Organisation, OrganisationKind, Role
from shuangchuang.core.services import organisation_create
from shuangchuang.core.tests.factories import SYSTEM, actor_for, department, enterprise_code, grant, id_number, make_user
from shuangchuang.policies.models import Parameter
from shuangchuang.registry.models import District, Enterprise, IndustryDivision, LegalForm, NaturalPerson
from shuangchuang.registry.services import enterprise_register
from shuangchuang.vouchers.models import Scheme
from shuangchuang.vouchers.services import (
    application_submit,
    application_transition,
    contract_decide,
    contract_propose,
    provider_register,
    provider_registration_decide,
    scheme_budget_add,
)
from shuangchuang.vouchers.services.seed import vouchers_seed

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

VOUCHER_PARAMETERS = [
    ("voucher.cap.medium", "money", 20000000), ("voucher.cap.small", "money", 10000000),
    ("voucher.cap.micro", "money", 5000000), ("voucher.cap.maker", "money", 1000000),
    ("voucher.max_applications_per_year", "integer", 5), ("voucher.max_share_of_fee", "decimal", "0.5"),
    ("voucher.validity_months", "integer", 12), ("voucher.annual_cap_per_entity", "money", None),
]


def pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def proofs() -> dict:
    return {"holder_payment": [pdf("paid.pdf")], "service": [pdf("done.pdf")]}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh(db):
    from django.core.cache import cache

    from shuangchuang.credit.lookup import forget_snapshot

    cache.clear()
    forget_snapshot()
    yield
    forget_snapshot()


def set_parameter(key: str, kind: str, value, *, valid_from=datetime.date(2016, 8, 8), valid_to=None, dept="SZ-STIC"):
    return Parameter.objects.update_or_create(
        key=key, valid_from=valid_from,
        defaults={"label": key, "kind": kind, "value": value, "valid_to": valid_to, "source": "test",
                  "department": department(dept)})[0]


def register(name: str, serial: int, *, employees: int, revenue_yuan: int, rep: NaturalPerson | None = None,
             parent: Enterprise | None = None, district: str = "440305", rd_yuan: int = 100000) -> Enterprise:
    enterprise = enterprise_register(
        actor=SYSTEM, uscc=enterprise_code(serial), name=name, legal_form=LegalForm.LLC,
        registration_authority=Organisation.objects.get(code="SZ-MQSA"), industry=IndustryDivision.objects.get(code="65"),
        district=District.objects.get(key=district), founded_on=datetime.date(2019, 5, 20), legal_representative=rep,
        employees=employees, revenue_fen=revenue_yuan * 100, total_assets_fen=revenue_yuan * 100)
    Enterprise.objects.filter(pk=enterprise.pk).update(rd_expense_fen=rd_yuan * 100, parent=parent)
    enterprise.refresh_from_db()
    return enterprise


@dataclass
class Party:
    org: Organisation
    user: object
    enterprise: Enterprise | None = None

    @property
    def actor(self) -> Actor:
        return actor_for(self.user, self.org)


def _party(name: str, serial: int, username: str, *, kind=OrganisationKind.ENTERPRISE, role=Role.LEGAL_REPRESENTATIVE,
           **figures) -> Party:
    org = organisation_create(actor=SYSTEM, kind=kind, code=enterprise_code(serial), name=name,
                              institution_type=InstitutionType.SERVICE_PROVIDER if kind == "institution" else "")
    user = make_user(username, full_name=username)
    grant(user, org, role)
    enterprise = register(name, serial, **figures) if figures else None
    return Party(org, user, enterprise)


@pytest.fixture
def params(db):
    return [set_parameter(key, kind, value) for key, kind, value in VOUCHER_PARAMETERS]


@pytest.fixture
def officer(db):
    user = make_user("officer-stic", full_name="科创委干部")
    grant(user, department("SZ-STIC"), Role.OFFICER)
    return actor_for(user, department("SZ-STIC"))


@pytest.fixture
def other_officer(db):
    user = make_user("officer-mqsa", full_name="市场监管干部")
    grant(user, department("SZ-MQSA"), Role.OFFICER)
    return actor_for(user, department("SZ-MQSA"))


@pytest.fixture
def scheme(params, officer) -> Scheme:
    vouchers_seed(actor=SYSTEM)
    scheme = Scheme.objects.get(code="sz-innovation-voucher")
    Scheme.objects.filter(pk=scheme.pk).update(publicity_days=0, settlement_delay_days=3)
    scheme.refresh_from_db()
    scheme_budget_add(actor=officer, scheme=scheme, year=TODAY.year, amount_fen=100_000_000)  # 100万
    return scheme


@pytest.fixture
def small(db) -> Party:
    rep = NaturalPerson.objects.create(id_number=id_number(801, region="440305"), name="小企业法人")
    return _party("深圳市小微创新科技有限公司", 11, "small-rep", employees=50, revenue_yuan=20_000_000, rep=rep)


@pytest.fixture
def medium(db) -> Party:
    return _party("深圳市中坚科技有限公司", 12, "medium-rep", employees=150, revenue_yuan=50_000_000)


@pytest.fixture
def micro(db) -> Party:
    return _party("深圳市微光科技有限公司", 13, "micro-rep", employees=5, revenue_yuan=400_000)


@pytest.fixture
def provider(db) -> Party:
    return _party("深圳市检测认证服务有限公司", 21, "provider-rep", employees=80, revenue_yuan=30_000_000)


@pytest.fixture
def other_provider(db) -> Party:
    return _party("深圳市知识产权服务有限公司", 22, "other-provider-rep", employees=30, revenue_yuan=5_000_000)


def registered(provider: Party, scheme: Scheme, officer: Actor, category: str = "testing", year: int | None = None):
    registration = provider_register(actor=provider.actor, scheme=scheme, category=category, year=year or TODAY.year,
                                     services=[{"name": "EMC 检测", "price_fen": 3_000_000, "unit": "次"}])
    return provider_registration_decide(actor=officer, registration=registration, approve=True)


def issued(holder: Party, scheme: Scheme, officer: Actor, amount_fen: int = 5_000_000):
    application = application_submit(actor=holder.actor, scheme=scheme, applicant_kind="enterprise",
                                      requested_fen=amount_fen, purpose="EMC 检测")
    application_transition(actor=officer, application=application, transition="publicise")
    application = application_transition(actor=officer, application=application, transition="issue")
    return application.voucher


def signed(holder: Party, provider: Party, voucher, amount_fen: int = 8_000_000, category: str = "testing"):
    contract = contract_propose(actor=provider.actor, voucher_code=voucher.code, category=category,
                                number=f"HT-{voucher.pk}-{amount_fen}", title="EMC 检测服务", amount_fen=amount_fen,
                                signed_on=TODAY, documents={"contract": [pdf("contract.pdf")]})
    return contract_decide(actor=holder.actor, contract=contract, accept=True)

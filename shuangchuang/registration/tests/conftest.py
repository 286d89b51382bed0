"""Fixtures of the registration tests: people, the registration authority (SZ-MQSA) and its officer, an
officer of another department, registered enterprises, and a complete establishment application.

Name reservation belongs to the names module: these tests run with it switched off (`names_off`, autouse),
except the tests that ask for `names_on`. Messages are asserted in English."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from shuangchuang.core.models import Organisation, Role
from shuangchuang.core.tests.factories import (
    SYSTEM,
    actor_for,
    department,
    enterprise_code,
    grant,
    id_number,
    make_enterprise_org,
    make_user,
)
from shuangchuang.registration import names_bridge
from shuangchuang.registration.services import ApplicationData, OfficerData, ShareholderData, establishment_apply
from shuangchuang.registry.models import District, IndustryDivision, LegalForm, NaturalPerson
from shuangchuang.registry.services import enterprise_register

FOUNDER_ID = id_number(21, region="440305", birth="19880808")
PARTNER_ID = id_number(22, region="440304", birth="19900909")
DIRECTOR_ID = id_number(23, region="440305", birth="19850505")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_lists_snapshot():
    from shuangchuang.credit.lookup import forget_snapshot

    forget_snapshot()
    yield
    forget_snapshot()


@pytest.fixture(autouse=True)
def names_off(request, monkeypatch):
    if "names_on" not in request.fixturenames:
        monkeypatch.setattr(names_bridge, "_models", lambda: None)
        monkeypatch.setattr(names_bridge, "_services", lambda: None)


@pytest.fixture
def names_on():
    if not names_bridge.available():
        pytest.skip("the names module's reservation services are not there")


@pytest.fixture
def client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def login(client):
    def _login(user, organisation=None):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if organisation is not None:
            session = client.session
            session["acting_organisation_id"] = organisation.pk
            session.save()
        return client

    return _login


@pytest.fixture
def mqsa(db):
    return department("SZ-MQSA")


@pytest.fixture
def stic(db):
    return department("SZ-STIC")


@pytest.fixture
def officer(db, mqsa):
    user = make_user("officer-mqsa", email="officer-mqsa@example.cn", full_name="登记官员")
    grant(user, mqsa, Role.OFFICER)
    return user


@pytest.fixture
def officer_actor(officer, mqsa):
    return actor_for(officer, mqsa)


@pytest.fixture
def officer_stic(db, stic):
    user = make_user("officer-stic", email="officer-stic@example.cn", full_name="科创委干部")
    grant(user, stic, Role.OFFICER)
    return user


@pytest.fixture
def founder(db):
    return make_user("founder", email="founder@example.cn", full_name="张创业", id_no=FOUNDER_ID)


@pytest.fixture
def founder_actor(founder):
    return actor_for(founder, None)


def register(name: str, serial: int, *, legal_form=LegalForm.LLC, rep_id=None, address="深圳市南山区科技园1号"):
    rep = None
    if rep_id:
        rep, _ = NaturalPerson.objects.get_or_create(id_number=rep_id, defaults={"name": "某法人"})
    return enterprise_register(
        actor=SYSTEM, uscc=enterprise_code(serial), name=name, legal_form=legal_form,
        registration_authority=Organisation.objects.get(code="SZ-MQSA"), address=address,
        district=District.objects.get(code="440305"), industry=IndustryDivision.objects.get(code="65"),
        founded_on=datetime.date(2019, 5, 20), legal_representative=rep, registered_capital_fen=100_000_000,
    )


@pytest.fixture
def firm_a(db):
    """A registered enterprise, its organisation and its legal representative acting for it."""
    org = make_enterprise_org("深圳市甲科技有限公司", 1)
    enterprise = register("深圳市甲科技有限公司", 1, rep_id=id_number(31, region="440305"))
    user = make_user("rep-a", email="rep-a@example.cn", full_name="甲法人")
    grant(user, org, Role.LEGAL_REPRESENTATIVE)
    return {"enterprise": enterprise, "org": org, "user": user, "actor": actor_for(user, org)}


@pytest.fixture
def firm_b(db):
    org = make_enterprise_org("深圳市乙科技有限公司", 2)
    enterprise = register("深圳市乙科技有限公司", 2)
    user = make_user("rep-b", email="rep-b@example.cn", full_name="乙法人")
    grant(user, org, Role.LEGAL_REPRESENTATIVE)
    return {"enterprise": enterprise, "org": org, "user": user, "actor": actor_for(user, org)}


def complete_data(**changes) -> ApplicationData:
    data = ApplicationData(
        name="深圳市星河智造科技有限公司", legal_form=LegalForm.LLC, district="440305",
        address="深圳市南山区粤海街道科技南路18号", registered_capital_fen=100_000_000, industry="65",
        scope_terms=["S0001", "S0002"], legal_rep_name="张创业", legal_rep_id_number=FOUNDER_ID,
        shareholders=[ShareholderData(name="张创业", id_number=FOUNDER_ID, subscribed_capital_fen=60_000_000),
                      ShareholderData(name="李合伙", id_number=PARTNER_ID, subscribed_capital_fen=40_000_000)],
        officers=[OfficerData(position="executive_director", name="张创业", id_number=FOUNDER_ID),
                  OfficerData(position="supervisor", name="王监事", id_number=DIRECTOR_ID)],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def application(founder_actor, mqsa):
    return establishment_apply(actor=founder_actor, data=complete_data(), articles=pdf("articles.pdf"))


def serious_entry_for_person(id_no: str, *, listed_on: str = "2025-03-01"):
    """A serious-violation entry of a firm whose legal representative is this person: that person may not be a
    legal representative for three years (《企业信息公示暂行条例》第十七条)."""
    from shuangchuang.credit.models import CreditList
    from shuangchuang.credit.services import entry_create

    return entry_create(actor=SYSTEM, credit_list=CreditList.objects.get(code="serious-violation"),
                        name="深圳市违规经营有限公司", uscc=enterprise_code(77), legal_representative="张创业",
                        legal_representative_id_number=id_no, reason="提交虚假材料取得登记", listed_on=listed_on)


def abnormal_entry_for(enterprise, *, listed_on: str = "2025-03-01"):
    from shuangchuang.credit.models import CreditList
    from shuangchuang.credit.services import entry_create

    return entry_create(actor=SYSTEM, credit_list=CreditList.objects.get(code="abnormal-operation"),
                        name=enterprise.name, uscc=enterprise.uscc, reason="未按规定报送年度报告",
                        listed_on=listed_on)


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def text_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("x.exe", b"MZ\x90\x00" + io.BytesIO(b"\x00" * 100).read(),
                              content_type="application/pdf")

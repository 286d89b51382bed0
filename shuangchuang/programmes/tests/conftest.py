"""Fixtures of the programmes tests: departments, an applicant enterprise (organisation + register record), its
legal representative, officers, reviewers, a programme and an open call."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from shuangchuang.core.models import Role
from shuangchuang.core.tests.factories import SYSTEM, actor_for, department, grant, make_enterprise_org, make_user
from shuangchuang.registry.models import Enterprise, EnterpriseStatus, LegalForm, NaturalPerson


def register(org, *, person_name="张三", person_id="110105199001010011", **figures) -> Enterprise:
    person, _ = NaturalPerson.objects.get_or_create(id_number=person_id, defaults={"name": person_name})
    values = {"name": org.name, "legal_form": LegalForm.LLC, "status": EnterpriseStatus.OPERATING,
              "founded_on": datetime.date(2020, 5, 1), "employees": 40, "legal_representative": person}
    values.update(figures)
    return Enterprise.objects.create(uscc=org.code, **values)


@pytest.fixture
def stic(db):
    return department("SZ-STIC")


@pytest.fixture
def mqsa(db):
    return department("SZ-MQSA")


@pytest.fixture
def firm_org(db):
    return make_enterprise_org("深圳市甲科技有限公司", 11)


@pytest.fixture
def firm(firm_org):
    from shuangchuang.core.tests.factories import id_number
    return register(firm_org, person_id=id_number(501))


@pytest.fixture
def other_org(db):
    return make_enterprise_org("深圳市乙科技有限公司", 12)


@pytest.fixture
def other_firm(other_org):
    from shuangchuang.core.tests.factories import id_number
    return register(other_org, person_name="李四", person_id=id_number(502))


@pytest.fixture
def rep(firm_org):
    user = make_user("p-rep", full_name="甲法人")
    grant(user, firm_org, Role.LEGAL_REPRESENTATIVE)
    return actor_for(user, firm_org)


@pytest.fixture
def other_rep(other_org):
    user = make_user("p-rep-b", full_name="乙法人")
    grant(user, other_org, Role.LEGAL_REPRESENTATIVE)
    return actor_for(user, other_org)


@pytest.fixture
def officer(stic):
    user = make_user("p-officer", full_name="科创委干部")
    grant(user, stic, Role.OFFICER)
    return actor_for(user, stic)


@pytest.fixture
def other_officer(mqsa):
    user = make_user("p-officer-mqsa", full_name="市场监管干部")
    grant(user, mqsa, Role.OFFICER)
    return actor_for(user, mqsa)


@pytest.fixture
def system():
    return SYSTEM


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _fresh_lists_snapshot():
    """The credit lists snapshot is kept per process; each test starts from its own database state."""
    from shuangchuang.credit.lookup import forget_snapshot

    forget_snapshot()
    yield
    forget_snapshot()


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client():
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def login(client):
    def _login(actor_or_user):
        user = getattr(actor_or_user, "user", actor_or_user)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        organisation = getattr(actor_or_user, "organisation", None)
        if organisation is not None:
            session = client.session
            session["acting_organisation_id"] = organisation.pk
            session.save()
        return client

    return _login


FORM = {"fields": [
    {"key": "summary", "type": "text", "label": "Project summary", "required": True, "max_length": 500,
     "multiline": True},
    {"key": "spend", "type": "money", "label": "Spending last year", "required": True, "min": 0},
    {"key": "area", "type": "number", "label": "Area (m²)", "min": 0, "max": 100000},
    {"key": "started", "type": "date", "label": "Start date"},
    {"key": "has_patent", "type": "choice", "label": "Has a patent", "required": True,
     "choices": [["yes", "Yes"], ["no", "No"]]},
    {"key": "patent_no", "type": "text", "label": "Patent number", "required": True,
     "show_if": {"field": "has_patent", "equals": "yes"}},
    {"key": "team", "type": "table", "label": "Team", "required": True, "max_rows": 5,
     "columns": [{"key": "name", "type": "text", "label": "Name", "required": True},
                 {"key": "salary", "type": "money", "label": "Salary"}]},
    {"key": "plan", "type": "file", "label": "Business plan", "required": True},
]}

ANSWERS = {"summary": "A maker space for hardware start-ups", "spend": "1200000.50", "has_patent": "no",
           "team": [{"name": "王五", "salary": "12000"}]}


def make_programme(department, *, code="maker-space", **values):
    from shuangchuang.programmes.services import programme_create

    values.setdefault("name", "创客空间资助")
    return programme_create(actor=SYSTEM, department=department, code=code, **values)


def make_call(programme, *, publish=True, **values):
    from shuangchuang.programmes.services import call_create, call_publish

    now = timezone.now()
    defaults = dict(title="2026年创客空间资助", year=now.year, online_opens_at=now - datetime.timedelta(days=1),
                    online_closes_at=now + datetime.timedelta(days=30), budget_fen=1_000_000_00,
                    max_award_fen=500_000_00, form_schema=FORM,
                    attachments=[{"key": "licence", "label": "Business licence", "required": True}],
                    criteria=[{"key": "innovation", "label": "Innovation", "max": 50},
                              {"key": "team", "label": "Team", "max": 50}],
                    rule={"all": [{"fact": "status", "op": "in", "value": ["operating"], "cite": "（五）"}]})
    defaults.update(values)
    call = call_create(actor=SYSTEM, programme=programme, **defaults)
    return call_publish(actor=SYSTEM, call=call) if publish else call


def pdf(name="plan.pdf", size=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def draft(actor, call, *, requested=300_000_00, project_key="CONTRACT-1", answers=None, files=True):
    from shuangchuang.programmes.services import application_create, application_file_add

    application = application_create(actor=actor, call=call, project_title="硬件创客空间", requested_fen=requested,
                                     project_key=project_key, answers=ANSWERS if answers is None else answers)
    if files:
        application_file_add(actor=actor, application=application, slot="plan", upload=pdf())
        application_file_add(actor=actor, application=application, slot="licence", upload=pdf("licence.pdf"))
    return application


def submitted(actor, call, **kw):
    from shuangchuang.programmes.services import application_transition

    return application_transition(actor=actor, application=draft(actor, call, **kw), transition="submit")


def list_on_dishonest(enterprise):
    from shuangchuang.credit.models import CreditList
    from shuangchuang.credit.services import entry_create

    return entry_create(actor=SYSTEM, credit_list=CreditList.objects.get(code="dishonest-debtor"), name=enterprise.name,
                        uscc=enterprise.uscc, reason="有履行能力而拒不履行生效法律文书确定义务",
                        authority="深圳市中级人民法院", case_number="(2026)粤03执1号", listed_on="2026-01-05")


@pytest.fixture
def programme(stic):
    return make_programme(stic)


@pytest.fixture
def call(programme):
    return make_call(programme)

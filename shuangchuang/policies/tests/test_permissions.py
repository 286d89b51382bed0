"""The permission matrix: anonymous visitors, another enterprise and an officer of another department cannot
change a department's policies, benefits, parameters or answers, nor see which enterprises match or what another
enterprise can get — and each refusal leaves everything as it was."""

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import NotAllowed
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.services import api_token_create
from shuangchuang.policies import services
from shuangchuang.policies.models import Benefit, Faq, Parameter, PolicyDocument, SavedSearch
from shuangchuang.policies.tests.factories import actor_for, department, make_officer


def snapshot():
    doc = PolicyDocument.objects.get(slug="sz-2016-61")
    voucher = Benefit.objects.get(code="innovation-voucher")
    gap = Parameter.objects.get(key="voucher.validity_months")
    return {
        "doc": (doc.status, doc.version, doc.title, doc.parts.count()),
        "benefit": (voucher.status, voucher.version, voucher.rule, voucher.pushes.count()),
        "parameter": (gap.value, gap.source),
        "faqs": list(Faq.objects.values_list("status", flat=True)),
        "searches": SavedSearch.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


ACTIONS = {
    "publish a benefit draft": lambda a: services.benefit_publish(actor=a, benefit=Benefit.objects.get(
        code="innovation-voucher")),
    "revise the document": lambda a: services.policy_revise(actor=a, document=PolicyDocument.objects.get(
        slug="sz-2016-61"), note="x", title="改"),
    "withdraw the document": lambda a: services.policy_withdraw(actor=a, document=PolicyDocument.objects.get(
        slug="sz-2016-61"), reason="x"),
    "change the rule": lambda a: services.benefit_update(actor=a, benefit=Benefit.objects.get(
        code="innovation-voucher"), rule={"all": []}),
    "withdraw the benefit": lambda a: services.benefit_withdraw(actor=a, benefit=Benefit.objects.get(
        code="innovation-voucher"), reason="x"),
    "push the benefit": lambda a: services.benefit_push_start(actor=a, benefit=Benefit.objects.get(
        code="innovation-voucher")),
    "set a parameter": lambda a: services.parameter_set(actor=a, parameter=Parameter.objects.get(
        key="voucher.validity_months"), value=12, source="x"),
    "approve an answer": lambda a: services.faq_approve(actor=a, faq=Faq.objects.get()),
    "import a document for the department": lambda a: services.policy_import_text(
        actor=a, department=department("SZ-STIC"), text="（一）试点。\n开展试点。", title="试点"),
    "delete someone's alert": lambda a: services.saved_search_delete(actor=a, saved_search=SavedSearch.objects.get()),
}


@pytest.fixture
def others(firm_a, rep_a, rep_b, firm_b):
    """The outsiders, plus a draft answer of the science commission and an alert of enterprise A."""
    stic_officer = make_officer("officer-stic-owner", "SZ-STIC")
    services.faq_create(actor=actor_for(stic_officer, department("SZ-STIC")), department=department("SZ-STIC"),
                        question="创新券是什么？", answer="见（十八）。",
                        citations=list(PolicyDocument.objects.get(slug="sz-2016-61").parts.filter(number="（十八）")))
    services.saved_search_create(actor=actor_for(rep_a), name="a", query="创新券")
    from shuangchuang.core.models import Organisation

    return {
        "anonymous": Actor.anonymous(),
        "another enterprise": actor_for(rep_b, Organisation.objects.get(code=firm_b.uscc)),
        "an officer of another department": actor_for(make_officer("officer-amr", "SZ-MQSA"), department("SZ-MQSA")),
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestMatrix:
    @pytest.mark.parametrize("who", ["anonymous", "another enterprise", "an officer of another department"])
    @pytest.mark.parametrize("action", list(ACTIONS))
    def test_outsiders_cannot_change_anything(self, others, who, action):
        Benefit.objects.filter(code="innovation-voucher").update(status="draft") if action.startswith(
            "publish") else None
        before = snapshot()
        with pytest.raises(NotAllowed) as refusal:
            ACTIONS[action](others[who])
        assert refusal.value.message
        assert snapshot() == before

    def test_the_departments_own_officer_can(self, others):
        officer = actor_for(make_officer("officer-stic-2", "SZ-STIC"), department("SZ-STIC"))
        services.parameter_set(actor=officer, parameter=Parameter.objects.get(key="voucher.validity_months"),
                               value=12, source="深科技创新规〔2015〕1号 第X条（经办人核对）")
        assert Parameter.objects.get(key="voucher.validity_months").value == 12


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestPagesAndApi:
    def test_anonymous_posts_are_sent_to_log_in_and_change_nothing(self, client, others):
        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        before = snapshot()
        response = client.post(f"/policies/{doc.pk}/withdraw/", {"reason": "x"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert snapshot() == before

    def test_an_officer_of_another_department_is_told_why(self, client, login, others):
        from shuangchuang.core.models import User

        doc = PolicyDocument.objects.get(slug="sz-2016-61")
        before = snapshot()
        client = login(User.objects.get(username="officer-amr"))
        response = client.post(f"/policies/{doc.pk}/withdraw/", {"reason": "x"}, follow=True)
        assert "Only officers of the responsible department can do this." in response.content.decode()
        assert snapshot() == before

    def test_matches_are_shown_to_the_benefits_department_only(self, client, login, others):
        from shuangchuang.core.models import User

        voucher = Benefit.objects.get(code="innovation-voucher")
        assert login(User.objects.get(username="officer-amr")).get(f"/policies/benefits/{voucher.pk}/matches/"
                                                                   ).status_code == 403
        assert login(User.objects.get(username="rep-b")).get(f"/policies/benefits/{voucher.pk}/matches/"
                                                             ).status_code == 403
        assert login(User.objects.get(username="officer-stic-owner")).get(
            f"/policies/benefits/{voucher.pk}/matches/").status_code == 200

    def test_another_enterprise_cannot_see_an_enterprises_eligibility(self, client, login, firm_a, others):
        from shuangchuang.core.models import User

        response = login(User.objects.get(username="rep-b")).get(f"/policies/eligibility/{firm_a.uscc}/")
        assert response.status_code == 403
        assert "Only the enterprise itself and department officers" in response.content.decode()

    def test_the_api_refuses_eligibility_to_anonymous_and_other_enterprises(self, client, firm_a, firm_b, others):
        from shuangchuang.core.models import Organisation, User

        assert client.get(f"/api/v1/enterprises/{firm_a.uscc}/eligibility").json()["error"]["code"] == \
            "not_authenticated"
        rep_b = User.objects.get(username="rep-b")
        _token, key = api_token_create(actor=actor_for(rep_b, Organisation.objects.get(code=firm_b.uscc)),
                                       name="t")
        response = client.get(f"/api/v1/enterprises/{firm_a.uscc}/eligibility",
                              headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 403 and response.json()["error"]["code"] == "not_allowed"

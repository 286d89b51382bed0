"""Changing a scheme after creation: its rule (validated), its parameter keys, closing it (no new applications,
issued vouchers run to expiry), reducing a year's budget only down to what is not committed (a reversing
movement), each audited; only officers of the owning department may."""

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent
from shuangchuang.vouchers.models import Account, Journal, JournalKind, Scheme, SchemeYear
from shuangchuang.vouchers.services import (
    application_submit,
    ledger_verify,
    scheme_budget_add,
    scheme_budget_reduce,
    scheme_change,
    scheme_close,
    voucher_balance_fen,
)
from shuangchuang.vouchers.tests.conftest import TODAY, issued, registered, signed

NEW_RULE = {"all": [{"fact": "status", "op": "in", "value": ["operating"]}]}


def budget_year(scheme):
    return SchemeYear.objects.get(scheme=scheme, year=TODAY.year)


def snapshot(scheme):
    scheme.refresh_from_db()
    year = budget_year(scheme)
    return (scheme.rule, scheme.parameters, scheme.is_open, year.budget_fen, Journal.objects.count(),
            AuditEvent.objects.filter(verb__startswith="vouchers.scheme_").count())


class TestRuleAndParameters:
    def test_an_officer_changes_the_rule_and_the_change_is_audited(self, scheme, officer):
        before = scheme.rule
        scheme_change(actor=officer, scheme=scheme, rule=NEW_RULE, note="深科技创新〔2026〕1号")
        scheme.refresh_from_db()
        assert scheme.rule == NEW_RULE
        event = AuditEvent.objects.filter(verb="vouchers.scheme_changed").get()
        assert event.params["before"]["rule"] == before and event.params["after"]["rule"] == NEW_RULE

    def test_an_invalid_rule_is_refused_and_nothing_changes(self, scheme, officer):
        rule = scheme.rule
        with pytest.raises(ServiceError):
            scheme_change(actor=officer, scheme=scheme, rule={"all": [{"fact": "no_such_fact", "op": "eq",
                                                                         "value": 1}]}, note="x")
        scheme.refresh_from_db()
        assert scheme.rule == rule and not AuditEvent.objects.filter(verb="vouchers.scheme_changed").exists()

    def test_the_parameter_keys_change_and_unknown_roles_are_refused(self, scheme, officer):
        keys = dict(scheme.parameters, validity_months="voucher.validity_months.2027")
        scheme_change(actor=officer, scheme=scheme, parameters=keys, note="新指南")
        scheme.refresh_from_db()
        assert scheme.parameter_key("validity_months") == "voucher.validity_months.2027"
        with pytest.raises(ServiceError) as exc:
            scheme_change(actor=officer, scheme=scheme, parameters={"cap.giant": "x"}, note="新指南")
        assert exc.value.code == "invalid_parameters" and "cap.giant" in exc.value.message

    def test_a_change_needs_its_decision_noted(self, scheme, officer):
        with pytest.raises(ServiceError) as exc:
            scheme_change(actor=officer, scheme=scheme, rule=NEW_RULE, note=" ")
        assert exc.value.code == "note_required"


class TestClosing:
    def test_a_closed_scheme_takes_no_applications_but_issued_vouchers_still_redeem(self, scheme, officer, small,
                                                                                   medium, provider):
        registered(provider, scheme, officer)
        voucher = issued(small, scheme, officer, amount_fen=2_000_000)
        scheme_close(actor=officer, scheme=scheme, note="额度用完")
        scheme.refresh_from_db()
        with pytest.raises(Conflict) as exc:
            application_submit(actor=medium.actor, scheme=scheme, applicant_kind="enterprise",
                               requested_fen=1_000_000, purpose="检测")
        assert exc.value.code == "scheme_closed"
        contract = signed(small, provider, voucher, amount_fen=2_000_000)
        from shuangchuang.vouchers.tests.test_redemptions import request

        assert request(provider, contract, holder_paid_fen=1_000_000).amount_fen == 1_000_000
        assert voucher_balance_fen(voucher) == 1_000_000
        assert AuditEvent.objects.filter(verb="vouchers.scheme_closed").count() == 1

    def test_closing_twice_is_refused(self, scheme, officer):
        scheme_close(actor=officer, scheme=scheme, note="停止受理")
        with pytest.raises(Conflict):
            scheme_close(actor=officer, scheme=scheme, note="停止受理")


class TestBudgetReduction:
    def test_the_budget_comes_down_to_what_is_not_committed_and_never_below(self, scheme, officer, small):
        issued(small, scheme, officer, amount_fen=5_000_000)
        free = 100_000_000 - 5_000_000
        with pytest.raises(Conflict) as exc:
            scheme_budget_reduce(actor=officer, scheme=scheme, year=TODAY.year, amount_fen=free + 1, note="调减")
        assert exc.value.code == "budget_committed" and str(free) in exc.value.message
        assert budget_year(scheme).budget_fen == 100_000_000
        scheme_budget_reduce(actor=officer, scheme=scheme, year=TODAY.year, amount_fen=free, note="调减预算")
        year = budget_year(scheme)
        assert year.budget_fen == 5_000_000
        journal = Journal.objects.get(kind=JournalKind.REDUCE)
        entries = {e.account.kind: e.amount_fen for e in journal.entries.select_related("account")}
        assert entries == {"budget": -free, "appropriation": free}
        assert Account.objects.get(scheme_year=year, kind="budget").balance_fen == 0
        assert ledger_verify() == []
        assert AuditEvent.objects.filter(verb="vouchers.budget_reduced").count() == 1

    def test_adding_after_reducing_back_to_an_earlier_total_is_a_new_movement(self, scheme, officer):
        scheme_budget_reduce(actor=officer, scheme=scheme, year=TODAY.year, amount_fen=10_000_000, note="调减")
        scheme_budget_add(actor=officer, scheme=scheme, year=TODAY.year, amount_fen=10_000_000, note="追加")
        scheme_budget_reduce(actor=officer, scheme=scheme, year=TODAY.year, amount_fen=10_000_000, note="再调减")
        assert budget_year(scheme).budget_fen == 90_000_000
        assert Journal.objects.filter(kind__in=["appropriate", "reduce"]).count() == 4
        assert ledger_verify() == []

    def test_a_year_without_a_budget_cannot_be_reduced(self, scheme, officer):
        with pytest.raises(Conflict) as exc:
            scheme_budget_reduce(actor=officer, scheme=scheme, year=TODAY.year + 1, amount_fen=1, note="调减")
        assert exc.value.code == "no_budget"


class TestWhoMayChangeAScheme:
    @pytest.mark.parametrize("who", ["anonymous", "other_department", "enterprise", "provider"])
    def test_only_officers_of_the_owning_department_change_close_or_reduce(self, request, scheme, who):
        actor = {"anonymous": lambda: Actor.anonymous(),
                 "other_department": lambda: request.getfixturevalue("other_officer"),
                 "enterprise": lambda: request.getfixturevalue("small").actor,
                 "provider": lambda: request.getfixturevalue("provider").actor}[who]()
        before = snapshot(scheme)
        with pytest.raises(NotAllowed):
            scheme_change(actor=actor, scheme=scheme, rule=NEW_RULE, note="x")
        with pytest.raises(NotAllowed):
            scheme_close(actor=actor, scheme=scheme, note="x")
        with pytest.raises(NotAllowed):
            scheme_budget_reduce(actor=actor, scheme=scheme, year=TODAY.year, amount_fen=1, note="x")
        assert snapshot(scheme) == before
        assert Scheme.objects.get(pk=scheme.pk).is_open


class TestPagesAndApi:
    @pytest.fixture
    def login(self, client):
        def _login(user):
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            return client

        return _login

    def test_an_officer_reduces_changes_and_closes_from_the_dashboard(self, client, login, scheme, officer):
        login(officer.user)
        url = "/vouchers/manage/schemes/sz-innovation-voucher/"
        page = client.get(url).content.decode()
        assert "Reduce a year&#x27;s budget" in page or "Reduce a year's budget" in page
        client.post(url + "budget/reduce/", {"reduce-year": TODAY.year, "reduce-amount": "100000",
                                             "reduce-note": "调减"})
        assert budget_year(scheme).budget_fen == 90_000_000
        params = "\n".join(f"{k} = {v}" for k, v in scheme.parameters.items())
        client.post(url + "change/", {"change-rule": '{"all": [{"fact": "status", "op": "in", "value": '
                                                     '["operating"]}]}', "change-parameters": params,
                                      "change-note": "新指南"})
        scheme.refresh_from_db()
        assert scheme.rule == NEW_RULE
        client.post(url + "close/", {"close-note": "停止受理"})
        assert not Scheme.objects.get(pk=scheme.pk).is_open
        assert "closed to new applications" in client.get(url).content.decode()

    def test_a_reduction_beyond_the_uncommitted_budget_is_shown_with_its_reason(self, client, login, scheme,
                                                                               officer):
        login(officer.user)
        url = "/vouchers/manage/schemes/sz-innovation-voucher/"
        response = client.post(url + "budget/reduce/", {"reduce-year": TODAY.year, "reduce-amount": "1000001",
                                                        "reduce-note": "调减"}, follow=True)
        assert "is not committed" in response.content.decode()
        assert budget_year(scheme).budget_fen == 100_000_000

    def test_an_officer_of_another_department_gets_403_and_nothing_changes(self, client, login, scheme,
                                                                          other_officer):
        login(other_officer.user)
        url = "/vouchers/manage/schemes/sz-innovation-voucher/"
        before = snapshot(scheme)
        assert client.post(url + "close/", {"close-note": "x"}).status_code == 403
        assert client.post(url + "budget/reduce/", {"reduce-year": TODAY.year, "reduce-amount": "1",
                                                    "reduce-note": "x"}).status_code == 403
        assert snapshot(scheme) == before

    def test_the_api_reduces_and_closes_for_the_owning_department_only(self, client, scheme, officer,
                                                                       other_officer):
        from shuangchuang.vouchers.tests.test_api import token

        base = "/api/v1/vouchers/schemes/sz-innovation-voucher"
        denied = client.post(f"{base}/budget-reductions", {"year": TODAY.year, "amount_fen": 1, "note": "x"},
                             content_type="application/json", **token(other_officer))
        assert denied.status_code == 403 and budget_year(scheme).budget_fen == 100_000_000
        over = client.post(f"{base}/budget-reductions", {"year": TODAY.year, "amount_fen": 100_000_001,
                                                         "note": "x"}, content_type="application/json",
                           **token(officer))
        assert over.status_code == 409 and over.json()["error"]["code"] == "budget_committed"
        done = client.post(f"{base}/budget-reductions", {"year": TODAY.year, "amount_fen": 1_000, "note": "调减"},
                           content_type="application/json", **token(officer))
        assert done.status_code == 200 and done.json()["budget_fen"] == 99_999_000
        bad_rule = client.post(f"{base}/changes", {"note": "x", "rule": {"all": [{"fact": "nope"}]}},
                               content_type="application/json", **token(officer))
        assert bad_rule.status_code in (400, 422) and "error" in bad_rule.json()
        closed = client.post(f"{base}/close", {"note": "停止受理"}, content_type="application/json",
                             **token(officer))
        assert closed.status_code == 200 and closed.json()["is_open"] is False

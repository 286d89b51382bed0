"""Establishment with one licence and one code: the completeness check lists every correction at once,
screening refuses a barred legal representative with the basis, deadlines follow the working-day limits, and
approval registers the enterprise with a new USCC and issues the electronic licence."""

import datetime

import pytest

from shuangchuang.core.errors import Conflict, ServiceError
from shuangchuang.core.models import AuditEvent, Membership, Organisation, Role
from shuangchuang.credit.models import ScreeningEvidence
from shuangchuang.registration.models import Application, ApplicationState, Licence
from shuangchuang.registration.services import application_transition, application_update, establishment_apply
from shuangchuang.registration.tests.conftest import FOUNDER_ID, complete_data, pdf, serious_entry_for_person, \
    text_upload
from shuangchuang.registry.models import Enterprise
from shuangchuang.registry.uscc import parse_uscc

pytestmark = pytest.mark.django_db


def test_an_empty_application_lists_every_correction_at_once(founder_actor, mqsa):
    application = establishment_apply(actor=founder_actor, data=complete_data(
        name="", address="", district="", scope_terms=[], legal_rep_id_number="440305198808080000",
        shareholders=[], registered_capital_fen=None))
    with pytest.raises(ServiceError) as refused:
        application_transition(actor=founder_actor, application=application, transition="submit")
    message = refused.value.message
    for expected in ("Enter the enterprise's name", "Enter the address", "Choose the district",
                     "Enter the registered capital", "Enter at least one shareholder", "Legal representative:",
                     "Choose the business scope", "Upload the articles"):
        assert expected in message
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_subscribed_capital_must_add_up_to_the_registered_capital(founder_actor, mqsa):
    application = establishment_apply(actor=founder_actor, data=complete_data(registered_capital_fen=200_000_000),
                                      articles=pdf())
    with pytest.raises(ServiceError, match="must add up to the registered capital"):
        application_transition(actor=founder_actor, application=application, transition="submit")


def test_a_complete_application_is_submitted_with_screening_evidence_and_deadlines(application, founder_actor):
    friday = datetime.date(2026, 11, 27)
    application_transition(actor=founder_actor, application=application, transition="submit", on=friday)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.corrections_due == datetime.date(2026, 11, 30)  # 1 working day: Monday
    assert application.decision_due == datetime.date(2026, 12, 2)  # 3 working days
    roles = sorted(s["role"] for s in application.screening)
    assert roles == ["legal_representative", "shareholder", "shareholder"]
    for summary in application.screening:
        evidence = ScreeningEvidence.objects.get(pk=summary["evidence_id"])
        assert evidence.deciding_department == application.authority  # its officers may open it
        assert summary["blocked"] is False
    assert summary["id_number"].count("*") == 10  # masked where shown


def test_a_person_barred_from_being_legal_representative_is_refused_with_the_basis(application, founder_actor):
    serious_entry_for_person(FOUNDER_ID)
    with pytest.raises(Conflict) as refused:
        application_transition(actor=founder_actor, application=application, transition="submit")
    assert refused.value.code == "barred"
    assert "张创业 may not act as legal representative" in refused.value.message
    assert "《企业信息公示暂行条例》第十七条" in refused.value.message
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    blocked = [s for s in application.screening if s["blocked"]]
    assert len(blocked) == 1 and ScreeningEvidence.objects.filter(pk=blocked[0]["evidence_id"], blocked=True).exists()


def test_approval_issues_a_valid_uscc_registers_the_enterprise_and_issues_the_licence(
        application, founder, founder_actor, officer_actor, mqsa):
    application_transition(actor=founder_actor, application=application, transition="submit")
    application_transition(actor=officer_actor, application=application, transition="accept")
    application_transition(actor=officer_actor, application=application, transition="approve",
                           on=datetime.date(2026, 12, 1))
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    parsed = parse_uscc(application.uscc)
    assert parsed.valid and application.uscc.startswith("91440300")
    enterprise = Enterprise.objects.get(uscc=application.uscc)
    assert enterprise.name == "深圳市星河智造科技有限公司"
    assert enterprise.registration_authority == mqsa
    assert enterprise.founded_on == datetime.date(2026, 12, 1)
    assert enterprise.registered_capital_fen == 100_000_000
    assert enterprise.legal_representative.id_number == FOUNDER_ID
    organisation = Organisation.objects.get(code=application.uscc)
    assert Membership.objects.filter(user=founder, organisation=organisation, role=Role.LEGAL_REPRESENTATIVE).exists()
    licence = Licence.objects.get(enterprise=enterprise)
    assert (licence.uscc, licence.legal_representative, licence.legal_form) == (
        application.uscc, "张创业", "有限责任公司")
    assert licence.scope == "软件开发；信息技术咨询服务"
    assert licence.authority == mqsa.name and licence.is_current
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"registration.application_approve", "registry.enterprise_registered",
            "registration.licence_issued"} <= verbs


def test_corrections_asked_by_the_officer_go_back_to_the_applicant(application, founder_actor, officer_actor):
    application_transition(actor=founder_actor, application=application, transition="submit")
    application_transition(actor=officer_actor, application=application, transition="request_corrections",
                           corrections=["住所证明不清晰", "章程缺少签字"])
    application.refresh_from_db()
    assert application.state == ApplicationState.CORRECTIONS_REQUESTED
    assert application.corrections == ["住所证明不清晰", "章程缺少签字"]
    application_update(actor=founder_actor, application=application,
                       data=complete_data(address="深圳市南山区粤海街道科技南路20号"))
    application_transition(actor=founder_actor, application=application, transition="submit")
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and application.corrections == []


def test_refusing_needs_reasons_and_changes_nothing_without_them(application, founder_actor, officer_actor):
    application_transition(actor=founder_actor, application=application, transition="submit")
    with pytest.raises(ServiceError, match="Give the reasons"):
        application_transition(actor=officer_actor, application=application, transition="reject")
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_a_step_from_the_wrong_state_is_refused(application, officer_actor):
    with pytest.raises(Conflict):
        application_transition(actor=officer_actor, application=application, transition="approve")
    assert not Enterprise.objects.filter(name=application.name).exists()


def test_bad_input_is_refused_before_anything_is_written(founder_actor, mqsa):
    before = Application.objects.count()
    with pytest.raises(ServiceError, match="whole fen"):
        establishment_apply(actor=founder_actor, data=complete_data(registered_capital_fen=-5))
    with pytest.raises(ServiceError, match="Unknown legal form"):
        establishment_apply(actor=founder_actor, data=complete_data(legal_form="empire"))
    with pytest.raises(ServiceError, match="Unknown district"):
        establishment_apply(actor=founder_actor, data=complete_data(district="999999"))
    with pytest.raises(ServiceError) as wrong_file:
        establishment_apply(actor=founder_actor, data=complete_data(), articles=text_upload())
    assert wrong_file.value.field == "articles"
    assert Application.objects.count() == before


def test_unknown_scope_terms_and_a_bad_officer_id_are_listed(founder_actor, mqsa):
    data = complete_data(scope_terms=["S0001", "NOPE"])
    data.officers[1].id_number = "123"
    application = establishment_apply(actor=founder_actor, data=data, articles=pdf())
    with pytest.raises(ServiceError) as refused:
        application_transition(actor=founder_actor, application=application, transition="submit")
    assert "NOPE" in refused.value.message and "王监事" in refused.value.message


def test_an_uncertain_match_must_be_decided_before_approval(application, founder_actor, officer_actor,
                                                            monkeypatch):
    from shuangchuang.registration.services import applications

    application_transition(actor=founder_actor, application=application, transition="submit")
    uncertain = [{"role": "legal_representative", "name": "张创业", "id_number": "", "uscc": "",
                  "action": "legal_representative", "decision": "review", "blocked": False,
                  "evidence_id": "00000000-0000-0000-0000-000000000000", "basis": [], "hits": 1}]
    monkeypatch.setattr(applications, "screen_parties", lambda parties, **kwargs: uncertain)
    with pytest.raises(Conflict) as refused:
        application_transition(actor=officer_actor, application=application, transition="approve")
    assert refused.value.code == "screening_review"
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and not application.uscc


def test_the_officer_screens_in_their_own_name_at_approval(application, founder_actor, officer_actor, mqsa):
    application_transition(actor=founder_actor, application=application, transition="submit")
    application_transition(actor=officer_actor, application=application, transition="approve")
    application.refresh_from_db()
    evidence = ScreeningEvidence.objects.get(pk=application.screening[0]["evidence_id"])
    assert evidence.organisation == mqsa and evidence.scope == "officer"

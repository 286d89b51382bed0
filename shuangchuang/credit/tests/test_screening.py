"""Screening: matching survives real-world name variants; decisions follow the restriction table by date;
adjudications are remembered until the entry changes; every screening leaves evidence."""

import datetime

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.tests.factories import SYSTEM, actor_for, enterprise_code, id_number
from shuangchuang.credit.models import Adjudication, ScreeningEvidence
from shuangchuang.credit.services import (
    Party,
    adjudication_record,
    entry_remove,
    entry_update,
    list_create,
    restriction_create,
    restriction_update,
    screening_run,
)
from shuangchuang.credit.tests.conftest import add_entry, register

pytestmark = pytest.mark.django_db

NAME = "深圳市鹏城创芯科技有限公司"
CODE = enterprise_code(501)
ON = datetime.date(2026, 11, 28)
ANON = Actor.anonymous()


def run(party=None, action="procurement", on=ON, actor=ANON, **kwargs):
    return screening_run(actor=actor, party=party or Party(**kwargs), action=action, on=on)


@pytest.fixture
def listed(dishonest):
    return add_entry(dishonest, name=NAME, uscc=CODE, legal_representative="林某")


@pytest.fixture
def listed_by_name(dishonest):
    """An entry without any code (as older published records are)."""
    return add_entry(dishonest, name=NAME)


VARIANTS = [
    # (what the screener typed, status, lowest score, highest score, a reason code)
    ({"uscc": CODE}, "match", 1.0, 1.0, "uscc_equal"),
    ({"uscc": CODE.lower()}, "match", 1.0, 1.0, "uscc_equal"),
    ({"name": NAME}, "match", 0.97, 0.97, "name_equal"),
    ({"name": "鹏城创芯科技（深圳）有限公司"}, "match", 0.95, 0.96, "region_moved"),
    ({"name": "鹏城创芯科技(深圳)有限公司"}, "match", 0.95, 0.96, "region_moved"),
    ({"name": "鹏城创芯科技有限公司"}, "match", 0.94, 0.95, "region_missing"),
    ({"name": "深圳鹏城创芯科技有限公司"}, "match", 0.97, 0.97, "name_equal"),
    ({"name": "深圳市鵬城創芯科技有限公司"}, "match", 0.97, 0.97, "name_equal"),
    ({"name": "深圳市 鹏城创芯 科技有限公司"}, "match", 0.97, 0.97, "name_equal"),
    ({"name": "深圳市鹏城创芯科技股份有限公司"}, "match", 0.96, 0.96, "form_family"),
    ({"name": "深圳市鹏城创芯科技有限责任公司"}, "match", 0.96, 0.96, "form_family"),
    ({"name": "鹏城创芯科技（深圳）股份有限公司"}, "match", 0.94, 0.95, "form_family"),
    ({"name": "深圳市彭城创新科技有限公司"}, "review", 0.8, 0.8, "homophone"),
    ({"name": "深圳市鹏城创志科技有限公司"}, "review", 0.6, 0.85, "near_name"),
    ({"name": "广州市鹏城创芯科技有限公司"}, "review", 0.75, 0.75, "region_differs"),
    ({"name": "深圳市鹏城创芯科技"}, "review", 0.85, 0.88, "form_missing"),
]


class TestVariants:
    @pytest.mark.parametrize("typed, status, low, high, reason", VARIANTS)
    def test_entry_with_a_code_is_found_from_each_variant(self, listed, typed, status, low, high, reason):
        result = run(**typed)
        assert len(result.hits) == 1
        hit = result.hits[0]
        assert hit["entry"] == str(listed.pk)
        assert hit["status"] == status
        assert low <= hit["score"] <= high
        assert reason in hit["reason_codes"]
        assert result.blocked is (status == "match")
        assert result.decision == ("blocked" if status == "match" else "review")

    @pytest.mark.parametrize("typed, status, low, high, reason", [v for v in VARIANTS if "name" in v[0]])
    def test_entry_without_a_code_is_found_from_each_name_variant(self, listed_by_name, typed, status, low, high,
                                                                   reason):
        hit = run(**typed).hits[0]
        assert (hit["status"], hit["entry"]) == (status, str(listed_by_name.pk))
        assert low <= hit["score"] <= high

    @pytest.mark.parametrize("name", [
        "深圳市南岭云数信息技术有限公司",
        "深圳市鹏城智造科技有限公司",
        "深圳市创芯鹏城电子有限公司",
        "张伟",
    ])
    def test_other_names_are_not_hits(self, listed, name):
        result = run(name=name)
        assert (result.hits, result.decision, result.blocked) == ([], "clear", False)

    def test_short_trade_names_one_character_apart_are_other_names(self, dishonest):
        add_entry(dishonest, name="深圳市怡源人力资源有限公司")
        assert run(name="深圳市怡林人力资源有限公司").hits == []

    def test_a_different_code_rules_out_a_name_match(self, listed):
        result = run(name=NAME, uscc=enterprise_code(502))
        assert result.hits == []
        assert not result.blocked

    def test_the_organisation_code_inside_a_code_matches_an_older_entry_with_only_that_code(self, dishonest):
        entry = add_entry(dishonest, name="深圳市旧码科技有限公司", org_code=CODE[8:17])
        hit = run(uscc=CODE).hits[0]
        assert (hit["entry"], hit["score"], hit["reason_codes"][0]) == (str(entry.pk), 0.98, "org_code_equal")

    def test_a_code_alone_is_completed_with_the_registered_name(self, listed_by_name):
        registered = register(NAME, 501)
        result = run(uscc=registered.uscc)
        assert result.hits[0]["entry"] == str(listed_by_name.pk)
        assert result.hits[0]["status"] == "match"
        assert result.notes[0]["code"] == "name_from_register"

    def test_an_exactly_registered_name_brings_its_code_so_a_namesake_under_another_code_is_no_hit(self, dishonest):
        register(NAME, 501)
        add_entry(dishonest, name="鹏城创芯科技有限公司", uscc=enterprise_code(777))
        result = run(name=NAME)
        assert result.hits == []
        assert result.notes[0]["code"] == "uscc_from_register"

    def test_a_wrong_code_is_an_error_not_a_silent_miss(self, listed):
        bad = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
        with pytest.raises(ServiceError) as caught:
            run(uscc=bad)
        assert (caught.value.code, caught.value.field) == ("uscc_check_character", "uscc")
        assert not ScreeningEvidence.objects.exists()

    def test_an_empty_party_or_unknown_action_is_refused(self, listed):
        with pytest.raises(ServiceError) as caught:
            run(name="  ")
        assert caught.value.code == "party_required"
        with pytest.raises(ServiceError) as caught:
            run(name=NAME, action="lottery")
        assert caught.value.code == "invalid_action"


class TestPersons:
    @pytest.fixture
    def person(self, dishonest):
        return add_entry(dishonest, subject_type="person", name="王某某", id_number=id_number(321), sex="男", age="45")

    def test_screening_by_id_number_is_for_officers(self, person):
        with pytest.raises(NotAllowed) as caught:
            run(id_number=person.id_number)
        assert caught.value.message == "Screening by personal ID number is for department officers."
        assert not ScreeningEvidence.objects.exists()

    def test_an_officer_finds_the_person_by_id_number(self, person, officer_fin, fin):
        result = run(id_number=person.id_number, actor=actor_for(officer_fin, fin))
        hit = result.hits[0]
        assert (hit["score"], hit["status"], hit["reason_codes"]) == (1.0, "match", ["id_equal"])
        assert hit["id_number"] == person.id_number[:4] + "*" * 10 + person.id_number[-4:]
        assert result.blocked

    def test_a_name_alone_is_a_hit_to_review(self, person):
        hit = run(name="王某某").hits[0]
        assert (hit["score"], hit["status"], hit["reason_codes"]) == (0.6, "review", ["person_name"])

    def test_another_id_number_is_no_hit(self, person, officer_fin, fin):
        assert run(name="王某某", id_number=id_number(322), actor=actor_for(officer_fin, fin)).hits == []


class TestRestrictionsByDate:
    def test_a_listing_blocks_only_the_actions_its_list_restricts(self, listed):
        assert run(uscc=CODE, action="procurement").blocked
        assert run(uscc=CODE, action="special_fund").blocked
        voucher = run(uscc=CODE, action="voucher")
        assert (voucher.blocked, voucher.decision, len(voucher.hits)) == (False, "clear", 1)
        assert voucher.hits[0]["restricts"] is False

    def test_the_decision_cites_the_legal_basis(self, listed):
        restriction = run(uscc=CODE).hits[0]["restrictions"][0]
        assert restriction["action"] == "procurement"
        assert "失信被执行人名单信息的若干规定" in restriction["legal_basis"]
        assert restriction["valid_from"] == "2013-10-01"

    def test_nothing_is_found_before_the_listing_date(self, listed):
        assert run(uscc=CODE, on=datetime.date(2025, 2, 28)).hits == []
        assert run(uscc=CODE, on=datetime.date(2025, 3, 1)).blocked

    def test_a_removed_entry_blocks_up_to_the_day_before_its_removal(self, listed):
        entry_remove(actor=SYSTEM, entry=listed, reason="已履行完毕", on=datetime.date(2026, 6, 1))
        assert run(uscc=CODE, on=datetime.date(2026, 5, 31)).blocked
        assert run(uscc=CODE, on=datetime.date(2026, 6, 1)).hits == []

    def test_an_entry_stops_blocking_when_its_period_ends(self, dishonest):
        add_entry(dishonest, name=NAME, uscc=CODE, listed_on="2024-01-10", expires_on="2026-01-10")
        assert run(uscc=CODE, on=datetime.date(2026, 1, 9)).blocked
        assert not run(uscc=CODE, on=datetime.date(2026, 1, 10)).blocked

    def test_a_restriction_applies_between_its_first_and_last_day(self, listed, dishonest):
        restriction = dishonest.restrictions.get(action="bidding")
        restriction_update(actor=SYSTEM, restriction=restriction, valid_to=datetime.date(2026, 6, 30))
        assert run(uscc=CODE, action="bidding", on=datetime.date(2026, 6, 30)).blocked
        assert not run(uscc=CODE, action="bidding", on=datetime.date(2026, 7, 1)).blocked
        restriction_create(actor=SYSTEM, credit_list=dishonest, action="voucher", valid_from=datetime.date(2027, 1, 1),
                           legal_basis="深科技创新〔2027〕1号")
        assert not run(uscc=CODE, action="voucher", on=datetime.date(2026, 12, 31)).blocked
        assert run(uscc=CODE, action="voucher", on=datetime.date(2027, 1, 1)).blocked

    def test_a_legal_representative_of_a_serious_violator_is_restricted_for_three_years(self, serious, officer_mqsa,
                                                                                          mqsa):
        rep_id = id_number(77)
        add_entry(serious, name=NAME, uscc=CODE, legal_representative="林某", legal_representative_id_number=rep_id,
                  listed_on="2024-03-01", reason="列入经营异常名录满三年仍未履行相关义务")
        officer = actor_for(officer_mqsa, mqsa)
        within = run(id_number=rep_id, action="legal_representative", on=datetime.date(2027, 2, 28), actor=officer)
        assert within.blocked
        assert within.hits[0]["kind"] == "legal_representative"
        assert within.hits[0]["restrictions"][0]["until"] == "2027-03-01"
        assert not run(id_number=rep_id, action="legal_representative", on=datetime.date(2027, 3, 1),
                       actor=officer).blocked
        assert not run(id_number=rep_id, action="procurement", on=datetime.date(2025, 1, 1), actor=officer).blocked

    def test_licence_records_are_not_listings_and_never_hit(self):
        from shuangchuang.credit.models import CreditList

        add_entry(CreditList.objects.get(code="admin-licence"), name=NAME, uscc=CODE, reason="食品经营许可")
        assert run(uscc=CODE).hits == []


class TestScope:
    @pytest.fixture
    def internal(self, fin):
        internal = list_create(actor=SYSTEM, department=fin, code="fin-watch", name="财政资金关注名单",
                               legal_basis="内部管理规定", is_public=False)
        restriction_create(actor=SYSTEM, credit_list=internal, action="special_fund",
                           valid_from=datetime.date(2020, 1, 1), legal_basis="内部管理规定")
        add_entry(internal, name=NAME, uscc=CODE, reason="资金使用违规")
        return internal

    def test_the_public_is_answered_from_public_lists_only(self, internal):
        result = run(uscc=CODE, action="special_fund")
        assert (result.scope, result.hits, result.blocked) == ("public", [], False)

    def test_officers_are_answered_from_every_list(self, internal, officer_stic, stic):
        result = run(uscc=CODE, action="special_fund", actor=actor_for(officer_stic, stic))
        assert result.scope == "officer"
        assert [h["list"] for h in result.hits] == ["fin-watch"]
        assert result.blocked


class TestEvidence:
    def test_every_screening_is_stored_with_who_asked_the_result_and_the_list_versions(self, listed, dishonest):
        result = screening_run(actor=ANON, party=Party(name=NAME), action="procurement", on=ON, channel="web",
                               client="203.0.113.9")
        evidence = ScreeningEvidence.objects.get(pk=result.evidence_id)
        assert (evidence.actor_id, evidence.actor_label, evidence.client, evidence.channel) == (
            None, "anonymous", "203.0.113.9", "web")
        assert evidence.query == {"name": NAME}
        assert (evidence.decision, evidence.blocked, evidence.hit_count) == ("blocked", True, 1)
        dishonest.refresh_from_db()
        assert evidence.list_versions["dishonest-debtor"] == dishonest.version
        assert evidence.result["hits"][0]["entry"] == str(listed.pk)
        assert evidence.result["evidence_id"] == result.evidence_id
        event = AuditEvent.objects.get(verb="credit.screened")
        assert (event.object_id, event.params["decision"]) == (result.evidence_id, "blocked")

    def test_the_deciding_department_reads_the_evidence_another_department_may_not(
            self, dishonest, officer_fin, fin, officer_mqsa, mqsa, officer_stic, stic):
        from shuangchuang.credit.permissions import can_view_evidence

        number = id_number(323)
        add_entry(dishonest, subject_type="person", name="王某某", id_number=number)
        result = screening_run(actor=SYSTEM, party=Party(name="王某某", id_number=number), action="registration",
                               on=ON, channel="registration", deciding_department=mqsa)
        evidence = ScreeningEvidence.objects.get(pk=result.evidence_id)
        assert evidence.deciding_department == mqsa
        assert can_view_evidence(actor_for(officer_mqsa, mqsa), evidence) == (True, "")
        allowed, reason = can_view_evidence(actor_for(officer_stic, stic), evidence)
        assert (allowed, reason) == (False, "This evidence belongs to another department.")

    def test_a_list_change_raises_its_version(self, listed, dishonest):
        dishonest.refresh_from_db()
        before = dishonest.version
        add_entry(dishonest, name="深圳市另一家科技有限公司")
        dishonest.refresh_from_db()
        assert dishonest.version == before + 1
        assert run(name=NAME).list_versions["dishonest-debtor"] == before + 1

    def test_the_evidence_of_an_id_number_screening_masks_it_in_the_audit_log(self, dishonest, officer_fin, fin):
        number = id_number(321)
        add_entry(dishonest, subject_type="person", name="王某某", id_number=number)
        run(id_number=number, actor=actor_for(officer_fin, fin))
        event = AuditEvent.objects.get(verb="credit.screened")
        assert number not in event.object_label and number not in str(event.params)
        assert event.department == fin


class TestAdjudication:
    @pytest.fixture
    def officer(self, officer_fin, fin):
        return actor_for(officer_fin, fin)

    def test_a_same_party_decision_turns_the_review_into_a_block_on_later_screenings(self, listed, officer):
        first = run(name="深圳市彭城创新科技有限公司", actor=officer)
        assert first.decision == "review"
        evidence = ScreeningEvidence.objects.get(pk=first.evidence_id)
        adjudication_record(actor=officer, evidence=evidence, entry=listed, decision="same",
                            note="同一主体，更名前名称")
        later = run(name="深圳市彭城创新科技有限公司")
        assert later.hits[0]["status"] == "confirmed"
        assert later.blocked
        assert "adjudicated_same" in later.hits[0]["reason_codes"]

    def test_a_not_same_decision_dismisses_the_hit(self, listed, officer):
        first = run(name="广州市鹏城创芯科技有限公司", actor=officer)
        adjudication_record(actor=officer, evidence=ScreeningEvidence.objects.get(pk=first.evidence_id), entry=listed,
                            decision="not_same")
        later = run(name="广州市鹏城创芯科技有限公司")
        assert (later.hits[0]["status"], later.decision, later.blocked) == ("dismissed", "clear", False)

    def test_the_decision_lapses_when_the_entry_changes(self, listed, officer):
        first = run(name="深圳市彭城创新科技有限公司", actor=officer)
        adjudication_record(actor=officer, evidence=ScreeningEvidence.objects.get(pk=first.evidence_id), entry=listed,
                            decision="same")
        entry_update(actor=SYSTEM, entry=listed, performance="部分履行")
        later = run(name="深圳市彭城创新科技有限公司")
        assert (later.hits[0]["status"], later.decision) == ("review", "review")

    def test_only_officers_decide(self, listed, rep_a, enterprise_a):
        first = run(name="深圳市彭城创新科技有限公司")
        with pytest.raises(NotAllowed):
            adjudication_record(actor=actor_for(rep_a, enterprise_a),
                                evidence=ScreeningEvidence.objects.get(pk=first.evidence_id), entry=listed,
                                decision="same")
        assert not Adjudication.objects.exists()

    def test_an_identical_code_needs_no_decision_and_a_decision_is_made_once(self, listed, officer):
        exact = ScreeningEvidence.objects.get(pk=run(uscc=CODE, actor=officer).evidence_id)
        with pytest.raises(Conflict) as caught:
            adjudication_record(actor=officer, evidence=exact, entry=listed, decision="same")
        assert caught.value.code == "identity_hit"
        review = ScreeningEvidence.objects.get(pk=run(name="深圳市彭城创新科技有限公司", actor=officer).evidence_id)
        adjudication_record(actor=officer, evidence=review, entry=listed, decision="same")
        with pytest.raises(Conflict) as caught:
            adjudication_record(actor=officer, evidence=review, entry=listed, decision="not_same")
        assert caught.value.code == "already_decided"
        assert Adjudication.objects.count() == 1


class TestNamesakes:
    def test_an_entry_written_as_another_registered_enterprises_name_is_a_hit_to_review(self, dishonest):
        screened = register("深圳市浩乾贸易有限公司", 601)
        other = register("深圳市宝安区浩乾贸易有限公司", 602)
        add_entry(dishonest, name="深圳市宝安区浩乾贸易有限公司")
        hit = run(uscc=screened.uscc).hits[0]
        assert (hit["status"], hit["score"]) == ("review", 0.85)
        assert "name_of_another_enterprise" in hit["reason_codes"]
        assert other.uscc in " ".join(hit["reasons"])
        assert run(uscc=other.uscc).hits[0]["status"] == "match"

    def test_districts_and_new_areas_of_the_city_are_told_apart(self, dishonest):
        add_entry(dishonest, name="深圳市坪山区阿红修理店")
        hit = run(name="深圳市大鹏新区阿红修理店").hits[0]
        assert (hit["status"], "region_differs" in hit["reason_codes"]) == ("review", True)
        assert run(name="深圳市阿红修理店").hits[0]["status"] == "match"

    def test_shops_with_near_names_are_other_shops(self, dishonest):
        add_entry(dishonest, name="深圳市龙岗区阿薇理发店")
        assert run(name="深圳市龙岗区阿志理发店").hits == []

    def test_a_homophone_in_another_region_is_another_firm(self, dishonest):
        add_entry(dishonest, name="广州市彭城创新科技有限公司")
        assert run(name="深圳市鹏城创芯科技有限公司").hits == []

    def test_a_near_name_in_another_region_is_another_firm(self, dishonest):
        add_entry(dishonest, name="广州市鹏城创芯科技有限公司")
        assert run(name="深圳市鹏城创志科技有限公司").hits == []

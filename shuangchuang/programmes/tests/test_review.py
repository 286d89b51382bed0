"""Expert review: the pool by field, conflicts of interest, scored reviews, aggregation, ranking against the
budget, site visits."""

from decimal import Decimal

import pytest

from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import Role
from shuangchuang.core.tests.factories import actor_for, grant, make_user
from shuangchuang.programmes.models import Application, Assignment, State
from shuangchuang.programmes.permissions import can_view_application
from shuangchuang.programmes.services import (
    application_transition,
    call_rank,
    conflict_declare,
    expert_profile_set,
    review_submit,
    reviewers_assign,
    site_visit_record,
)
from shuangchuang.programmes.services.review import mean, trimmed_mean
from shuangchuang.programmes.tests.conftest import SYSTEM, make_call, submitted

pytestmark = pytest.mark.django_db


def expert(username, organisation, *, fields=("hardware",), related=()):
    user = make_user(username, full_name=username)
    grant(user, organisation, Role.REVIEWER)
    expert_profile_set(actor=SYSTEM, user=user, fields=list(fields), related_usccs=list(related))
    return actor_for(user, organisation)


@pytest.fixture
def university(db):
    from shuangchuang.core.models import InstitutionType, OrganisationKind
    from shuangchuang.core.services import organisation_create

    return organisation_create(actor=SYSTEM, kind=OrganisationKind.INSTITUTION,
                               institution_type=InstitutionType.UNIVERSITY, code="UNI-1", name="深圳鹏城理工学院")


@pytest.fixture
def experts(university):
    return [expert(f"expert-{i}", university) for i in range(4)]


@pytest.fixture
def review_call(programme):
    return make_call(programme, expert_field="hardware", reviewers_per_application=3,
                     stages=["formal_check", "expert_review", "site_visit", "committee"])


@pytest.fixture
def in_review(rep, firm, officer, review_call):
    return application_transition(actor=officer, application=submitted(rep, review_call), transition="accept")


def score(actor, assignment, innovation, team):
    return review_submit(actor=actor, assignment=assignment, scores={"innovation": innovation, "team": team},
                         comment="理由充分")


class TestPool:
    def test_reviewers_are_drawn_from_the_field_and_a_related_expert_is_left_out(
            self, officer, in_review, experts, university, firm):
        expert("expert-related", university, related=[firm.uscc])
        expert("expert-biology", university, fields=["biology"])
        made = reviewers_assign(actor=officer, application=in_review, seed=1)
        names = {a.reviewer.username for a in made}
        assert len(made) == 3 and names <= {f"expert-{i}" for i in range(4)}

    def test_a_pool_too_small_is_refused(self, officer, in_review, university):
        expert("only-one", university)
        with pytest.raises(Conflict):
            reviewers_assign(actor=officer, application=in_review)
        assert not Assignment.objects.exists()

    def test_an_officer_of_another_department_cannot_assign(self, other_officer, in_review, experts):
        with pytest.raises(NotAllowed):
            reviewers_assign(actor=other_officer, application=in_review)
        assert not Assignment.objects.exists()


class TestConflicts:
    @pytest.fixture
    def assigned(self, officer, in_review, experts):
        reviewers_assign(actor=officer, application=in_review, seed=2)
        by_user = {e.user.pk: e for e in experts}
        return [(by_user[a.reviewer_id], a) for a in in_review.assignments.all()]

    def test_a_reviewer_sees_nothing_before_declaring(self, assigned, in_review):
        reviewer, assignment = assigned[0]
        allowed, reason = can_view_application(reviewer, Application.objects.get(pk=in_review.pk))
        assert not allowed and "Declare" in reason
        with pytest.raises(NotAllowed):
            score(reviewer, assignment, 40, 40)

    def test_a_conflicted_reviewer_is_excluded_with_the_reason(self, assigned, in_review):
        reviewer, assignment = assigned[0]
        assignment = conflict_declare(actor=reviewer, assignment=assignment, conflict=True, kind="same_institution")
        allowed, reason = can_view_application(reviewer, Application.objects.get(pk=in_review.pk))
        assert not allowed and "conflict of interest" in reason
        with pytest.raises(NotAllowed) as caught:
            score(reviewer, assignment, 40, 40)
        assert "excluded" in caught.value.message
        assert Assignment.objects.get(pk=assignment.pk).submitted_at is None

    def test_a_declaration_is_made_once_and_only_by_the_reviewer(self, assigned, experts):
        reviewer, assignment = assigned[0]
        other = next(e for e in experts if e.user.pk != assignment.reviewer_id)
        with pytest.raises(NotAllowed):
            conflict_declare(actor=other, assignment=assignment, conflict=False)
        conflict_declare(actor=reviewer, assignment=assignment, conflict=False)
        with pytest.raises(NotAllowed):
            conflict_declare(actor=reviewer, assignment=Assignment.objects.get(pk=assignment.pk), conflict=True,
                             kind="other")

    def test_a_conflict_needs_its_kind(self, assigned):
        reviewer, assignment = assigned[0]
        with pytest.raises(ServiceError):
            conflict_declare(actor=reviewer, assignment=assignment, conflict=True)

    def test_scores_are_checked_against_the_criteria(self, assigned):
        reviewer, assignment = assigned[0]
        conflict_declare(actor=reviewer, assignment=assignment, conflict=False)
        assignment = Assignment.objects.get(pk=assignment.pk)
        for bad in ({"innovation": 60, "team": 10}, {"innovation": "x", "team": 10}, {"innovation": 10}):
            with pytest.raises(ServiceError):
                review_submit(actor=reviewer, assignment=assignment, scores=bad, comment="c")
        done = score(reviewer, assignment, "45.5", 40)
        assert done.total == Decimal("85.5")
        with pytest.raises(NotAllowed):
            score(reviewer, Assignment.objects.get(pk=assignment.pk), 10, 10)

    def test_closing_the_review_aggregates_the_submitted_scores_without_the_conflicted(
            self, assigned, officer, in_review):
        totals = [(40, 40), (30, 30)]
        for (reviewer, assignment), (a, b) in zip(assigned[:2], totals):
            conflict_declare(actor=reviewer, assignment=assignment, conflict=False)
            score(reviewer, Assignment.objects.get(pk=assignment.pk), a, b)
        conflict_declare(actor=assigned[2][0], assignment=assigned[2][1], conflict=True, kind="family")
        application = application_transition(actor=officer, application=Application.objects.get(pk=in_review.pk),
                                             transition="close_review")
        assert application.state == State.REVIEWED
        assert application.score_mean == Decimal("70.000")


def test_mean_and_trimmed_mean():
    values = [Decimal(v) for v in ("90", "80", "70", "10")]
    assert mean(values) == Decimal("62.500")
    assert trimmed_mean(values) == Decimal("75.000")
    assert trimmed_mean(values[:2]) == Decimal("85.000")
    assert mean([]) is None


def test_the_review_cannot_be_closed_without_a_review(officer, in_review):
    with pytest.raises(Conflict):
        application_transition(actor=officer, application=in_review, transition="close_review")


class TestRanking:
    @pytest.fixture
    def reviewed(self, programme, stic, officer):
        """Five reviewed applications of five enterprises, scores 90..50, each asking for 300,000 yuan."""
        from shuangchuang.core.tests.factories import id_number, make_enterprise_org
        from shuangchuang.programmes.tests.conftest import register

        call = make_call(programme, budget_fen=1_000_000_00, pass_score=Decimal("55"),
                         stages=["formal_check", "committee"])
        made = []
        for i in range(5):
            org = make_enterprise_org(f"深圳市排名{i}科技有限公司", 40 + i)
            register(org, person_id=id_number(600 + i))
            user = make_user(f"rank-rep-{i}")
            grant(user, org, Role.LEGAL_REPRESENTATIVE)
            applicant = actor_for(user, org)
            application = submitted(applicant, call, project_key=f"R{i}")
            application = application_transition(actor=officer, application=application, transition="accept")
            made.append(application)
        for i, application in enumerate(made):
            Application.objects.filter(pk=application.pk).update(score=Decimal(90 - 10 * i))
            Assignment.objects.create(application=application, reviewer=officer.user, total=Decimal(90 - 10 * i),
                                      submitted_at=application.submitted_at, conflict=False)
        return call, made

    def test_applications_are_ranked_by_score_and_funded_in_order_while_the_budget_lasts(self, reviewed, officer):
        call, made = reviewed
        result = call_rank(actor=officer, call=call)
        assert (result.ranked, result.funded, result.below_pass) == (5, 3, 1)
        rows = list(Application.objects.filter(call=call).order_by("rank")
                    .values_list("pk", "rank", "proposed_fen", "allocation_note"))
        assert [r[0] for r in rows] == [a.pk for a in made]
        assert [r[2] for r in rows[:3]] == [300_000_00] * 3
        assert rows[3][2] is None and "Budget" in rows[3][3]
        assert rows[4][2] is None and "pass score" in rows[4][3]

    def test_a_proposal_beyond_the_budget_left_is_refused(self, reviewed, officer):
        call, made = reviewed
        for application in made[:3]:
            application_transition(actor=officer, application=application, transition="propose",
                                   amount_fen=300_000_00)
        with pytest.raises(Conflict) as caught:
            application_transition(actor=officer, application=made[3], transition="propose", amount_fen=200_000_00)
        assert caught.value.code == "over_budget"

    def test_another_department_cannot_rank(self, reviewed, other_officer):
        with pytest.raises(NotAllowed):
            call_rank(actor=other_officer, call=reviewed[0])


def test_a_site_visit_is_recorded_with_its_recommendation(officer, in_review):
    import datetime

    visit = site_visit_record(actor=officer, application=in_review, visited_on=datetime.date(2026, 1, 5),
                              visitors="张伟、李雷", findings="场地与申报一致", recommendation="support")
    assert visit.recorded_by == officer.label
    with pytest.raises(ServiceError):
        site_visit_record(actor=officer, application=in_review, visited_on=datetime.date(2026, 1, 5),
                          visitors="", findings="", recommendation="support")

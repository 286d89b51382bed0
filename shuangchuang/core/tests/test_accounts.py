"""Account services: people, organisations, memberships, the acting organisation; one audit event each."""

import pytest

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import Conflict, NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent, Membership, Organisation, OrganisationKind, Role, User
from shuangchuang.core.services import (
    acting_organisation_switch,
    api_token_create,
    api_token_revoke,
    membership_grant,
    membership_revoke,
    notification_mark_read,
    notification_send,
    organisation_create,
    user_create,
    user_password_set,
)
from shuangchuang.core.tests.factories import (
    PASSWORD,
    SYSTEM,
    actor_for,
    enterprise_code,
    id_number,
    make_user,
    platform,
    with_bad_check,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class TestUserCreate:
    def test_creates_with_compact_id_number_and_usable_password(self):
        number = id_number(7)
        assert number.endswith("X")
        user = user_create(actor=SYSTEM, username="li-ming", password=PASSWORD, full_name="李明",
                           id_number=f" {number.lower()} ", email="li@example.cn")
        user.refresh_from_db()
        assert user.id_number == number
        assert user.check_password(PASSWORD)
        assert str(user) == "李明"

    def test_spaces_inside_the_id_number_are_ignored(self):
        number = id_number(8)
        spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
        user = user_create(actor=SYSTEM, username="spaced", password=PASSWORD, id_number=spaced)
        user.refresh_from_db()
        assert user.id_number == number

    def test_check_character_wrong_is_refused_and_nothing_stored(self):
        with pytest.raises(ServiceError) as caught:
            user_create(actor=SYSTEM, username="li-ming", password=PASSWORD, id_number=with_bad_check(id_number(7)))
        assert caught.value.code == "id_number_check"
        assert caught.value.field == "id_number"
        assert caught.value.message == "The check character of this ID number is wrong."
        assert not User.objects.filter(username="li-ming").exists()
        assert AuditEvent.objects.count() == 0

    @pytest.mark.parametrize(
        ("number", "code"),
        [("11010519900101001", "id_number_length"), ("1101051990010100123", "id_number_length"),
         ("110105199013010018", "id_number_invalid")],  # month 13, check character right
        ids=["17-chars", "19-chars", "bad-birth-date"],
    )
    def test_other_bad_id_numbers(self, number, code):
        with pytest.raises(ServiceError) as caught:
            user_create(actor=SYSTEM, username="li-ming", password=PASSWORD, id_number=number)
        assert caught.value.code == code
        assert not User.objects.exists()

    @pytest.mark.parametrize(
        ("password", "code"),
        [("short-1", "password_too_short"), ("12345678901234", "password_entirely_numeric"),
         ("password123", "password_too_common")],
    )
    def test_weak_password_refused(self, password, code):
        with pytest.raises(ServiceError) as caught:
            user_create(actor=SYSTEM, username="li-ming", password=password, id_number=id_number(7))
        assert caught.value.code == code
        assert caught.value.field == "password"
        assert not User.objects.exists()
        assert AuditEvent.objects.count() == 0

    def test_no_password_gives_an_unusable_one(self):
        user = user_create(actor=SYSTEM, username="li-ming", password=None)
        assert not user.has_usable_password()

    @pytest.mark.parametrize("same", ["username", "id_number"])
    def test_duplicate_is_a_conflict_and_leaves_no_event(self, same):
        user_create(actor=SYSTEM, username="li-ming", password=PASSWORD, id_number=id_number(7))
        events_before = AuditEvent.objects.count()
        other = {"username": "li-ming", "id_number": id_number(8)}
        if same == "id_number":
            other = {"username": "wang-fang", "id_number": id_number(7)}
        with pytest.raises(Conflict) as caught:
            user_create(actor=SYSTEM, password=PASSWORD, **other)
        assert caught.value.code == "user_exists"
        assert caught.value.status == 409
        assert User.objects.count() == 1
        assert AuditEvent.objects.count() == events_before

    def test_writes_one_event(self):
        user = user_create(actor=SYSTEM, username="li-ming", password=PASSWORD)
        event = AuditEvent.objects.get()
        assert (event.verb, event.object_id, event.actor_label) == ("core.user_created", str(user.pk), "system:test")
        assert event.params == {"username": "li-ming"}

    def test_event_and_row_share_the_transaction(self, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("audit store down")

        monkeypatch.setattr("shuangchuang.core.services.audit_record", broken)
        with pytest.raises(RuntimeError):
            user_create(actor=SYSTEM, username="li-ming", password=PASSWORD)
        assert not User.objects.exists()


class TestOneEventPerService:
    """Each service writes exactly one audit event with its verb."""

    def test_password_set(self, rep_a):
        before = AuditEvent.objects.count()
        user_password_set(actor=Actor(user=rep_a), user=rep_a, password="Another-long-secret-77")
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.order_by("-seq").first().verb == "core.password_set"
        rep_a.refresh_from_db()
        assert rep_a.check_password("Another-long-secret-77")

    def test_password_set_weak_refused_without_event(self, rep_a):
        before = AuditEvent.objects.count()
        with pytest.raises(ServiceError):
            user_password_set(actor=Actor(user=rep_a), user=rep_a, password="12345")
        assert AuditEvent.objects.count() == before
        rep_a.refresh_from_db()
        assert rep_a.check_password(PASSWORD)

    def test_organisation_create(self):
        org = organisation_create(actor=SYSTEM, kind=OrganisationKind.ENTERPRISE, code=enterprise_code(9), name="丙公司")
        event = AuditEvent.objects.get()
        assert (event.verb, event.object_id, event.department_id) == ("core.organisation_created", str(org.pk), None)

    def test_organisation_create_department_event_belongs_to_it(self):
        org = organisation_create(actor=SYSTEM, kind=OrganisationKind.DEPARTMENT, code="SZ-TEST", name="测试局")
        assert AuditEvent.objects.get().department == org

    def test_organisation_duplicate_code_conflict(self):
        with pytest.raises(Conflict) as caught:
            organisation_create(actor=SYSTEM, kind=OrganisationKind.DEPARTMENT, code="SZ-STIC", name="重复")
        assert caught.value.code == "organisation_exists"
        assert AuditEvent.objects.count() == 0
        assert Organisation.objects.filter(code="SZ-STIC").count() == 1

    def test_organisation_unknown_kind(self):
        with pytest.raises(ServiceError) as caught:
            organisation_create(actor=SYSTEM, kind="club", code="X1", name="俱乐部")
        assert (caught.value.code, caught.value.field) == ("invalid_kind", "kind")
        assert not Organisation.objects.filter(code="X1").exists()

    def test_membership_grant_and_revoke(self, rep_a, enterprise_a):
        newcomer = make_user("newcomer")
        actor = actor_for(rep_a, enterprise_a)
        before = AuditEvent.objects.count()
        membership = membership_grant(actor=actor, user=newcomer, organisation=enterprise_a, role=Role.STAFF)
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.order_by("-seq").first()
        assert event.verb == "core.membership_granted"
        assert event.actor == rep_a and event.organisation == enterprise_a
        assert event.params == {"user": newcomer.pk, "organisation": enterprise_a.pk, "role": "staff"}
        # Granting again changes nothing and writes nothing.
        membership_grant(actor=actor, user=newcomer, organisation=enterprise_a, role=Role.STAFF)
        assert AuditEvent.objects.count() == before + 1
        membership_revoke(actor=actor, membership=membership)
        assert AuditEvent.objects.count() == before + 2
        assert AuditEvent.objects.order_by("-seq").first().verb == "core.membership_revoked"
        membership.refresh_from_db()
        assert not membership.is_active

    def test_membership_unknown_role(self, rep_a, enterprise_a):
        before = AuditEvent.objects.count()
        with pytest.raises(ServiceError) as caught:
            membership_grant(actor=actor_for(rep_a, enterprise_a), user=rep_a, organisation=enterprise_a, role="boss")
        assert caught.value.code == "invalid_role"
        assert AuditEvent.objects.count() == before

    def test_api_token_create_and_revoke(self, rep_a, enterprise_a):
        actor = actor_for(rep_a, enterprise_a)
        before = AuditEvent.objects.count()
        token, _raw = api_token_create(actor=actor, name="ERP")
        api_token_revoke(actor=actor, token=token)
        verbs = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq").values_list("verb", flat=True))
        assert verbs == ["core.api_token_created", "core.api_token_revoked"]

    def test_notification_send_and_mark_read(self, rep_a, staff_a):
        before = AuditEvent.objects.count()
        [notification] = notification_send(actor=SYSTEM, recipients=[rep_a], subject="Hello", email=False)
        notification_mark_read(actor=Actor(user=rep_a), notification=notification)
        # Reading again writes nothing.
        notification_mark_read(actor=Actor(user=rep_a), notification=notification)
        verbs = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq").values_list("verb", flat=True))
        assert verbs == ["core.notification_sent", "core.notification_read"]


def test_system_actor_grants_memberships(enterprise_a):
    """Imports, the demo and tests set up memberships as the system."""
    user = make_user("someone")
    membership = membership_grant(actor=SYSTEM, user=user, organisation=enterprise_a, role=Role.LEGAL_REPRESENTATIVE)
    assert membership.is_active
    assert AuditEvent.objects.order_by("-seq").first().actor_label == "system:test"


class TestMembershipGrantPermissions:
    @pytest.fixture
    def newcomer(self, db):
        return make_user("newcomer")

    def refused(self, actor, user, organisation, reason):
        memberships = list(Membership.objects.values_list("user", "organisation", "role", "is_active"))
        events = AuditEvent.objects.count()
        with pytest.raises(NotAllowed) as caught:
            membership_grant(actor=actor, user=user, organisation=organisation, role=Role.STAFF)
        assert caught.value.code == "not_allowed"
        assert caught.value.status == 403
        assert caught.value.message == reason
        assert list(Membership.objects.values_list("user", "organisation", "role", "is_active")) == memberships
        assert AuditEvent.objects.count() == events

    def test_anonymous_refused(self, enterprise_a, newcomer):
        self.refused(Actor.anonymous(), newcomer, enterprise_a, "Log in first.")

    def test_staff_of_the_organisation_refused(self, enterprise_a, staff_a, newcomer):
        self.refused(actor_for(staff_a, enterprise_a), newcomer, enterprise_a,
                     "Only the legal representative or an administrator manages members.")

    def test_legal_representative_of_another_enterprise_refused(self, enterprise_a, enterprise_b, rep_b, newcomer):
        self.refused(actor_for(rep_b, enterprise_b), newcomer, enterprise_a, "You do not act for this organisation.")

    def test_officer_of_another_department_refused(self, stic, mqsa, officer_stic, newcomer):
        self.refused(actor_for(officer_stic, stic), newcomer, mqsa, "You do not act for this organisation.")

    def test_officer_of_a_department_cannot_manage_an_enterprise(self, enterprise_a, stic, officer_stic, newcomer):
        self.refused(actor_for(officer_stic, stic), newcomer, enterprise_a, "You do not act for this organisation.")

    def test_officer_cannot_appoint_officers_of_own_department(self, stic, officer_stic, newcomer):
        self.refused(actor_for(officer_stic, stic), newcomer, stic,
                     "Only the department's administrator manages its officers.")

    def test_logged_in_person_without_organisation_refused(self, enterprise_a, newcomer):
        self.refused(Actor(user=newcomer), newcomer, enterprise_a, "You do not act for this organisation.")

    def test_legal_representative_allowed(self, enterprise_a, rep_a, newcomer):
        membership = membership_grant(actor=actor_for(rep_a, enterprise_a), user=newcomer, organisation=enterprise_a,
                                      role=Role.STAFF)
        assert Membership.objects.filter(pk=membership.pk, user=newcomer, organisation=enterprise_a,
                                         role=Role.STAFF, is_active=True).exists()

    def test_platform_admin_allowed(self, enterprise_a, platform_admin, newcomer):
        actor = actor_for(platform_admin, platform())
        assert actor.is_platform_admin
        membership_grant(actor=actor, user=newcomer, organisation=enterprise_a, role=Role.STAFF)
        assert Membership.objects.filter(user=newcomer, organisation=enterprise_a, is_active=True).exists()

    def test_superuser_allowed(self, enterprise_a, newcomer):
        root = make_user("root")
        root.is_superuser = True
        root.save()
        membership_grant(actor=Actor(user=root), user=newcomer, organisation=enterprise_a, role=Role.STAFF)
        assert Membership.objects.filter(user=newcomer, organisation=enterprise_a).exists()


class TestActingOrganisationSwitch:
    def test_member_may_switch(self, rep_a, enterprise_a):
        before = AuditEvent.objects.count()
        assert acting_organisation_switch(actor=Actor(user=rep_a), organisation=enterprise_a) == enterprise_a
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.order_by("-seq").first()
        assert (event.verb, event.organisation, event.actor) == (
            "core.acting_organisation_switched", enterprise_a, rep_a)

    def test_non_member_refused(self, rep_a, enterprise_a, enterprise_b):
        before = AuditEvent.objects.count()
        with pytest.raises(NotAllowed) as caught:
            acting_organisation_switch(actor=actor_for(rep_a, enterprise_a), organisation=enterprise_b)
        assert caught.value.message == "You are not a member of this organisation."
        assert AuditEvent.objects.count() == before

    def test_revoked_member_refused(self, rep_a, staff_a, enterprise_a):
        membership = Membership.objects.get(user=staff_a, organisation=enterprise_a)
        membership_revoke(actor=actor_for(rep_a, enterprise_a), membership=membership)
        with pytest.raises(NotAllowed):
            acting_organisation_switch(actor=Actor(user=staff_a), organisation=enterprise_a)

    def test_anonymous_refused(self, enterprise_a):
        with pytest.raises(NotAllowed) as caught:
            acting_organisation_switch(actor=Actor.anonymous(), organisation=enterprise_a)
        assert caught.value.message == "Log in first."

    def test_inactive_organisation_refused(self, rep_a, enterprise_a):
        Organisation.objects.filter(pk=enterprise_a.pk).update(is_active=False)
        enterprise_a.refresh_from_db()
        with pytest.raises(NotAllowed) as caught:
            acting_organisation_switch(actor=Actor(user=rep_a), organisation=enterprise_a)
        assert caught.value.message == "This organisation is no longer active on the platform."

import pytest
from django.urls import reverse

from shuangchuang.core.models import InstitutionType, Role
from shuangchuang.core.services import organisation_create
from shuangchuang.core.tests.factories import SYSTEM, grant, make_user

pytestmark = pytest.mark.django_db


def workspace_html(client) -> str:
    response = client.get(reverse("web:workspace"))
    assert response.status_code == 200
    return response.content.decode()


class TestWorkspacePerRole:
    def test_an_enterprise_representative_sees_the_enterprise_and_the_role(self, login, rep_a, enterprise_a):
        html = workspace_html(login(rep_a))
        assert f"您当前代表{enterprise_a.name}" in html
        assert "法定代表人" in html

    def test_an_officer_sees_the_work_of_the_department_and_its_audit_log(self, login, officer_stic, stic):
        html = workspace_html(login(officer_stic))
        assert f"{stic.name}的工作" in html
        assert reverse("core:audit_log") in html
        for page in ("programmes:manage", "vouchers:manage", "credit:manage", "registration:queue"):
            assert reverse(page) in html
        assert "平台管理" not in html

    def test_a_reviewer_finds_the_reviews_assigned_to_them(self, login):
        university = organisation_create(actor=SYSTEM, kind="institution", code="INST-1", name="深圳测试大学",
                                         institution_type=InstitutionType.UNIVERSITY)
        reviewer = make_user("reviewer-1", full_name="评审甲")
        grant(reviewer, university, Role.REVIEWER)
        html = workspace_html(login(reviewer))
        assert "深圳测试大学" in html
        assert reverse("programmes:reviews") in html
        assert reverse("programmes:manage") not in html

    def test_a_platform_admin_gets_the_administration_links(self, login, platform_admin):
        html = workspace_html(login(platform_admin))
        assert reverse("admin:index") in html

    def test_a_person_without_organisation_is_told_so(self, login):
        html = workspace_html(login(make_user("loner")))
        assert "您尚未代表任何组织" in html

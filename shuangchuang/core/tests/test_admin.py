import pytest

from shuangchuang.core.models import AuditEvent, Organisation, User


@pytest.mark.django_db
class TestAdmin:
    @pytest.fixture
    def operator(self, client):
        user = User.objects.create_superuser("operator", "op@example.cn", "Operator-pass-2026!")
        client.force_login(user)
        return user

    def test_a_change_saved_in_the_admin_writes_an_audit_event(self, client, operator):
        org = Organisation.objects.get(code="SZ-STIC")
        response = client.post(
            f"/admin/core/organisation/{org.pk}/change/",
            {"institution_type": "", "name": org.name, "name_en": "Science and Technology Innovation Commission",
             "short_name": org.short_name, "parent": "", "region_code": org.region_code,
             "aliases": '["科技创新委"]', "is_active": "on"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        org.refresh_from_db()
        assert org.name_en == "Science and Technology Innovation Commission"
        event = AuditEvent.objects.get(verb="admin.organisation_changed")
        assert event.actor == operator
        assert "name_en" in event.params["changed"]

    def test_the_audit_log_cannot_be_edited_or_deleted_in_the_admin(self, client, operator):
        assert client.get("/admin/core/auditevent/add/").status_code == 403
        assert client.get("/admin/core/auditevent/").status_code == 200

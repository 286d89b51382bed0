from django.conf import settings

from shuangchuang.core.replica import ReplicaRouter, reads_from_replica
from shuangchuang.registry.models import Enterprise


class TestReplicaRouter:
    def test_reads_go_to_the_replica_only_inside_a_wrapped_public_view(self, monkeypatch):
        router = ReplicaRouter()
        monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))

        @reads_from_replica
        def public_view():
            return router.db_for_read(Enterprise)

        assert public_view() == "replica"
        assert router.db_for_read(Enterprise) is None
        assert router.db_for_write(Enterprise) == "default"

    def test_without_a_replica_everything_reads_from_default(self):
        router = ReplicaRouter()
        assert "replica" not in settings.DATABASES

        @reads_from_replica
        def public_view():
            return router.db_for_read(Enterprise)

        assert public_view() is None

    def test_migrations_run_on_default_only(self):
        router = ReplicaRouter()
        assert router.allow_migrate("default", "registry") is True
        assert router.allow_migrate("replica", "registry") is False

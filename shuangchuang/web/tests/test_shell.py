import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from shuangchuang.web.modules import MODULES

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
class TestShellPages:
    def test_home_is_chinese_first_and_lists_every_module(self, client):
        response = client.get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html
        assert "企业登记信息" in html or "企业名录" in html
        for module in MODULES:
            assert str(module.title) in html

    def test_a_module_not_built_says_so_plainly(self, client):
        response = client.get(reverse("web:module", args=["credit"]))
        assert response.status_code == 200
        assert "尚未建成" in response.content.decode()

    def test_unknown_module_is_404(self, client):
        assert client.get("/m/nothing/").status_code == 404

    def test_language_switch_to_english_changes_the_page(self, client):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
        html = response.content.decode()
        assert '<html lang="en">' in html
        assert "Enterprise registry" in html

    def test_workspace_needs_log_in(self, client):
        response = client.get(reverse("web:workspace"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("core:login"))

    def test_healthz_answers_when_the_database_does(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}

    def test_api_docs_page_is_served(self, client):
        response = client.get("/api/v1/docs")
        assert response.status_code == 200
        assert b"swagger" in response.content.lower()


def _run(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "shuangchuang.manage", *args], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=120,
    )


class TestProductionSettings:
    def test_missing_secret_stops_start_up_with_a_clear_message(self, tmp_path):
        result = _run({"SHUANGCHUANG_ENV": "production", "SHUANGCHUANG_VAR_DIR": str(tmp_path)}, "check")
        assert result.returncode == 2
        assert "SECRET_KEY is not set" in result.stderr
        assert "Traceback" not in result.stderr

    def test_check_deploy_passes_with_production_settings(self, tmp_path):
        result = _run(
            {"SHUANGCHUANG_ENV": "production", "SHUANGCHUANG_VAR_DIR": str(tmp_path),
             "SECRET_KEY": "x7Qm2vL9pR4tZ8wK1nB6cY3hJ5dF0gS-aE_uT9iO2lP7kM4jN8bV6cX1zQ3w",
             "ALLOWED_HOSTS": "sc.example.cn"},
            "check", "--deploy", "--fail-level", "WARNING",
        )
        assert result.returncode == 0, result.stdout + result.stderr

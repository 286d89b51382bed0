"""The public name check is usable with a keyboard and a screen reader, and speaks Chinese to Chinese visitors."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

IDENTICAL = "深圳市鹏城创芯科技有限公司"


def main_text(html: str) -> str:
    main = html[html.find("<main"):html.find("</main>")] if "<main" in html else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def english_words(text: str) -> set[str]:
    """Runs of English words left on a Chinese page (names of rules like 'Art 8' and codes are not prose)."""
    return {run.strip() for run in re.findall(r"[A-Za-z][A-Za-z ,'’]{6,}", text)}


class TestTheCheckPage:
    def test_every_field_has_a_label_and_its_help_is_announced_with_it(self, client):
        html = client.get(reverse("names:check")).content.decode()
        assert html.count("<h1") == 1
        for name in ("name", "legal_form", "industry_code", "investors"):
            assert f'<label for="id_{name}"' in html
        for name in ("name", "investors"):
            assert re.search(rf'id="id_{name}"[^>]*aria-describedby="id_{name}_helptext"', html) or re.search(
                rf'aria-describedby="id_{name}_helptext"[^>]*id="id_{name}"', html)
            assert f'id="id_{name}_helptext"' in html

    def test_the_live_result_is_announced_by_one_polite_status_region(self, client):
        html = client.get(reverse("names:check")).content.decode()
        status = re.search(r'<p id="check-status"[^>]*>', html).group(0)
        assert 'role="status"' in status and 'aria-live="polite"' in status and 'aria-atomic="true"' in status
        assert '<div id="result">' in html  # the result itself is not a second live region
        assert re.search(r'id="checking"[^>]*aria-hidden="true"', html)  # "checking…" is not read at every key

    def test_the_live_check_updates_the_status_with_the_verdict_and_every_issue(self, client, registered):
        html = client.post(reverse("names:check"), {"name": IDENTICAL, "legal_form": "llc"},
                           HTTP_HX_REQUEST="true").content.decode()
        status = re.search(r'<p id="check-status" hx-swap-oob="innerHTML">(.*?)</p>', html, re.S).group(1)
        assert "it cannot be used" in status and "identical" in html
        assert 'aria-labelledby="result-heading"' in html and '<h2 id="result-heading">' in html
        assert 'data-code="identical_enterprise"' in html

    def test_a_field_error_is_tied_to_its_field_and_spoken(self, client, db):
        html = client.post(reverse("names:check"), {"name": "", "legal_form": "llc"}).content.decode()
        assert 'id="id_name_error"' in html and 'aria-invalid="true"' in html
        assert re.search(r'aria-describedby="[^"]*id_name_error', html)
        status = re.search(r'<p id="check-status"[^>]*>(.*?)</p>', html, re.S).group(1)
        assert "Proposed name" in status

    def test_the_page_and_a_refused_name_read_in_chinese(self, db):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        with translation.override("zh-hans"):
            page = client.get(reverse("names:check")).content.decode()
            refused = client.post(reverse("names:check"), {"name": "深圳市abc有限公司", "legal_form": "llc"}
                                  ).content.decode()
        assert "企业名称自主申报" in page or "名称" in main_text(page)
        assert english_words(main_text(page)) == set()
        assert english_words(main_text(refused)) == set(), english_words(main_text(refused))
        assert "企业名称不得使用外文字母或汉语拼音。" in refused and "使用规范汉字" in refused

"""The public page of deregistration notices is usable with a keyboard and a screen reader, in English and
Chinese: every objection form has its own labelled fields, the buttons say which enterprise they object to."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from shuangchuang.registration.services import deregistration_start
from shuangchuang.registration.tests.conftest import pdf

pytestmark = pytest.mark.django_db


def main_text(html: str) -> str:
    main = html[html.find("<main"):html.find("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def two_notices(firm_a, firm_b):
    return [deregistration_start(actor=firm["actor"], enterprise=firm["enterprise"], ground="no_debts",
                                 promise=pdf()) for firm in (firm_a, firm_b)]


def test_each_objection_form_has_its_own_labelled_fields(two_notices, client):
    html = client.get("/registration/notices/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for file in two_notices:
        for name in ("kind", "name", "contact", "reason", "amount"):
            field_id = f"id_n{file.pk}_{name}"
            assert f'<label for="{field_id}"' in html and f'id="{field_id}"' in html
        assert f'action="/registration/notices/{file.pk}/object/"' in html
    assert html.count("<h1") == 1 and html.count("<h2") == 2
    assert 'autocomplete="name"' in html and "<time datetime=" in html


def test_the_buttons_name_the_enterprise_they_object_to(two_notices, client, firm_a, firm_b):
    html = client.get("/registration/notices/").content.decode()
    for firm in (firm_a, firm_b):
        name = firm["enterprise"].name
        assert re.search(rf'Send the objection<span class="visually-hidden">: {name}</span></button>', html)
        assert re.search(rf'Object to this deregistration<span class="visually-hidden">: {name}</span>', html)


def test_an_objection_error_is_tied_to_its_field(two_notices, client):
    file = two_notices[0]
    html = client.post(f"/registration/notices/{file.pk}/object/", {"kind": "public", "name": "x"}
                       ).content.decode()
    assert 'id="id_reason_error"' in html and re.search(r'aria-describedby="[^"]*id_reason_error', html)
    assert 'aria-invalid="true"' in html and 'role="alert"' in html


def test_the_notices_and_the_objection_form_read_in_chinese(two_notices):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    with translation.override("zh-hans"):
        page = client.get("/registration/notices/").content.decode()
        refused = client.post(f"/registration/notices/{two_notices[0].pk}/object/", {"kind": "public", "name": "x"}
                              ).content.decode()
    for html in (page, refused):
        assert re.findall(r"[A-Za-z][A-Za-z ,'’]{6,}", main_text(html)) == []
    assert "简易注销" in main_text(page)

"""Every page and API endpoint of the project, asked by every role with real, missing and malformed parameters, junk
query strings and garbage POSTs, answers without a server error; pages that need a log-in never answer 200 to an
anonymous visitor.

The data is the demo city (every module's demo.py) on a small number of enterprises, loaded once per module and
rolled back afterwards; every request runs in a savepoint that is rolled back, so a garbage POST that succeeds changes
nothing for the next request. Failures are collected and reported together (URL, role, status or exception).
"""

from __future__ import annotations

import functools
import io
import logging
import traceback
import zlib

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from shuangchuang.web.tests.every_page import (
    ANONYMOUS_MAY_SEE,
    Case,
    add_missing_objects,
    api_token_for,
    garbage_files,
    missing_real_objects,
    real_kwargs,
    url_cases,
)

# role → (demo log-in, the routes it sweeps). The specialised roles sweep the modules where they differ: a natural
# person with no organisation (talent applicant), the legal representative of a listed enterprise (credit repair).
ROLES = {
    "anonymous": (None, ("",)),
    "enterprise": ("demo-enterprise", ("",)),
    "officer": ("demo-officer", ("",)),
    "provider": ("demo-provider", ("",)),
    "admin": ("demo-admin", ("",)),
    "registration_officer": ("demo-officer-amr", ("registration/", "api/v1/registration/")),
    "reviewer": ("demo-reviewer", ("programmes/", "api/v1/programmes/")),
    "person": ("demo-talent", ("accounts/", "workspace/", "programmes/", "vouchers/", "policies/",
                               "registration/names/", "api/v1/me", "api/v1/programmes/", "api/v1/vouchers/",
                               "api/v1/registration/name-")),
    "listed": ("demo-listed", ("credit/", "api/v1/credit/")),
}

JUNK_QUERIES = [
    {"page": "abc", "q": "查" * 500, "sort": "nonsense", "ordering": "nonsense", "year": "abc", "date": "2026-13-45",
     "state": "nonsense", "status": "nonsense", "open": "abc", "kind": "nonsense", "category": "x" * 300,
     "call": "abc", "verb": "x" * 300, "share": "abc", "uscc": "abc", "question": "？" * 500, "voucher": "x" * 300,
     "as": "nonsense", "export": "nonsense", "page_size": "abc", "list": "abc", "department": "abc"},
    {"page": "-1", "page_size": "-1", "year": "-1", "share": "-1", "call": "-1", "export": "csv", "date": "0000-00-00"},
    {"page": "99999", "page_size": "99999", "year": "99999", "share": "NaN", "call": "99999999999999999999",
     "export": "xlsx", "date": "9999-12-31"},
]

GARBAGE_FORM = {
    "name": "x" * 300, "title": "", "amount": "abc", "amount_fen": "-1", "amount_yuan": "1e309", "year": "abc",
    "date": "2026-13-45", "valid_from": "2026-13-45", "valid_to": "yesterday", "decision": "nonsense",
    "action": "nonsense", "transition": "nonsense", "to": "nonsense", "step": "nonsense", "state": "nonsense",
    "uscc": "abc", "code": "x" * 300, "id_number": "abc", "email": "not-an-email", "value": "{not json",
    "rule": "{not json", "score": "NaN", "scores": "abc", "reason": "x" * 5000, "q": "x" * 500, "question": "？" * 500,
    "organisation": "abc", "voucher": "abc", "contract": "abc", "provider": "abc", "scheme": "abc", "category": "abc",
    "file": "not a file", "page": "abc", "share": "abc", "applicant_kind": "nonsense", "key": "x" * 300,
}

# Keys that views read from POST themselves (not through a form), each with a value it does not expect. Both garbage
# forms go with garbage uploads (every_page.garbage_files).
GARBAGE_BRANCHES = {
    "end_contract": "abc", "milestones": ["1", "9" * 25, "abc"], "kpi_name": "x" * 300, "target": "abc",
    "clawback": "1e309", "declare": "1", "publish": "1", "cancel": "1", "skip_bad_rows": "1", "action": "nonsense",
    "visited_on": "2026-13-45", "done_on": "2026-02-30", "next": "//evil.example.com/", "applicant_kind": "x" * 300,
    "transition": "x" * 300, "accept": "maybe", "decision": "x" * 300,
}

# The OpenAPI schema and its docs page: built afresh per request (0.2 s each), asked once per role.
DESCRIBE_ONLY = {"api/v1/openapi.json", "api/v1/docs"}

# Bodies the API parses centrally (one of them per role and endpoint), and one with fields of the wrong types.
API_MALFORMED_BODIES = [b"", b"{not json", b"[]"]
API_WRONG_TYPES = b'{"name": 1, "uscc": [], "amount_fen": "abc", "id": null, "transition": 7, "answers": "x"}'


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def project_routes() -> list[str]:
    """Every URL pattern of the project (Django admin and the language switch excluded), each route once."""
    seen: dict[str, None] = {}
    for route, _pattern in _walk(get_resolver()):
        if route.startswith(("admin/", "i18n/")):
            continue
        seen.setdefault(route, None)
    return list(seen)


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city on 150 enterprises (enough for the credit demo), loaded once for the module inside a
    transaction that is rolled back; uploads go to a temporary directory; per-process caches are forgotten."""
    from django.core.cache import cache
    from django.test import override_settings

    from shuangchuang.credit.lookup import forget_snapshot

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        forget_snapshot()
        cache.clear()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", enterprises=150, seed=7, stdout=io.StringIO())
            add_missing_objects()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            forget_snapshot()
            cache.clear()


def _summary(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/shuangchuang/" in f.filename
              and "/tests/" not in f.filename]
    where = f" at {frames[-1].filename.split('/shuangchuang/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {str(exc)[:200]}{where}"


class Sweep:
    """Requests one role's cases; each request in a savepoint that is rolled back; failures collected."""

    def __init__(self, role: str, client: Client, token: str | None):
        self.role, self.client, self.token = role, client, token
        self.failures: list[str] = []
        self.anonymous_200: list[str] = []
        self.count = 0

    def request(self, method: str, path: str, *, query: dict | None = None, data=None,
                content_type: str | None = None, htmx: bool = False) -> int | None:
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}  # the views that answer htmx with a fragment
        if path.startswith("/api/") and self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        session = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        sid = transaction.savepoint()
        self.count += 1
        label = (f"{self.role:>20} {method} {path[:160]}" + (f" ?{'&'.join(query)}" if query else "")
                 + (" (htmx)" if htmx else ""))
        try:
            if method == "GET":
                response = self.client.get(path, query or {}, **extra)
            elif content_type:
                response = self.client.generic(method, path, data or b"", content_type=content_type, **extra)
            else:
                response = self.client.post(path, data or {}, **extra)
        except Exception as exc:  # noqa: BLE001 — every exception is a finding, reported with the others
            self.failures.append(f"{label} -> {_summary(exc)}")
            return None
        finally:
            transaction.savepoint_rollback(sid)
            if session is not None:  # a POST to log-out or log-in changed the session: the rollback restored it
                self.client.cookies[settings.SESSION_COOKIE_NAME] = session.value
        if response.status_code >= 500:
            self.failures.append(f"{label} -> HTTP {response.status_code}")
        return response.status_code

    def share(self, route: str, variants: list) -> list:
        """Anonymous visitors try every variant; each signed-in role one of them, chosen by route and role, so
        that together the roles try them all at a fraction of the requests."""
        if self.role == "anonymous":
            return variants
        return [variants[zlib.crc32(f"{self.role} {route}".encode()) % len(variants)]]

    def run(self, cases: list[Case], api_methods: dict[str, set[str]]):
        """Per route, the real URLs first: GET; where that answered 200, again with junk query strings; garbage
        bodies to the methods an API endpoint has; an empty and a garbage form to the pages this role reaches (not
        403/404). Then missing and malformed parameter values: asked by anonymous visitors always, by the others
        only where the real URL got past log-in and permission checks (the same look-up follows) — by GET, or by
        an empty POST where the view takes POST only."""
        reached: dict[str, int] = {}
        for case in cases:
            api = case.route.startswith("api/")
            methods = api_methods.get(case.route, {"get", "post", "put", "patch"}) if api else {"get", "post"}
            if not case.real:
                last = reached.get(case.route)
                if self.role != "anonymous" and last in (None, 302, 401, 403, 404):
                    continue
                if "get" in methods and last != 405:
                    self.request("GET", case.path)
                elif api:
                    self.request(sorted(methods)[0].upper(), case.path, data=b"{}", content_type="application/json")
                else:
                    self.request("POST", case.path, data={})
                continue
            status = self.request("GET", case.path) if "get" in methods else None
            if self.role == "anonymous" and status == 200 and case.route not in ANONYMOUS_MAY_SEE:
                self.anonymous_200.append(f"{case.route} ({case.path})")
            if case.route in DESCRIBE_ONLY:
                continue
            if status == 200:
                for n, query in enumerate(self.share(case.route, JUNK_QUERIES)):  # about half as htmx requests
                    htmx = zlib.crc32(f"{self.role} {case.route} {n}".encode()) % 2 == 0
                    self.request("GET", case.path, query=query, htmx=htmx)
            if api:
                bodies = [b""]
                if self.role != "anonymous":
                    bodies = [API_WRONG_TYPES, *self.share(case.route, API_MALFORMED_BODIES)]
                for method in ("POST", "PUT", "PATCH"):
                    if method.lower() in methods:
                        for body in bodies:
                            answered = self.request(method, case.path, data=body, content_type="application/json")
                            status = answered if status is None else status
                if "post" in methods and self.role != "anonymous":  # the endpoints that take files
                    self.request("POST", case.path, data={**GARBAGE_FORM, **garbage_files()})
            elif status not in (403, 404):
                self.request("POST", case.path, data={})
                if self.role != "anonymous":
                    for form in self.share(case.route, [GARBAGE_FORM, GARBAGE_BRANCHES]):
                        self.request("POST", case.path, data={**form, **garbage_files()})
            if status is not None and (case.route not in reached or reached[case.route] in (302, 401, 403, 404)):
                reached[case.route] = status


@functools.cache
def api_methods() -> dict[str, set[str]]:
    """The HTTP methods of every API route, from the OpenAPI schema ({x} → <x>)."""
    from shuangchuang.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {path.lstrip("/").replace("{", "<").replace("}", ">"): set(operations)
            for path, operations in schema["paths"].items()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_or_endpoint_answers_a_server_error_to_any_role(city, role):
    username, prefixes = ROLES[role]
    client = Client()
    token = None
    if username:
        from shuangchuang.core.models import User

        user = User.objects.get(username=username)
        client.force_login(user)
        token = api_token_for(user)
    cases = [c for c in url_cases(project_routes(), real_kwargs()) if c.route.startswith(prefixes)]
    sweep = Sweep(role, client, token)
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)  # 4xx warnings by the thousand; failures are collected below
    try:
        sweep.run(cases, api_methods())
    finally:
        request_log.setLevel(level)
    report = "\n".join(sweep.failures)
    assert not sweep.failures, f"{len(sweep.failures)} of {sweep.count} requests failed:\n{report}"
    assert not sweep.anonymous_200, "Pages that answered 200 to an anonymous visitor:\n" + "\n".join(
        sweep.anonymous_200)


@pytest.mark.django_db
def test_every_route_with_parameters_has_real_values_to_fill_them(city):
    routes = [r for r in project_routes() if "<" in r]
    table = real_kwargs()
    missing = [r for r in routes if r not in table]
    assert not missing, "Add real values for these routes to web/tests/every_page.py:\n" + "\n".join(missing)
    assert missing_real_objects(table) == ["accounts/tokens/<int:pk>/revoke/"]  # each role's token is made later

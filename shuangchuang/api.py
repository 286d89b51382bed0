"""The JSON API under /api/v1 (django-ninja): routers of every module, token auth, one error shape.

Every 4xx answers {"error": {"code": <machine code>, "message": <translated text>}}.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from shuangchuang.core.errors import ServiceError


api = NinjaAPI(
    title="Shuangchuang API",
    version="1",
    description="双创 one-stop innovation and entrepreneurship public service platform — public and token-authenticated endpoints.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(request, status: int, code: str, message: str, **extra):
    body = {"error": {"code": code, "message": str(message), **extra}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    extra = {"field": exc.field} if exc.field else {}
    return error_response(request, exc.status, exc.code, exc.message, **extra)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return error_response(request, 422, "invalid_input", _("The request is not valid."), details=exc.errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(request, 401, "not_authenticated", _("Send a valid API token: Authorization: Bearer <token>."))


@api.exception_handler(AuthorizationError)
def on_authorization_error(request, exc):
    return error_response(request, 403, "not_allowed", str(exc.message) if hasattr(exc, "message") else _("Not allowed."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    codes = {400: "bad_request", 401: "not_authenticated", 403: "not_allowed", 404: "not_found", 405: "method_not_allowed",
             409: "conflict", 429: "rate_limited"}
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


from shuangchuang.core.api import router as core_router  # noqa: E402
from shuangchuang.credit.api import router as credit_router  # noqa: E402
from shuangchuang.names.api import router as names_router  # noqa: E402
from shuangchuang.policies.api import router as policies_router  # noqa: E402
from shuangchuang.programmes.api import router as programmes_router  # noqa: E402
from shuangchuang.registration.api import router as registration_router  # noqa: E402
from shuangchuang.registry.api import router as registry_router  # noqa: E402
from shuangchuang.vouchers.api import router as vouchers_router  # noqa: E402

api.add_router("/", registry_router)
api.add_router("/me", core_router)
api.add_router("/credit", credit_router)
api.add_router("/", policies_router)
api.add_router("/registration", names_router)
api.add_router("/registration", registration_router)
api.add_router("/programmes", programmes_router)
api.add_router("/vouchers", vouchers_router)

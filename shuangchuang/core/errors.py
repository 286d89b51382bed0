"""Errors that services raise. Each carries a machine-readable code and a translated message;
views turn them into form errors or messages, the API into {"error": {"code", "message"}}."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field


class NotAllowed(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


def require(decision: tuple[bool, str], code: str = "not_allowed") -> None:
    """Raise NotAllowed with the permission function's reason when it says no."""
    allowed, reason = decision
    if not allowed:
        raise NotAllowed(code, reason)

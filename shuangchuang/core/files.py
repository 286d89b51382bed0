"""Upload checks: size and real content type (from the file's bytes, not its name or the browser's claim)."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DOCUMENT_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
TEXT_TYPES = frozenset({"text/csv", "application/json", "text/plain"})


def _sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A cut in the middle of a multi-byte character at the end of the sample is still text.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    if "\x00" in text:
        return None
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith(("{", "[")):
        return "application/json"
    first_line = stripped.splitlines()[0] if stripped else ""
    if "," in first_line:
        return "text/csv"
    return "text/plain"


def validate_upload(upload, *, allowed_types: frozenset[str] = DOCUMENT_TYPES, max_bytes: int | None = None) -> str:
    """Return the detected content type, or raise a translated ValidationError (code too_large / wrong_type)."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; at most %(max)s is accepted.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    detected = _sniff(head)
    if detected not in allowed_types:
        raise ValidationError(
            _("This kind of file is not accepted here. Accepted: %(types)s.")
            % {"types": ", ".join(sorted(allowed_types))},
            code="wrong_type",
        )
    return detected

"""Application forms defined as data.

A schema is {"fields": [field, ...]}; a field is

    {"key": "revenue", "type": "money", "label": "Revenue last year", "required": true, "help": "...",
     "min": 0, "max": 100000000,                  # number / money (money in yuan; stored as integer fen)
     "max_length": 500,                            # text
     "multiline": true,                            # text
     "choices": [["yes", "Yes"], ["no", "No"]],    # choice
     "columns": [field, ...], "min_rows": 1, "max_rows": 20,   # table (columns: text, number, money, date, choice)
     "types": ["application/pdf"], "max_bytes": 5242880,        # file
     "show_if": {"field": "has_patent", "equals": "yes"}}       # conditional: asked only when the other answer is

Types: text, number, money, date, choice, file, table.

- `validate_form_schema(schema) -> dict` checks a schema an officer wrote (raises ServiceError with the path).
- `clean_answers(schema, raw, *, complete) -> (answers, errors)` turns raw input (strings from a form or values
  from JSON) into stored answers: money → int fen, number → str of a Decimal, date → ISO date, table → list of
  row dicts; hidden conditional fields are dropped; `complete=False` (a draft) does not require anything.
  File fields are answered by uploads (ApplicationFile.slot == key); `missing_files` lists the ones missing.
- `ApplicationForm` (programmes.forms) renders a schema as a Django form and calls clean_answers.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.core.files import DOCUMENT_TYPES

TYPES = ("text", "number", "money", "date", "choice", "file", "table")
COLUMN_TYPES = ("text", "number", "money", "date", "choice")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 80
MAX_TABLE_ROWS = 50
MAX_TEXT = 5000
MAX_MONEY_YUAN = Decimal("100000000000")  # 1000亿元: a sanity bound, not a policy figure


def _err(path: str, message: str) -> ServiceError:
    return ServiceError("invalid_form_schema", f"{path}: {message}", field="form_schema")


def _check_number(value, path: str, name: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _err(path, _("%(name)s must be a number.") % {"name": name})
    try:
        Decimal(str(value))
    except InvalidOperation as exc:
        raise _err(path, _("%(name)s must be a number.") % {"name": name}) from exc


def _validate_field(field: Any, path: str, *, allowed: tuple[str, ...], keys: set[str]) -> dict:
    if not isinstance(field, dict):
        raise _err(path, _("Each field is an object."))
    key = field.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise _err(path, _("The key must be lower-case letters, digits and _ (starting with a letter)."))
    if key in keys:
        raise _err(path, _("The key %(key)s is used twice.") % {"key": key})
    keys.add(key)
    kind = field.get("type")
    if kind not in allowed:
        raise _err(path, _("Unknown type %(type)s; use one of: %(types)s.") % {"type": kind,
                                                                             "types": ", ".join(allowed)})
    label = field.get("label")
    if not isinstance(label, str) or not label.strip():
        raise _err(path, _("Every field needs a label."))
    unknown = set(field) - {"key", "type", "label", "required", "help", "min", "max", "max_length", "multiline",
                            "choices", "columns", "min_rows", "max_rows", "types", "max_bytes", "show_if"}
    if unknown:
        raise _err(path, _("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if "required" in field and not isinstance(field["required"], bool):
        raise _err(path, _("required is true or false."))
    for name in ("min", "max"):
        _check_number(field.get(name), path, name)
    if field.get("min") is not None and field.get("max") is not None:
        if Decimal(str(field["min"])) > Decimal(str(field["max"])):
            raise _err(path, _("min is larger than max."))
    if "max_length" in field and (not isinstance(field["max_length"], int) or not 1 <= field["max_length"] <= MAX_TEXT):
        raise _err(path, _("max_length is a whole number from 1 to %(n)d.") % {"n": MAX_TEXT})
    if kind == "choice":
        choices = field.get("choices")
        if not isinstance(choices, list) or not choices:
            raise _err(path, _("A choice field needs a list of choices."))
        seen = set()
        for choice in choices:
            if not (isinstance(choice, list) and len(choice) == 2 and all(isinstance(c, str) and c for c in choice)):
                raise _err(path, _('Each choice is ["value", "label"].'))
            if choice[0] in seen:
                raise _err(path, _("The choice %(value)s is listed twice.") % {"value": choice[0]})
            seen.add(choice[0])
    if kind == "table":
        columns = field.get("columns")
        if not isinstance(columns, list) or not columns:
            raise _err(path, _("A table needs columns."))
        column_keys: set[str] = set()
        field = dict(field)
        field["columns"] = [_validate_field(c, f"{path}.columns[{i}]", allowed=COLUMN_TYPES, keys=column_keys)
                            for i, c in enumerate(columns)]
        for name in ("min_rows", "max_rows"):
            if name in field and (not isinstance(field[name], int) or not 0 <= field[name] <= MAX_TABLE_ROWS):
                raise _err(path, _("%(name)s is a whole number from 0 to %(n)d.") % {"name": name,
                                                                                    "n": MAX_TABLE_ROWS})
        if field.get("min_rows", 0) > field.get("max_rows", MAX_TABLE_ROWS):
            raise _err(path, _("min_rows is larger than max_rows."))
    if kind == "file":
        types = field.get("types", sorted(DOCUMENT_TYPES))
        if not isinstance(types, list) or not types or not set(types) <= DOCUMENT_TYPES:
            raise _err(path, _("File types must be among: %(types)s.") % {"types": ", ".join(sorted(DOCUMENT_TYPES))})
        if "max_bytes" in field and (not isinstance(field["max_bytes"], int) or field["max_bytes"] < 1):
            raise _err(path, _("max_bytes is a positive whole number."))
    return field


def validate_form_schema(schema: Any) -> dict:
    if schema in (None, {}, ""):
        return {"fields": []}
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise _err("form", _('A form is {"fields": [...]}.'))
    if set(schema) - {"fields"}:
        raise _err("form", _('A form is {"fields": [...]}.'))
    fields = schema["fields"]
    if len(fields) > MAX_FIELDS:
        raise _err("form", _("At most %(n)d fields.") % {"n": MAX_FIELDS})
    keys: set[str] = set()
    cleaned = [_validate_field(f, f"fields[{i}]", allowed=TYPES, keys=keys) for i, f in enumerate(fields)]
    by_key = {f["key"]: f for f in cleaned}
    for i, field in enumerate(cleaned):
        cond = field.get("show_if")
        if cond is None:
            continue
        if not isinstance(cond, dict) or set(cond) != {"field", "equals"}:
            raise _err(f"fields[{i}]", _('show_if is {"field": "...", "equals": "..."}.'))
        other = by_key.get(cond["field"])
        if other is None or other is field:
            raise _err(f"fields[{i}]", _("show_if names a field that is not in the form."))
        position = [f["key"] for f in cleaned].index(other["key"])
        if position > i:
            raise _err(f"fields[{i}]", _("show_if must name a field above this one."))
        if other["type"] not in ("choice", "text"):
            raise _err(f"fields[{i}]", _("show_if must name a choice or text field."))
    return {"fields": cleaned}


# ---- answers ---------------------------------------------------------------------------------------------------

def visible(field: dict, raw: dict) -> bool:
    cond = field.get("show_if")
    if not cond:
        return True
    return str(raw.get(cond["field"], "") or "") == str(cond["equals"])


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _clean_scalar(field: dict, value) -> Any:
    """The stored value of one non-empty answer, or raise ValueError with the message."""
    kind = field["type"]
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError(_("Enter text."))
        value = value.strip()
        limit = field.get("max_length", MAX_TEXT)
        if len(value) > limit:
            raise ValueError(_("At most %(n)d characters.") % {"n": limit})
        return value
    if kind in ("number", "money"):
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise ValueError(_("Enter a number."))
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        if field.get("min") is not None and number < Decimal(str(field["min"])):
            raise ValueError(_("At least %(n)s.") % {"n": field["min"]})
        if field.get("max") is not None and number > Decimal(str(field["max"])):
            raise ValueError(_("At most %(n)s.") % {"n": field["max"]})
        if kind == "money":
            if number.as_tuple().exponent < -2:
                raise ValueError(_("An amount in yuan has at most two decimals."))
            if abs(number) > MAX_MONEY_YUAN:
                raise ValueError(_("The amount is too large."))
            return int(number * 100)
        return format(number.normalize(), "f")
    if kind == "date":
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == "choice":
        values = [c[0] for c in field["choices"]]
        if str(value) not in values:
            raise ValueError(_("Choose one of the options."))
        return str(value)
    raise ValueError(_("This field is answered with a file."))


def clean_answers(schema: dict, raw: dict, *, complete: bool) -> tuple[dict, dict[str, str]]:
    answers: dict = {}
    errors: dict[str, str] = {}
    raw = raw or {}
    for field in (schema or {}).get("fields", []):
        key, kind = field["key"], field["type"]
        if kind == "file" or not visible(field, raw):
            continue
        value = raw.get(key)
        if kind == "table":
            if _blank(value):
                value = []
            if not isinstance(value, list):
                errors[key] = _("A table is a list of rows.")
                continue
            rows, row_errors = [], []
            for number, row in enumerate(value, start=1):
                if not isinstance(row, dict):
                    row_errors.append(_("Row %(n)d is not a row.") % {"n": number})
                    continue
                if all(_blank(row.get(c["key"])) for c in field["columns"]):
                    continue
                cleaned = {}
                for column in field["columns"]:
                    cell = row.get(column["key"])
                    if _blank(cell):
                        if column.get("required") and complete:
                            row_errors.append(_("Row %(n)d: %(label)s is required.") % {"n": number,
                                                                                       "label": column["label"]})
                        continue
                    try:
                        cleaned[column["key"]] = _clean_scalar(column, cell)
                    except ValueError as exc:
                        row_errors.append(_("Row %(n)d, %(label)s: %(message)s") % {
                            "n": number, "label": column["label"], "message": exc})
                rows.append(cleaned)
            limit = field.get("max_rows", MAX_TABLE_ROWS)
            if len(rows) > limit:
                row_errors.append(_("At most %(n)d rows.") % {"n": limit})
            if complete and len(rows) < field.get("min_rows", 1 if field.get("required") else 0):
                row_errors.append(_("Fill in at least %(n)d rows.") % {
                    "n": field.get("min_rows", 1)})
            if row_errors:
                errors[key] = " ".join(row_errors)
            elif rows:
                answers[key] = rows
            continue
        if _blank(value):
            if complete and field.get("required"):
                errors[key] = _("This field is required.")
            continue
        try:
            answers[key] = _clean_scalar(field, value)
        except ValueError as exc:
            errors[key] = str(exc)
    return answers, errors


def file_fields(schema: dict, answers: dict) -> list[dict]:
    """The file fields asked for, given the answers (conditional ones only when shown)."""
    return [f for f in (schema or {}).get("fields", []) if f["type"] == "file" and visible(f, answers)]


def missing_files(schema: dict, attachments: list[dict], answers: dict, slots: set[str]) -> list[str]:
    """Labels of the required file fields and attachments without an uploaded file."""
    missing = [f["label"] for f in file_fields(schema, answers) if f.get("required") and f["key"] not in slots]
    missing += [a["label"] for a in attachments or [] if a.get("required", True) and a["key"] not in slots]
    return missing


def validate_attachments(attachments: Any) -> list[dict]:
    if attachments in (None, ""):
        return []
    if not isinstance(attachments, list):
        raise ServiceError("invalid_attachments", _('Attachments are a list of {"key", "label", "required"}.'),
                           field="attachments")
    keys: set[str] = set()
    cleaned = []
    for item in attachments:
        if not isinstance(item, dict) or not isinstance(item.get("label"), str) or not item["label"].strip():
            raise ServiceError("invalid_attachments", _("Every attachment needs a label."), field="attachments")
        key = item.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key) or key in keys:
            raise ServiceError("invalid_attachments", _("Every attachment needs its own key (lower-case letters, "
                                                        "digits and _)."), field="attachments")
        keys.add(key)
        cleaned.append({"key": key, "label": item["label"].strip(), "required": bool(item.get("required", True))})
    return cleaned


def validate_criteria(criteria: Any) -> list[dict]:
    """Scoring criteria: [{"key", "label", "max"}]; a review's total is the sum of the scores."""
    if criteria in (None, ""):
        return []
    if not isinstance(criteria, list):
        raise ServiceError("invalid_criteria", _('Criteria are a list of {"key", "label", "max"}.'), field="criteria")
    keys: set[str] = set()
    cleaned = []
    for item in criteria:
        if not isinstance(item, dict) or not isinstance(item.get("label"), str) or not item["label"].strip():
            raise ServiceError("invalid_criteria", _("Every criterion needs a label."), field="criteria")
        key = item.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key) or key in keys:
            raise ServiceError("invalid_criteria", _("Every criterion needs its own key."), field="criteria")
        maximum = item.get("max")
        if isinstance(maximum, bool) or not isinstance(maximum, int) or not 1 <= maximum <= 1000:
            raise ServiceError("invalid_criteria", _("The maximum of a criterion is a whole number from 1 to 1000."),
                               field="criteria")
        keys.add(key)
        cleaned.append({"key": key, "label": item["label"].strip(), "max": maximum})
    return cleaned

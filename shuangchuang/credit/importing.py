"""The list import format (CSV or JSON) and the check of every row.

Format
------
CSV: UTF-8 (a byte-order mark is allowed), comma-separated, first line the column names. JSON: an array of
objects, or an object {"entries": [...]}. Column names are the English names below or their Chinese labels.

=============================== ============ =========================================================
column                          Chinese      meaning
=============================== ============ =========================================================
subject_type                    主体类型      ``enterprise`` (企业, default) or ``person`` (个人)
name (required)                 名称 / 姓名   the listed party's name as published
uscc                            统一社会信用代码 18 characters; checked (GB 32100)
org_code                        组织机构代码   9 characters (XXXXXXXX-X accepted); checked (GB 11714)
old_registration_number         注册号        the pre-2015 15-digit registration number
id_number                       身份证号码     persons: required, checked (GB 11643); never shown in full
sex / age                       性别 / 年龄
legal_representative            法定代表人     name of the enterprise's legal representative
legal_representative_id_number  法定代表人身份证号码
reason (required)               列入原因 / 失信行为  the listing reason or the act
authority                       作出决定机关 / 执行法院
document_number                 文书号 / 执行依据文号
case_number                     案号
obligation                      生效法律文书确定的义务
performance                     履行情况
filed_on                        立案时间      YYYY-MM-DD
listed_on (required)            列入日期 / 发布时间  YYYY-MM-DD
expires_on                      移出日期      YYYY-MM-DD; default: listed_on + the list's listing period
external_id                     来源编号      the source's own identifier of the record
=============================== ============ =========================================================

A row is identified across imports by ``external_id`` when given, otherwise by the party's identifier (USCC,
organisation code, registration number, ID number, else the normalised name), the case number, the document
number and the listing date. Importing the same file twice changes nothing; a row whose identity is known but
whose content changed updates that entry (its previous content is kept as a revision).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuangchuang.core.idnumber import validate_id_number
from shuangchuang.credit.normalise import parse_name, person_name, uscc_compact
from shuangchuang.registry.uscc import REASON_MESSAGES, gb11714_check_char, parse_uscc

COLUMNS = (
    "subject_type", "name", "uscc", "org_code", "old_registration_number", "id_number", "sex", "age",
    "legal_representative", "legal_representative_id_number", "reason", "authority", "document_number",
    "case_number", "obligation", "performance", "filed_on", "listed_on", "expires_on", "external_id",
)
ALIASES = {
    "主体类型": "subject_type", "名称": "name", "姓名": "name", "企业名称": "name", "被执行人姓名/名称": "name",
    "统一社会信用代码": "uscc", "组织机构代码": "org_code", "注册号": "old_registration_number",
    "身份证号码": "id_number", "身份证号": "id_number", "性别": "sex", "年龄": "age",
    "法定代表人": "legal_representative", "法定代表人或者负责人姓名": "legal_representative",
    "法定代表人身份证号码": "legal_representative_id_number",
    "列入原因": "reason", "失信行为": "reason", "失信被执行人行为具体情形": "reason", "处罚内容": "reason",
    "作出决定机关": "authority", "执行法院": "authority", "文书号": "document_number",
    "执行依据文号": "document_number", "决定书文号": "document_number", "案号": "case_number",
    "生效法律文书确定的义务": "obligation", "被执行人的履行情况": "performance", "履行情况": "performance",
    "立案时间": "filed_on", "列入日期": "listed_on", "发布时间": "listed_on", "决定日期": "listed_on",
    "移出日期": "expires_on", "来源编号": "external_id",
}
SUBJECT_WORDS = {"enterprise": "enterprise", "企业": "enterprise", "单位": "enterprise", "法人": "enterprise",
                 "person": "person", "个人": "person", "自然人": "person", "": ""}
MAX_ROWS = 200_000


class ImportFileError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class CheckedRow:
    row: int
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    source_key: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ImportFileError("encoding", _("The file is not UTF-8 (or GB 18030) text.")) from exc


def read_rows(text: str, file_format: str) -> list[dict[str, Any]]:
    if file_format == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError("bad_json", _("The JSON cannot be read: %(error)s") % {"error": exc.msg}) from exc
        if isinstance(data, dict):
            data = data.get("entries")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ImportFileError("bad_json", _("The JSON must be an array of objects, or {\"entries\": [...]}."))
        rows = data
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames:
            raise ImportFileError("empty", _("The file is empty."))
        rows = list(reader)
    if not rows:
        raise ImportFileError("empty", _("The file has no rows."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError("too_many_rows", _("At most %(n)d rows are imported at once.") % {"n": MAX_ROWS})
    normalised = []
    for raw in rows:
        row = {}
        for key, value in raw.items():
            if key is None:
                continue
            name = ALIASES.get(str(key).strip(), str(key).strip().lower())
            row[name] = "" if value is None else str(value).strip()
        normalised.append(row)
    known = set(COLUMNS)
    columns = set().union(*(r.keys() for r in normalised))
    if "name" not in columns:
        raise ImportFileError("missing_column", _("The file has no name column."))
    unknown = sorted(columns - known)
    if unknown:
        raise ImportFileError("unknown_column", _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    return normalised


def _date(value: str) -> datetime.date | None:
    value = value.strip().replace("/", "-").replace(".", "-")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _org_code_ok(code: str) -> bool:
    return len(code) == 9 and code[:8].isalnum() and gb11714_check_char(code[:8]) == code[8]


def check_row(number: int, raw: dict[str, Any], *, subjects: str, term_months: int | None) -> CheckedRow:
    from shuangchuang.credit.services.common import add_months

    checked = CheckedRow(row=number)

    def error(column: str, code: str, message: str) -> None:
        checked.errors.append({"row": number, "column": column, "code": code, "message": message})

    subject = SUBJECT_WORDS.get(raw.get("subject_type", "").lower())
    if subject is None:
        error("subject_type", "bad_subject_type", _("Write enterprise or person."))
        subject = "enterprise"
    if not subject:
        subject = "person" if subjects == "persons" else "enterprise"
    if subjects == "enterprises" and subject == "person":
        error("subject_type", "subject_not_allowed", _("This list holds enterprises only."))
    if subjects == "persons" and subject == "enterprise":
        error("subject_type", "subject_not_allowed", _("This list holds persons only."))
    data: dict[str, Any] = {"subject_type": subject}

    name = " ".join(raw.get("name", "").split())
    if not name:
        error("name", "required", _("The name is missing."))
    elif len(name) > 200:
        error("name", "too_long", _("The name is longer than 200 characters."))
    data["name"] = name

    uscc = uscc_compact(raw.get("uscc", ""))
    if uscc:
        parsed = parse_uscc(uscc)
        if not parsed.valid:
            error("uscc", f"uscc_{parsed.reason}", _(REASON_MESSAGES[parsed.reason]))
    data["uscc"] = uscc
    org_code = uscc_compact(raw.get("org_code", ""))
    if org_code:
        if not _org_code_ok(org_code):
            error("org_code", "org_code_check", _("The organisation code fails its GB 11714 check."))
        elif uscc and uscc[8:17] != org_code:
            error("org_code", "org_code_mismatch",
                  _("The organisation code differs from characters 9 to 17 of the unified social credit code."))
    data["org_code"] = org_code
    old = uscc_compact(raw.get("old_registration_number", ""))
    if old and not (len(old) == 15 and old.isdigit()):
        error("old_registration_number", "bad_registration_number", _("A registration number has 15 digits."))
    data["old_registration_number"] = old

    for column in ("id_number", "legal_representative_id_number"):
        value = raw.get(column, "").strip()
        data[column] = ""
        if value:
            try:
                data[column] = validate_id_number(value)
            except ValidationError as exc:
                error(column, exc.code or "id_number_invalid", " ".join(str(m) for m in exc.messages))
    if subject == "person":
        if not data["id_number"] and not any(e["column"] == "id_number" for e in checked.errors):
            error("id_number", "required", _("A listed person needs an ID number."))
        if uscc or org_code:
            error("uscc", "person_with_code", _("A person has no unified social credit code."))
    elif data["id_number"]:
        error("id_number", "enterprise_with_id", _("An enterprise row takes no personal ID number."))

    reason = raw.get("reason", "").strip()
    if not reason:
        error("reason", "required", _("The reason is missing."))
    data["reason"] = reason

    for column, limit in (("sex", 8), ("legal_representative", 64), ("authority", 128), ("document_number", 128),
                          ("case_number", 128), ("performance", 200)):
        value = raw.get(column, "").strip()
        if len(value) > limit:
            error(column, "too_long", _("At most %(n)d characters.") % {"n": limit})
        data[column] = value[:limit]
    data["obligation"] = raw.get("obligation", "").strip()
    age = raw.get("age", "").strip()
    data["age"] = None
    if age:
        if age.isdigit() and 0 < int(age) < 130:
            data["age"] = int(age)
        else:
            error("age", "bad_age", _("The age must be a whole number of years."))

    for column in ("filed_on", "listed_on", "expires_on"):
        value = raw.get(column, "").strip()
        day = _date(value)
        if value and day is None:
            error(column, "bad_date", _("Write the date as YYYY-MM-DD."))
        data[column] = day
    if not raw.get("listed_on", "").strip():
        error("listed_on", "required", _("The listing date is missing."))
    if data["listed_on"] and data["expires_on"] and data["expires_on"] <= data["listed_on"]:
        error("expires_on", "expires_before_listed", _("The end of listing must be after the listing date."))
    if data["listed_on"] and not data["expires_on"] and term_months:
        data["expires_on"] = add_months(data["listed_on"], term_months)
    data["external_id"] = raw.get("external_id", "").strip()[:100]
    if checked.ok:
        checked.source_key = source_key(data)
    checked.data = data
    return checked


def source_key(data: dict[str, Any]) -> str:
    if data.get("external_id"):
        basis = "x:" + data["external_id"]
    else:
        identity = (data.get("uscc") or data.get("org_code") or data.get("old_registration_number")
                    or data.get("id_number"))
        if not identity:
            identity = ("m:" + person_name(data["name"]) if data["subject_type"] == "person"
                        else "n:" + parse_name(data["name"]).strict_key)
        listed = data["listed_on"].isoformat() if data.get("listed_on") else ""
        basis = "|".join([identity, data.get("case_number", ""), data.get("document_number", ""), listed])
    return hashlib.sha256(basis.encode()).hexdigest()[:40]


def check_file(text: str, file_format: str, *, subjects: str, term_months: int | None) -> list[CheckedRow]:
    rows = read_rows(text, file_format)
    checked = []
    first_seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=2 if file_format == "csv" else 1):
        row = check_row(index, raw, subjects=subjects, term_months=term_months)
        if row.ok:
            if row.source_key in first_seen:
                row.errors.append({
                    "row": index, "column": "", "code": "duplicate",
                    "message": _("The same entry as row %(row)d.") % {"row": first_seen[row.source_key]},
                })
            else:
                first_seen[row.source_key] = index
        checked.append(row)
    return checked


def detect_format(file_name: str, content_type: str) -> str:
    if content_type == "application/json" or file_name.lower().endswith(".json"):
        return "json"
    return "csv"

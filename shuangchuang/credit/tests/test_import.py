"""List imports: per-row validation, all-or-nothing unless bad rows are skipped, idempotent re-import."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuangchuang.core.errors import NotAllowed, ServiceError
from shuangchuang.core.models import AuditEvent
from shuangchuang.core.tests.factories import actor_for, enterprise_code, id_number
from shuangchuang.credit.models import CreditList, EntryKey, EntryRevision, ImportBatch, ListEntry
from shuangchuang.credit.services import list_import, list_import_apply, list_import_check

pytestmark = pytest.mark.django_db

HEADER = "subject_type,name,uscc,id_number,reason,authority,case_number,listed_on,expires_on\n"
GOOD_CODE = enterprise_code(11)
BAD_CODE = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")


def csv_file(rows: str, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + rows).encode(), content_type="text/csv")


GOOD = (
    f"enterprise,深圳市诚信测试科技有限公司,{GOOD_CODE},,拒不履行生效判决,深圳市中级人民法院,(2025)粤03执1号,2025-04-01,\n"
    f"person,李某,,{id_number(41)},拒不履行生效判决,深圳市中级人民法院,(2025)粤03执2号,2025-04-02,\n"
    "enterprise,深圳市无码测试贸易有限公司,,,违反财产报告制度,深圳市中级人民法院,(2025)粤03执3号,2025-04-03,2027-04-03\n"
)
BAD = (
    f"enterprise,深圳市错码科技有限公司,{BAD_CODE},,拒不履行,深圳市中级人民法院,(2025)粤03执4号,2025-04-04,\n"
    "enterprise,,,,拒不履行,深圳市中级人民法院,(2025)粤03执5号,2025-04-05,\n"
    "enterprise,深圳市缺因科技有限公司,,,,深圳市中级人民法院,(2025)粤03执6号,2025/13/40,\n"
    f"enterprise,深圳市诚信测试科技有限公司,{GOOD_CODE},,拒不履行生效判决,深圳市中级人民法院,(2025)粤03执1号,2025-04-01,\n"
    "person,赵某,,110105199001010000,拒不履行,深圳市中级人民法院,(2025)粤03执7号,2025-04-07,\n"
)


@pytest.fixture
def court(officer_ipc, ipc):
    return actor_for(officer_ipc, ipc)


def errors_by_row(batch: ImportBatch) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in batch.errors:
        found.setdefault(error["row"], set()).add(error["code"])
    return found


class TestGoodFile:
    def test_every_row_becomes_an_entry_with_its_lookup_keys(self, court, dishonest, registered_b):
        batch = list_import(actor=court, credit_list=dishonest, upload=csv_file(GOOD), rescreen=False)
        assert (batch.status, batch.total_rows, batch.created, batch.updated, batch.unchanged) == (
            "imported", 3, 3, 0, 0)
        firm = ListEntry.objects.get(uscc=GOOD_CODE)
        assert (firm.name, firm.case_number, firm.listed_on.isoformat()) == (
            "深圳市诚信测试科技有限公司", "(2025)粤03执1号", "2025-04-01")
        assert set(EntryKey.objects.filter(entry=firm).values_list("key", flat=True)) >= {
            "u:" + GOOD_CODE, "o:" + GOOD_CODE[8:17], "n:诚信测试科技|有限公司"}
        person = ListEntry.objects.get(name="李某")
        assert (person.subject_type, person.id_number) == ("person", id_number(41))
        event = AuditEvent.objects.get(verb="credit.list_imported")
        assert (event.department.code, event.params["created"]) == ("SZ-IPC", 3)

    def test_an_entry_with_a_registered_code_is_linked_to_the_enterprise(self, court, dishonest):
        from shuangchuang.credit.tests.conftest import register

        enterprise = register("深圳市诚信测试科技有限公司", 11)
        list_import(actor=court, credit_list=dishonest, upload=csv_file(GOOD), rescreen=False)
        assert ListEntry.objects.get(uscc=GOOD_CODE).enterprise == enterprise

    def test_reimporting_the_same_file_changes_nothing(self, court, dishonest):
        list_import(actor=court, credit_list=dishonest, upload=csv_file(GOOD), rescreen=False)
        dishonest.refresh_from_db()
        version = dishonest.version
        entries = list(ListEntry.objects.order_by("pk").values("pk", "version", "updated_at"))
        keys = EntryKey.objects.count()
        again = list_import(actor=court, credit_list=dishonest, upload=csv_file(GOOD), rescreen=False)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
        dishonest.refresh_from_db()
        assert dishonest.version == version
        assert list(ListEntry.objects.order_by("pk").values("pk", "version", "updated_at")) == entries
        assert EntryKey.objects.count() == keys
        assert not EntryRevision.objects.exists()

    def test_a_changed_row_updates_its_entry_and_keeps_the_old_content(self, court, dishonest):
        list_import(actor=court, credit_list=dishonest, upload=csv_file(GOOD), rescreen=False)
        changed = GOOD.replace("违反财产报告制度", "违反财产报告制度，拒不申报")
        batch = list_import(actor=court, credit_list=dishonest, upload=csv_file(changed), rescreen=False)
        assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 2)
        entry = ListEntry.objects.get(name="深圳市无码测试贸易有限公司")
        assert (entry.reason, entry.version) == ("违反财产报告制度，拒不申报", 2)
        revision = EntryRevision.objects.get(entry=entry)
        assert (revision.version, revision.content["reason"], revision.change) == (1, "违反财产报告制度", "import")

    def test_json_and_chinese_column_names_are_read(self, court, dishonest):
        rows = [{"名称": "深圳市甲乙丙科技有限公司", "统一社会信用代码": GOOD_CODE, "失信行为": "拒不履行",
                 "案号": "(2025)粤03执9号", "发布时间": "2025-05-05"}]
        upload = SimpleUploadedFile("list.json", json.dumps({"entries": rows}, ensure_ascii=False).encode(),
                                    content_type="application/json")
        batch = list_import(actor=court, credit_list=dishonest, upload=upload, rescreen=False)
        assert (batch.file_format, batch.created) == ("json", 1)
        assert ListEntry.objects.get().case_number == "(2025)粤03执9号"

    def test_the_list_period_sets_the_end_of_listing_when_the_row_has_none(self, court, dishonest, serious,
                                                                            officer_mqsa, mqsa):
        rows = f"enterprise,深圳市严重违法科技有限公司,{GOOD_CODE},,三年未履行,市场监管委,,2025-04-01,\n"
        list_import(actor=actor_for(officer_mqsa, mqsa), credit_list=serious, upload=csv_file(rows), rescreen=False)
        assert ListEntry.objects.get().expires_on.isoformat() == "2030-04-01"  # serious-violation list: 60 months

    def test_an_import_that_changes_the_list_starts_a_rescreen(self, court, dishonest,
                                                              django_capture_on_commit_callbacks):
        from shuangchuang.credit.models import Job

        with django_capture_on_commit_callbacks(execute=True):
            list_import(actor=court, credit_list=dishonest, upload=csv_file(GOOD))
        job = Job.objects.get()
        assert (job.kind, job.status, job.credit_list, job.params["reason"]) == (
            "rescreen", "done", dishonest, "import")


class TestBadRows:
    def test_a_file_with_errors_imports_nothing_and_reports_every_bad_row(self, court, dishonest):
        batch = list_import(actor=court, credit_list=dishonest, upload=csv_file(GOOD + BAD), rescreen=False)
        assert batch.status == "rejected"
        assert not ListEntry.objects.exists()
        assert errors_by_row(batch) == {
            5: {"uscc_check_character"},
            6: {"required"},
            7: {"required", "bad_date"},
            8: {"duplicate"},
            9: {"id_number_check"},
        }
        duplicate = next(e for e in batch.errors if e["row"] == 8)
        assert duplicate["message"] == "The same entry as row 2."
        missing = {(e["column"], e["code"]) for e in batch.errors if e["row"] == 7}
        assert missing == {("reason", "required"), ("listed_on", "bad_date")}

    def test_the_officer_may_skip_the_bad_rows(self, court, dishonest):
        checked = list_import_check(actor=court, credit_list=dishonest, upload=csv_file(GOOD + BAD))
        assert (checked.status, checked.total_rows, checked.valid_rows, checked.bad_rows) == ("checked", 8, 3, 5)
        assert not ListEntry.objects.exists()
        batch = list_import_apply(actor=court, batch=checked, skip_bad_rows=True, rescreen=False)
        assert (batch.status, batch.created, batch.skipped) == ("imported", 3, 5)
        assert ListEntry.objects.count() == 3

    def test_a_checked_file_is_applied_once(self, court, dishonest):
        from shuangchuang.core.errors import Conflict

        checked = list_import_check(actor=court, credit_list=dishonest, upload=csv_file(GOOD))
        list_import_apply(actor=court, batch=checked, rescreen=False)
        with pytest.raises(Conflict):
            list_import_apply(actor=court, batch=checked, rescreen=False)
        assert ListEntry.objects.count() == 3

    @pytest.mark.parametrize("rows, code", [
        ("enterprise,深圳市某科技有限公司,,,理由,法院,,2025-01-01,,extra\n", "unknown_column"),
    ])
    def test_unreadable_files_are_refused_as_a_whole(self, court, dishonest, rows, code):
        upload = SimpleUploadedFile("list.csv", (HEADER.strip() + ",colour\n" + rows).encode(), content_type="text/csv")
        with pytest.raises(ServiceError) as caught:
            list_import(actor=court, credit_list=dishonest, upload=upload)
        assert caught.value.code == code
        assert not ImportBatch.objects.exists()

    def test_a_file_that_is_not_text_is_refused(self, court, dishonest):
        upload = SimpleUploadedFile("list.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", content_type="text/csv")
        with pytest.raises(ServiceError) as caught:
            list_import(actor=court, credit_list=dishonest, upload=upload)
        assert (caught.value.code, caught.value.field) == ("wrong_type", "file")

    def test_a_person_row_on_an_enterprise_list_is_an_error(self, court, officer_mqsa, mqsa, abnormal):
        rows = f"person,李某,,{id_number(41)},未年报,市场监管委,,2025-07-01,\n"
        batch = list_import(actor=actor_for(officer_mqsa, mqsa), credit_list=abnormal, upload=csv_file(rows))
        assert errors_by_row(batch) == {2: {"subject_not_allowed"}}


class TestWhoImports:
    def test_an_officer_of_another_department_cannot_import(self, officer_stic, stic, dishonest):
        with pytest.raises(NotAllowed) as caught:
            list_import(actor=actor_for(officer_stic, stic), credit_list=dishonest, upload=csv_file(GOOD))
        assert caught.value.message == "This list belongs to another department; only its officers may change it."
        assert not ImportBatch.objects.exists() and not ListEntry.objects.exists()

    def test_an_enterprise_cannot_import(self, rep_a, enterprise_a, dishonest):
        with pytest.raises(NotAllowed):
            list_import(actor=actor_for(rep_a, enterprise_a), credit_list=dishonest, upload=csv_file(GOOD))
        assert not ListEntry.objects.exists()

    def test_built_in_lists_belong_to_their_issuing_departments(self):
        owners = dict(CreditList.objects.values_list("code", "department__code"))
        assert owners["dishonest-debtor"] == "SZ-IPC"
        assert owners["abnormal-operation"] == owners["serious-violation"] == "SZ-MQSA"
        assert owners["procurement-violation"] == "SZ-FIN"

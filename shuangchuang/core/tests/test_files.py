import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shuangchuang.core.files import DOCUMENT_TYPES, TEXT_TYPES, validate_upload

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class TestValidateUpload:
    def test_a_pdf_is_recognised_by_its_bytes(self):
        assert validate_upload(SimpleUploadedFile("a.pdf", PDF, "application/pdf")) == "application/pdf"

    def test_a_png_renamed_to_pdf_is_still_a_png(self):
        assert validate_upload(SimpleUploadedFile("a.pdf", PNG, "application/pdf")) == "image/png"

    def test_an_executable_claiming_to_be_a_pdf_is_refused(self):
        upload = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf")
        with pytest.raises(ValidationError) as exc:
            validate_upload(upload, allowed_types=DOCUMENT_TYPES)
        assert exc.value.code == "wrong_type"

    def test_a_file_over_the_limit_is_refused_with_its_size(self):
        upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000, "application/pdf")
        with pytest.raises(ValidationError) as exc:
            validate_upload(upload, max_bytes=1000)
        assert exc.value.code == "too_large"

    def test_csv_and_json_are_text_types(self):
        csv = SimpleUploadedFile("list.csv", "名称,统一社会信用代码\n深圳市甲公司,91440300\n".encode(), "text/csv")
        json = SimpleUploadedFile("list.json", b'[{"a": 1}]', "application/json")
        assert validate_upload(csv, allowed_types=TEXT_TYPES) == "text/csv"
        assert validate_upload(json, allowed_types=TEXT_TYPES) == "application/json"

    def test_text_is_not_accepted_where_documents_are_required(self):
        with pytest.raises(ValidationError):
            validate_upload(SimpleUploadedFile("a.pdf", b"hello", "application/pdf"), allowed_types=DOCUMENT_TYPES)

    def test_the_read_position_is_kept(self):
        upload = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
        upload.read(4)
        validate_upload(upload)
        assert upload.tell() == 4

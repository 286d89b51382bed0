"""Unified social credit code (GB 32100-2015): valid vectors and every reason code of parse_uscc.

Each invalid code is built from a valid one (make_uscc) by altering characters so that only the rule under test
fails; where the alteration touches characters 1-17, the check character (18) is recomputed.
"""

import pytest
from stdnum.cn import uscc as stdnum_uscc

from shuangchuang.registry.uscc import (
    REASON_MESSAGES,
    check_char,
    compact,
    gb11714_check_char,
    make_uscc,
    parse_uscc,
    region_name,
)

BASE = make_uscc("9", "1", "440300", "MA5D1234")  # a Shenzhen enterprise


def recheck(first17: str) -> str:
    """first17 with a correct check character (18th)."""
    assert len(first17) == 17
    return first17 + check_char(first17)


def put(code: str, position: int, text: str) -> str:
    """Replace characters from 1-based position on."""
    return code[: position - 1] + text + code[position - 1 + len(text):]


def reason(code: str) -> str | None:
    return parse_uscc(code).reason


def test_base_is_valid():
    assert BASE == "91440300MA5D12340D"
    result = parse_uscc(BASE)
    assert result.valid and result.reason is None
    assert result.parts == {
        "department_code": "9", "department": "工商（市场监管）", "entity_type_code": "1", "entity_type": "企业",
        "region_code": "440300", "region": "深圳市", "organisation_code": "MA5D12340", "check_character": "D",
    }


@pytest.mark.parametrize(
    ("code", "region", "department", "entity_type"),
    [
        ("91110000600037341L", "北京市", "工商（市场监管）", "企业"),
        ("91512081MA62K0260E", "简阳市", "工商（市场监管）", "企业"),
        ("Y1110000600037341Y", "北京市", "其他", "其他"),
    ],
)
def test_valid_vectors(code, region, department, entity_type):
    result = parse_uscc(code)
    assert result.valid, result.reason
    assert result.code == code
    assert (result.parts["region"], result.parts["department"], result.parts["entity_type"]) == (
        region, department, entity_type)


def test_letter_department_code_valid_although_stdnum_rejects_it():
    assert not stdnum_uscc.is_valid("Y1110000600037341Y")
    assert parse_uscc("Y1110000600037341Y").valid


@pytest.mark.parametrize(
    ("department", "entity_type", "region", "body"),
    [("9", "1", "440305", "MA5G7K2P"), ("9", "2", "440303", "L1234567"), ("9", "3", "440307", "MA5F3D9R"),
     ("1", "2", "440300", "45575808"), ("5", "3", "100000", "50000000"), ("A", "1", "110000", "12345678"),
     ("N", "2", "440306", "00000006")],
)
def test_make_uscc_builds_valid_codes(department, entity_type, region, body):
    code = make_uscc(department, entity_type, region, body)
    assert len(code) == 18
    assert parse_uscc(code).valid


def test_national_region():
    assert region_name("100000") == "全国"
    assert parse_uscc(make_uscc("5", "3", "100000", "50000000")).parts["region"] == "全国"


def test_current_name_of_a_renamed_district():
    assert region_name("440305") == "南山区"


@pytest.mark.parametrize(("body", "expected"), [
    ("60003734", "1"), ("MA62K026", "0"), ("00000001", "9"), ("00000005", "1"),
    ("00000006", "X"),  # 11 - 12 % 11 = 10 → X
    ("00000000", "0"),  # 11 - 0 = 11 → 0
    ("A0000000", "3"),  # A = 10: 11 - 30 % 11 = 3
])
def test_gb11714_check_character(body, expected):
    assert gb11714_check_char(body) == expected


def test_lower_case_spaces_and_hyphens_are_compacted():
    assert compact(" 9144 0300-ma5d 1234 0d ") == BASE
    assert parse_uscc(BASE.lower()).valid
    assert parse_uscc(f" {BASE[:8]}-{BASE[8:]}\t").valid
    assert parse_uscc(BASE.lower()).code == BASE


class TestReasons:
    @pytest.mark.parametrize("code", ["", "   ", None, "-"])
    def test_empty(self, code):
        assert reason(code) == "empty"

    @pytest.mark.parametrize("code", [BASE[:17], BASE + "0", BASE[:1]])
    def test_wrong_length(self, code):
        assert reason(code) == "wrong_length"

    @pytest.mark.parametrize("letter", list("IOZSV"))
    @pytest.mark.parametrize("position", [1, 3, 10, 18])
    def test_forbidden_letter(self, letter, position):
        code = put(BASE, position, letter)
        assert len(code) == 18
        assert reason(code) == "forbidden_letter"
        assert reason(code.lower()) == "forbidden_letter"

    @pytest.mark.parametrize("char", ["*", "#", "中", "_"])
    def test_invalid_character(self, char):
        assert reason(put(BASE, 5, char)) == "invalid_character"

    def test_lower_case_letters_are_not_invalid_characters(self):
        assert reason(put(BASE, 9, "m")) is None

    @pytest.mark.parametrize("department", ["0", "B", "C", "X"])
    def test_unknown_department(self, department):
        code = recheck(department + BASE[1:17])
        result = parse_uscc(code)
        assert result.reason == "unknown_department"
        assert result.parts["department_code"] == department
        assert "department" not in result.parts

    @pytest.mark.parametrize(("department", "entity_type"), [("9", "4"), ("9", "9"), ("Y", "2"), ("N", "4"),
                                                               ("1", "A")])
    def test_unknown_entity_type(self, department, entity_type):
        code = recheck(department + entity_type + BASE[2:17])
        result = parse_uscc(code)
        assert result.reason == "unknown_entity_type"
        assert "entity_type" not in result.parts

    @pytest.mark.parametrize("region", ["44A300", "4403B0", "X40300"])
    def test_invalid_region(self, region):
        assert reason(recheck(BASE[:2] + region + BASE[8:17])) == "invalid_region"

    @pytest.mark.parametrize("region", ["449999", "000000", "990000"])
    def test_unknown_region(self, region):
        result = parse_uscc(recheck(BASE[:2] + region + BASE[8:17]))
        assert result.reason == "unknown_region"
        assert result.parts["region_code"] == region
        assert "region" not in result.parts

    def test_organisation_code_check(self):
        wrong = "1" if BASE[16] != "1" else "2"
        code = recheck(BASE[:16] + wrong)
        assert code[16] != BASE[16]
        result = parse_uscc(code)
        assert result.reason == "organisation_code_check"
        assert result.parts["region"] == "深圳市"  # everything before was read

    def test_check_character(self):
        wrong = "0" if BASE[17] != "0" else "1"
        result = parse_uscc(BASE[:17] + wrong)
        assert result.reason == "check_character"
        assert result.parts["check_character"] == wrong

    @pytest.mark.parametrize("code", ["91110000600037341M", "91512081MA62K0260F"])
    def test_check_character_of_the_vectors(self, code):
        assert reason(code) == "check_character"

    def test_every_reason_has_a_message(self):
        assert set(REASON_MESSAGES) == {
            "empty", "wrong_length", "forbidden_letter", "invalid_character", "unknown_department",
            "unknown_entity_type", "invalid_region", "unknown_region", "organisation_code_check", "check_character",
        }

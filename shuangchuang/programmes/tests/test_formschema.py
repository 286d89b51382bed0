"""Application forms as data: schemas an officer writes are checked; answers are typed and validated."""

import pytest

from shuangchuang.core.errors import ServiceError
from shuangchuang.programmes.formschema import clean_answers, missing_files, validate_form_schema
from shuangchuang.programmes.forms import ApplicationForm
from shuangchuang.programmes.tests.conftest import ANSWERS, FORM


def test_the_sample_form_is_a_valid_schema():
    assert validate_form_schema(FORM)["fields"][0]["key"] == "summary"


@pytest.mark.parametrize("schema, words", [
    ({"fields": [{"key": "a", "type": "colour", "label": "A"}]}, "Unknown type"),
    ({"fields": [{"key": "A b", "type": "text", "label": "A"}]}, "key"),
    ({"fields": [{"key": "a", "type": "text", "label": "A"}, {"key": "a", "type": "text", "label": "B"}]}, "twice"),
    ({"fields": [{"key": "a", "type": "choice", "label": "A"}]}, "choices"),
    ({"fields": [{"key": "a", "type": "table", "label": "A", "columns": []}]}, "columns"),
    ({"fields": [{"key": "a", "type": "table", "label": "A",
                  "columns": [{"key": "f", "type": "file", "label": "F"}]}]}, "Unknown type"),
    ({"fields": [{"key": "a", "type": "number", "label": "A", "min": 5, "max": 1}]}, "min"),
    ({"fields": [{"key": "a", "type": "text", "label": "A", "show_if": {"field": "b", "equals": "x"}}]}, "show_if"),
    ({"fields": [{"key": "a", "type": "file", "label": "A", "types": ["application/x-msdownload"]}]}, "File types"),
    ({"fields": [{"key": "a", "type": "text", "label": ""}]}, "label"),
    ({"fields": [{"key": "a", "type": "text", "label": "A", "colour": "red"}]}, "Unknown settings"),
    ({"pages": []}, "fields"),
])
def test_a_bad_schema_is_refused_with_the_place_of_the_problem(schema, words):
    with pytest.raises(ServiceError) as caught:
        validate_form_schema(schema)
    assert words in caught.value.message


def test_answers_are_typed_money_in_fen_and_numbers_as_text():
    answers, errors = clean_answers(FORM, {**ANSWERS, "area": "120.5", "started": "2026-03-01"}, complete=True)
    assert errors == {}
    assert answers["spend"] == 120000050
    assert answers["area"] == "120.5"
    assert answers["started"] == "2026-03-01"
    assert answers["team"] == [{"name": "王五", "salary": 1200000}]


@pytest.mark.parametrize("key, value, words", [
    ("spend", "a lot", "number"),
    ("spend", "12.345", "two decimals"),
    ("spend", "-5", "At least"),
    ("area", "200000", "At most"),
    ("started", "28/11/2026", "YYYY-MM-DD"),
    ("has_patent", "maybe", "options"),
    ("summary", "x" * 501, "500"),
    ("summary", 42, "text"),
    ("team", "not a table", "list of rows"),
    ("team", [{"name": "", "salary": "100"}], "Name is required"),
])
def test_wrong_answers_are_reported_per_field(key, value, words):
    _answers, errors = clean_answers(FORM, {**ANSWERS, key: value}, complete=True)
    assert words in errors[key]


def test_a_draft_needs_nothing_but_a_submission_needs_the_required_answers():
    assert clean_answers(FORM, {}, complete=False)[1] == {}
    errors = clean_answers(FORM, {}, complete=True)[1]
    assert set(errors) == {"summary", "spend", "has_patent", "team"}


def test_a_conditional_field_is_asked_only_when_its_condition_holds():
    errors = clean_answers(FORM, {**ANSWERS, "has_patent": "yes"}, complete=True)[1]
    assert "patent_no" in errors
    answers, errors = clean_answers(FORM, {**ANSWERS, "patent_no": "ZL2020"}, complete=True)
    assert errors == {} and "patent_no" not in answers


def test_too_many_table_rows_are_refused():
    rows = [{"name": f"n{i}"} for i in range(6)]
    assert "At most 5 rows" in clean_answers(FORM, {**ANSWERS, "team": rows}, complete=True)[1]["team"]


def test_missing_required_files_and_attachments_are_named():
    attachments = [{"key": "licence", "label": "Business licence", "required": True}]
    assert missing_files(FORM, attachments, ANSWERS, set()) == ["Business plan", "Business licence"]
    assert missing_files(FORM, attachments, ANSWERS, {"plan", "licence"}) == []


def test_the_django_form_is_built_from_the_schema_and_cleans_with_the_same_rules():
    data = {"project_title": "P", "requested": "1000", "summary": "S", "spend": "oops", "has_patent": "no",
            "team__0__name": "王五", "team__0__salary": "100"}
    form = ApplicationForm(data, schema=FORM, complete=True)
    assert not form.is_valid()
    assert "spend" in form.errors and "team__0__name" in form.fields
    data["spend"] = "100"
    form = ApplicationForm(data, schema=FORM, complete=True)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["typed"]["team"] == [{"name": "王五", "salary": 10000}]
    assert form.cleaned_data["answers"]["spend"] == "100"
    assert form.cleaned_data["requested"] == 100000

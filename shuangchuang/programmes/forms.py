"""Django forms of the programmes pages. The application form is built from the call's schema (formschema) and
cleaned by the same function the API uses (clean_answers)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangchuang.programmes.formschema import COLUMN_TYPES, MAX_TABLE_ROWS, TYPES, clean_answers
from shuangchuang.programmes.models import Aggregation, ConflictKind, Stage

EXTRA_ROWS = 3


def yuan_to_fen(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise forms.ValidationError(_("Enter an amount in yuan.")) from None
    if not number.is_finite() or number < 0 or number.as_tuple().exponent < -2:
        raise forms.ValidationError(_("Enter an amount in yuan with at most two decimals."))
    return int(number * 100)


class YuanField(forms.Field):
    """An amount typed in yuan, cleaned to integer fen."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "20"})

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        if len(str(value)) > 20:
            raise forms.ValidationError(_("Enter an amount in yuan."))
        return yuan_to_fen(value)


def _scalar_field(spec: dict, *, required: bool = False) -> forms.Field:
    kind, label, help_text = spec["type"], spec["label"], spec.get("help", "")
    common = {"label": label, "required": required, "help_text": help_text}
    if kind == "text":
        widget = forms.Textarea(attrs={"rows": 3}) if spec.get("multiline") else forms.TextInput
        return forms.CharField(max_length=spec.get("max_length", 5000), widget=widget, **common)
    if kind in ("number", "money"):
        field = forms.CharField(max_length=24, **common)
        field.widget.attrs["inputmode"] = "decimal"
        if kind == "money":
            field.help_text = (help_text + " " if help_text else "") + _("In yuan.")
        return field
    if kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—")] + [tuple(c) for c in spec["choices"]], **common)
    raise ValueError(kind)


class ApplicationForm(forms.Form):
    """The project fields plus the call's form. Table fields become rows of inputs named key__row__column;
    file fields are uploaded separately (attachments section)."""

    project_title = forms.CharField(label=gettext_lazy("Project title"), max_length=200)
    project_key = forms.CharField(
        label=gettext_lazy("Project reference"), max_length=120, required=False,
        help_text=gettext_lazy("Contract, equipment or project number; the same project is not funded twice."))
    requested = YuanField(label=gettext_lazy("Amount requested (yuan)"))

    def __init__(self, *args, schema: dict, complete: bool = False, answers: dict | None = None, **kwargs):
        self.schema, self.complete = schema or {"fields": []}, complete
        answers = answers or {}
        super().__init__(*args, **kwargs)
        self.tables: list[dict] = []
        for spec in self.schema.get("fields", []):
            key = spec["key"]
            if spec["type"] == "file":
                continue
            if spec["type"] == "table":
                rows = answers.get(key) or []
                count = min(max(len(rows) + EXTRA_ROWS, spec.get("min_rows", 0)), spec.get("max_rows", MAX_TABLE_ROWS))
                table = {"spec": spec, "rows": []}
                for index in range(count):
                    cells = []
                    for column in spec["columns"]:
                        name = f"{key}__{index}__{column['key']}"
                        field = _scalar_field(column)
                        field.label = f"{spec['label']} {index + 1}: {column['label']}"
                        field.widget.attrs["aria-label"] = field.label
                        self.fields[name] = field
                        if index < len(rows):
                            self.initial[name] = _display(column, rows[index].get(column["key"]))
                        cells.append(name)
                    table["rows"].append(cells)
                self.tables.append(table)
                continue
            field = _scalar_field(spec)
            if spec.get("show_if"):
                cond = spec["show_if"]
                field.widget.attrs.update({"data-show-if": cond["field"], "data-equals": cond["equals"]})
            self.fields[key] = field
            if key in answers:
                self.initial[key] = _display(spec, answers[key])

    def table_names(self) -> set[str]:
        return {name for table in self.tables for row in table["rows"] for name in row}

    def schema_fields(self):
        """Bound fields of the schema in order, with tables grouped (for the template)."""
        out = []
        tables = {t["spec"]["key"]: t for t in self.tables}
        for spec in self.schema.get("fields", []):
            if spec["type"] == "file":
                continue
            if spec["type"] == "table":
                table = tables[spec["key"]]
                out.append({"table": spec, "columns": spec["columns"],
                            "rows": [[self[name] for name in row] for row in table["rows"]]})
            else:
                out.append({"field": self[spec["key"]], "spec": spec})
        return out

    def clean(self):
        data = super().clean()
        raw = {}
        for spec in self.schema.get("fields", []):
            key = spec["key"]
            if spec["type"] == "table":
                rows = []
                index = 0
                while f"{key}__{index}__{spec['columns'][0]['key']}" in self.fields:
                    rows.append({c["key"]: data.get(f"{key}__{index}__{c['key']}", "") for c in spec["columns"]})
                    index += 1
                raw[key] = rows
            elif spec["type"] != "file":
                raw[key] = data.get(key, "")
        answers, errors = clean_answers(self.schema, raw, complete=self.complete)
        for key, message in errors.items():
            target = key if key in self.fields else None
            self.add_error(target, message if target else f"{key}: {message}")
        data["answers"] = raw  # the services clean the raw answers themselves (the same rules as the API)
        data["typed"] = answers
        return data


def _display(spec: dict, value) -> str:
    if value is None:
        return ""
    if spec["type"] == "money":
        return str(Decimal(int(value)) / 100)
    return str(value)


class AttachmentForm(forms.Form):
    slot = forms.CharField(widget=forms.HiddenInput)
    upload = forms.FileField(label=gettext_lazy("File"))


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    amount = YuanField(label=gettext_lazy("Amount (yuan)"), required=False)


class CallForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("Budget year"), min_value=2000, max_value=2100)
    summary = forms.CharField(label=gettext_lazy("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    online_opens_at = forms.DateTimeField(label=gettext_lazy("Online applications open"),
                                          widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    online_closes_at = forms.DateTimeField(label=gettext_lazy("Online applications close"),
                                           widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    paper_opens_at = forms.DateTimeField(label=gettext_lazy("Paper materials accepted from"), required=False,
                                         widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    paper_closes_at = forms.DateTimeField(label=gettext_lazy("Paper materials accepted until"), required=False,
                                          widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    paper_address = forms.CharField(label=gettext_lazy("Where to hand in paper materials"), max_length=300,
                                    required=False)
    budget = YuanField(label=gettext_lazy("Budget (yuan)"))
    max_award = YuanField(label=gettext_lazy("Maximum per application (yuan)"), required=False)
    max_award_parameter = forms.CharField(label=gettext_lazy("Maximum parameter"), max_length=80, required=False)
    rate_parameter = forms.CharField(label=gettext_lazy("Rate parameter"), max_length=80, required=False,
                                     help_text=gettext_lazy("An effective-dated share, e.g. first_set.award_rate."))
    rate_base_field = forms.CharField(label=gettext_lazy("Rate applies to the money field"), max_length=40,
                                      required=False)
    person_id_field = forms.CharField(label=gettext_lazy("Screen the person whose ID number is in the field"),
                                      max_length=40, required=False)
    person_applicants = forms.BooleanField(label=gettext_lazy("Applied for by natural persons (talent calls)"),
                                           required=False)
    employer_field = forms.CharField(label=gettext_lazy("Employer's USCC is in the field"), max_length=40,
                                     required=False)
    person_cap = YuanField(label=gettext_lazy("Cap on awards per person per year in this call (yuan)"),
                           required=False, help_text=gettext_lazy("Empty: the programme's cap per person, if any."))
    mechanism = forms.ChoiceField(label=gettext_lazy("Special mechanism"), required=False, choices=[
        ("", gettext_lazy("None")), ("loan_interest", gettext_lazy("Loan-interest subsidy calculator")),
        ("space_lease", gettext_lazy("Lease offers of innovative industrial space"))])
    day_basis = forms.TypedChoiceField(
        label=gettext_lazy("Day count of loan interest"), coerce=int, initial=360, required=False, empty_value=360,
        choices=[(360, gettext_lazy("360 days a year (default)")), (365, gettext_lazy("365 days a year"))],
        help_text=gettext_lazy("Loan-interest calls: interest = balance × annual rate × days ÷ 360 or 365. 360 days "
                               "is the default, the usual count of RMB loan interest; the policy facts fix none. An "
                               "answer 'day_basis' in the form (the loan contract's own count) overrides it."))
    stages = forms.MultipleChoiceField(label=gettext_lazy("Stages used"), choices=Stage.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    expert_field = forms.CharField(label=gettext_lazy("Expert field"), max_length=64, required=False)
    reviewers_per_application = forms.IntegerField(label=gettext_lazy("Reviewers per application"), min_value=1,
                                                   max_value=15, initial=3)
    review_days = forms.IntegerField(label=gettext_lazy("Days for a review"), min_value=1, max_value=120,
                                     required=False)
    aggregation = forms.ChoiceField(label=gettext_lazy("Aggregation"), choices=Aggregation.choices)
    pass_score = forms.DecimalField(label=gettext_lazy("Pass score"), required=False, max_digits=6, decimal_places=2)
    publicity_days = forms.IntegerField(label=gettext_lazy("Public notice period (days)"), min_value=1, max_value=60,
                                        required=False)
    report_every_months = forms.IntegerField(label=gettext_lazy("Progress report every (months)"), min_value=1,
                                             max_value=24, required=False)
    rule = forms.CharField(label=gettext_lazy("Eligibility rule (JSON)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}))
    attachments = forms.CharField(label=gettext_lazy("Required attachments (JSON)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}))
    criteria = forms.CharField(label=gettext_lazy("Scoring criteria (JSON)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}))
    instalments = forms.CharField(label=gettext_lazy("Instalments (JSON)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}))

    JSON_FIELDS = {"rule": dict, "attachments": list, "criteria": list, "instalments": list}

    def clean(self):
        data = super().clean()
        for name, kind in self.JSON_FIELDS.items():
            text = (data.get(name) or "").strip()
            if not text:
                data[name] = kind()
                continue
            try:
                data[name] = json.loads(text)
            except json.JSONDecodeError as exc:
                self.add_error(name, _("Not valid JSON: %(error)s") % {"error": exc.msg})
        return data

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["budget_fen"] = data.pop("budget")
        data["max_award_fen"] = data.pop("max_award")
        data["person_annual_cap_fen"] = data.pop("person_cap")
        return data


def call_initial(call) -> dict:
    initial = {name: getattr(call, name) for name in (
        "title", "year", "summary", "online_opens_at", "online_closes_at", "paper_opens_at", "paper_closes_at",
        "paper_address", "max_award_parameter", "rate_parameter", "rate_base_field", "person_id_field", "mechanism",
        "person_applicants", "employer_field", "stages", "day_basis",
        "expert_field", "reviewers_per_application", "review_days",
        "aggregation", "pass_score", "publicity_days", "report_every_months")}
    initial["budget"] = str(Decimal(call.budget_fen) / 100)
    initial["max_award"] = str(Decimal(call.max_award_fen) / 100) if call.max_award_fen is not None else ""
    initial["person_cap"] = (str(Decimal(call.person_annual_cap_fen) / 100)
                             if call.person_annual_cap_fen is not None else "")
    for name in CallForm.JSON_FIELDS:
        initial[name] = json.dumps(getattr(call, name), ensure_ascii=False, indent=1)
    return initial


class FieldBuilderForm(forms.Form):
    """Add one field to a call's form (the form builder)."""

    key = forms.RegexField(label=gettext_lazy("Key"), regex=r"^[a-z][a-z0-9_]{0,39}$", max_length=40,
                           help_text=gettext_lazy("Lower-case letters, digits and _."))
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=[(t, t) for t in TYPES])
    label = forms.CharField(label=gettext_lazy("Label"), max_length=200)
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    help = forms.CharField(label=gettext_lazy("Help text"), max_length=300, required=False)
    choices = forms.CharField(label=gettext_lazy("Choices (one per line: value=label)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    columns = forms.CharField(
        label=gettext_lazy("Table columns (one per line: key=label=type)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Column types: %(types)s.") % {"types": ", ".join(COLUMN_TYPES)})
    minimum = forms.DecimalField(label=gettext_lazy("Minimum"), required=False)
    maximum = forms.DecimalField(label=gettext_lazy("Maximum"), required=False)
    show_if_field = forms.CharField(label=gettext_lazy("Only ask when field"), max_length=40, required=False)
    show_if_equals = forms.CharField(label=gettext_lazy("has the value"), max_length=80, required=False)

    def field_spec(self) -> dict:
        data = self.cleaned_data
        spec = {"key": data["key"], "type": data["type"], "label": data["label"], "required": data["required"]}
        if data["help"]:
            spec["help"] = data["help"]
        if data["type"] == "choice":
            spec["choices"] = [[part.strip() for part in line.split("=", 1)] if "=" in line else [line.strip()] * 2
                               for line in data["choices"].splitlines() if line.strip()]
        if data["type"] == "table":
            columns = []
            for line in data["columns"].splitlines():
                parts = [p.strip() for p in line.split("=")]
                if len(parts) >= 2 and parts[0]:
                    columns.append({"key": parts[0], "label": parts[1],
                                    "type": parts[2] if len(parts) > 2 and parts[2] else "text"})
            spec["columns"] = columns
        if data["type"] in ("number", "money"):
            if data["minimum"] is not None:
                spec["min"] = str(data["minimum"])
            if data["maximum"] is not None:
                spec["max"] = str(data["maximum"])
        if data["show_if_field"]:
            spec["show_if"] = {"field": data["show_if_field"], "equals": data["show_if_equals"]}
        return spec


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=gettext_lazy("Do you have a conflict of interest with this applicant?"),
        choices=[("no", gettext_lazy("No, I have no conflict")), ("yes", gettext_lazy("Yes, I have a conflict"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of conflict"),
                             choices=[c for c in ConflictKind.choices if c[0]], required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class ObjectionForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=64)
    contact = forms.CharField(label=gettext_lazy("Phone or e-mail"), max_length=120)
    text = forms.CharField(label=gettext_lazy("Objection"), widget=forms.Textarea(attrs={"rows": 4}))


class NoticeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(label=gettext_lazy("Decision"), coerce=lambda v: v == "yes",
                                    choices=[("no", gettext_lazy("Dismiss")), ("yes", gettext_lazy("Uphold"))])
    resolution = forms.CharField(label=gettext_lazy("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class ProgrammeForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=64)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=300, required=False)
    annual_cap = YuanField(label=gettext_lazy("Cap on support per enterprise per year (yuan)"), required=False,
                           help_text=gettext_lazy("Cumulative support from every source in the support ledger; "
                                                  "empty for no cap."))
    annual_cap_parameter = forms.CharField(label=gettext_lazy("Cap parameter"), max_length=80, required=False)
    person_cap = YuanField(label=gettext_lazy("Cap on awards per person per year (yuan)"), required=False,
                           help_text=gettext_lazy("Talent programmes: the awards decided for one person in a year; "
                                                  "empty for no cap."))
    person_cap_parameter = forms.CharField(label=gettext_lazy("Cap per person parameter"), max_length=80,
                                           required=False)
    refuse_double_funding = forms.BooleanField(label=gettext_lazy("Refuse double funding of the same project"),
                                               required=False, initial=True)
    screen_legal_representative = forms.BooleanField(label=gettext_lazy("Screen the legal representative too"),
                                                     required=False)

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["annual_cap_fen"] = data.pop("annual_cap")
        data["person_annual_cap_fen"] = data.pop("person_cap")
        data["person_annual_cap_parameter"] = data.pop("person_cap_parameter")
        return data

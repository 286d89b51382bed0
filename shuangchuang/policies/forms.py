"""Forms of the policies pages. They parse input; the services validate and decide."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from shuangchuang.policies.models import BENEFICIARY_TYPES, TOPICS, Audience, BenefitKind, DigestFrequency
from shuangchuang.policies.rules import all_facts, get_fact

OPS = [
    ("in", _l("is one of")), ("not_in", _l("is none of")), ("is", _l("is (yes / no)")), ("eq", _l("equals")),
    ("ne", _l("does not equal")), ("lt", _l("less than")), ("lte", _l("at most")), ("gt", _l("more than")),
    ("gte", _l("at least")), ("between", _l("between (two values)")),
]


class DateInput(forms.DateInput):
    input_type = "date"


def _choices(vocabulary: dict) -> list[tuple[str, str]]:
    return [(code, label) for code, label in vocabulary.items()]


class DocumentMetaForm(forms.Form):
    title = forms.CharField(label=_l("Title"), max_length=200, required=False,
                            help_text=_l("Leave empty to take it from the header of the text."))
    number = forms.CharField(label=_l("Document number (文号)"), max_length=64, required=False)
    issuer = forms.CharField(label=_l("Issuer"), max_length=128, required=False)
    signed_on = forms.DateField(label=_l("Signed on"), required=False, widget=DateInput)
    published_on = forms.DateField(label=_l("Published on"), required=False, widget=DateInput)
    effective_from = forms.DateField(label=_l("Effective from"), required=False, widget=DateInput)
    expires_on = forms.DateField(label=_l("Expires on"), required=False, widget=DateInput)
    source_url = forms.URLField(label=_l("Source URL"), required=False, assume_scheme="https")
    summary = forms.CharField(label=_l("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    topics = forms.MultipleChoiceField(label=_l("Topics"), required=False, choices=_choices(TOPICS),
                                       widget=forms.CheckboxSelectMultiple)
    beneficiary_types = forms.MultipleChoiceField(label=_l("Who benefits"), required=False,
                                                  choices=_choices(BENEFICIARY_TYPES),
                                                  widget=forms.CheckboxSelectMultiple)

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "number", "issuer", "signed_on", "published_on",
                                               "effective_from", "expires_on", "source_url", "summary")
                if data.get(name) not in (None, "")}


class ImportForm(DocumentMetaForm):
    text = forms.CharField(label=_l("Full text"), widget=forms.Textarea(attrs={"rows": 18}),
                           help_text=_l("Plain text: header lines, numbered measures （一）… and each paragraph's "
                                        "（责任单位：…）."))


class ReviseForm(DocumentMetaForm):
    text = forms.CharField(label=_l("Full text"), required=False, widget=forms.Textarea(attrs={"rows": 18}),
                           help_text=_l("Change the text to rebuild its measures; leave it as it is to change only "
                                        "the details above."))
    note = forms.CharField(label=_l("What changed"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_l("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class BenefitForm(forms.Form):
    title = forms.CharField(label=_l("Title"), max_length=200)
    kind = forms.ChoiceField(label=_l("Kind"), choices=BenefitKind.choices)
    audience = forms.ChoiceField(label=_l("Who can receive it"), choices=Audience.choices)
    part = forms.ChoiceField(label=_l("Clause that grants it"), required=False)
    summary = forms.CharField(label=_l("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    amount_text = forms.CharField(label=_l("Amount or formula"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    citation = forms.CharField(label=_l("Citation"), required=False)
    keywords = forms.CharField(label=_l("Keywords"), required=False)
    checked_at_application = forms.CharField(label=_l("Conditions checked on application (one per line)"),
                                             required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label=_l("Applications open on"), required=False, widget=DateInput)
    apply_until = forms.DateField(label=_l("Applications close on"), required=False, widget=DateInput)
    combinator = forms.ChoiceField(label=_l("The enterprise must meet"), choices=[
        ("all", _l("all of the conditions")), ("any", _l("any of the conditions"))])
    rule_json = forms.CharField(label=_l("Rule as JSON (advanced)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
                                help_text=_l("Used instead of the conditions above when you change it."))

    def __init__(self, *args, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        parts = document.parts.order_by("order") if document is not None else []
        self.fields["part"].choices = [("", "—")] + [
            (str(p.pk), (f"{p.number} {p.title}" if p.kind == "measure" else f"  {p.text[:50]}"))
            for p in parts if p.kind in ("measure", "paragraph")]


def parse_condition_value(fact_name: str, op: str, raw: str):
    """An officer's typed value → the JSON value of the rule (money in yuan, shares typed in percent)."""
    fact = get_fact(fact_name)
    raw = (raw or "").strip()
    if fact is None:
        return raw
    if op == "between":
        parts = [p for p in raw.replace("–", ",").replace("~", ",").replace("至", ",").split(",") if p.strip()]
        return [_scalar(fact, p.strip()) for p in parts]
    if op in ("in", "not_in"):
        return [p for p in raw.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p]
    return _scalar(fact, raw)


def _scalar(fact, raw: str):
    if fact.type == "bool":
        return raw.lower() in {"true", "yes", "1", "是", "y"}
    if fact.type == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw
    if fact.type == "ratio":
        try:
            return format((Decimal(raw.rstrip("%")) / 100).normalize(), "f")
        except InvalidOperation:
            return raw
    if fact.type == "money":
        try:
            number = Decimal(raw.replace(",", ""))
            return int(number) if number == number.to_integral_value() else str(number)
        except InvalidOperation:
            return raw
    return raw


def format_condition_value(fact_name: str, value) -> str:
    fact = get_fact(fact_name)
    if isinstance(value, list):
        if fact is not None and fact.type == "ratio":
            return ", ".join(format_condition_value(fact_name, v) for v in value)
        return ", ".join(str(v) for v in value)
    if fact is not None and fact.type == "ratio" and not isinstance(value, dict):
        return f"{(Decimal(str(value)) * 100).normalize():f}"
    if fact is not None and fact.type == "bool":
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class ConditionForm(forms.Form):
    fact = forms.ChoiceField(label=_l("Fact"), required=False)
    op = forms.ChoiceField(label=_l("Test"), choices=OPS, required=False)
    value = forms.CharField(label=_l("Value"), required=False,
                            help_text=_l("Codes separated by commas; yuan for amounts; percent for shares; "
                                         "YYYY-MM-DD for dates; true or false."))
    cite = forms.CharField(label=_l("Clause cited"), required=False, max_length=200)
    action = forms.ChoiceField(label=_l("Action restricted"), required=False,
                               help_text=_l("Only for the credit fact: the act a credit list must restrict."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fact"].choices = [("", "—")] + [
            (f.name, str(f.label)) for f in all_facts().values() if f.is_available]
        self.fields["action"].choices = [("", "—")] + sorted(
            {code: str(label) for fact in all_facts().values() if "action" in fact.extra_choices
             for code, label in fact.extra_choices["action"]().items()}.items())

    def condition(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("fact"):
            return None
        condition = {"fact": data["fact"], "op": data["op"],
                     "value": parse_condition_value(data["fact"], data["op"], data["value"])}
        if data.get("cite"):
            condition["cite"] = data["cite"].strip()
        fact = get_fact(data["fact"])
        if fact is not None and "action" in fact.extra:
            condition["action"] = data.get("action") or fact.extra["action"]
        return condition


ConditionFormSet = forms.formset_factory(ConditionForm, extra=2, max_num=40)


def rule_is_flat(rule: dict) -> bool:
    kind = "all" if "all" in rule else "any" if "any" in rule else None
    return kind is not None and all(
        "fact" in c and set(c) <= {"fact", "op", "value", "cite", "action"} for c in rule[kind])


def condition_initial(rule: dict) -> tuple[str, list[dict]]:
    kind = "all" if "all" in rule else "any"
    return kind, [{"fact": c["fact"], "op": c["op"], "value": format_condition_value(c["fact"], c["value"]),
                   "cite": c.get("cite", ""), "action": c.get("action", "")} for c in rule.get(kind, [])]


class ParameterSetForm(forms.Form):
    value = forms.CharField(label=_l("Value"), required=False,
                            help_text=_l("Amounts in yuan; rates as decimals (0.75 = 75 %); empty clears it."))
    source = forms.CharField(label=_l("Source"), max_length=500)
    note = forms.CharField(label=_l("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FaqForm(forms.Form):
    question = forms.CharField(label=_l("Question"), max_length=300)
    answer = forms.CharField(label=_l("Approved answer"), widget=forms.Textarea(attrs={"rows": 4}))
    citations = forms.CharField(label=_l("Cited measures"), help_text=_l("Heading numbers of the seed policy, "
                                                                        "e.g. （十八）, separated by commas."))


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_l("Name"), max_length=100, required=False)
    q = forms.CharField(label=_l("Search words"), max_length=200, required=False)
    frequency = forms.ChoiceField(label=_l("Send me a digest"), choices=DigestFrequency.choices)
    issuer = forms.CharField(required=False, widget=forms.HiddenInput)
    topic = forms.CharField(required=False, widget=forms.HiddenInput)
    beneficiary = forms.CharField(required=False, widget=forms.HiddenInput)
    district = forms.CharField(required=False, widget=forms.HiddenInput)
    window = forms.CharField(required=False, widget=forms.HiddenInput)


def json_field_error(text: str):
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, _("The rule is not valid JSON: %(error)s") % {"error": exc.msg}


def _yuan_to_fen(value) -> int | None:
    if value in (None, ""):
        return None
    return int((Decimal(value) * 100).to_integral_value())


class RdCalculatorForm(forms.Form):
    tax_year = forms.IntegerField(label=_l("Tax year"))
    firm_type = forms.ChoiceField(label=_l("Type of enterprise"))
    industry_division = forms.ChoiceField(label=_l("Industry (GB/T 4754 division)"))
    expensed = forms.DecimalField(label=_l("R&D expensed in the year (yuan)"), decimal_places=2, max_digits=16)
    capitalised = forms.DecimalField(label=_l("R&D capitalised as intangible assets (yuan)"), decimal_places=2,
                                     max_digits=16, required=False)
    expensed_later = forms.DecimalField(
        label=_l("Part of the expensed R&D incurred after a rate change in the year (yuan)"), decimal_places=2,
        max_digits=16, required=False, help_text=_l("Only needed when the rate changed during the year, e.g. 2022."))

    def __init__(self, *args, **kwargs):
        from shuangchuang.policies.calculators import FIRM_TYPES
        from shuangchuang.registry.models import IndustryDivision

        super().__init__(*args, **kwargs)
        self.fields["firm_type"].choices = list(FIRM_TYPES.items())
        self.fields["industry_division"].choices = [(d.code, f"{d.code} {d.name}")
                                                    for d in IndustryDivision.objects.order_by("code")]

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {"tax_year": data["tax_year"], "firm_type": data["firm_type"],
                "industry_division": data["industry_division"], "expensed_fen": _yuan_to_fen(data["expensed"]),
                "capitalised_fen": _yuan_to_fen(data.get("capitalised")) or 0,
                "expensed_later_fen": _yuan_to_fen(data.get("expensed_later"))}


class InvestmentForm(forms.Form):
    investee = forms.CharField(label=_l("Investee"), max_length=100, required=False)
    invested_on = forms.DateField(label=_l("Invested on"), widget=DateInput)
    amount = forms.DecimalField(label=_l("Amount invested (yuan)"), decimal_places=2, max_digits=16)
    disposed_on = forms.DateField(label=_l("Sold on (if sold)"), required=False, widget=DateInput)
    listed_then = forms.BooleanField(label=_l("Listed at the investment"), required=False)
    high_tech_then = forms.BooleanField(label=_l("High-tech enterprise at the investment"), required=False,
                                        initial=True)
    employees_then = forms.IntegerField(label=_l("Employees at the investment"), min_value=0)
    sales_then = forms.DecimalField(label=_l("Annual sales at the investment (yuan)"), decimal_places=2,
                                    max_digits=16)
    assets_then = forms.DecimalField(label=_l("Total assets at the investment (yuan)"), decimal_places=2,
                                     max_digits=16)
    listed_later = forms.BooleanField(label=_l("Listed at 24 months"), required=False)
    high_tech_later = forms.BooleanField(label=_l("High-tech enterprise at 24 months"), required=False, initial=True)
    employees_later = forms.IntegerField(label=_l("Employees at 24 months"), min_value=0)
    sales_later = forms.DecimalField(label=_l("Annual sales at 24 months (yuan)"), decimal_places=2, max_digits=16)
    assets_later = forms.DecimalField(label=_l("Total assets at 24 months (yuan)"), decimal_places=2, max_digits=16)

    def investment(self):
        from shuangchuang.policies.calculators import Investment, InvesteeStatus

        d = self.cleaned_data
        return Investment(
            investee=d.get("investee", ""), invested_on=d["invested_on"], amount_fen=_yuan_to_fen(d["amount"]),
            disposed_on=d.get("disposed_on"),
            at_investment=InvesteeStatus(d["listed_then"], d["high_tech_then"], d["employees_then"],
                                         _yuan_to_fen(d["sales_then"]), _yuan_to_fen(d["assets_then"])),
            at_24_months=InvesteeStatus(d["listed_later"], d["high_tech_later"], d["employees_later"],
                                        _yuan_to_fen(d["sales_later"]), _yuan_to_fen(d["assets_later"])),
        )


InvestmentFormSet = forms.formset_factory(InvestmentForm, extra=1, max_num=10, min_num=1, validate_min=True)


class IncomeForm(forms.Form):
    taxable_income = forms.CharField(
        label=_l("Taxable income by year (yuan)"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_l("One year per line, e.g. “2023: 5000000”; a loss is negative."))

    def incomes(self) -> dict[int, int]:
        out = {}
        for line in self.cleaned_data["taxable_income"].splitlines():
            if not line.strip():
                continue
            year, sep, amount = line.replace("：", ":").partition(":")
            try:
                out[int(year.strip())] = _yuan_to_fen(amount.replace(",", "").strip())
            except (ValueError, InvalidOperation, TypeError):
                raise forms.ValidationError(_("Write each line as “year: amount”.")) from None
        return out

    def clean(self):
        cleaned = super().clean()
        if "taxable_income" in cleaned:
            cleaned["incomes"] = self.incomes()
        return cleaned

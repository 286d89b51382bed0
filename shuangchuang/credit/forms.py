"""Forms of the credit pages: they parse input; the services check the rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangchuang.credit.models import (
    Action,
    AdjudicationDecision,
    CreditList,
    ListKind,
    OperatingStatus,
    RestrictionSubject,
    SubjectScope,
    SubjectType,
)


class DateInput(forms.DateInput):
    input_type = "date"


class ScreenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=24, required=False)
    old_registration_number = forms.CharField(label=_("Old registration number"), max_length=24, required=False)
    id_number = forms.CharField(label=_("Personal ID number"), max_length=24, required=False,
                                help_text=_("Department officers only."))
    action = forms.ChoiceField(label=pgettext_lazy("credit", "Action"), choices=Action.choices, initial=Action.PROCUREMENT)
    on = forms.DateField(label=_("Decision date"), required=False, widget=DateInput,
                         help_text=_("Leave empty for today."))

    def __init__(self, *args, officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not officer:
            del self.fields["id_number"]


class AdjudicateForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=AdjudicationDecision.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ListForm(forms.ModelForm):
    class Meta:
        model = CreditList
        fields = ["code", "name", "name_en", "kind", "subjects", "description", "legal_basis", "listing_rules",
                  "removal_rules", "is_public", "is_restrictive", "term_months", "repair_allowed",
                  "repair_min_months", "repair_hides_entry", "escalate_to", "escalate_after_months"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in
                   ("description", "legal_basis", "listing_rules", "removal_rules")}

    def __init__(self, *args, department=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ListKind.choices
        self.fields["subjects"].choices = SubjectScope.choices
        self.fields["escalate_to"].queryset = CreditList.objects.filter(department=department)
        if editing:
            del self.fields["code"]

    def _post_clean(self):  # the service validates and saves; skip the model's own validation
        pass

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("code", None)
        return data


class RestrictionForm(forms.Form):
    action = forms.ChoiceField(label=pgettext_lazy("credit", "Action"), choices=Action.choices)
    subject = forms.ChoiceField(label=_("Applies to"), choices=RestrictionSubject.choices,
                                initial=RestrictionSubject.PARTY)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_to = forms.DateField(label=_("Valid to (last day)"), required=False, widget=DateInput)
    duration_months = forms.IntegerField(label=_("Months from listing"), required=False, min_value=1)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class EntryForm(forms.Form):
    subject_type = forms.ChoiceField(label=_("Subject"), choices=SubjectType.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=24, required=False)
    org_code = forms.CharField(label=_("Organisation code"), max_length=12, required=False)
    old_registration_number = forms.CharField(label=_("Old registration number"), max_length=24, required=False)
    id_number = forms.CharField(label=_("Personal ID number"), max_length=24, required=False)
    sex = forms.CharField(label=_("Sex"), max_length=8, required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=1, max_value=129)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=64, required=False)
    legal_representative_id_number = forms.CharField(label=_("ID number of the legal representative"),
                                                     max_length=24, required=False)
    reason = forms.CharField(label=_("Reason or act"), widget=forms.Textarea(attrs={"rows": 3}))
    authority = forms.CharField(label=_("Deciding authority"), max_length=128, required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=128, required=False)
    case_number = forms.CharField(label=_("Case number"), max_length=128, required=False)
    obligation = forms.CharField(label=_("Obligation"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    performance = forms.CharField(label=_("Performance"), max_length=200, required=False)
    filed_on = forms.DateField(label=_("Filed on"), required=False, widget=DateInput)
    listed_on = forms.DateField(label=_("Listed on"), widget=DateInput)
    expires_on = forms.DateField(label=_("Leaves the list on"), required=False, widget=DateInput)


class RemoveEntryForm(forms.Form):
    reason = forms.CharField(label=_("Why is the entry removed?"), max_length=200)
    on = forms.DateField(label=_("Removed on"), required=False, widget=DateInput)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or JSON)"))


class BulkScreenForm(forms.Form):
    file = forms.FileField(label=_("CSV file of parties"))
    action = forms.ChoiceField(label=pgettext_lazy("credit", "Action"), choices=Action.choices)
    on = forms.DateField(label=_("Decision date"), required=False, widget=DateInput)


def _yuan_to_fen(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise forms.ValidationError(_("Write an amount in yuan, for example 12345.67.")) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise forms.ValidationError(_("Amounts have at most two decimals."))
    return int(amount * 100)


class YuanField(forms.CharField):
    """An amount typed in yuan (元) and kept as integer fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return _yuan_to_fen(super().to_python(value))


class AnnualReportForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=6, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    email = forms.EmailField(label=_("E-mail"), required=False)
    operating_status = forms.ChoiceField(label=_("Operating status"), choices=OperatingStatus.choices)
    websites = forms.CharField(label=_("Websites and online shops (one address a line)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    investments = forms.CharField(label=_("Investments in other enterprises (one a line: name, code)"),
                                  required=False, widget=forms.Textarea(attrs={"rows": 2}))
    shareholders = forms.CharField(
        label=_("Shareholders (one a line: name, subscribed capital in yuan, paid-in capital in yuan)"),
        required=False, widget=forms.Textarea(attrs={"rows": 3}))
    equity_transfers = forms.CharField(label=_("Equity transfers (one a line: from, to, share, date)"),
                                       required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publish_figures = forms.BooleanField(label=_("Publish the figures below"), required=False)
    employees = forms.IntegerField(label=_("Employees"), required=False, min_value=0)
    total_assets_fen = YuanField(label=_("Total assets (yuan)"))
    liabilities_fen = YuanField(label=_("Total liabilities (yuan)"))
    guarantees_fen = YuanField(label=_("Guarantees given (yuan)"))
    owners_equity_fen = YuanField(label=_("Owners' equity (yuan)"))
    revenue_fen = YuanField(label=_("Revenue (yuan)"))
    main_revenue_fen = YuanField(label=_("Main-business revenue (yuan)"))
    total_profit_fen = YuanField(label=_("Total profit (yuan)"))
    net_profit_fen = YuanField(label=_("Net profit (yuan)"))
    tax_paid_fen = YuanField(label=_("Tax paid (yuan)"))

    @staticmethod
    def _lines(text: str) -> list[list[str]]:
        rows = []
        for line in (text or "").splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if any(parts):
                rows.append(parts)
        return rows

    def clean_websites(self):
        return [{"url": row[0]} for row in self._lines(self.cleaned_data["websites"])]

    def clean_investments(self):
        return [{"name": row[0], "uscc": row[1] if len(row) > 1 else ""}
                for row in self._lines(self.cleaned_data["investments"])]

    def clean_shareholders(self):
        holders = []
        for row in self._lines(self.cleaned_data["shareholders"]):
            try:
                holders.append({"name": row[0],
                                "subscribed_fen": _yuan_to_fen(row[1]) if len(row) > 1 else None,
                                "paid_fen": _yuan_to_fen(row[2]) if len(row) > 2 else None})
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("Line “%(line)s”: %(error)s") % {
                    "line": ", ".join(row), "error": " ".join(exc.messages)}) from exc
        return holders

    def clean_equity_transfers(self):
        keys = ("from", "to", "share", "date")
        return [dict(zip(keys, row)) for row in self._lines(self.cleaned_data["equity_transfers"])]

    @staticmethod
    def initial_from(report) -> dict:
        if report is None:
            return {}
        initial = {name: getattr(report, name) for name in (
            "address", "postcode", "phone", "email", "operating_status", "publish_figures", "employees")}
        initial["websites"] = "\n".join(w.get("url", "") for w in report.websites)
        initial["investments"] = "\n".join(f"{i.get('name', '')}, {i.get('uscc', '')}" for i in report.investments)
        initial["shareholders"] = "\n".join(
            f"{s.get('name', '')}, {_fen_text(s.get('subscribed_fen'))}, {_fen_text(s.get('paid_fen'))}"
            for s in report.shareholders)
        initial["equity_transfers"] = "\n".join(", ".join(str(t.get(k, "")) for k in ("from", "to", "share", "date"))
                                                for t in report.equity_transfers)
        from shuangchuang.credit.models import ANNUAL_MONEY_FIELDS

        for name in ANNUAL_MONEY_FIELDS:
            initial[name] = _fen_text(getattr(report, name))
        return initial


def _fen_text(fen) -> str:
    if fen is None:
        return ""
    return f"{Decimal(fen) / 100:.2f}"


class RepairForm(forms.Form):
    statement = forms.CharField(label=_("What has the party done to correct it?"),
                                widget=forms.Textarea(attrs={"rows": 5}))


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

"""Forms of the voucher pages. Amounts are entered in yuan (two decimals) and passed to services in fen."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangchuang.vouchers.models import SchemeKind, ServiceCategory
from shuangchuang.vouchers.models.schemes import PARAMETER_ROLES


class YuanField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(max_digits=14, decimal_places=2, **kwargs)

    def fen(self, value) -> int | None:
        return None if value is None else int(value * 100)


def to_fen(value) -> int | None:
    return None if value is None else int(Decimal(value) * 100)


class ApplyForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=_("Who applies"), choices=())
    requested = YuanField(label=_("Amount requested (yuan)"))
    purpose = forms.CharField(label=_("Service need"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    project_key = forms.CharField(label=_("Project (optional)"), required=False, max_length=120,
                                  help_text=_("The project the service is for, as named in other funding applications."))
    person_name = forms.CharField(label=_("Maker's name"), required=False, max_length=64)
    person_id_number = forms.CharField(label=_("Maker's ID number"), required=False, max_length=18)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_kind"].choices = kinds


class RegisterForm(forms.Form):
    category = forms.ChoiceField(label=_("Service category"), choices=())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    description = forms.CharField(label=_("Qualifications and services"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False, max_length=2000)
    service_name = forms.CharField(label=_("Service"), max_length=128)
    service_price = YuanField(label=_("Price (yuan)"), min_value=Decimal("0"))
    service_unit = forms.CharField(label=_("Unit"), max_length=32, required=False)

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ServiceCategory.choices)
        self.fields["category"].choices = [(c, labels[c]) for c in categories]
        self.fields["year"].initial = timezone.localdate().year


class ContractForm(forms.Form):
    voucher = forms.CharField(label=_("Voucher number"), max_length=16)
    category = forms.ChoiceField(label=_("Service category"), choices=ServiceCategory.choices)
    number = forms.CharField(label=_("Contract number"), max_length=64)
    title = forms.CharField(label=_("Service"), max_length=200)
    amount = YuanField(label=_("Contract amount (yuan)"))
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    contract = forms.FileField(label=_("The signed contract (PDF, PNG or JPEG)"))


class RedeemForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    holder_paid = YuanField(label=_("Paid by the holder (yuan)"))
    service_done_on = forms.DateField(label=_("Service completed on"), widget=forms.DateInput(attrs={"type": "date"}))
    holder_payment = forms.FileField(label=_("Proof of the holder's own payment"))
    service = forms.FileField(label=_("Proof of the service"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    amount = YuanField(label=_("Amount to issue (yuan)"), required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))


class DecisionForm(forms.Form):
    accept = forms.ChoiceField(choices=[("yes", _("Confirm")), ("no", _("Decline"))], widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class RegistrationDecisionForm(forms.Form):
    approve = forms.ChoiceField(choices=[("yes", _("Approve")), ("no", _("Reject"))], widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = YuanField(label=_("Amount to add (yuan)"))
    note = forms.CharField(label=_("Decision or document"), max_length=200)


class BudgetReduceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = YuanField(label=_("Amount to take back (yuan)"))
    note = forms.CharField(label=_("Decision or document"), max_length=200)


class SchemeChangeForm(forms.Form):
    rule = forms.JSONField(label=_("Eligible applicants (a rule as JSON)"), widget=forms.Textarea(attrs={"rows": 6}))
    parameters = forms.CharField(
        label=_("Parameters (one “role = parameter key” a line)"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Roles: %(roles)s. The keys are effective-dated parameters of the policies module.")
        % {"roles": ", ".join(PARAMETER_ROLES)})
    note = forms.CharField(label=_("Decision or document"), max_length=200)

    def clean_parameters(self) -> dict[str, str]:
        return parse_parameter_lines(self.cleaned_data["parameters"])


class SchemeCloseForm(forms.Form):
    note = forms.CharField(label=_("Decision or document"), max_length=200)


def parse_parameter_lines(text: str) -> dict[str, str]:
    mapping = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        role, sep, key = line.partition("=")
        if not sep or not role.strip() or not key.strip():
            raise forms.ValidationError(_("Line %(n)d is not “role = key”.") % {"n": number})
        mapping[role.strip()] = key.strip()
    return mapping


class TieForm(forms.Form):
    party_a = forms.CharField(label=_("First party (USCC or ID number)"), max_length=18)
    party_b = forms.CharField(label=_("Second party (USCC or ID number)"), max_length=18)
    kind = forms.ChoiceField(label=_("Kind of tie"), choices=[("investment", _("Investment")),
                                                              ("co_building", _("Co-building")),
                                                              ("ownership", _("Ownership"))])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SchemeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=48)
    kind = forms.ChoiceField(label=_("Kind"), choices=SchemeKind.choices)
    name = forms.CharField(label=_("Name"), max_length=128)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    district = forms.ChoiceField(label=_("District (for a district scheme)"), required=False, choices=())
    categories = forms.MultipleChoiceField(label=_("Service categories"), choices=ServiceCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    accepts_enterprises = forms.BooleanField(label=_("Enterprises apply"), required=False, initial=True)
    accepts_makers = forms.BooleanField(label=_("Makers apply through a maker space or a firm"), required=False)
    accepts_founders = forms.BooleanField(label=_("Founders apply"), required=False)
    parameters = forms.CharField(
        label=_("Parameters (one “role = parameter key” a line)"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Roles: %(roles)s. The keys are effective-dated parameters of the policies module.")
        % {"roles": ", ".join(PARAMETER_ROLES)})
    rule = forms.JSONField(label=_("Eligible applicants (a rule as JSON)"), required=False, initial={"all": []},
                           widget=forms.Textarea(attrs={"rows": 6}))
    publicity_days = forms.IntegerField(label=_("Publicity period (days)"), min_value=0, max_value=60, initial=5)
    settlement_delay_days = forms.IntegerField(label=_("Settlement delay (days)"), min_value=0, max_value=60,
                                               initial=3)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "—")] + [(d.key, d.name) for d in districts]

    def clean_parameters(self) -> dict[str, str]:
        return parse_parameter_lines(self.cleaned_data["parameters"])


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Service"), max_length=128)
    price = YuanField(label=_("Price (yuan)"), min_value=Decimal("0"))
    unit = forms.CharField(label=_("Unit"), max_length=32, required=False)

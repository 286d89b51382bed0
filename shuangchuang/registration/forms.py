"""Forms of the registration pages: they parse input (yuan → fen, rows → data); the services check the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangchuang.registration.models import BarKind, ObjectorKind, OfficerPosition, ShareholderKind
from shuangchuang.registration.services import ApplicationData, OfficerData, ShareholderData
from shuangchuang.registration.services.applications import CHANGE_ITEMS
from shuangchuang.registry.models import LegalForm

MAX_YUAN = Decimal("1000000000000")


class DateInput(forms.DateInput):
    input_type = "date"


def to_fen(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def yuan_field(label, required=False, help_text=""):
    return forms.DecimalField(label=label, required=required, min_value=Decimal("0"), max_value=MAX_YUAN,
                              decimal_places=2, max_digits=16, help_text=help_text)


class ApplicationForm(forms.Form):
    reservation_id = forms.TypedChoiceField(label=_("Reserved name"), required=False, coerce=int, empty_value=None)
    name = forms.CharField(label=_("Enterprise name"), max_length=128, required=False,
                           help_text=_("As reserved with the name self-declaration."))
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=[("", "—"), *LegalForm.choices], required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    cluster = forms.TypedChoiceField(label=_("Cluster registration: use the address of a custodian firm"),
                                     required=False, coerce=int, empty_value=None)
    hosting_start = forms.DateField(label=_("Hosting contract from"), required=False, widget=DateInput)
    hosting_end = forms.DateField(label=_("Hosting contract to"), required=False, widget=DateInput)
    address = forms.CharField(label=_("Address (住所)"), max_length=200, required=False)
    registered_capital = yuan_field(_("Registered capital (yuan)"))
    industry = forms.ChoiceField(label=_("Industry (GB/T 4754)"), required=False)
    scope_terms = forms.MultipleChoiceField(label=_("Business scope (standard terms)"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    legal_rep_name = forms.CharField(label=_("Legal representative"), max_length=64, required=False)
    legal_rep_id_number = forms.CharField(label=_("Legal representative's ID number"), max_length=24, required=False)
    articles = forms.FileField(label=_("Articles of association (PDF)"), required=False)

    def __init__(self, *args, reservations=(), districts=(), custodians=(), industries=(), terms=(),
                 change: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reservation_id"].choices = [("", "—"), *[(r.pk, r.name) for r in reservations]]
        self.fields["district"].choices = [("", "—"), *[(d.key, d.name) for d in districts]]
        self.fields["cluster"].choices = [("", _("No: my own address")),
                                          *[(c.pk, c.annotated_address) for c in custodians]]
        self.fields["industry"].choices = [("", "—"), *[(i.code, f"{i.code} {i.name}") for i in industries]]
        self.fields["scope_terms"].choices = [(t.code, t.text) for t in terms]
        if change:
            self.fields["items"] = forms.MultipleChoiceField(
                label=_("What changes"), widget=forms.CheckboxSelectMultiple,
                choices=[(i, label) for i, label in zip(CHANGE_ITEMS, (
                    _("Name"), _("Address"), _("Registered capital and shareholders"), _("Legal representative"),
                    _("Business scope")))])
            del self.fields["legal_form"]
            del self.fields["industry"]


class ShareholderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ShareholderKind.choices, initial=ShareholderKind.PERSON)
    name = forms.CharField(label=_("Name"), max_length=128, required=False)
    identifier = forms.CharField(label=_("ID number or USCC"), max_length=24, required=False)
    subscribed = yuan_field(_("Subscribed capital (yuan)"))


class OfficerForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"), choices=OfficerPosition.choices)
    name = forms.CharField(label=_("Name"), max_length=64, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=24, required=False)


ShareholderFormSet = forms.formset_factory(ShareholderForm, extra=3, max_num=50)
OfficerFormSet = forms.formset_factory(OfficerForm, extra=3, max_num=30)


def application_data(form: ApplicationForm, shareholders, officers) -> ApplicationData:
    c = form.cleaned_data
    holders = []
    for row in shareholders.cleaned_data:
        if not row or not (row.get("name") or row.get("identifier")):
            continue
        person = row["kind"] == ShareholderKind.PERSON
        holders.append(ShareholderData(kind=row["kind"], name=row.get("name", ""),
                                       id_number=row.get("identifier", "") if person else "",
                                       uscc="" if person else row.get("identifier", ""),
                                       subscribed_capital_fen=to_fen(row.get("subscribed")) or 0))
    people = [OfficerData(position=row["position"], name=row.get("name", ""), id_number=row.get("id_number", ""))
              for row in officers.cleaned_data if row and (row.get("name") or row.get("id_number"))]
    return ApplicationData(
        name=c.get("name", ""), reservation_id=c.get("reservation_id"), legal_form=c.get("legal_form", ""),
        district=c.get("district", ""), address=c.get("address", ""), custodian_id=c.get("cluster"),
        hosting_start=c.get("hosting_start"), hosting_end=c.get("hosting_end"),
        registered_capital_fen=to_fen(c.get("registered_capital")), industry=c.get("industry", ""),
        scope_terms=c.get("scope_terms", []), legal_rep_name=c.get("legal_rep_name", ""),
        legal_rep_id_number=c.get("legal_rep_id_number", ""), shareholders=holders, officers=people,
        items=c.get("items", []),
    )


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note or reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    corrections = forms.CharField(label=_("Corrections (one per line)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class DeregistrationForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=[("not_started", _("Never started business")),
                                                           ("no_debts", _("No claims or debts, or all settled"))])
    promise = forms.FileField(label=_("Investors' written promise (承诺书, PDF)"))


class ObjectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("You are"), choices=[(ObjectorKind.CREDITOR, ObjectorKind.CREDITOR.label),
                                                          (ObjectorKind.PUBLIC, ObjectorKind.PUBLIC.label)])
    name = forms.CharField(label=_("Your name"), max_length=128,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=128)
    reason = forms.CharField(label=_("Reasons for the objection"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    amount = yuan_field(_("Amount claimed (yuan), for creditors"))


class ResolveForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("dismissed", _("Dismiss")), ("upheld", _("Uphold"))])
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class CustodianForm(forms.Form):
    address = forms.CharField(label=_("Address offered to hosted firms"), max_length=200)
    annotation = forms.CharField(label=_("Address annotation"), max_length=60, initial="（托管企业）")
    service_place = forms.BooleanField(label=_("We keep a fixed place where documents can be served"),
                                       required=False)
    staff_and_procedures = forms.BooleanField(label=_("We have staff and procedures for the service"),
                                              required=False)
    title_document = forms.FileField(label=_("Proof of title or lease (PDF)"), required=False)


class CustodianDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Refuse")),
                                                               ("suspend", _("Suspend"))])
    note = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ServedForm(forms.Form):
    enterprise = forms.ChoiceField(label=_("Hosted firm"))
    title = forms.CharField(label=_("Document"), max_length=200)
    sender = forms.CharField(label=_("Sent by"), max_length=128)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    signed_on = forms.DateField(label=_("Signed for on"), widget=DateInput)

    def __init__(self, *args, hosted=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(h.enterprise.uscc, h.enterprise.name) for h in hosted]


class BarForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BarKind.choices)
    since = forms.DateField(label=_("Since"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RuleVersionForm(forms.Form):
    """A new dated version of a registration rule; the value is JSON (a number, a list or the rule's parts)."""

    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput,
                                 help_text=_("Today or later, and after the last version."))
    value = forms.CharField(label=_("Value (JSON)"), widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
                            help_text=_("Keep the parts of the current version; change only what the new rule "
                                        "changes."))
    source = forms.CharField(label=_("Source"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("The document that sets the new value, with its number and date."))

    def clean_value(self):
        import json

        try:
            return json.loads(self.cleaned_data["value"])
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None

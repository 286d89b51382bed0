"""Forms of the names pages (the same fields as the API)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangchuang.registry.models import IndustryDivision, LegalForm


def industry_choices() -> list[tuple[str, str]]:
    return [("", _("— not given —"))] + [(d.code, f"{d.code} {d.name}")
                                          for d in IndustryDivision.objects.order_by("code")]


class NameCheckForm(forms.Form):
    name = forms.CharField(label=_("Proposed name"), max_length=100, help_text=_(
        "Region + trade name + industry + organisation form, for example 深圳市鹏城创芯科技有限公司."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices, initial=LegalForm.LLC)
    industry_code = forms.ChoiceField(label=_("Industry (GB/T 4754 division)"), required=False, choices=())
    investors = forms.CharField(
        label=_("Enterprises that will invest (USCC)"), required=False, max_length=400,
        help_text=_("Optional, separated by spaces or commas: a firm may use the trade name of a firm it has an "
                    "investment relation with."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry_code"].choices = industry_choices()

    def clean_investors(self) -> list[str]:
        return [part for part in re.split(r"[\s,，、;；]+", self.cleaned_data.get("investors") or "") if part][:10]


class ReserveForm(NameCheckForm):
    acknowledge_similar = forms.BooleanField(
        label=_("I have read the similar names and reserve this name on my own responsibility"), required=False)
    prior_approval = forms.BooleanField(
        label=_("The establishment or business scope needs prior approval (reserved for one year)"), required=False)

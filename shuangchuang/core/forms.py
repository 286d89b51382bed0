from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.services import user_password_set


class ServiceSetPasswordForm(SetPasswordForm):
    """Django's reset form, saving through the service so the change is audited."""

    def save(self, commit=True):
        user_password_set(actor=Actor(user=self.user), user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=64, help_text=_("What the token is for, e.g. ERP sync."))

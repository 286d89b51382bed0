"""The platform's modules (docs/ARCHITECTURE.md), for navigation. `url_name` is None until a module is built."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    title: str
    summary: str
    measures: str
    url_name: str | None = None

    @property
    def built(self) -> bool:
        return self.url_name is not None


MODULES = [
    Module("registry", _("Enterprise registry"), _("Look up any enterprise by name or unified social credit code."),
           "", "registry:search"),
    Module("registration", _("Business registration"),
           _("Name self-declaration, establishment with one licence and one code, simplified deregistration."), "(二)",
           "registration:index"),
    Module("credit", _("Credit"), _("Credit publicity, dishonesty lists, screening and joint punishment."), "(二)(三十)",
           "credit:index"),
    Module("policies", _("Policies"), _("Policy library, eligibility, matching and the policy assistant."),
           "(六)(十七)(三十四)", "policies:index"),
    Module("programmes", _("Programmes"), _("Calls for special funds, subsidies, awards and talent programmes."),
           "(五)(七)(九)(十)(十九)(二十一)(二十五)", "programmes:index"),
    Module("vouchers", _("Vouchers"), _("Innovation vouchers and rent vouchers."), "(十八)(二十一)", "vouchers:index"),
    Module("resources", _("Resources"), _("Service providers, mentors, investors, instruments and spaces."),
           "(四)(七)(十五)(十六)(十八)(二十)(二十六)–(二十九)"),
    Module("ip", _("Intellectual property"), _("Patents, patent-information push, fast protection, pledge financing."),
           "(三)(十)(十九)"),
    Module("supervision", _("Supervision"), _("The 34 measures, their responsible units and their progress."),
           "(三十一)–(三十四)"),
    Module("opendata", _("Open data"), _("Published datasets and their API."), "(十九)(二十八)"),
]

MODULES_BY_KEY = {m.key: m for m in MODULES}

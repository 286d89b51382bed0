"""Builders of registry test data (through registry.services with the system actor)."""

from __future__ import annotations

from shuangchuang.core.tests.factories import SYSTEM, id_number
from shuangchuang.registry.models import LegalForm, NaturalPerson
from shuangchuang.registry.services import enterprise_register

LEGAL_REP_ID = id_number(123, region="440305", birth="19850301")


def make_natural_person(id_no: str, name: str) -> NaturalPerson:
    # The register has no service for natural persons yet; they arrive with registrations.
    return NaturalPerson.objects.create(id_number=id_no, name=name)


def register(*, uscc: str, name: str, legal_form: str = LegalForm.LLC, actor=SYSTEM, **kwargs):
    return enterprise_register(actor=actor, uscc=uscc, name=name, legal_form=legal_form, **kwargs)

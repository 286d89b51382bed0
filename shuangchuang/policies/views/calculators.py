"""Calculator pages: R&D super-deduction and the venture-capital 70 % credit, with their working and sources."""

from __future__ import annotations

from django.shortcuts import render

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.calculators import rd_super_deduction, vc_tax_credit
from shuangchuang.policies.calculators.rd import table_years
from shuangchuang.policies.forms import IncomeForm, InvestmentFormSet, RdCalculatorForm
from shuangchuang.policies.selectors.parameters import parameter_rows


def rd(request):
    form = RdCalculatorForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = rd_super_deduction(**form.arguments())
        except ServiceError as exc:
            field = {"expensed_fen": "expensed", "capitalised_fen": "capitalised",
                     "expensed_later_fen": "expensed_later"}.get(exc.field, exc.field)
            form.add_error(field if field in form.fields else None, exc.message)
    table = {key: list(parameter_rows(key)) for key in ("rd.extra_rate.general", "rd.extra_rate.tech_sme",
                                                        "rd.extra_rate.manufacturing", "rd.extra_rate.ic_machine_tool")}
    first, last = table_years()
    return render(request, "policies/calc_rd.html", {"form": form, "result": result, "table": table,
                                                     "first": first, "last": last})


def vc(request):
    formset = InvestmentFormSet(request.POST or None, prefix="inv")
    income = IncomeForm(request.POST or None)
    result, error = None, ""
    if request.method == "POST" and formset.is_valid() and income.is_valid():
        try:
            result = vc_tax_credit(investments=[f.investment() for f in formset.forms if f.cleaned_data],
                                   taxable_income=income.cleaned_data["incomes"])
        except ServiceError as exc:
            error = exc.message
    return render(request, "policies/calc_vc.html", {"formset": formset, "income": income, "result": result,
                                                     "error": error})

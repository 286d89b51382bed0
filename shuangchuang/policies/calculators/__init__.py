"""Tax calculators that read their rates from effective-dated parameters and show their working."""

from shuangchuang.policies.calculators.rd import FIRM_TYPES, RdResult, rd_super_deduction
from shuangchuang.policies.calculators.vc import Investment, InvesteeStatus, VcResult, vc_tax_credit

__all__ = ["FIRM_TYPES", "Investment", "InvesteeStatus", "RdResult", "VcResult", "rd_super_deduction",
           "vc_tax_credit"]

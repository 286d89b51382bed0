"""Vouchers (深府〔2016〕61号 (十八)(二十一); POLICY-FACTS §5, §12): 科技创新券 and district 租房券 on a ledger
that cannot overspend.

- Schemes name the effective-dated parameters they read (caps by size class, yearly count, share of a fee,
  validity, small leftovers) and an eligibility rule of the policies engine; providers register per category and
  year and are screened when approved.
- Money is double entry (models/ledger.py): appropriation → budget → voucher → pending → payable → disbursed;
  balances are kept in locked rows with CHECK (balance >= 0) and equal the sum of their entries
  (`shuangchuang vouchers_ledger_verify`); corrections are reversing journals; each movement has a unique key.
- Workflows: APPLICATION_WORKFLOW (review → publicity → issue) and REDEMPTION_WORKFLOW (audit → publicity → pay →
  settled after the batch's delay window; reject, cancel, refund reverse the money); credit screening at
  application, issue and payment, evidence ids kept.
- Schemes change after creation (services/scheme_changes.py): rule and parameter keys, closing (issued vouchers
  run to expiry), a year's budget reduced only down to what is not committed (budget → appropriation movement).
- Contracts refuse related parties: subordination and shared legal representative from the register, investment
  from the names module's investment relations (names.selectors.related_enterprise_ids), and ties officers record.
- Redemption needs the holder's own payment to cover the rest of the fee (fee − the voucher's money on it).
- Daily job: `shuangchuang vouchers_daily` (expiry returns unused balances to the budget; batches settle).
- Paid amounts go to the programmes module's per-enterprise support ledger in the payment's transaction.
"""

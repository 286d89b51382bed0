"""Enterprise names (企业名称自主申报, 深府〔2016〕61号 (二), POLICY-FACTS §2.3).

- checker / conflicts: parse a proposed name (region + trade name + industry wording + organisation form), check
  its structure and content, and compare it with every registered, reserved and protected name of the same
  registration authority through the name index (index.py, NameIndexEntry) — a handful of index look-ups.
- services: check, reserve, consume, release, expire (daily), protect, record investment relations.
- Rules as data: data/forbidden.json, data/forms.json, data/synonyms.json, data/periods.json (effective-dated,
  overridable by policies parameters of the same key).
- Interfaces: /registration/names/ (live check, reserve, my reservations), POST /api/v1/registration/name-check
  and the reservation endpoints, commands `names_index` and `names_daily`.
"""

"""Parsing a name for the name rules: the credit module's parser (shuangchuang.credit.normalise.parse_name), which
splits region words (nested: 深圳市 then 南山区), trade name, industry wording and organisation form. Cached per
process, since the live form checks the same name as the applicant types."""

from __future__ import annotations

from functools import lru_cache

from shuangchuang.credit.normalise import ParsedName, parse_name


@lru_cache(maxsize=100_000)
def parse(name: str) -> ParsedName:
    return parse_name(name)

"""Parsing a name for the name rules: the credit module's parser (shuangchuang.credit.normalise.parse_name), with
one correction — region words at the start must narrow each other (深圳市 then 南山区). The credit parser takes
up to three region words even when a later one is another province's (深圳市 + 阿里 in 深圳市阿里巴巴网络科技有限公司,
阿里 being 阿里地区 of Tibet); here such a word goes back to the trade name. (Reported for credit.normalise.)
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from shuangchuang.credit.normalise import ParsedName, parse_name, region_table


def _narrow(current: frozenset[str], codes: frozenset[str]) -> frozenset[str]:
    return frozenset(max(x, c, key=len) for x in current for c in codes if x.startswith(c) or c.startswith(x))


@lru_cache(maxsize=100_000)
def parse(name: str) -> ParsedName:
    parsed = parse_name(name)
    if parsed.region_position != "prefix" or len(parsed.region_words) < 2:
        return parsed
    table = region_table()
    codes = table.get(parsed.region_words[0], frozenset())
    keep = 1
    for word in parsed.region_words[1:]:
        narrowed = _narrow(codes, table.get(word, frozenset()))
        if not narrowed:
            break
        codes, keep = narrowed, keep + 1
    if keep == len(parsed.region_words):
        return parsed
    return dataclasses.replace(parsed, core="".join(parsed.region_words[keep:]) + parsed.core,
                               region_words=parsed.region_words[:keep], regions=codes)

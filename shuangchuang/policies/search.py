"""Chinese text search: jieba tokens kept in a search column, matched the same way on SQLite and PostgreSQL.

A search column holds " tok1 tok2 … " (space-padded), so a token matches with `search_text__contains=" tok "`.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from django.db.models import Q

# Words of the policy domain that jieba's general dictionary splits badly.
DOMAIN_WORDS = [
    "创新券", "科技创新券", "租房券", "创客空间", "众创空间", "创客", "首台套", "首台（套）", "加计扣除", "研发费用",
    "孔雀计划", "创业担保贷款", "知识产权", "质押融资", "高新技术企业", "科技型中小企业", "中小微企业", "小微企业",
    "创业投资企业", "创业投资", "股权投资", "抵扣", "应纳税所得额", "一照一码", "多证合一", "简易注销", "集群注册",
    "一址多照", "商事登记", "失信被执行人", "联合惩戒", "信用信息", "虚拟秘书", "创业导师", "创业项目库", "大型科学仪器",
    "创新型产业用房", "政府采购", "首购", "订购", "众包", "众筹", "众扶", "众创", "四众", "孵化器", "加速器",
    "引导基金", "新三板", "债券", "股权众筹", "网络借贷", "专利信息", "快速维权", "反垄断", "行政事业性收费",
    "生产许可证", "固定资产加速折旧", "保费", "综合险", "离岗创业", "大学生创业", "海外人才", "示范基地",
    "军民融合", "深港", "前海", "保险资金", "双创",
]

STOPWORDS = set(
    "的 了 和 与 及 或 等 是 在 对 为 以 于 把 被 将 由 从 向 给 也 都 就 而 并 其 之 这 那 有 个 我 你 他 她 它 们 吗 呢 吧 啊 "
    "么 什么 怎么 怎样 如何 哪些 哪个 哪里 多少 能否 是否 可以 能 会 要 想 请问 一下 关于 一个 一些 进行 相关 有关 "
    "我们 我能 我的 企业的 公司 我司".split()
) | {
    "a", "an", "the", "of", "to", "for", "in", "on", "and", "or", "is", "are", "i", "my", "me", "we", "our", "can",
    "do", "does", "what", "which", "who", "how", "with", "by", "be", "it", "this", "that", "about", "from", "at", "as",
    "get", "any", "there", "apply", "please", "tell", "much", "many", "may",
}

TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with _lock:
        tokenizer.initialize()
        for word in DOMAIN_WORDS:
            tokenizer.add_word(word, freq=200000)
    return tokenizer


@lru_cache(maxsize=8192)
def _all_tokens(text: str) -> tuple[str, ...]:
    out = []
    for token in _tokenizer().cut_for_search(text):
        token = token.strip().lower()
        if token and TOKEN_OK.search(token):
            out.append(token)
    return tuple(out)


def tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Search tokens of a text: jieba's search-mode cut, lower-cased, without punctuation (and stopwords)."""
    if not text:
        return []
    if keep_stopwords:
        return list(_all_tokens(text))
    return [token for token in _all_tokens(text) if token not in STOPWORDS]


def search_text(*texts: str) -> str:
    words = []
    for text in texts:
        words.extend(tokens(text, keep_stopwords=True))
    return " " + " ".join(words) + " " if words else ""


def query_tokens(q: str) -> list[str]:
    """The distinct meaningful tokens of a query, in order."""
    return list(dict.fromkeys(tokens(q)))


def token_q(field: str, words: list[str]) -> Q:
    """Every word must occur in the search column `field`."""
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__contains": f" {word} "})
    return condition


def highlight(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """Split text into (segment, is_match) pairs, marking the longest query words first."""
    words = sorted({w for w in words if w and len(w) >= 1}, key=len, reverse=True)
    if not words or not text:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        if match.start() > last:
            out.append((text[last:match.start()], False))
        out.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        out.append((text[last:], False))
    return out

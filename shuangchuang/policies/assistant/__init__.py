"""The policy assistant (虚拟秘书): approved answers first, eligibility from the rules engine for a logged-in
enterprise, otherwise extractive answers ranked by BM25 over jieba tokens — and "nothing found" when nothing is."""

from shuangchuang.policies.assistant.engine import Answer, Citation, ask
from shuangchuang.policies.assistant.index import get_index, invalidate

__all__ = ["Answer", "Citation", "ask", "get_index", "invalidate"]

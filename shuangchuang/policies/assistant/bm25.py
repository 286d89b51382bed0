"""A small Okapi BM25 over token lists (k1 = 1.5, b = 0.75), enough for thousands of passages in memory."""

from __future__ import annotations

import math
from collections import Counter


class BM25:
    def __init__(self, documents: list[list[str]], *, k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.frequencies = [Counter(doc) for doc in documents]
        self.lengths = [len(doc) for doc in documents]
        self.count = len(documents)
        self.average = (sum(self.lengths) / self.count) if self.count else 0.0
        df: Counter = Counter()
        for frequency in self.frequencies:
            df.update(frequency.keys())
        self.idf = {term: math.log(1 + (self.count - n + 0.5) / (n + 0.5)) for term, n in df.items()}
        self.postings: dict[str, list[int]] = {}
        for index, frequency in enumerate(self.frequencies):
            for term in frequency:
                self.postings.setdefault(term, []).append(index)

    def scores(self, query: list[str], weights: dict[str, float] | None = None) -> dict[int, float]:
        """Score of every passage containing at least one query term."""
        out: dict[int, float] = {}
        for term in dict.fromkeys(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            weight = (weights or {}).get(term, 1.0)
            for index in self.postings[term]:
                tf = self.frequencies[index][term]
                norm = tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self.lengths[index] / self.average))
                out[index] = out.get(index, 0.0) + weight * idf * norm
        return out

    def top(self, query: list[str], k: int = 3, weights: dict[str, float] | None = None) -> list[tuple[int, float]]:
        scores = self.scores(query, weights)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]

"""Evaluation of the assistant on the question / expected-citation pairs in data/assistant_eval.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from shuangchuang.policies.assistant.engine import ask

PAIRS_FILE = Path(__file__).resolve().parent.parent / "data" / "assistant_eval.json"


@dataclass
class Evaluation:
    answered: int = 0
    top1: int = 0
    top3: int = 0
    negatives: int = 0
    negatives_correct: int = 0
    misses: list[dict] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.answered if self.answered else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.answered if self.answered else 0.0


def load_pairs() -> list[dict]:
    return json.loads(PAIRS_FILE.read_text(encoding="utf-8"))["pairs"]


def evaluate(pairs: list[dict] | None = None) -> Evaluation:
    result = Evaluation()
    for pair in pairs if pairs is not None else load_pairs():
        answer = ask(pair["q"])
        if pair.get("kind") == "none":
            result.negatives += 1
            if answer.kind == "none":
                result.negatives_correct += 1
            else:
                result.misses.append({"q": pair["q"], "expected": "none", "got": answer.kind})
            continue
        result.answered += 1
        expected = (pair["number"], pair.get("measure", ""))
        cited = [(c.number, c.measure) for c in answer.citations[:3]]
        if cited[:1] == [expected]:
            result.top1 += 1
        if expected in cited:
            result.top3 += 1
        else:
            result.misses.append({"q": pair["q"], "expected": expected, "got": cited})
    return result

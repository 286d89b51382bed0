"""Answering a question: an approved answer if one fits; for a logged-in enterprise asking whether it can get a
benefit, the rules engine's explanation; otherwise the most relevant passages (BM25), quoted with their source;
and, when nothing is relevant enough, a plain "nothing found" — never a made-up answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.assistant.glossary import expand, is_english
from shuangchuang.policies.assistant.index import Passage, get_index
from shuangchuang.policies.rules import FAIL, PASS, explain
from shuangchuang.policies.search import highlight, tokens

MIN_SCORE = 5.0           # below this, the best passage is not relevant enough to quote (calibrated on the pairs)
MIN_BENEFIT_SCORE = 3.0   # a benefit named in an eligibility question
FAQ_OVERLAP = 0.6         # share of the question's words an approved question must share
MIN_COVERAGE = 0.5        # more than this share of a Chinese question's words must occur in the library
MAX_QUESTION = 500

ELIGIBILITY = re.compile(
    r"(我|我们|我司|本公司|我公司|企业)?(能|可以|可否|能否|能不能|可不可以|是否可以|有没有资格|有资格|符合|够不够|够格)"
    r".{0,12}(申请|申报|享受|拿到|获得|得到|领取|条件|资格|参与|参加|用)|符合.{0,10}条件|能不能拿|"
    r"\b(can|could|may) (i|we|my (company|firm|enterprise))\b|\bam i\b|\bare we\b|\beligib|\bqualif",
    re.IGNORECASE,
)


@dataclass
class Citation:
    document: str
    number: str
    measure: str
    text: str
    url: str = ""
    segments: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"document": self.document, "number": self.number, "measure": self.measure, "text": self.text,
                "url": self.url}


@dataclass
class Answer:
    kind: str  # faq | retrieval | eligibility | none
    answer: str
    citations: list[Citation] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    approved_by: str = ""
    approved_at: object = None
    benefit_url: str = ""

    def as_dict(self) -> dict:
        return {"answer": self.answer, "kind": self.kind, "citations": [c.as_dict() for c in self.citations]}


def _citation(passage: Passage, words: list[str]) -> Citation:
    url = reverse("policies:document", args=[passage.document_id]) + f"#part-{passage.part_id}"
    return Citation(passage.document, passage.number, passage.measure, passage.text, url,
                    highlight(passage.text, words))


def _part_citation(part, words: list[str]) -> Citation:
    measure = part.parent if part.parent is not None and part.parent.kind == "measure" else (
        part if part.kind == "measure" else None)
    url = reverse("policies:document", args=[part.document_id]) + f"#part-{part.pk}"
    return Citation(part.document.title, part.document.number, measure.number if measure else "", part.text, url,
                    highlight(part.text, words))


def _faq(question_words: set[str], index):
    best, best_overlap = None, 0.0
    for faq, words in zip(index.faqs, index.faq_tokens):
        if not words or not question_words:
            continue
        overlap = len(question_words & words) / max(len(question_words), len(words))
        if overlap > best_overlap:
            best, best_overlap = faq, overlap
    return best if best_overlap >= FAQ_OVERLAP else None


def retrieve(question: str, k: int = 3) -> tuple[list[tuple[Passage, float]], list[str]]:
    """The top-k passages for a question with their BM25 scores, and the query words."""
    index = get_index()
    words = list(dict.fromkeys(tokens(expand(question))))
    return [(index.passages[i], score) for i, score in index.bm25.top(words, k)], words


def _benefit_for(words: list[str], index):
    """The benefit an eligibility question names: among the best BM25 candidates an enterprise can be checked
    against, the one whose title the question covers best."""
    asked = set(words)
    best, best_score = None, 0.0
    for position, score in index.benefit_bm25.top(words, 5):
        benefit = index.benefits[position]
        if score < MIN_BENEFIT_SCORE or benefit.audience == "person":
            continue
        title = set(tokens(benefit.title))
        adjusted = score * (1 + (len(title & asked) / len(title) if title else 0))
        if adjusted > best_score:
            best, best_score = benefit, adjusted
    return best


def _eligibility_answer(benefit, enterprise, words) -> Answer:
    explanation = explain(benefit.rule, enterprise, on=timezone.localdate())
    name, title = enterprise.name, benefit.title
    failing = [c for c in explanation.conditions if c.outcome == FAIL]
    unknown = [c for c in explanation.conditions if c.outcome not in (PASS, FAIL)]
    if explanation.passed:
        text = _("Yes. By the register facts on %(date)s, %(name)s meets every condition of “%(benefit)s”.") % {
            "date": timezone.localdate().isoformat(), "name": name, "benefit": title}
    elif explanation.near_miss is not None:
        text = _("Not yet. %(name)s meets every condition of “%(benefit)s” but one; what would change it: "
                 "%(change)s.") % {"name": name, "benefit": title, "change": explanation.change_text}
    elif explanation.outcome == FAIL:
        text = _("No. %(name)s does not meet these conditions of “%(benefit)s”: %(conditions)s.") % {
            "name": name, "benefit": title, "conditions": "; ".join(c.requirement for c in failing)}
    else:
        text = _("Cannot tell yet: the register lacks facts of %(name)s needed for “%(benefit)s”: %(conditions)s.") % {
            "name": name, "benefit": title, "conditions": "; ".join(c.requirement for c in unknown)}
    details = [f"{'✓' if c.outcome == PASS else '✗' if c.outcome == FAIL else '?'} {c.requirement}"
               + (f" — {c.actual}" if c.outcome != "unknown" else "") + (f" 〔{c.cite}〕" if c.cite else "")
               for c in explanation.conditions]
    checked = [line for line in benefit.checked_at_application.splitlines() if line.strip()]
    if checked:
        details.append(_("Checked when you apply: %(items)s") % {"items": "; ".join(checked)})
    citations = [_part_citation(benefit.part, words)] if benefit.part_id else []
    return Answer("eligibility", text, citations, details,
                  benefit_url=reverse("policies:benefit", args=[benefit.pk]))


def _on_topic(question: str, index) -> bool:
    """Most words of a Chinese question occur in the library; an English one uses at least one policy term."""
    if is_english(question):
        return expand(question) != question
    own = set(tokens(question))
    if not own:
        return False
    known = sum(1 for word in own if word in index.bm25.idf)
    return known / len(own) > MIN_COVERAGE


def ask(question: str, *, enterprise=None) -> Answer:
    """Answer a question in Chinese or English. `enterprise` is the register record of the asking enterprise."""
    question = " ".join((question or "").split())
    if not question:
        raise ServiceError("question_required", _("Ask a question."), field="question")
    if len(question) > MAX_QUESTION:
        raise ServiceError("question_too_long", _("Ask in at most %(n)s characters.") % {"n": MAX_QUESTION},
                           field="question")
    index = get_index()
    expanded = expand(question)
    words = list(dict.fromkeys(tokens(expanded)))

    faq = _faq(set(tokens(question)), index)
    if faq is not None:
        approver = faq.approved_by.full_name or faq.approved_by.username if faq.approved_by else faq.department.name
        answer = Answer("faq", faq.answer, [_part_citation(p, words) for p in faq.citations.all()],
                        approved_by=approver, approved_at=faq.approved_at)
        answer.details.append(_("Approved answer of %(department)s, approved by %(person)s on %(date)s.") % {
            "department": faq.department.name, "person": approver,
            "date": timezone.localtime(faq.approved_at).date().isoformat() if faq.approved_at else "—"})
        return answer

    if ELIGIBILITY.search(question):
        benefit = _benefit_for(words, index)
        if benefit is not None and enterprise is not None:
            return _eligibility_answer(benefit, enterprise, words)
    results = [(index.passages[i], score) for i, score in index.bm25.top(words, 3)]
    if not results or results[0][1] < MIN_SCORE or not _on_topic(question, index):
        return Answer("none", _("I found nothing in the policy library that answers this question. Try other words, "
                                "or ask the department responsible."))
    results = [(p, s) for p, s in results if s >= MIN_SCORE * 0.5]
    best = results[0][0]
    where = f"{best.document}{('（' + best.number + '）') if best.number else ''}{best.measure}"
    text = _("The most relevant passage is in %(where)s: %(text)s") % {"where": where, "text": best.text}
    answer = Answer("retrieval", text, [_citation(p, words) for p, _score in results])
    if ELIGIBILITY.search(question) and enterprise is None:
        answer.details.append(_("Log in and act for your enterprise to have its eligibility checked."))
    return answer

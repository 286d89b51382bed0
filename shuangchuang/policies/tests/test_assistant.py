"""The policy assistant (虚拟秘书): extractive answers citing their sources, eligibility from the rules for a
logged-in enterprise, approved answers first, "nothing found" rather than a made-up answer — and its quality on
the evaluation pairs written from the seed policy."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from shuangchuang.core.actor import Actor
from shuangchuang.core.models import Organisation
from shuangchuang.core.services import api_token_create
from shuangchuang.policies.assistant import ask
from shuangchuang.policies.assistant.evaluation import evaluate
from shuangchuang.policies.models import PartKind, PolicyDocument
from shuangchuang.policies.services import faq_approve, faq_create, policy_revise
from shuangchuang.policies.tests.factories import SYSTEM, actor_for, department, make_officer

TOP1_FLOOR = 0.85
TOP3_FLOOR = 0.90


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestAnswers:
    def test_the_evaluation_pairs_stay_above_the_floor(self):
        result = evaluate()
        assert result.answered >= 40
        assert result.top3_rate >= TOP3_FLOOR, result.misses
        assert result.top1_rate >= TOP1_FLOOR, result.misses
        assert result.negatives_correct == result.negatives, result.misses

    def test_a_retrieval_answer_quotes_the_measure_and_highlights_the_words(self):
        answer = ask("科技创新券发给谁？")
        assert answer.kind == "retrieval"
        first = answer.citations[0]
        assert (first.document, first.number, first.measure) == (
            "深圳市人民政府关于大力推进大众创业万众创新的实施意见", "深府〔2016〕61号", "（十八）")
        assert first.text.startswith("继续实施科技创新券制度")
        assert ("创新券", True) in first.segments
        assert answer.answer.startswith("The most relevant passage is in 深圳市人民政府关于大力推进大众创业万众创新的实施意见"
                                        "（深府〔2016〕61号）（十八）: 继续实施科技创新券制度")

    def test_english_questions_find_the_chinese_passage(self):
        assert ask("What can innovation vouchers be used for?").citations[0].measure == "（十八）"

    def test_an_unrelated_question_finds_nothing_and_says_so(self):
        answer = ask("怎么做红烧肉？")
        assert (answer.kind, answer.citations) == ("none", [])
        assert answer.answer.startswith("I found nothing in the policy library")

    def test_an_enterprise_asking_if_it_can_apply_gets_its_explanation(self, firm_a):
        answer = ask("我能申请创新券吗？", enterprise=firm_a)
        assert answer.kind == "eligibility"
        assert answer.answer.startswith("Yes. By the register facts on")
        assert "深圳市甲科技有限公司 meets every condition of “科技创新券（中小微企业）”" in answer.answer
        assert answer.citations[0].measure == "（十八）"
        assert any(d.startswith("✓ Size class (2011 SME standard) is one of") for d in answer.details)

    @pytest.mark.parametrize("question,title", [
        ("我能申请创新券吗？", "科技创新券（中小微企业）"),
        ("Can I apply for an innovation voucher?", "科技创新券（中小微企业）"),
        ("我们能享受研发费用加计扣除吗？", "研发费用加计扣除"),
        ("我们公司可以申请创业担保贷款吗", "创业担保贷款（小微企业）"),
        ("Are we eligible for the first-of-kind equipment award?", "首台（套）重大技术装备销售奖励"),
        ("我们符合高新技术企业认定条件吗？", "高新技术企业认定（企业所得税减按15%）"),
        ("我们能参与政府采购中小企业优惠吗？", "中小微企业参与政府采购的优惠"),
    ])
    def test_an_eligibility_question_is_routed_to_the_benefit_it_names(self, firm_a, question, title):
        answer = ask(question, enterprise=firm_a)
        assert answer.kind == "eligibility"
        assert f"“{title}”" in answer.answer

    def test_a_near_miss_names_the_one_condition(self, firm_a):
        answer = ask("我们公司符合高新技术企业认定条件吗？", enterprise=firm_a)
        assert answer.kind == "eligibility"
        assert answer.answer.startswith("Not yet. 深圳市甲科技有限公司 meets every condition of “高新技术企业认定")

    def test_without_an_enterprise_an_eligibility_question_is_answered_from_the_text_with_a_hint(self):
        answer = ask("我能申请创新券吗？")
        assert answer.kind == "retrieval"
        assert "Log in and act for your enterprise to have its eligibility checked." in answer.details

    def test_an_approved_answer_comes_first_and_shows_who_approved_it(self):
        stic = department("SZ-STIC")
        officer = make_officer("officer-faq", "SZ-STIC")
        actor = actor_for(officer, stic)
        measure = PolicyDocument.objects.get(slug="sz-2016-61").parts.get(kind=PartKind.MEASURE, number="（十八）")
        faq = faq_create(actor=actor, department=stic, question="科技创新券发给谁？", answer="发给符合条件的中小微企业和创客。",
                         citations=[measure.children.first()])
        assert ask("科技创新券发给谁？").kind == "retrieval"  # a draft is not used
        faq_approve(actor=actor, faq=faq)
        answer = ask("科技创新券发给谁？")
        assert (answer.kind, answer.answer, answer.approved_by) == ("faq", "发给符合条件的中小微企业和创客。", "officer-faq")
        assert answer.citations[0].measure == "（十八）"
        assert "Approved answer of 深圳市科技创新委员会, approved by officer-faq on" in answer.details[0]

    def test_the_index_follows_a_revised_text(self):
        doc = PolicyDocument.objects.get(slug="voucher-2015")
        assert ask("量子计算服务").kind == "none"
        text = doc.body + "\n量子计算服务可以使用创新券购买。"
        policy_revise(actor=SYSTEM, document=doc, note="增加量子计算服务", text=text)
        answer = ask("量子计算服务")
        assert answer.kind == "retrieval" and answer.citations[0].text == "量子计算服务可以使用创新券购买。"

    def test_an_empty_question_is_refused(self):
        with pytest.raises(Exception, match="Ask a question."):
            ask("   ")


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_class")
class TestAssistantEndpoints:
    def test_the_api_answers_with_kind_and_citations(self, client):
        response = client.post("/api/v1/assistant/ask", {"question": "孔雀计划"}, content_type="application/json")
        body = response.json()
        assert response.status_code == 200
        assert body["kind"] == "retrieval"
        assert set(body["citations"][0]) == {"document", "number", "measure", "text", "url"}
        assert body["citations"][0]["measure"] == "（二十五）"

    def test_a_token_acting_for_an_enterprise_gets_an_eligibility_answer(self, client, firm_a, rep_a):
        organisation = Organisation.objects.get(code=firm_a.uscc)
        _token, key = api_token_create(actor=actor_for(rep_a, organisation), name="assistant")
        response = client.post("/api/v1/assistant/ask", {"question": "Can I apply for an innovation voucher?"},
                               content_type="application/json", headers={"Authorization": f"Bearer {key}"})
        assert response.json()["kind"] == "eligibility"

    def test_an_empty_question_is_a_400_with_the_error_shape(self, client):
        response = client.post("/api/v1/assistant/ask", {"question": ""}, content_type="application/json")
        assert response.status_code == 400
        assert response.json() == {"error": {"code": "question_required", "message": "Ask a question.",
                                             "field": "question"}}

    def test_the_widget_posts_to_the_assistant_and_gets_the_answer_fragment(self, client):
        request = RequestFactory().get("/")
        request.actor = Actor.anonymous()
        html = render_to_string("policies/_assistant_widget.html", request=request)
        assert 'hx-post="/policies/assistant/"' in html and 'name="question"' in html
        fragment = client.post("/policies/assistant/", {"question": "创业担保贷款"}, headers={"HX-Request": "true"})
        assert b"<html" not in fragment.content
        assert "（九）" in fragment.content.decode()

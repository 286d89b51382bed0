"""The assistant page and the widget's endpoint (htmx posts the question, the answer fragment comes back)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.assistant import ask
from shuangchuang.policies.views.common import acting_enterprise

EXAMPLES = ["我能申请创新券吗？", "研发费用加计扣除", "创业担保贷款", "Can I get an innovation voucher?", "孔雀计划"]


@require_http_methods(["GET", "POST"])
def assistant(request):
    question = (request.POST.get("question") or request.GET.get("question") or "").strip()
    answer, error = None, ""
    if question:
        try:
            answer = ask(question, enterprise=acting_enterprise(request))
        except ServiceError as exc:
            error = exc.message
    context = {"question": question, "answer": answer, "error": error, "examples": EXAMPLES}
    if request.htmx:
        return render(request, "policies/_answer.html", context)
    return render(request, "policies/assistant.html", context)

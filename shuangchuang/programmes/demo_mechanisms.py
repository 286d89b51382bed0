"""Demo applications on the calls with a special mechanism or a person applying (part of programmes.demo, through
the services like the rest of the demo data):

- loan-interest calls: firms that meet the call's rule apply with the bank's interest statements (or the loan and
  its repayments), so the calculator computes the interest and proposes the share of it; the first start-up loan
  application is proposed for the amount the calculator gives;
- the innovative-space call: ranked and awarded applications, and one lease offer made by the officer's round
  (the discount is entered by the officer, as the policy facts do not fix it);
- a Peacock B call: one talent applying in person (the demo log-in demo-talent).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.demo import DEMO_PASSWORD, DemoContext
from shuangchuang.core.models import Organisation, OrganisationKind, Role, User

STATEMENTS = [[("2025-03-21", "2587.50"), ("2025-06-21", "2616.25"), ("2025-09-21", "2645.00"),
               ("2025-12-21", "2558.75")],
              [("2025-04-20", "4312.50"), ("2025-07-20", "4360.42"), ("2025-10-20", "4408.33")]]


def _eligible(context: DemoContext, call, count: int, used: set[int]) -> list:
    """Firms of the register the call's rule admits (and no credit list names), given an organisation."""
    from shuangchuang.core.services import organisation_create
    from shuangchuang.credit.models import ListEntry
    from shuangchuang.programmes.services.checks import eligibility_of
    from shuangchuang.registry.models import Enterprise, EnterpriseStatus

    listed = set(ListEntry.objects.exclude(uscc="").values_list("uscc", flat=True)[:100000])
    rng = random.Random(f"{context.seed}-{call.programme.code}")
    pool = list(Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).exclude(uscc__in=listed)
                .exclude(pk__in=used).order_by("pk").values_list("pk", flat=True)[:3000])
    rng.shuffle(pool)
    found = []
    for pk in pool[:400]:
        enterprise = Enterprise.objects.get(pk=pk)
        if eligibility_of(call, enterprise).outcome != "pass":
            continue
        organisation = Organisation.objects.filter(code=enterprise.uscc).first() or organisation_create(
            actor=context.actor, kind=OrganisationKind.ENTERPRISE, code=enterprise.uscc, name=enterprise.name)
        used.add(pk)
        found.append((enterprise, organisation))
        if len(found) == count:
            break
    return found


def _submit(context: DemoContext, applicant: Actor, call, *, title: str, key: str, requested_fen: int,
            answers: dict):
    from shuangchuang.programmes.services import application_create, application_transition

    try:
        application = application_create(actor=applicant, call=call, project_title=title, project_key=key,
                                         requested_fen=requested_fen, answers=answers)
        return application_transition(actor=applicant, application=application, transition="submit")
    except Exception as exc:  # a demo firm a gate refuses is skipped, with the reason
        context.log(f"Programmes demo: {title} not submitted ({exc})")
        return None


def _applicant(organisation, index: int) -> Actor:
    return Actor(user=None, organisation=organisation, roles=frozenset({Role.LEGAL_REPRESENTATIVE}),
                 system_label=f"demo-applicant-m{index}")


def loan_interest(context: DemoContext, calls: dict, used: set[int]) -> None:
    from shuangchuang.programmes.formschema import clean_answers
    from shuangchuang.programmes.services import application_transition
    from shuangchuang.programmes.services.interest import loan_interest_subsidy

    officer = context.actor
    for code in ("startup-loan-interest", "ip-pledge-interest"):
        call = calls.get(code)
        if call is None:
            continue
        made = []
        for enterprise, organisation in _eligible(context, call, 6, used):
            if len(made) == 2:
                break
            index = len(made)
            answers = {"summary": f"{enterprise.name}{'创业担保贷款' if code.startswith('startup') else '知识产权质押贷款'}"
                                  "贴息申请", "loan_amount": str(300_000 + 200_000 * index),
                       "annual_rate": "3.45", "drawdown_on": "2025-01-10", "interest_until": "2025-12-21"}
            if index == 0:  # the bank's interest statements: the interest is their sum
                answers["interest_statements"] = [{"paid_on": on, "interest": amount}
                                                  for on, amount in STATEMENTS[code != "startup-loan-interest"]]
            else:  # the loan and its repayments: the interest is computed on the balance
                answers["repayments"] = [{"on": "2025-07-10", "principal": "100000"},
                                         {"on": "2025-12-21", "principal": "150000"}]
            cleaned, _errors = clean_answers(call.form_schema, answers, complete=False)
            working = loan_interest_subsidy(call=call, answers=cleaned)
            requested = working.subsidy_fen or working.interest_fen or 10_000_00
            application = _submit(context, _applicant(organisation, index), call, title=answers["summary"],
                                  key=f"LOAN-{enterprise.uscc[-8:]}-2025", requested_fen=requested, answers=answers)
            if application is not None:
                made.append((application, working))
        context.log(f"Programmes demo: {len(made)} loan-interest applications on {call.title}")
        if made and code == "startup-loan-interest":
            application, working = made[0]
            application = application_transition(actor=officer, application=application, transition="accept")
            if working.subsidy_fen:
                application_transition(actor=officer, application=application, transition="propose",
                                       amount_fen=working.subsidy_fen,
                                       note="按银行付息凭证合计利息及贴息比例计算")


def space(context: DemoContext, call, used: set[int]) -> None:
    from shuangchuang.programmes.models import Application, State
    from shuangchuang.programmes.services import application_transition, call_rank, lease_offers_round

    if call is None:
        return
    officer = context.actor
    made = []
    for index, (enterprise, organisation) in enumerate(_eligible(context, call, 8, used)):
        if len(made) == 3:
            break
        application = _submit(context, _applicant(organisation, 10 + index), call,
                              title=f"{enterprise.trade_name or enterprise.name[:6]}研发用房申请",
                              key=f"SPACE-{enterprise.uscc[-8:]}-{call.year}", requested_fen=(200_000 + 50_000 * index) * 100,
                              answers={})
        if application is not None:
            made.append(application_transition(actor=officer, application=application, transition="accept"))
    if not made:
        return
    call_rank(actor=officer, call=call)
    for application in Application.objects.filter(call=call, state=State.REVIEWED, rank__isnull=False
                                                  ).order_by("rank")[:2]:
        application = application_transition(actor=officer, application=application, transition="propose",
                                             amount_fen=application.proposed_fen or application.requested_fen,
                                             note="用房分配评审通过")
        application_transition(actor=officer, application=application, transition="award", note="同意配租")
    today = timezone.localdate()
    start = today.replace(day=1) + datetime.timedelta(days=62)
    result = lease_offers_round(
        actor=officer, call=call, spaces=[{"building": "深圳湾创新科技中心二期", "space": "B-1105", "area_m2": "320",
                                           "reference_rent_fen": 135_00}],
        term_starts_on=start.replace(day=1), term_ends_on=start.replace(day=1, year=start.year + 3)
        - datetime.timedelta(days=1), respond_by=today + datetime.timedelta(days=14),
        discount="0.3")  # entered by the demo officer: the policy facts do not fix the discount (GAP)
    context.log(f"Programmes demo: space call — {len(made)} ranked, {len(result.offers)} lease offer made")


def talent(context: DemoContext, call) -> None:
    from shuangchuang.core.services import user_create
    from shuangchuang.registry.demo_city.parts import person_id_number

    if call is None:
        return
    birth = datetime.date(1985, 4, 12)
    user = User.objects.filter(username="demo-talent").first() or user_create(
        actor=context.actor, username="demo-talent", password=DEMO_PASSWORD, full_name="周宁",
        id_number=person_id_number("440305", birth, 61), email="demo-talent@example.cn", check_password=False)
    from shuangchuang.programmes.services.checks import max_award

    age = (timezone.localdate() - birth).days // 365
    application = _submit(context, Actor(user=user), call, title="孔雀计划B类人才奖励补贴（周宁）",
                          key=f"PEACOCK-B-{user.pk}", requested_fen=max_award(call) or 1_000_000_00,
                          answers={"age": str(age), "recognised_on": "2025-11-18", "contract_years": "5"})
    context.log(f"Programmes demo: talent application {'submitted' if application else 'not submitted'}")


def load(context: DemoContext, calls: dict) -> None:
    used: set[int] = set()
    loan_interest(context, calls, used)
    space(context, calls.get("innovative-space"), used)
    talent(context, calls.get("peacock-b"))

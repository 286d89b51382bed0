from django.urls import path

from shuangchuang.policies.views import alerts, assistant, calculators, manage, public

app_name = "policies"

urlpatterns = [
    path("", public.index, name="index"),
    path("<int:pk>/", public.document, name="document"),
    path("<int:pk>/versions/", public.versions, name="versions"),
    path("<int:pk>/versions/<int:old>/<int:new>/", public.diff, name="diff"),
    path("<int:pk>/publish/", manage.publish, name="publish"),
    path("<int:pk>/revise/", manage.revise, name="revise"),
    path("<int:pk>/withdraw/", manage.withdraw, name="withdraw"),
    path("<int:pk>/benefits/new/", manage.benefit_new, name="benefit_new"),
    path("benefits/", public.benefits, name="benefits"),
    path("benefits/<int:pk>/", public.benefit, name="benefit"),
    path("benefits/<int:pk>/matches/", public.matches, name="matches"),
    path("benefits/<int:pk>/edit/", manage.benefit_edit, name="benefit_edit"),
    path("benefits/<int:pk>/publish/", manage.benefit_publish, name="benefit_publish"),
    path("benefits/<int:pk>/withdraw/", manage.benefit_withdraw, name="benefit_withdraw"),
    path("benefits/<int:pk>/push/", manage.benefit_push, name="benefit_push"),
    path("pushes/<int:pk>/", manage.push, name="push"),
    path("eligibility/", public.eligibility, name="eligibility"),
    path("eligibility/<str:uscc>/", public.eligibility, name="eligibility_for"),
    path("parameters/", public.parameters, name="parameters"),
    path("parameters/<int:pk>/set/", manage.parameter_set, name="parameter_set"),
    path("assistant/", assistant.assistant, name="assistant"),
    path("calculators/rd-super-deduction/", calculators.rd, name="calc_rd"),
    path("calculators/vc-tax-credit/", calculators.vc, name="calc_vc"),
    path("alerts/", alerts.alerts, name="alerts"),
    path("alerts/<int:pk>/delete/", alerts.alert_delete, name="alert_delete"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="unsubscribe"),
    path("manage/", manage.dashboard, name="manage"),
    path("manage/import/", manage.import_text, name="import"),
    path("manage/answers/new/", manage.faq_new, name="faq_new"),
    path("manage/answers/<int:pk>/<str:decision>/", manage.faq_decide, name="faq_decide"),
]

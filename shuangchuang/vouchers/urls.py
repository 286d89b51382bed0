from django.urls import path

from shuangchuang.vouchers.views import holder, officer, provider, public

app_name = "vouchers"

urlpatterns = [
    path("", public.index, name="index"),
    path("schemes/<slug:code>/", public.scheme_detail, name="scheme"),
    path("providers/", public.providers, name="providers"),
    path("schemes/<slug:code>/apply/", holder.apply, name="apply"),
    path("my/", holder.my, name="my"),
    path("my/applications/<int:pk>/", holder.application_detail, name="application"),
    path("my/applications/<int:pk>/withdraw/", holder.application_withdraw, name="application_withdraw"),
    path("v/<str:code>/", holder.voucher_page, name="voucher"),
    path("contracts/<int:pk>/", holder.contract_detail, name="contract"),
    path("contracts/<int:pk>/decision/", holder.contract_decision, name="contract_decision"),
    path("contracts/<int:pk>/redeem/", provider.redeem, name="redeem"),
    path("redemptions/<int:pk>/", holder.redemption_detail, name="redemption"),
    path("documents/<int:pk>/", holder.document, name="document"),
    path("provider/", provider.home, name="provider"),
    path("provider/register/<slug:code>/", provider.register, name="register"),
    path("provider/registrations/<int:pk>/services/", provider.service_add, name="service_add"),
    path("provider/contract/new/", provider.contract_new, name="contract_new"),
    path("manage/", officer.manage, name="manage"),
    path("manage/schemes/new/", officer.scheme_new, name="scheme_new"),
    path("manage/schemes/<slug:code>/", officer.scheme_dashboard, name="dashboard"),
    path("manage/schemes/<slug:code>/export.csv", officer.scheme_export, name="export"),
    path("manage/schemes/<slug:code>/budget/", officer.scheme_budget, name="budget"),
    path("manage/schemes/<slug:code>/budget/reduce/", officer.scheme_budget_reduce_view, name="budget_reduce"),
    path("manage/schemes/<slug:code>/change/", officer.scheme_change_view, name="scheme_change"),
    path("manage/schemes/<slug:code>/close/", officer.scheme_close_view, name="scheme_close"),
    path("manage/schemes/<slug:code>/ties/", officer.scheme_tie, name="tie"),
    path("manage/applications/<int:pk>/", officer.application_review, name="application_review"),
    path("manage/redemptions/<int:pk>/", officer.redemption_review, name="redemption_review"),
    path("manage/registrations/<int:pk>/", officer.registration_review, name="registration_review"),
    path("manage/registrations/<int:pk>/decide/", officer.registration_decide, name="registration_decide"),
]

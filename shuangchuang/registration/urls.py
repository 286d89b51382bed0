from django.urls import path

from shuangchuang.registration import views

app_name = "registration"

urlpatterns = [
    path("", views.index, name="index"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/step/", views.application_step, name="application_step"),
    path("applications/<int:pk>/articles/", views.application_articles, name="application_articles"),
    path("change/", views.change_new, name="change_new"),
    path("queue/", views.queue, name="queue"),
    path("licence/", views.my_licence, name="my_licence"),
    path("licences/<str:token>/", views.licence, name="licence"),
    path("licences/<str:token>/pdf/", views.licence_pdf_view, name="licence_pdf"),
    path("deregistration/", views.deregistration_new, name="deregistration_new"),
    path("deregistrations/<int:pk>/", views.deregistration_detail, name="deregistration"),
    path("deregistrations/<int:pk>/step/", views.deregistration_step, name="deregistration_step"),
    path("deregistrations/<int:pk>/promise/", views.deregistration_promise, name="deregistration_promise"),
    path("deregistrations/<int:pk>/objections/", views.objection_decide, name="objection_decide"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/object/", views.notice_object, name="notice_object"),
    path("enterprises/<str:uscc>/bars/", views.bars, name="bars"),
    path("enterprises/<str:uscc>/bars/<int:pk>/lift/", views.bar_lift_view, name="bar_lift"),
    path("rules/", views.rules, name="rules"),
    path("rules/<str:key>/new/", views.rule_new, name="rule_new"),
    path("custodians/", views.custodians, name="custodians"),
    path("custodians/new/", views.custodian_new, name="custodian_new"),
    path("custodians/<int:pk>/", views.custodian_detail, name="custodian"),
    path("custodians/<int:pk>/title/", views.custodian_title, name="custodian_title"),
]

from django.urls import path

from shuangchuang.programmes.views import applicant, officer, public, reviewer, space

app_name = "programmes"

urlpatterns = [
    path("", public.index, name="index"),
    path("calls/", public.calls, name="calls"),
    path("calls/<int:pk>/", public.call_detail, name="call"),
    path("calls/<int:pk>/apply/", applicant.apply, name="apply"),
    path("notices/", public.notices, name="notices"),
    path("notices/<int:pk>/", public.notice_detail, name="notice"),
    path("my/", applicant.my_applications, name="my"),
    path("applications/<int:pk>/", applicant.application, name="application"),
    path("applications/<int:pk>/files/", applicant.attachment_add, name="attachment_add"),
    path("applications/<int:pk>/files/<int:file_id>/", applicant.attachment_download, name="attachment"),
    path("applications/<int:pk>/files/<int:file_id>/remove/", applicant.attachment_remove, name="attachment_remove"),
    path("applications/<int:pk>/step/", applicant.applicant_transition, name="applicant_transition"),
    path("applications/<int:pk>/reports/<int:report_id>/", applicant.report, name="report"),
    path("applications/<int:pk>/indicators/<int:kpi_id>/", applicant.kpi_actual, name="kpi_actual"),
    path("applications/<int:pk>/lease/<int:offer_id>/", space.offer_answer, name="lease_answer"),
    path("reviews/", reviewer.reviews, name="reviews"),
    path("reviews/<int:pk>/", reviewer.review, name="review"),
    path("manage/", officer.manage, name="manage"),
    path("manage/programmes/new/", officer.programme_new, name="programme_new"),
    path("manage/programmes/<int:programme_id>/calls/new/", officer.call_new, name="call_new"),
    path("manage/calls/<int:pk>/", officer.call_manage, name="call_manage"),
    path("manage/calls/<int:pk>/form/", officer.form_builder, name="form_builder"),
    path("manage/calls/<int:pk>/ranking/", officer.ranking, name="ranking"),
    path("manage/calls/<int:pk>/notice/", officer.notice_new, name="notice_new"),
    path("manage/applications/", officer.applications, name="applications"),
    path("manage/applications/<int:pk>/", officer.application, name="manage_application"),
    path("manage/applications/<int:pk>/assign/", officer.assign, name="assign"),
    path("manage/applications/<int:pk>/site-visit/", officer.site_visit, name="site_visit"),
    path("manage/applications/<int:pk>/agreement/", officer.agreement, name="agreement"),
    path("manage/applications/<int:pk>/instalments/<int:instalment_id>/pay/", officer.pay, name="pay"),
    path("manage/applications/<int:pk>/milestones/<int:milestone_id>/", officer.milestone, name="milestone"),
    path("manage/applications/<int:pk>/lease/", space.offer_make, name="lease_offer"),
    path("manage/applications/<int:pk>/lease/<int:offer_id>/", space.offer_officer, name="lease_officer"),
    path("manage/applications/<int:pk>/evaluation/", officer.evaluate, name="evaluate"),
    path("manage/applications/<int:pk>/objections/<int:objection_id>/", officer.resolve, name="resolve"),
]

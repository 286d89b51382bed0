from django.urls import path

from shuangchuang.credit import views

app_name = "credit"

urlpatterns = [
    path("", views.index, name="index"),
    path("lists/", views.lists, name="lists"),
    path("lists/<slug:code>/", views.list_detail, name="list_detail"),
    path("enterprises/<str:uscc>/", views.enterprise, name="enterprise"),
    path("screen/", views.screen, name="screen"),
    path("evidence/<uuid:evidence_id>/", views.evidence, name="evidence"),
    path("evidence/<uuid:evidence_id>/adjudicate/", views.adjudicate, name="adjudicate"),
    path("import-format/", views.import_format, name="import_format"),
    path("my/", views.my_credit, name="my"),
    path("my/annual-reports/<int:year>/", views.annual_report, name="annual_report"),
    path("my/entries/<int:entry_id>/repair/", views.repair_new, name="repair_new"),
    path("my/repairs/<int:pk>/", views.repair_mine, name="repair_mine"),
    path("repairs/<int:pk>/documents/<int:document_id>/", views.repair_document, name="repair_document"),
    path("manage/", views.manage, name="manage"),
    path("manage/lists/new/", views.list_new, name="list_new"),
    path("manage/lists/<int:pk>/", views.list_manage, name="list_manage"),
    path("manage/lists/<int:pk>/edit/", views.list_edit, name="list_edit"),
    path("manage/lists/<int:pk>/restrictions/new/", views.restriction_new, name="restriction_new"),
    path("manage/restrictions/<int:pk>/", views.restriction_edit, name="restriction_edit"),
    path("manage/lists/<int:pk>/entries/new/", views.entry_new, name="entry_new"),
    path("manage/entries/<int:pk>/", views.entry_manage, name="entry_manage"),
    path("manage/entries/<int:pk>/remove/", views.entry_remove_view, name="entry_remove"),
    path("manage/lists/<int:pk>/import/", views.import_upload, name="import_upload"),
    path("manage/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("manage/lists/<int:pk>/rescreen/", views.rescreen, name="rescreen"),
    path("manage/late-filers/", views.late_filers, name="late_filers"),
    path("manage/jobs/<int:pk>/", views.job, name="job"),
    path("manage/jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("manage/jobs/<int:pk>/results.csv", views.job_results_csv, name="job_results_csv"),
    path("manage/bulk/", views.bulk, name="bulk"),
    path("manage/repairs/", views.repairs, name="repairs"),
    path("manage/evidence/", views.evidence_list, name="evidence_list"),
    path("manage/repairs/<int:pk>/", views.repair_review, name="repair_review"),
]

from django.urls import path

from shuangchuang.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("m/<slug:key>/", views.module_page, name="module"),
]

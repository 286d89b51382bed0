from django.urls import path

from shuangchuang.registry import views

app_name = "registry"

urlpatterns = [
    path("enterprises/", views.search, name="search"),
    path("statistics/", views.statistics, name="statistics"),
    path("enterprises/<str:uscc>/", views.detail, name="detail"),
]

from django.urls import path

from shuangchuang.names import views

app_name = "names"

urlpatterns = [
    path("", views.check, name="check"),
    path("reserve/", views.reserve, name="reserve"),
    path("mine/", views.mine, name="mine"),
    path("reservations/<int:reservation_id>/release/", views.release, name="release"),
]

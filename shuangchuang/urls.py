from django.contrib import admin
from django.urls import include, path

from shuangchuang.api import api
from shuangchuang.web.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("shuangchuang.core.urls")),
    path("registry/", include("shuangchuang.registry.urls")),
    path("credit/", include("shuangchuang.credit.urls")),
    path("policies/", include("shuangchuang.policies.urls")),
    path("registration/names/", include("shuangchuang.names.urls")),
    path("registration/", include("shuangchuang.registration.urls")),
    path("programmes/", include("shuangchuang.programmes.urls")),
    path("vouchers/", include("shuangchuang.vouchers.urls")),
    path("", include("shuangchuang.web.urls")),
]

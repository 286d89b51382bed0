from django.contrib.auth import views as auth_views
from django.urls import path

from shuangchuang.core import views

app_name = "core"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_sent.html"),
         name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/",
         auth_views.PasswordResetCompleteView.as_view(template_name="core/password_reset_done.html"),
         name="password_reset_done"),
    path("switch/", views.switch_organisation, name="switch_organisation"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("audit/", views.audit_log, name="audit_log"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from . import invitation_views, views
from .two_factor import views as two_factor_views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("organization/", views.switch_organization, name="switch-organization"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path("two-factor/", two_factor_views.verify, name="two-factor-verify"),
    path("security/", two_factor_views.security, name="account-security"),
    path("language/", views.language, name="account-language"),
    path("security/setup/", two_factor_views.setup, name="account-security-setup"),
    path("security/setup/start/", two_factor_views.setup_start, name="account-security-setup-start"),
    path("security/recovery-codes/", two_factor_views.recovery_codes, name="account-security-recovery-codes"),
    path("security/turn-off/", two_factor_views.turn_off, name="account-security-turn-off"),
]

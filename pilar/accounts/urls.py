from django.contrib.auth import views as auth_views
from django.urls import path

from pilar.accounts import reset_views, views

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("masuk/kode/", views.otp_verify, name="otp_verify"),
    path("mfa/daftar/", views.mfa_enrol, name="mfa_enrol"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("sandi/lupa/", reset_views.reset_request, name="password_reset"),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("sandi/atur/<uidb64>/<token>/", reset_views.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

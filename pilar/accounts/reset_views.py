"""Forgotten password: ask for a link by e-mail, then choose a new password from it (Django's views and
token generator; the mail goes through the outbox, the saving through the password service)."""

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pilar.accounts.services.reset import ResetRefused, link_base, password_reset_complete, password_reset_request
from pilar.core.net import client_ip


class ResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Alamat surel akun Anda"),
        max_length=254,
        error_messages={"required": _("Isi alamat surel akun Anda."), "invalid": _("Alamat surel tidak valid.")},
    )


@require_http_methods(["GET", "POST"])
def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                password_reset_request(
                    email=form.cleaned_data["email"], ip=client_ip(request), base_url=link_base(request)
                )
            except ResetRefused as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                return redirect("password_reset_done")
        else:
            status = 400
    return TemplateResponse(request, "accounts/password_reset_form.html", {"form": form}, status=status)


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        password_reset_complete(user=form.user, new_password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.success_url)

"""Sign-in pages: the password step, the second factor, the forced and the voluntary password change."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from pilar.accounts.services import password_change


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, saving through the service: the password change ends the user's API tokens too."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        user = password_change(
            user=self.request.user, new_password=form.cleaned_data["new_password1"], actor=self.request.user
        )
        update_session_auth_hash(self.request, user)
        return redirect(self.get_success_url())

"""Account pages for the Admin Dinsos, inside Pilar: list, create, deactivate, reset, sessions and tokens;
and the login letters of the workforce's accounts (issued by ``pilar.workers.account_views``). Every action goes
through a service and is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pilar.accounts import selectors, services
from pilar.accounts.forms_manage import StaffCreateForm
from pilar.accounts.letters import Letter, letters_pdf
from pilar.accounts.mfa import is_enrolled
from pilar.accounts.models import ApiToken, LoginSession, Role, User
from pilar.accounts.permissions import Perm, requires, signed_in
from pilar.accounts.services.reset import link_base, mail_configured, password_reset_link_send
from pilar.accounts.services.users import sessions_end, user_create, user_deactivate, user_reactivate
from pilar.core.errors import DomainError
from pilar.core.forms import perform
from pilar.core.listing import paginate
from pilar.core.paging import page_links
from pilar.regions.selectors import city_kecamatan

LETTERS_KEY = "pilar_login_letters"  # the last batch's letters, for one download in this session


@login_required
@require_GET
@requires(Perm.USER_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.UserFilter.from_params(request.GET)
    page = paginate(request, selectors.user_list(filters), 50, deferred=False)
    context = {
        "page": page,
        "page_range": page_links(page),
        "filters": filters,
        "roles": Role.choices,
        "kecamatan_options": city_kecamatan(),
    }
    return TemplateResponse(request, "accounts/user_list.html", context)


@login_required
@requires(Perm.USER_MANAGE)
def user_new(request: HttpRequest) -> HttpResponse:
    form = StaffCreateForm(request.POST or None)
    created = perform(request, form, lambda: user_create(actor=signed_in(request), **form.cleaned_data))
    if created:
        return _shown_once(request, *created)
    return TemplateResponse(request, "accounts/user_new.html", {"form": form})


def _shown_once(request: HttpRequest, user: User, password: str) -> HttpResponse:
    """The temporary password, on this page only: it is stored nowhere but as a hash."""
    return TemplateResponse(request, "accounts/user_password.html", {"account": user, "password": password})


@login_required
@require_GET
@requires(Perm.USER_MANAGE)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    context = {
        "account": user,
        "roles": user.role_assignments.select_related("region", "agency").order_by("-valid_from"),
        "tokens": selectors.valid_tokens(user),
        "sessions": LoginSession.objects.filter(user=user),
        "mfa": is_enrolled(user),
        "can_mail_link": bool(user.email) and user.is_active and mail_configured(),
    }
    return TemplateResponse(request, "accounts/user_detail.html", context)


@login_required
@require_POST
@requires(Perm.USER_MANAGE)
def user_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    action = request.POST.get("action", "")
    if user == request.user and action in ("deactivate", "reset_mfa"):
        messages.error(request, _("Tindakan ini tidak dapat dilakukan pada akun Anda sendiri."))
        return redirect("accounts:detail", pk=pk)
    if action == "deactivate":
        user_deactivate(user=user, actor=signed_in(request), reason=request.POST.get("reason", "")[:200] or "admin")
        messages.success(request, _("Akun dinonaktifkan; sesi dan tokennya berakhir."))
    elif action == "reactivate":
        user, password = user_reactivate(user=user, actor=signed_in(request))
        return _shown_once(request, user, password)
    elif action == "reset_password":
        return _shown_once(request, user, services.password_set_temporary(user=user, actor=signed_in(request)))
    elif action == "send_reset_link":
        try:
            password_reset_link_send(user=user, actor=signed_in(request), base_url=link_base(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tautan atur ulang kata sandi dikirim ke %(email)s.") % {"email": user.email})
    elif action == "reset_mfa":
        services.mfa_reset(user=user, actor=signed_in(request), reason=request.POST.get("reason", "")[:200])
        messages.success(request, _("Autentikator diatur ulang: pengguna mendaftar lagi saat masuk berikutnya."))
    elif action == "end_sessions":
        sessions_end(user=user, actor=signed_in(request))
        messages.success(request, _("Semua sesi pengguna ini diakhiri."))
    elif action == "revoke_token":
        token = get_object_or_404(ApiToken.objects.valid(), pk=request.POST.get("token"), user=user)
        services.token_revoke(token=token, actor=signed_in(request), reason=ApiToken.RevokeReason.ADMIN)
        messages.success(request, _("Token dicabut."))
    return redirect("accounts:detail", pk=pk)


@login_required
@require_GET
@requires(Perm.USER_MANAGE)
def workforce_letters(request: HttpRequest) -> HttpResponse:
    letters = [Letter(**row) for row in request.session.get(LETTERS_KEY, [])]
    if not letters:
        messages.info(request, _("Surat akun hanya dapat diunduh segera setelah akun dibuat atau diterbitkan ulang."))
        return redirect("workers:list")
    response = HttpResponse(letters_pdf(letters, base_url=request.build_absolute_uri("/")), "application/pdf")
    response["Content-Disposition"] = 'attachment; filename="surat-akun-pilar.pdf"'
    response["Cache-Control"] = "no-store"
    return response

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pilar.core.listing import list_response, paginate
from pilar.notifications import services
from pilar.notifications.models import Notification

PAGE_SIZE = 25


@login_required
def notification_list(request):
    rows = Notification.objects.for_user(request.user)
    if request.GET.get("belum") == "1":
        rows = rows.unread()
    page = paginate(request, rows, PAGE_SIZE, deferred=False)
    return list_response(request, "notifications/list.html", page, {"only_unread": request.GET.get("belum") == "1"})


@require_POST
@login_required
def notification_open(request, pk: int):
    """Marks the notification read and follows its link (only to this site)."""
    notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
    if notification is None:
        return redirect("notifications:list")
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
@login_required
def notification_read_all(request):
    services.notification_mark_read(user=request.user)
    return redirect("notifications:list")

from pilar.notifications.models import Notification


def unread(request):
    """The unread count for the header badge; a callable, so pages that don't show the header pay no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: Notification.objects.for_user(user).unread().count()}

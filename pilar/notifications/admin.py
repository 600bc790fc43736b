from django.contrib import admin

from pilar.audit.admin import ReadOnlyAdmin
from pilar.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "title"]

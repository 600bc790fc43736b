from django.contrib import admin

from pilar.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return False  # Kemendagri data: loaded with `pilar load-regions`, never edited by hand.

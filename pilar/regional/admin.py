from django.contrib import admin

from pilar.regional.models import PackLoad


@admin.register(PackLoad)
class PackLoadAdmin(admin.ModelAdmin):
    list_display = ["region", "name", "source", "loaded_at", "counts"]
    readonly_fields = ["region", "name", "source", "loaded_at", "counts"]

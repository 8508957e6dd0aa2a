"""Django admin (at /django-admin/) for superusers; the daily work is in the Wagtail admin.

The transition log is read-only here, as everywhere: no add, change or delete.
"""

from django.contrib import admin

from .models import Application, TransitionLog
from .workflow import CLOSED_STATES


class ReadOnlyLogInline(admin.TabularInline):
    model = TransitionLog
    fields = ["at", "transition", "source", "target", "actor_label", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = ["reference", "transition", "source", "target", "actor_label", "at"]
    list_filter = ["transition", "target"]
    search_fields = ["reference", "actor_label", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "round",
        "wijk",
        "status",
        "requested_cents",
        "decision_due_at",
    ]
    list_filter = ["status", "round__scheme", "wijk"]
    search_fields = ["reference", "title", "applicant__name"]
    readonly_fields = ["reference", "status"]
    inlines = [ReadOnlyLogInline]

    def has_change_permission(self, request, obj=None):
        # A decided (or otherwise closed) application changes only through the
        # workflow, with its transition log and letters: here it is read-only.
        if obj is not None and obj.status in CLOSED_STATES:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # History must stay: an application that has a log is never deleted here.
        return obj is None or not obj.transition_log.exists()

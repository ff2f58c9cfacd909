"""Readers' follows and the digests sent, for staff to look at (and to erase on request).

Read-mostly: follows are made by readers themselves (double opt-in), so staff may not add
or change them; they may stop them (the "unsubscribe" action) and delete them, e.g. when
a reader asks for their address to be erased. Addresses are shown here and nowhere else.
"""

from django.contrib import admin, messages

from deals.models import DigestSent, Follow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["email", "kind_display", "target_name", "confirmed_at", "unsubscribed_at"]
    list_filter = [
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email"]
    list_select_related = Follow.RECORD_TARGETS
    actions = ["unsubscribe"]
    fields = [
        "email",
        *Follow.RECORD_TARGETS,
        "country",
        "language",
        "confirmed_at",
        "unsubscribed_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description="follows")
    def kind_display(self, follow):
        return follow.get_kind_display()

    @admin.display(description="what")
    def target_name(self, follow):
        return follow.target_name

    @admin.action(description="Stop the selected follows (unsubscribe)", permissions=["view"])
    def unsubscribe(self, request, queryset):
        count = queryset.unsubscribe()
        self.message_user(request, f"{count} follow(s) stopped.", messages.SUCCESS)


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["day", "email", "event_count", "sent_at"]
    list_filter = ["day"]
    search_fields = ["email"]
    date_hierarchy = "day"
    fields = readonly_fields = ["email", "day", "event_count", "sent_at"]

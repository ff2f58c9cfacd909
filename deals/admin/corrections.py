"""Readers' correction reports (sent from /corrections/): read, acted on, closed."""

from django.contrib import admin

from deals.admin.base import plural
from deals.models import CorrectionReport


@admin.register(CorrectionReport)
class CorrectionReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "subject", "short_message", "email"]
    list_filter = ["status"]
    list_select_related = ["deal"]
    search_fields = ["message", "page_url", "email", "deal__title"]
    date_hierarchy = "created_at"
    fields = ["status", "deal", "page_url", "message", "email", "created_at", "updated_at"]
    readonly_fields = ["page_url", "message", "email", "created_at", "updated_at"]
    autocomplete_fields = ["deal"]
    actions = ["close", "reopen"]

    def has_add_permission(self, request):
        return False  # readers send them; staff read them

    @admin.display(description="about")
    def subject(self, report):
        return report.deal.title if report.deal_id else (report.page_url or "the record")

    @admin.display(description="message")
    def short_message(self, report):
        return report.message if len(report.message) <= 120 else report.message[:119] + "…"

    @admin.action(description="Close the selected reports", permissions=["change"])
    def close(self, request, queryset):
        count = queryset.update(status=CorrectionReport.Status.CLOSED)
        self.message_user(request, f"Closed {plural(count, 'report')}.")

    @admin.action(description="Reopen the selected reports", permissions=["change"])
    def reopen(self, request, queryset):
        count = queryset.update(status=CorrectionReport.Status.OPEN)
        self.message_user(request, f"Reopened {plural(count, 'report')}.")

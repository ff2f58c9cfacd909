"""Reports of an error in the record, sent by readers from /corrections/.

A report is staff work, not part of the record: saving one changes no public page, so
it does not put the public cache out of use (`is_record = False`, read by deals/apps.py).
The contact address a reader may leave is for staff only: no page, feed, API or
download shows it.
"""

from django.db import models

from deals.models.base import TimeStamped


class CorrectionReport(TimeStamped):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    is_record = False

    page_url = models.CharField(
        "page",
        max_length=500,
        blank=True,
        help_text="The address of the page the report is about, as the reader gave it.",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correction_reports",
        help_text="The deal the report is about, when its page was named.",
    )
    message = models.TextField(help_text="What the reader says is wrong, and their source.")
    email = models.EmailField(
        "contact e-mail",
        blank=True,
        help_text="Left by the reader for a reply; never shown publicly.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="correction_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "closed"]), name="correction_status_valid"
            )
        ]

    def __str__(self):
        subject = self.deal.title if self.deal_id else (self.page_url or "the record")
        return f"Report on {subject} ({self.created_at:%-d %b %Y})" if self.created_at else subject

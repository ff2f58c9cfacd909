"""Status: what became of a deal, as dated updates with their sources."""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deals.models.sources import Source


class Status(models.TextChoices):
    """A deal's lifecycle (Deal.Status): from announced to completed, stalled or cancelled."""

    ANNOUNCED = "announced", _("announced")
    SIGNED = "signed", _("signed")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    STALLED = "stalled", _("stalled")
    CANCELLED = "cancelled", _("cancelled")


# Statuses a deal may still leave: a deal in one of them is followed up when no news of it
# has come for FOLLOW_UP_MONTHS (settings). Completed and cancelled deals are settled.
OPEN_STATUSES = (Status.ANNOUNCED, Status.SIGNED, Status.IN_PROGRESS, Status.STALLED)


class Outcome(models.TextChoices):
    """What became of a deal, as the follow-through scorecard counts it.

    Its status, except that a deal a published follow-on continues (an MoU turned into a
    contract) is superseded: what became of it is told by the follow-on.
    """

    NO_NEWS = "no_news", _("announced, no news of signing")
    SIGNED_ONLY = "signed_only", _("signed, nothing since")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    STALLED = "stalled", _("stalled")
    CANCELLED = "cancelled", _("cancelled")
    SUPERSEDED = "superseded", _("superseded by a follow-on")


OUTCOME_OF_STATUS = {
    Status.ANNOUNCED: Outcome.NO_NEWS,
    Status.SIGNED: Outcome.SIGNED_ONLY,
    Status.IN_PROGRESS: Outcome.IN_PROGRESS,
    Status.COMPLETED: Outcome.COMPLETED,
    Status.STALLED: Outcome.STALLED,
    Status.CANCELLED: Outcome.CANCELLED,
}


def months_before(day, months):
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def follow_up_cutoff(today=None):
    """Evidence older than this date is stale: FOLLOW_UP_MONTHS before `today`."""
    return months_before(today or timezone.localdate(), settings.FOLLOW_UP_MONTHS)


class StatusUpdate(models.Model):
    """A dated change in what became of a deal."""

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="status_updates")
    status = models.CharField(max_length=20, choices=Status.choices)
    date = models.DateField()
    note = models.TextField(blank=True)
    quote = models.TextField(blank=True, help_text="What the source says of this change.")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="status_updates", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.get_status_display()} on {self.date}"

"""Status: what became of a deal, as dated updates with their sources."""

from django.db import models
from simple_history.models import HistoricalRecords

from deals.models.sources import Source


class Status(models.TextChoices):
    """A deal's lifecycle (Deal.Status): from announced to completed, stalled or cancelled."""

    ANNOUNCED = "announced", "announced"
    SIGNED = "signed", "signed"
    IN_PROGRESS = "in_progress", "in progress"
    COMPLETED = "completed", "completed"
    STALLED = "stalled", "stalled"
    CANCELLED = "cancelled", "cancelled"


class StatusUpdate(models.Model):
    """A dated change in what became of a deal."""

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="status_updates")
    status = models.CharField(max_length=20, choices=Status.choices)
    date = models.DateField()
    note = models.TextField(blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="status_updates", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.get_status_display()} on {self.date}"

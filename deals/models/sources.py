"""Sources: the published documents facts are taken from, and their citations."""

from django.db import models
from simple_history.models import HistoricalRecords

from deals.models.base import TimeStamped


class Source(TimeStamped):
    """A published document a fact is taken from: a press report, an official list."""

    url = models.URLField(max_length=1000, unique=True)
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=500)
    published_on = models.DateField(null=True, blank=True)
    quote = models.TextField(blank=True, help_text="A passage of the source worth showing.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "publisher"]

    def __str__(self):
        when = f", {self.published_on:%-d %b %Y}" if self.published_on else ""
        return f"{self.publisher}: {self.title}{when}"


class DealSource(models.Model):
    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="deal_citations")
    quote = models.TextField(blank=True, help_text="What the source says about this deal.")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "source"
        constraints = [
            models.UniqueConstraint(fields=["deal", "source"], name="deal_source_cited_once"),
        ]

    def __str__(self):
        return str(self.source)


class CeremonySource(models.Model):
    ceremony = models.ForeignKey(
        "deals.Ceremony", on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="ceremony_citations")
    quote = models.TextField(blank=True, help_text="What the source says about this ceremony.")

    class Meta:
        verbose_name = "source"
        constraints = [
            models.UniqueConstraint(
                fields=["ceremony", "source"], name="ceremony_source_cited_once"
            ),
        ]

    def __str__(self):
        return str(self.source)

"""Parties: the organisations that sign, their groups, and their roles in each deal."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from deals.models.base import TimeStamped


class PartyQuerySet(models.QuerySet):
    def search(self, text):
        """Parties whose name, native-script name or an alias holds `text`."""
        return self.filter(
            Q(name__icontains=text) | Q(native_name__icontains=text) | Q(aliases__icontains=text)
        )

    def having_published_deals(self):
        return self.filter(pk__in=DealParty.objects.filter(deal__is_published=True).values("party"))

    def countries_with_published_deals(self):
        """The country codes of parties to published deals, in code order (one query).

        One party stands for each country, and EXISTS asks of each country whether a
        party of it signed a published deal: 20 probes rather than a look at every
        party (65 ms against 1.1 s at a million deals).
        """
        one_per_country = (
            self.exclude(country="").order_by().values("country").annotate(first=Min("pk"))
        )
        signed = DealParty.objects.filter(
            party__country=OuterRef("country"), deal__is_published=True
        )
        return (
            self.filter(pk__in=one_per_country.values("first"))
            .filter(Exists(signed))
            .order_by("country")
            .values_list("country", flat=True)
        )

    def most_active(self, *, among_latest=2000):
        """Parties to the latest published deals (by signing date), those with the most of
        them first: who is active now, at a cost that does not grow with the record
        (counting every party's deals took 3 s at a million deals)."""
        from deals.models.deals import Deal  # Deal's module imports this one

        latest = Deal.objects.published().sorted_by("-signed_on")[:among_latest]
        return (
            self.filter(deal_parties__deal__in=latest.values("pk"))
            .annotate(published_deal_count=Count("deal_parties"))
            .order_by("-published_deal_count", "name", "pk")
        )


class Party(TimeStamped):
    """An organisation that signs deals."""

    class Kind(models.TextChoices):
        COMPANY = "company", "company"
        STATE_OWNED_ENTERPRISE = "state_owned_enterprise", "state-owned enterprise"
        GOVERNMENT_BODY = "government_body", "government body"
        FINANCIAL_INSTITUTION = "financial_institution", "financial institution"
        OTHER = "other", "other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField(blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.COMPANY)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        null=True,
        blank=True,
        help_text="The group it belongs to, e.g. Bell Helicopter → Textron.",
    )
    native_name = models.CharField(
        max_length=200, blank=True, help_text="The name in its own script, e.g. 京东."
    )
    aliases = models.TextField(
        blank=True, help_text="Other names it is reported under, one per line."
    )
    website = models.URLField(blank=True)

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="party_not_own_parent"),
        ]
        indexes = [models.Index(fields=["country"], name="party_country")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deals:party", args=[self.slug])

    def clean(self):
        if self.parent_id and self.pk:
            ancestor = self.parent
            for _ in range(20):  # a group structure deeper than this is a data error
                if ancestor is None:
                    break
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": "A party cannot belong to itself."})
                ancestor = ancestor.parent

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    # --- the party's group (the follow-through "with subsidiaries" figures) -----

    def with_subsidiaries_ids(self):
        """The ids of this party and of every party under it, at any depth, sorted.

        One query per level of the group (a group is a few levels deep), and one more to
        find the last level empty. Ids already met are left out, so a cycle written
        around Party.clean() cannot loop.
        """
        ids = {self.pk}
        level = [self.pk]
        for _ in range(20):  # as in clean(): a group deeper than this is a data error
            level = list(
                Party.objects.filter(parent__in=level)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            if not level:
                break
            ids.update(level)
        return sorted(ids)

    def with_subsidiaries(self):
        """A Party queryset of this party and every party under it, however many levels."""
        return Party.objects.filter(pk__in=self.with_subsidiaries_ids())


class DealParty(models.Model):
    class Role(models.TextChoices):
        BUYER = "buyer", "buyer"
        SELLER = "seller", "seller"
        INVESTOR = "investor", "investor"
        INVESTEE = "investee", "investee"
        LENDER = "lender", "lender"
        BORROWER = "borrower", "borrower"
        PARTNER = "partner", "partner"
        LICENSOR = "licensor", "licensor"
        LICENSEE = "licensee", "licensee"
        GUARANTOR = "guarantor", "guarantor"
        OTHER = "other", "other"

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="deal_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="deal_parties")
    role = models.CharField(max_length=20, choices=Role.choices)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "party to the deal"
        verbose_name_plural = "parties to the deal"
        constraints = [
            models.UniqueConstraint(fields=["deal", "party", "role"], name="deal_party_role_once"),
        ]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"

"""Deals: what was signed, by whom, for how much and how long, and its rules."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deals.models.base import PUBLISHED, OrderingIndex, TimeStamped
from deals.models.ceremonies import Ceremony
from deals.models.deal_queries import DealQuerySet
from deals.models.money import (
    CURRENCY_PATTERN,
    USD,
    ExchangeRate,
    Qualifier,
    amount_field,
    amount_matches_qualifier,
    check_amount_matches_qualifier,
    convert_to_usd,
    currency_field,
)
from deals.models.parties import Party
from deals.models.sectors import Sector
from deals.models.sources import Source
from deals.models.status import (
    OPEN_STATUSES,
    OUTCOME_OF_STATUS,
    Outcome,
    Status,
    follow_up_cutoff,
)
from deals.presentation import format_term, format_value


class CeremonySigning(models.TextChoices):
    """What `signed_on` is, for a deal at a ceremony: the ceremony's date, or not."""

    AT_CEREMONY = "at_ceremony", _("signed at the ceremony")
    LATER = "later", _("announced at the ceremony, signed later")
    EARLIER = "earlier", _("signed earlier, announced at the ceremony")


# A term longer than a century is a typing error, not a deal.
MAX_TERM_MONTHS = 1200


def _same_occasion(first, second):
    if first.pk == second.pk:
        return True
    return first.occasion_id is not None and first.occasion_id == second.occasion_id


class Deal(TimeStamped):
    class Instrument(models.TextChoices):
        CONTRACT = "contract", _("contract")
        MEMORANDUM_OF_UNDERSTANDING = (
            "memorandum_of_understanding",
            _("memorandum of understanding"),
        )
        LETTER_OF_INTENT = "letter_of_intent", _("letter of intent")
        FRAMEWORK_AGREEMENT = "framework_agreement", _("framework agreement")
        OTHER = "other", _("other")
        UNKNOWN = "unknown", _("unknown")

    Status = Status  # the lifecycle, kept beside StatusUpdate (deals/models/status.py)

    class Basis(models.TextChoices):
        UNSPECIFIED = "unspecified", _("unspecified")
        LIST_PRICE = "list_price", _("list price")
        PURCHASE_COMMITMENT = "purchase_commitment", _("purchase commitment")
        INVESTMENT = "investment", _("investment")
        PROJECT_COST = "project_cost", _("project cost")
        FINANCING = "financing", _("financing")

    class StatedBy(models.TextChoices):
        UNKNOWN = "unknown", _("not known")
        COMPANY = "company", _("a party to the deal")
        GOVERNMENT = "government", _("a government")
        ORGANISERS = "organisers", _("the ceremony organisers")
        MEDIA_ESTIMATE = "media_estimate", _("a media estimate")

    CeremonySigning = CeremonySigning
    MAX_TERM_MONTHS = MAX_TERM_MONTHS

    # /deals/csv/ is the download of the browse page, so no deal may be slugged so.
    RESERVED_SLUGS = frozenset({"csv"})

    # Binding force follows from the instrument; None means we cannot tell.
    BINDING_INSTRUMENTS = {Instrument.CONTRACT: True, Instrument.FRAMEWORK_AGREEMENT: True}
    NON_BINDING_INSTRUMENTS = {Instrument.MEMORANDUM_OF_UNDERSTANDING, Instrument.LETTER_OF_INTENT}

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=500, blank=True, help_text="One sentence for lists.")
    description = models.TextField(blank=True)
    parties = models.ManyToManyField(Party, through="deals.DealParty", related_name="deals")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="deals")
    instrument = models.CharField(
        max_length=30, choices=Instrument.choices, default=Instrument.UNKNOWN
    )

    value_amount = amount_field(verbose_name="amount", help_text="As stated; never rounded.")
    value_currency = currency_field(default=USD, verbose_name="currency")
    value_qualifier = models.CharField(
        max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT, verbose_name="qualifier"
    )
    value_basis = models.CharField(
        max_length=30, choices=Basis.choices, default=Basis.UNSPECIFIED, verbose_name="basis"
    )
    value_stated_by = models.CharField(
        max_length=20, choices=StatedBy.choices, default=StatedBy.UNKNOWN, verbose_name="stated by"
    )
    # The source's own words for the value, kept beside the fields read from them
    # (deals/wording.py reads them; the admin's quick entry fills the fields).
    value_wording = models.CharField(
        max_length=300,
        blank=True,
        verbose_name="value as reported",
        help_text="The value in the source's words, e.g. “more than $2 billion over three years”.",
    )
    value_amount_usd = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        verbose_name="amount in USD",
        help_text="Derived from the exchange rate of the signing date.",
    )

    term_months = models.PositiveIntegerField(
        null=True,
        blank=True,
        verbose_name="term (months)",
        validators=[
            MinValueValidator(1),
            MaxValueValidator(
                MAX_TERM_MONTHS,
                f"A term is at most {MAX_TERM_MONTHS:,} months (100 years).",
            ),
        ],
    )
    term_start_date = models.DateField(null=True, blank=True, verbose_name="term starts")
    term_end_date = models.DateField(null=True, blank=True, verbose_name="term ends")

    ceremony = models.ForeignKey(
        Ceremony, on_delete=models.PROTECT, related_name="deals", null=True, blank=True
    )
    # The ceremony's date, copied by save() and Ceremony.save(): the browse page lists
    # deals ceremony by ceremony, and reads them in that order from an index on this
    # table rather than sorting every deal joined to its ceremony.
    ceremony_date = models.DateField(null=True, blank=True, editable=False)
    signed_on = models.DateField(null=True, blank=True)
    ceremony_signing = models.CharField(
        max_length=20,
        choices=CeremonySigning.choices,
        default=CeremonySigning.AT_CEREMONY,
        verbose_name="signing and ceremony",
        help_text="For a deal at a ceremony: whether it was signed there (signed on the "
        "ceremony's date), or only announced there and signed later, or signed earlier.",
    )
    # The date of the latest status evidence: its latest dated status update, its signing,
    # else its ceremony. Kept by sync_status() (which every admin, API and import write
    # calls) and Ceremony.save(), so that "no news since …" and the follow-up list are
    # read from an index rather than from every deal's updates.
    last_evidence_on = models.DateField(
        null=True, blank=True, editable=False, verbose_name="latest evidence"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SIGNED)
    umbrella = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="components",
        null=True,
        blank=True,
        help_text="The larger deal this one is part of; its money is counted there.",
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="follow_ons",
        null=True,
        blank=True,
        help_text="An earlier deal this one follows, e.g. the MoU it turns into a contract.",
    )
    sources = models.ManyToManyField(Source, through="deals.DealSource", blank=True)

    is_published = models.BooleanField(default=False, verbose_name="published")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The words of the title (weight A), the parties' names (B) and the summary (C) for
    # full-text search on PostgreSQL, kept by database triggers (migration 0008) whatever
    # writes the rows. Left out of history and backups: it is derived. NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    history = HistoricalRecords(excluded_fields=["search_vector"])
    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "title"]
        permissions = [("publish_deal", "Can publish and unpublish deals")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_amount__isnull=True) | Q(value_amount__gte=0),
                name="deal_value_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=amount_matches_qualifier("value_"),
                name="deal_value_amount_matches_qualifier",
            ),
            models.CheckConstraint(
                condition=Q(value_currency__regex=CURRENCY_PATTERN),
                name="deal_value_currency_iso",
            ),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gt=0),
                name="deal_term_months_positive",
            ),
            models.CheckConstraint(
                condition=Q(term_start_date__isnull=True)
                | Q(term_end_date__isnull=True)
                | Q(term_end_date__gte=F("term_start_date")),
                name="deal_term_end_not_before_start",
            ),
            models.CheckConstraint(condition=~Q(umbrella=F("id")), name="deal_not_own_umbrella"),
            models.CheckConstraint(
                condition=Q(ceremony__isnull=True, ceremony_date__isnull=True)
                | Q(ceremony__isnull=False, ceremony_date__isnull=False),
                name="deal_ceremony_date_with_ceremony",
            ),
            models.CheckConstraint(condition=~Q(follows=F("id")), name="deal_not_own_follow_on"),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__lte=MAX_TERM_MONTHS),
                name="deal_term_months_at_most_a_century",
            ),
            models.CheckConstraint(
                condition=Q(ceremony_signing__in=CeremonySigning.values),
                name="deal_ceremony_signing_valid",
            ),
            models.CheckConstraint(
                condition=Q(ceremony__isnull=False)
                | Q(ceremony_signing=CeremonySigning.AT_CEREMONY),
                name="deal_ceremony_signing_needs_ceremony",
            ),
            models.CheckConstraint(
                condition=Q(ceremony_date__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(ceremony_signing=CeremonySigning.AT_CEREMONY, signed_on=F("ceremony_date"))
                | Q(ceremony_signing=CeremonySigning.LATER, signed_on__gt=F("ceremony_date"))
                | Q(ceremony_signing=CeremonySigning.EARLIER, signed_on__lt=F("ceremony_date")),
                name="deal_signed_on_matches_ceremony",
            ),
        ]
        indexes = [
            # The orders of the lists (DealQuerySet.sorted_by, the API's default), over
            # published deals only: a page of 50 is read from the index in its order,
            # however many deals there are.
            *(
                OrderingIndex(*order, "title", "id", name=f"deal_list_{name}", condition=PUBLISHED)
                for name, order in [
                    ("signed_desc", [F("signed_on").desc(nulls_last=True)]),
                    ("signed_asc", [F("signed_on").asc(nulls_last=True)]),
                    ("value_desc", [F("value_amount_usd").desc(nulls_last=True)]),
                    ("value_asc", [F("value_amount_usd").asc(nulls_last=True)]),
                    ("title", []),
                    ("published", [F("published_at").desc(nulls_last=True)]),
                ]
            ),
            # The browse page's default: ceremony by ceremony, the newest first.
            OrderingIndex(
                F("ceremony_date").desc(nulls_last=True),
                F("ceremony").asc(nulls_last=True),
                F("signed_on").desc(nulls_last=True),
                "title",
                "id",
                name="deal_list_ceremony",
                condition=PUBLISHED,
            ),
            models.Index(fields=["status"], name="deal_status"),
            # The follow-up list: published deals, the longest without news first.
            models.Index(
                fields=["last_evidence_on"], name="deal_last_evidence", condition=PUBLISHED
            ),
            # The published follow-ons' ids: every scorecard's "superseded" set
            # (DealQuerySet._superseded_ids), read whole for any scope, however small.
            # From this index alone: 2 ms at 1M deals, rather than 60-120 ms from the
            # table (most of a ceremony's scorecard).
            models.Index(
                fields=["follows"],
                name="deal_published_follow_on",
                condition=Q(is_published=True, follows__isnull=False),
            ),
            # The record's last change ("Last updated", the sitemap's lastmod): the
            # newest entry, rather than a scan of every published deal (140 ms at 1M).
            models.Index(fields=["updated_at"], name="deal_published_updated", condition=PUBLISHED),
            models.Index(fields=["instrument"], name="deal_instrument"),
            models.Index(fields=["value_amount_usd"], name="deal_amount_usd"),
            # PostgreSQL's GIN index for search; on SQLite a plain index on a NULL column.
            GinIndex(fields=["search_vector"], name="deal_search_vector"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.value_amount_usd = self.compute_amount_usd()
        self.copy_ceremony_date()
        # Without a query: sync_status() makes it exact after every admin, API or import
        # write (a corrected, earlier signing date is put right there).
        self.last_evidence_on = (
            max(day for day in (self.last_evidence_on, self.signed_on) if day)
            if self.last_evidence_on or self.signed_on
            else self.ceremony_date
        )
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "value_amount_usd",
                "published_at",
                "ceremony_date",
                "last_evidence_on",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("deals:detail", args=[self.slug])

    def copy_ceremony_date(self):
        self.ceremony_date = self.ceremony.date if self.ceremony_id else None

    def etag(self):
        """The API's ETag: changes with every save (updated_at is set on each)."""
        return f'"{self.pk}-{self.updated_at.timestamp():.6f}"'

    # --- rules shared by the admin and the API -------------------------------

    PUBLISH_PERMISSION = "deals.publish_deal"

    @staticmethod
    def can_see_drafts(user):
        """Signed-in staff who may view deals, as in the admin (a few queries, then cached)."""
        return (
            user is not None
            and user.is_active
            and user.is_staff
            and user.has_perm("deals.view_deal")
        )

    @classmethod
    def can_be_published_by(cls, user):
        return user is not None and user.has_perm(cls.PUBLISH_PERMISSION)

    def can_be_changed_by(self, user):
        """A published deal is the public record: only those who may publish change it."""
        return not self.is_published or self.can_be_published_by(user)

    def clean(self):
        # Before the constraints are checked (they run after clean()).
        self.copy_ceremony_date()
        errors = {}
        if self.slug in self.RESERVED_SLUGS:
            errors["slug"] = [f"“{self.slug}” names a page of the site; choose another slug."]
        try:
            check_amount_matches_qualifier(self.value_amount, self.value_qualifier, "value_amount")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if (
            self.term_start_date
            and self.term_end_date
            and self.term_end_date < self.term_start_date
        ):
            errors["term_end_date"] = ["The term cannot end before it starts."]
        for field in ("umbrella", "follows"):
            message = self._link_error(field)
            if message:
                errors[field] = [message]
        if "umbrella" not in errors:
            message = self._umbrella_depth_error() or self._umbrella_occasion_error()
            if message:
                errors["umbrella"] = [message]
        if "ceremony" not in errors:
            message = self._components_occasion_error()
            if message:
                errors["ceremony"] = [message]
        for field, message in self.ceremony_signing_errors().items():
            errors.setdefault(field, []).append(message)
        for field, message in self._follow_on_date_errors().items():
            if field not in errors:
                errors[field] = [message]
        if errors:
            raise ValidationError(errors)

    def _link_error(self, field):
        """Refuse a link to itself or a loop through umbrellas or follow-ons."""
        target = getattr(self, field)
        seen = set()
        while target is not None:
            if self.pk and target.pk == self.pk:
                return "A deal cannot be linked to itself, directly or through others."
            if target.pk in seen:
                return "These links form a loop."
            seen.add(target.pk)
            target = getattr(target, field)
        return None

    def _umbrella_depth_error(self):
        """Umbrellas hold components one level deep, which keeps totals simple and honest."""
        if self.umbrella_id is None:
            return None
        if self.umbrella.umbrella_id is not None:
            return f"“{self.umbrella}” is itself part of another deal; choose that deal instead."
        if self.pk and self.components.exists():
            return "This deal holds components of its own, so it cannot be part of another deal."
        return None

    def ceremony_signing_errors(self):
        """{field: message} when `signed_on` contradicts the ceremony's date and what
        `ceremony_signing` says it is (the constraint deal_signed_on_matches_ceremony)."""
        kind = self.CeremonySigning
        if self.ceremony_id is None:
            if self.ceremony_signing != kind.AT_CEREMONY:
                return {
                    "ceremony_signing": "This deal is at no ceremony: leave this as "
                    f"“{kind.AT_CEREMONY.label}”, or choose its ceremony."
                }
            return {}
        day, signed = self.ceremony.date, self.signed_on
        if signed is None:
            return {}
        wanted = {kind.AT_CEREMONY: signed == day, kind.LATER: signed > day}
        wanted[kind.EARLIER] = signed < day
        if wanted.get(self.ceremony_signing, False):
            return {}
        fits = next(choice for choice, holds in wanted.items() if holds)
        return {
            "signed_on": f"Signed on {signed.isoformat()}, but the ceremony was on "
            f"{day.isoformat()}: correct the date, or mark it as “{fits.label}” "
            "under signing and ceremony."
        }

    def _umbrella_occasion_error(self):
        """An umbrella and its components belong to one occasion (or, where a ceremony
        is part of none, to one ceremony); a deal at no ceremony may be either."""
        umbrella = self.umbrella
        if umbrella is None or umbrella.ceremony_id is None or self.ceremony_id is None:
            return None
        if _same_occasion(umbrella.ceremony, self.ceremony):
            return None
        return (
            f"“{umbrella}” was signed at {umbrella.ceremony}, of another occasion than "
            f"this deal's {self.ceremony}: an umbrella and its parts share one occasion."
        )

    def _components_occasion_error(self):
        """The same rule seen from the umbrella: moved to a ceremony of another occasion
        than one of its components (one query, for an umbrella already saved)."""
        if not self.pk or self.ceremony_id is None:
            return None
        ceremony = self.ceremony
        others = self.components.exclude(ceremony__isnull=True).exclude(ceremony=ceremony)
        if ceremony.occasion_id is not None:
            others = others.exclude(ceremony__occasion=ceremony.occasion_id)
        stray = others.select_related("ceremony").first()
        if stray is None:
            return None
        return (
            f"Its component “{stray}” was signed at {stray.ceremony}, of another occasion "
            f"than {ceremony}: an umbrella and its parts share one occasion."
        )

    @property
    def signing_date(self):
        """The signing date as far as the record knows it (None when not known)."""
        if self.signed_on:
            return self.signed_on
        if self.ceremony_id and self.ceremony_signing == self.CeremonySigning.AT_CEREMONY:
            return self.ceremony.date
        return None

    def _follow_on_date_errors(self):
        """A follow-on is not signed before the deal it follows (a few queries)."""
        errors = {}
        mine = self.signing_date
        if mine is None:
            return errors
        earlier = self.follows
        if earlier is not None and earlier.signing_date and earlier.signing_date > mine:
            errors["follows"] = (
                f"“{earlier}” was signed on {earlier.signing_date.isoformat()}, after this "
                f"deal ({mine.isoformat()}): a deal cannot follow one signed later."
            )
        if self.pk:
            for later in self.follow_ons.select_related("ceremony"):
                if later.signing_date and later.signing_date < mine:
                    errors["signed_on"] = (
                        f"“{later}” follows this deal but was signed on "
                        f"{later.signing_date.isoformat()}, before {mine.isoformat()}."
                    )
                    break
        return errors

    # --- derived values ------------------------------------------------------

    @property
    def is_binding(self):
        return self.binding_of(self.instrument)

    @classmethod
    def binding_of(cls, instrument):
        """Whether a deal of this instrument binds: True, False, or None when unknown."""
        if instrument in cls.BINDING_INSTRUMENTS:
            return True
        if instrument in cls.NON_BINDING_INSTRUMENTS:
            return False
        return None

    @property
    def conversion_date(self):
        """The date whose exchange rate converts the value: signing, else ceremony, else entry."""
        if self.signed_on:
            return self.signed_on
        if self.ceremony_id:
            return self.ceremony.date
        return (self.created_at or timezone.now()).date()

    def compute_amount_usd(self):
        """The value in US dollars at the signing date's rate (one query unless USD)."""
        if self.value_amount is None:
            return None
        rate = ExchangeRate.objects.rate_on(self.value_currency, self.conversion_date)
        return convert_to_usd(self.value_amount, rate)

    @property
    def value_display(self):
        return format_value(
            self.value_amount,
            self.value_currency,
            self.value_qualifier,
            self.value_basis,
            self.value_amount_usd,
        )

    @property
    def term_display(self):
        return format_term(self.term_months, self.term_start_date, self.term_end_date)

    # --- follow-through ----------------------------------------------------------

    def outcome(self, *, superseded=None):
        """What became of the deal (an Outcome); `superseded` spares the query when the
        caller knows whether a published follow-on continues it."""
        if superseded is None:
            superseded = self.follow_ons.filter(is_published=True).exists()
        return Outcome.SUPERSEDED if superseded else OUTCOME_OF_STATUS[self.status]

    def no_news_since(self, *, superseded=False, today=None):
        """The date of the latest evidence when the deal is still open and that date is
        more than FOLLOW_UP_MONTHS old ("no news since …"); otherwise None."""
        if superseded or self.status not in OPEN_STATUSES or self.last_evidence_on is None:
            return None
        return self.last_evidence_on if self.last_evidence_on < follow_up_cutoff(today) else None

    # --- publication ------------------------------------------------------------

    # What the public record needs of a deal before it is published, by field (the admin's
    # inlines and the API's lists have these names).
    PUBLICATION_NEEDS = {
        "parties": "A published deal names at least one party: add the party that signed it.",
        "sources": "A published deal cites at least one source: add where it is reported.",
    }

    @classmethod
    def publication_errors(cls, *, party_count, source_count):
        """What keeps a deal from being published, by field: the public record names who
        signed and where it is reported. The admin, the API and the import count what they
        are about to save and ask this."""
        counts = {"parties": party_count, "sources": source_count}
        return {name: [cls.PUBLICATION_NEEDS[name]] for name, n in counts.items() if n < 1}

    def check_publishable(self):
        """Raise ValidationError when the deal as stored cannot be published (2 queries)."""
        errors = self.publication_errors(
            party_count=self.deal_parties.count(), source_count=self.citations.count()
        )
        if errors:
            raise ValidationError(errors)

    # --- actions ---------------------------------------------------------------

    def publish(self, *, user):
        self.check_publishable()
        self.is_published = True
        self.updated_by = user
        self.save(update_fields=["is_published", "updated_by", "updated_at"])

    def unpublish(self, *, user):
        self.is_published = False
        self.updated_by = user
        self.save(update_fields=["is_published", "updated_by", "updated_at"])

    def settle_status(self, *, changed):
        """After an edit: a status changed by hand with no dated update saying so records
        one dated today; otherwise the status follows the latest dated update."""
        latest = self.status_updates.order_by("-date", "-id").first()
        if changed and (latest is None or latest.status != self.status):
            self.record_status(self.status, on=timezone.localdate())
        else:
            self.sync_status()

    def sync_status(self):
        """Make `status` the status of the latest dated update, if there is one, and
        `last_evidence_on` the date of the latest evidence."""
        latest = self.status_updates.order_by("-date", "-id").first()
        if latest and latest.status != self.status:
            self.status = latest.status
            self.save(update_fields=["status", "updated_at"])
        Deal.objects.filter(pk=self.pk).refresh_last_evidence()
        self.last_evidence_on = (
            Deal.objects.filter(pk=self.pk).values_list("last_evidence_on", flat=True).get()
        )

    def record_status(self, status, *, on=None, note="", source=None, quote=""):
        update = self.status_updates.create(
            status=status,
            date=on or timezone.localdate(),
            note=note,
            source=source,
            quote=quote,
        )
        self.sync_status()
        return update

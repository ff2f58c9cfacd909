"""Readers' follows: an e-mail address that follows a party, sector, country, ceremony or
occasion, confirmed by a signed link (double opt-in), and the daily digests sent to it.

No account is needed and an address is never shown publicly: pages, API, feeds, sitemaps,
CSV and the dataset export (deals/backups.py) leave these tables out; staff see them in
the admin only. A follow names its target by one of five columns, exactly one of them set
(a database constraint), so that deleting a party or ceremony deletes its follows and a
target can never dangle.

Links are signed with Django's signing (SECRET_KEY), each kind with its own salt, so a
confirmation link is no unsubscribe link and no link can be made for another address.
"""

import datetime
import hashlib

from django.core import signing
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from deals.models.base import TimeStamped
from deals.models.ceremonies import Ceremony, Occasion
from deals.models.parties import Party
from deals.models.sectors import Sector

CONFIRM_SALT = "deals.follows.confirm"
UNSUBSCRIBE_SALT = "deals.follows.unsubscribe"
# A confirmation link works for three days; an unsubscribe link for ever (RFC 8058: the
# link in an old digest must still work).
CONFIRM_MAX_AGE = datetime.timedelta(days=3)

# The target columns, in the names of deals/scopes.py's kinds.
RECORD_TARGETS = ("party", "sector", "ceremony", "occasion")
TARGETS = (*RECORD_TARGETS, "country")


class BadLink(Exception):
    """A confirmation or unsubscribe link that is tampered with, expired or of no follow."""


def _only_target(kind):
    """Q: the target column `kind` is set and every other one is empty."""
    condition = Q()
    for target in RECORD_TARGETS:
        condition &= Q(**{f"{target}__isnull": target != kind})
    return condition & (~Q(country="") if kind == "country" else Q(country=""))


def _target_is_set(kind):
    return ~Q(country="") if kind == "country" else Q(**{f"{kind}__isnull": False})


class FollowQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not unsubscribed: the follows that get digests."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def of_address(self, email):
        return self.filter(email=normalise_email(email))

    def unsubscribe(self):
        """Stop the selected follows (one UPDATE); returns how many were active."""
        return self.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())


def normalise_email(email):
    """Addresses are kept in lower case: one reader, one address, however typed."""
    return email.strip().lower()


class Follow(TimeStamped):
    class Kind(models.TextChoices):
        PARTY = "party", _("party")
        SECTOR = "sector", _("sector")
        COUNTRY = "country", _("country")
        CEREMONY = "ceremony", _("ceremony")
        OCCASION = "occasion", _("occasion")

    email = models.EmailField(_("e-mail address"), max_length=254)
    party = models.ForeignKey(Party, models.CASCADE, null=True, blank=True, related_name="+")
    sector = models.ForeignKey(Sector, models.CASCADE, null=True, blank=True, related_name="+")
    ceremony = models.ForeignKey(Ceremony, models.CASCADE, null=True, blank=True, related_name="+")
    occasion = models.ForeignKey(Occasion, models.CASCADE, null=True, blank=True, related_name="+")
    country = CountryField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The language of the page the reader signed up on: their digests are written in it.
    language = models.CharField(max_length=16, blank=True)

    RECORD_TARGETS = RECORD_TARGETS
    CONFIRM_MAX_AGE = CONFIRM_MAX_AGE

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["email", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_only_target("party")
                | _only_target("sector")
                | _only_target("country")
                | _only_target("ceremony")
                | _only_target("occasion"),
                name="follow_exactly_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=["email", kind],
                    condition=_target_is_set(kind),
                    name=f"follow_one_per_address_and_{kind}",
                )
                for kind in TARGETS
            ),
        ]
        indexes = [models.Index(fields=["email"], name="follow_email")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target_name}"

    # --- what is followed --------------------------------------------------------

    @property
    def kind(self):
        if self.country:
            return self.Kind.COUNTRY
        return next(kind for kind in RECORD_TARGETS if getattr(self, f"{kind}_id"))

    def get_kind_display(self):
        return self.Kind(self.kind).label

    @property
    def target(self):
        """The followed record (one query unless loaded), or the country."""
        return getattr(self, self.kind)

    @property
    def target_name(self):
        return self.country.name if self.country else self.target.name

    def scope(self):
        """The followed thing as deals/scopes.py's Scope: which published deals it holds."""
        from deals.scopes import Scope  # deals.scopes imports the models package

        if self.country:
            return Scope.of_country(self.country.code)
        return Scope(self.kind, self.target)

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None

    # --- links -------------------------------------------------------------------

    def confirmation_token(self):
        return signing.dumps({"f": self.pk, "e": address_check(self.email)}, salt=CONFIRM_SALT)

    @classmethod
    def from_confirmation_token(cls, token):
        """The follow a confirmation link names; BadLink when tampered with, expired or
        of a follow that is gone."""
        try:
            data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
            return cls._of_link(data)
        except (signing.BadSignature, KeyError, TypeError) as exc:
            raise BadLink from exc

    @classmethod
    def _of_link(cls, data):
        follow = cls.objects.filter(pk=data["f"]).first()
        # The address's check too: a link stays the link of the address it was sent to.
        if follow is None or address_check(follow.email) != data["e"]:
            raise BadLink
        return follow

    def confirm(self):
        """Confirmed from now on (again after an unsubscribe, since the reader asked)."""
        self.confirmed_at = self.confirmed_at or timezone.now()
        self.unsubscribed_at = None
        self.save(update_fields=["confirmed_at", "unsubscribed_at", "updated_at"])

    def unsubscribe_token(self, *, every_follow=False):
        """The link that stops this follow, or every follow of its address."""
        return signing.dumps(
            {"f": self.pk, "e": address_check(self.email), "all": every_follow},
            salt=UNSUBSCRIBE_SALT,
        )

    @classmethod
    def of_unsubscribe_token(cls, token):
        """The follows an unsubscribe link stops (a QuerySet); BadLink when tampered
        with or of a follow that is gone."""
        try:
            data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
            follow = cls._of_link(data)
            every_follow = data["all"] is True
        except (signing.BadSignature, KeyError, TypeError) as exc:
            raise BadLink from exc
        if every_follow:
            return cls.objects.filter(email=follow.email)
        return cls.objects.filter(pk=follow.pk)


def address_check(email):
    """A short digest of the address, signed into links in place of the address itself,
    so that no address is written into a link (and so into servers' access logs)."""
    return hashlib.blake2b(email.encode(), digest_size=6).hexdigest()


class DigestSent(models.Model):
    """One daily digest sent to one address: `send_digests` sends none twice for a day."""

    email = models.EmailField(max_length=254)
    day = models.DateField()
    event_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "email"]
        verbose_name = "digest sent"
        verbose_name_plural = "digests sent"
        constraints = [
            models.UniqueConstraint(fields=["email", "day"], name="digest_once_per_address_and_day")
        ]

    def __str__(self):
        return f"{self.day}: {self.event_count} events"


# Readers' addresses: left out of the dataset export (deals/backups.py).
READERS_ADDRESSES = (Follow, DigestSent)

"""Parties: the organisations that sign, their groups, and their roles in each deal."""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from deals.models.base import NativeNamed, TimeStamped
from deals.models.figure_sums import FigureSum
from deals.models.identifiers import SINGLE_VALUED, PartyIdentifier, normalise_identifier

# --- what makes two names one party ------------------------------------------------

# Words that name a company's legal form or scope rather than the company; dropped from
# the end of a name before comparing ("JD.com, Inc." and "JD.com" are one party).
CORPORATE_SUFFIXES = frozenset(
    {
        *("inc", "incorporated", "ltd", "limited", "co", "company", "corp", "corporation"),
        *("group", "international", "holdings", "holding", "plc", "llc", "lp", "sa", "ag"),
        *("se", "nv", "bv", "gmbh", "spa", "pte", "pty", "the"),
    }
)
# The same in Chinese, written without spaces: stripped from the end of the last word,
# longest first ("京东集团股份有限公司" → "京东").
CJK_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "控股", "集团", "公司")


def party_name_key(name):
    """The words of a name that tell parties apart: "Bell Helicopter Textron Inc." →
    "bell helicopter textron", "Ｂｏｅｉｎｇ Co., Ltd." → "boeing", "京东集团有限公司" →
    "京东"; "" when nothing is left. Case, accents, width, punctuation, "&"/"and" and
    legal suffixes are set aside."""
    text = unicodedata.normalize("NFKD", name or "").casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " and ")
    words = _joined_initials(re.sub(r"[^\w]+|_", " ", text).split())
    while words:
        if words[-1] in CORPORATE_SUFFIXES or (words[-1] == "and" and len(words) > 1):
            words.pop()  # "and" too, left by "… & Co."
            continue
        suffix = next((s for s in CJK_SUFFIXES if words[-1].endswith(s)), None)
        if suffix is None:
            break
        words[-1] = words[-1].removesuffix(suffix)
        if not words[-1]:
            words.pop()
    if words and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def _joined_initials(words):
    """ "j p morgan" → "jp morgan", "s a" → "sa": initials written with dots are one word."""
    joined, run = [], False
    for word in words:
        initial = len(word) == 1 and word.isalpha()
        if initial and run:
            joined[-1] += word
        else:
            joined.append(word)
        run = initial
    return joined


@dataclass(frozen=True)
class DuplicateCandidate:
    """An existing party a new or renamed one may duplicate: `field` is the written
    field whose name matched (name, native_name, aliases), `matched` the existing
    party's field it matched."""

    party: "Party"
    field: str
    matched: str

    @property
    def field_label(self):
        return self.field.replace("_", " ")

    @property
    def matched_label(self):
        return self.matched.replace("_", " ")


def _without_other_identities(candidates, identifiers):
    """Leave out the candidates holding another QID or LEI than one written."""
    written = {
        scheme: normalise_identifier(scheme, value)
        for scheme, value in identifiers
        if scheme in SINGLE_VALUED
    }
    if not candidates or not written:
        return candidates
    held = PartyIdentifier.objects.filter(
        party__in=[c.party for c in candidates], scheme__in=written
    ).values_list("party_id", "scheme", "value")
    other = {party_id for party_id, scheme, value in held if written[scheme] != value}
    return [c for c in candidates if c.party.pk not in other]


class PartyQuerySet(models.QuerySet):
    def likely_duplicates_of(
        self, *, name="", native_name="", aliases="", exclude=(), parent=None, identifiers=()
    ):
        """Existing parties that look like the party these names describe: one of its
        names (name, native name, an alias), once normalised by party_name_key(), is one
        of theirs. One indexed query on PartyNameKey, whatever the number of parties.
        `exclude` leaves out parties by id (the party itself when it is renamed); its
        declared `parent` is not a duplicate of it, as in likely_duplicate_parties().
        `identifiers`, (scheme, value) pairs the party is written with, rule out a party
        holding another Wikidata QID or LEI: a different item or legal entity, however
        alike the names (one more query, only when there are both). A party holding the
        same identifier is not a likely but a certain duplicate: PartyIdentifier refuses
        it (party_identifier_once, and clean() names the holder).
        """
        written = {}
        names = [("name", name), ("native_name", native_name)]
        if isinstance(aliases, str):
            aliases = aliases.splitlines()
        names += [("aliases", alias) for alias in aliases or []]
        for field, text in names:
            key = party_name_key(text)
            if key:
                written.setdefault(key, field)
        if not written:
            return []
        excluded = {pk for pk in exclude if pk is not None}
        skipped = excluded | ({parent.pk} if parent is not None else set())
        hits = (
            PartyNameKey.objects.filter(key__in=written)
            .exclude(party_id__in=skipped)
            .select_related("party")
            .order_by("party__name", "party_id", "field")
        )
        if self.query.has_filters():
            # Only when narrowed: "party IN (every party)" would read the whole table.
            hits = hits.filter(party__in=self)
        candidates = {}
        for hit in hits:
            if hit.party.parent_id is not None and hit.party.parent_id in excluded:
                continue  # a subsidiary of the party being renamed
            candidates.setdefault(
                hit.party_id, DuplicateCandidate(hit.party, written[hit.key], hit.field)
            )
        return _without_other_identities(list(candidates.values()), identifiers)

    def refresh_name_keys(self):
        """Rewrite the name keys of these parties (after a bulk load that bypassed save())."""
        for party in self.iterator(chunk_size=2000):
            party.refresh_name_keys()

    def holding_identifier(self, scheme, value):
        """The party (one at most: party_identifier_once) holding this identifier."""
        return self.filter(
            identifiers__scheme=scheme, identifiers__value=normalise_identifier(scheme, value)
        )

    def search(self, text):
        """Parties whose name, native-script name or an alias holds `text`."""
        return self.filter(
            Q(name__icontains=text) | Q(native_name__icontains=text) | Q(aliases__icontains=text)
        )

    def having_published_deals(self):
        return self.filter(pk__in=DealParty.objects.filter(deal__is_published=True).values("party"))

    def countries_with_published_deals(self):
        """The country codes of parties to published deals, in code order: those with
        kept figures (deals/models/figure_sums.py), one query from the scope index
        (4 s at a million deals when asked of the parties and deals themselves)."""
        return FigureSum.objects.current().countries()

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


class Party(NativeNamed, TimeStamped):
    """An organisation that signs deals."""

    class Kind(models.TextChoices):
        COMPANY = "company", gettext_lazy("company")
        STATE_OWNED_ENTERPRISE = "state_owned_enterprise", gettext_lazy("state-owned enterprise")
        GOVERNMENT_BODY = "government_body", gettext_lazy("government body")
        FINANCIAL_INSTITUTION = "financial_institution", gettext_lazy("financial institution")
        OTHER = "other", gettext_lazy("other")

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

    def save(self, *args, **kwargs):
        # Not a signal: the keys are part of saving a party (STYLE.md, choice 3).
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.refresh_name_keys()

    def name_keys(self):
        """{(field, key)} of its names, as party_name_key() normalises them."""
        names = [("name", self.name), ("native_name", self.native_name)]
        names += [("aliases", alias) for alias in self.alias_list]
        return {(field, party_name_key(text)) for field, text in names} - {
            (field, "") for field, _ in names
        }

    def refresh_name_keys(self):
        """Make PartyNameKey hold exactly this party's name keys (two queries at most)."""
        wanted = self.name_keys()
        held = set(PartyNameKey.objects.filter(party=self).values_list("field", "key"))
        if wanted == held:
            return
        PartyNameKey.objects.filter(party=self).delete()
        PartyNameKey.objects.bulk_create(
            PartyNameKey(party=self, field=field, key=key) for field, key in sorted(wanted)
        )

    def likely_duplicates(self, identifiers=()):
        """Other parties that look like this one (see PartyQuerySet.likely_duplicates_of)."""
        return Party.objects.likely_duplicates_of(
            name=self.name,
            native_name=self.native_name,
            aliases=self.aliases,
            exclude=[self.pk],
            parent=self.parent,
            identifiers=identifiers,
        )

    def set_identifiers(self, pairs):
        """Make its identifiers exactly these (scheme, value) pairs; rows that stay are
        kept. Each is checked as the admin checks it (full_clean: the scheme's pattern,
        the LEI's check digits, held by no other party)."""
        wanted = {(scheme, normalise_identifier(scheme, value)) for scheme, value in pairs}
        held = {(i.scheme, i.value): i for i in PartyIdentifier.objects.filter(party=self)}
        for key in held.keys() - wanted:
            held[key].delete()
        for scheme, value in sorted(wanted - held.keys()):
            identifier = PartyIdentifier(party=self, scheme=scheme, value=value)
            identifier.full_clean()
            identifier.save()

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


class PartyNameKey(models.Model):
    """One normalised name of a party (party_name_key()), so that a likely duplicate is
    found by an indexed lookup rather than by reading every party. Written by
    Party.save(); PartyQuerySet.refresh_name_keys() rebuilds it after a bulk load."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="name_keys_held")
    field = models.CharField(max_length=20)
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["party", "field", "key"], name="party_name_key_once"),
        ]
        indexes = [models.Index(fields=["key"], name="party_name_key_key")]

    def __str__(self):
        return f"{self.key} ({self.field} of party {self.party_id})"


class DealParty(models.Model):
    class Role(models.TextChoices):
        BUYER = "buyer", gettext_lazy("buyer")
        SELLER = "seller", gettext_lazy("seller")
        INVESTOR = "investor", gettext_lazy("investor")
        INVESTEE = "investee", gettext_lazy("investee")
        LENDER = "lender", gettext_lazy("lender")
        BORROWER = "borrower", gettext_lazy("borrower")
        PARTNER = "partner", gettext_lazy("partner")
        LICENSOR = "licensor", gettext_lazy("licensor")
        LICENSEE = "licensee", gettext_lazy("licensee")
        GUARANTOR = "guarantor", gettext_lazy("guarantor")
        OTHER = "other", gettext_lazy("other")

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
